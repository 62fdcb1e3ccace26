import { tf } from './tf.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './wasm-adam.js';
import { ADAM_FUSED, type AdamFusedAttrs } from './webgpu-adam.js';

/** What tfjs's AdamOptimizer keeps privately, read by the subclass below (the same fields, the same meaning). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/** One variable's update: its new moments and value, assigned (inside a tidy scope of its own). */
type VariableUpdate = (value: tf.Variable, m: tf.Variable, v: tf.Variable, gradient: tf.Tensor) => void;

/**
 * tfjs's Adam (beta1 0.9, beta2 0.999, the backend's epsilon), updating each variable in one kernel where the
 * backend has one (webgpu-adam.ts: WebGPU, one dispatch; wasm-adam.ts: WebAssembly, tfjs's
 * arithmetic, so tfjs's values) and through tfjs's own ops (the same ops in the same order, so the same values)
 * elsewhere. Unlike tfjs's, each variable's update frees its temporaries before the next variable's: tfjs
 * keeps every variable's until the whole step ends, which made the optimizer the peak of a training step's memory
 * (eleven temporaries the size of each embedding). Its state, getWeights and setWeights are tfjs's, so
 * checkpoints and data-parallel shards read it as before, and it may change backend between steps.
 */
export class FusedAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const has = (kernel: string) => tf.getKernel(kernel, tf.getBackend()) !== undefined;
    const fused = has(ADAM_FUSED);
    const slots = this as unknown as AdamSlots;
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    // tfjs's accBeta1 is beta1^t at step t (from 1).
    const t = this.iterations + 1;
    tf.tidy(() => {
      const update = fused ? this.fusedUpdate(t) : has(ADAM_UPDATE) ? this.kernelUpdate(slots) : this.opsUpdate(slots);
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
        const [m, v] = [slots.accumulatedFirstMoment[i].variable, slots.accumulatedSecondMoment[i].variable];
        tf.tidy(() => update(value, m, v, gradient));
      });
      // As tfjs keeps them, for a step on another backend or a checkpoint's setWeights.
      if (fused) {
        slots.accBeta1.assign(tf.scalar(this.beta1 ** (t + 1)));
        slots.accBeta2.assign(tf.scalar(this.beta2 ** (t + 1)));
      } else {
        slots.accBeta1.assign(tf.mul(slots.accBeta1, this.beta1));
        slots.accBeta2.assign(tf.mul(slots.accBeta2, this.beta2));
      }
    });
    this.incrementIterations();
  }

  /** Step t's update in one kernel (webgpu-adam.ts), the bias corrections computed on the host. */
  private fusedUpdate(t: number): VariableUpdate {
    const correction1 = 1 - this.beta1 ** t;
    const attrs: AdamFusedAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      rate: this.learningRate / correction1,
      correction2: 1 - this.beta2 ** t,
      epsilon: this.epsilon,
    };
    return (value, m, v, gradient) => {
      const [newValue, newM, newV] = tf
        .engine()
        .runKernel(ADAM_FUSED, { value, m, v, gradient }, attrs as never) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    };
  }

  /**
   * The update in one kernel (wasm-adam.ts) given tfjs's divisors as tensors: tfjs's values. Call inside the step's
   * tidy scope (the divisors are its tensors).
   */
  private kernelUpdate(slots: AdamSlots): VariableUpdate {
    const correction1 = tf.sub(1, slots.accBeta1);
    const correction2 = tf.sub(1, slots.accBeta2);
    const attrs: AdamUpdateAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
    };
    return (value, m, v, gradient) => {
      const [newValue, newM, newV] = tf
        .engine()
        .runKernel(ADAM_UPDATE, { value, m, v, gradient, correction1, correction2 }, attrs as never) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    };
  }

  /**
   * The update through tfjs's own ops in tfjs's order, dividing by 1 - accBeta as tensors as tfjs does: the same
   * values as tf.train.adam. Call inside the step's tidy scope (the divisors are its tensors).
   */
  private opsUpdate(slots: AdamSlots): VariableUpdate {
    const oneMinusAccBeta1 = tf.sub(1, slots.accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, slots.accBeta2);
    return (value, m, v, gradient) => {
      const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
      const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
      const mHat = tf.div(newM, oneMinusAccBeta1);
      const vHat = tf.div(newV, oneMinusAccBeta2);
      m.assign(newM);
      v.assign(newV);
      value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
    };
  }
}
