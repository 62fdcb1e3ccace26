import { tf } from './tf.js';

/**
 * Adam's update in three WebGPU kernels per variable instead of tfjs's eleven (fused-adam.ts runs them): each
 * kernel costs the host a dispatch (11-16 µs recorded on an NVIDIA H200, bench:gpu, plus a bind group and a
 * uniform write), and Adam's were 528 of the 1,246 dispatches of a small-model step. Registered as two kernels of
 * tfjs's registry for the `webgpu` backend, so the optimizer stays backend-neutral: it asks the registry whether
 * the current backend has them.
 */

/** The kernels' names in tfjs's registry. */
export const ADAM_MOMENT = 'AdamMoment';
export const ADAM_STEP = 'AdamStep';

/** Attributes of ADAM_MOMENT: moment' = decay * moment + (1 - decay) * (square ? g * g : g). */
export interface AdamMomentAttrs {
  decay: number;
  square: boolean;
}

/** Attributes of ADAM_STEP: value' = value - rate * m / (sqrt(v / correction2) + epsilon). */
export interface AdamStepAttrs {
  /** The learning rate over the first moment's bias correction (1 - beta1^t). */
  rate: number;
  /** The second moment's bias correction (1 - beta2^t). */
  correction2: number;
  epsilon: number;
}

const WORKGROUP = 256;
/** Workgroups in one dimension of a dispatch, at most (WebGPU's default limit). */
const MAX_WORKGROUPS = 65535;

/**
 * An elementwise program over a float32 tensor: tfjs's WebGPUProgram interface, flat dispatch, scalar uniforms.
 * Bodies read through f32(): tfjs's int32-to-float32 cast keeps the i32 data.
 */
class ElementwiseProgram {
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly size = true;

  constructor(
    readonly outputShape: number[],
    readonly variableNames: string[],
    readonly uniforms: string,
    readonly shaderKey: string,
    private readonly body: string,
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const groups = Math.ceil(tf.util.sizeFromShape(outputShape) / WORKGROUP);
    // Past one dimension's limit the groups go on a square; tfjs's index helper reads a 2D dispatch.
    const side = Math.ceil(Math.sqrt(groups));
    this.dispatch = groups <= MAX_WORKGROUPS ? [groups, 1, 1] : [side, side, 1];
  }

  getUserCode(): string {
    return `fn main(index : i32) {\n  if (index < uniforms.size) {\n    ${this.body}\n  }\n}`;
  }
}

type TensorInfo = tf.TensorInfo;
interface Uniform {
  type: 'float32';
  data: number[];
}
interface WebGpuBackendLike {
  runWebGPUProgram(
    program: ElementwiseProgram,
    inputs: TensorInfo[],
    dtype: tf.DataType,
    uniforms: Uniform[],
  ): TensorInfo;
}

function run(
  args: { inputs: tf.NamedTensorInfoMap; backend: object },
  program: ElementwiseProgram,
  inputs: TensorInfo[],
  values: number[],
): TensorInfo {
  const backend = args.backend as WebGpuBackendLike;
  const out = backend.runWebGPUProgram(
    program,
    inputs,
    'float32',
    values.map((v) => ({ type: 'float32', data: [v] })),
  );
  return out;
}

/** Registers ADAM_MOMENT and ADAM_STEP for the `webgpu` backend. Safe to call twice. */
export function registerWebGpuAdam(): void {
  if (tf.getKernel(ADAM_MOMENT, 'webgpu')) return;
  tf.registerKernel({
    kernelName: ADAM_MOMENT,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { moment, gradient } = args.inputs as { moment: TensorInfo; gradient: TensorInfo };
      const { decay, square } = args.attrs as unknown as AdamMomentAttrs;
      const g = square ? 'f32(G[index]) * f32(G[index])' : 'f32(G[index])';
      const program = new ElementwiseProgram(
        moment.shape,
        ['M', 'G'],
        'decay : f32,',
        `adamMoment_${square}`,
        `result[index] = uniforms.decay * f32(M[index]) + (1.0 - uniforms.decay) * ${g};`,
      );
      return run(args, program, [moment, gradient], [decay]);
    },
  });
  tf.registerKernel({
    kernelName: ADAM_STEP,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { value, m, v } = args.inputs as { value: TensorInfo; m: TensorInfo; v: TensorInfo };
      const { rate, correction2, epsilon } = args.attrs as unknown as AdamStepAttrs;
      const program = new ElementwiseProgram(
        value.shape,
        ['X', 'M', 'V'],
        'rate : f32, correction2 : f32, epsilon : f32,',
        'adamStep',
        'result[index] = f32(X[index]) - uniforms.rate * f32(M[index]) / (sqrt(f32(V[index]) / uniforms.correction2) + uniforms.epsilon);',
      );
      return run(args, program, [value, m, v], [rate, correction2, epsilon]);
    },
  });
}
