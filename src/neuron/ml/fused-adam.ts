import { tf } from './tf.js';
import { ADAM_MOMENT, ADAM_STEP, type AdamMomentAttrs, type AdamStepAttrs } from './webgpu-adam.js';

/** What tfjs's AdamOptimizer keeps privately, read by the subclass below (the same fields, the same meaning). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/**
 * tfjs's Adam (beta1 0.9, beta2 0.999, the backend's epsilon), updating each variable in three kernels where the
 * backend has them (webgpu-adam.ts: WebGPU) and through tfjs's own ops elsewhere. Its state, getWeights and
 * setWeights are tfjs's, so checkpoints and data-parallel shards read it as before, and it may change backend
 * between steps. The same arithmetic: each step's values agree with tfjs's Adam within float32 rounding.
 */
export class FusedAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const backend = tf.getBackend();
    if (!tf.getKernel(ADAM_MOMENT, backend) || !tf.getKernel(ADAM_STEP, backend)) {
      super.applyGradients(variableGradients);
      return;
    }
    const slots = this as unknown as AdamSlots;
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    // tfjs's accBeta1 is beta1^t at step t (from 1): the bias corrections, computed here on the host.
    const t = this.iterations + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        slots.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        slots.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        if (!gradient) return;
        const m = slots.accumulatedFirstMoment[i].variable;
        const v = slots.accumulatedSecondMoment[i].variable;
        const moment = (x: tf.Tensor, decay: number, square: boolean) =>
          tf.engine().runKernel(ADAM_MOMENT, { moment: x, gradient }, {
            decay,
            square,
          } satisfies AdamMomentAttrs as never) as tf.Tensor;
        const newM = moment(m, this.beta1, false);
        const newV = moment(v, this.beta2, true);
        const attrs: AdamStepAttrs = { rate: this.learningRate / correction1, correction2, epsilon: this.epsilon };
        const newValue = tf.engine().runKernel(ADAM_STEP, { value, m: newM, v: newV }, attrs as never) as tf.Tensor;
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      // Kept as tfjs keeps them, for a step on another backend or a checkpoint's setWeights.
      slots.accBeta1.assign(tf.scalar(this.beta1 ** (t + 1)));
      slots.accBeta2.assign(tf.scalar(this.beta2 ** (t + 1)));
    });
    this.incrementIterations();
  }
}
