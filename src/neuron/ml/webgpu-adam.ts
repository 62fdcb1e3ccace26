import { tf } from './tf.js';

/**
 * Adam's update of a variable in one WebGPU dispatch instead of tfjs's eleven (fused-adam.ts runs it): each
 * dispatch costs the host a bind group, a uniform buffer and the recording (11-16 µs each on an NVIDIA H200,
 * bench:gpu), and the H200's step waited on the host. tfjs's programs write one output each, so a first version
 * took three (both moments, then the value: 144 of a small step's 509 dispatches); this one writes the new value
 * and both moments from one shader of ours, recorded into tfjs's own command stream as tfjs records its programs
 * (the members of its WebGPUBackend used here are listed in WebGpuRecorder). Where that path does not apply
 * (tf.profile timing kernels, tfjs's compile-only mode, a tensor whose buffer holds int32 data) the same
 * arithmetic runs as three programs of tfjs's kind. Registered as a kernel of tfjs's registry for the `webgpu`
 * backend, so the optimizer stays backend-neutral: it asks the registry whether the current backend has it.
 */

/** The kernel's name in tfjs's registry. */
export const ADAM_FUSED = 'AdamFused';

/**
 * Attributes of ADAM_FUSED. Inputs value, m, v and gradient; outputs the new value, m and v:
 * m' = beta1·m + (1 - beta1)·g; v' = beta2·v + (1 - beta2)·g²; value' = value - rate·m' / (sqrt(v' / correction2)
 * + epsilon).
 */
export interface AdamFusedAttrs {
  beta1: number;
  beta2: number;
  /** The learning rate over the first moment's bias correction (1 - beta1^t). */
  rate: number;
  /** The second moment's bias correction (1 - beta2^t). */
  correction2: number;
  epsilon: number;
}

const WORKGROUP = 256;
/** Workgroups in one dimension of a dispatch, at most (WebGPU's default limit). */
const MAX_WORKGROUPS = 65535;

/** The workgroups for `size` threads: one row, or a square past one dimension's limit. */
function workgroups(size: number): [number, number, number] {
  const groups = Math.ceil(size / WORKGROUP);
  const side = Math.ceil(Math.sqrt(groups));
  return groups <= MAX_WORKGROUPS ? [groups, 1, 1] : [side, side, 1];
}

const MOMENT = (decay: string, m: string, g: string) => `${decay} * ${m} + (1.0 - ${decay}) * ${g}`;
const STEP = (x: string, m: string, v: string, u: string) =>
  `${x} - ${u}.rate * ${m} / (sqrt(${v} / ${u}.correction2) + ${u}.epsilon)`;

/** The one-dispatch shader: outputs at bindings 0-2, inputs 3-6, the uniforms at 7. */
const FUSED_SHADER = `
struct Uniforms { size : i32, beta1 : f32, beta2 : f32, rate : f32, correction2 : f32, epsilon : f32, };
@group(0) @binding(0) var<storage, read_write> newValue : array<f32>;
@group(0) @binding(1) var<storage, read_write> newM : array<f32>;
@group(0) @binding(2) var<storage, read_write> newV : array<f32>;
@group(0) @binding(3) var<storage, read> value : array<f32>;
@group(0) @binding(4) var<storage, read> m : array<f32>;
@group(0) @binding(5) var<storage, read> v : array<f32>;
@group(0) @binding(6) var<storage, read> gradient : array<f32>;
@group(0) @binding(7) var<uniform> u : Uniforms;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>) {
  let index = i32(id.y * groups.x * ${WORKGROUP}u + id.x);
  if (index >= u.size) { return; }
  let g = gradient[index];
  let m1 = ${MOMENT('u.beta1', 'm[index]', 'g')};
  let v1 = ${MOMENT('u.beta2', 'v[index]', 'g * g')};
  newM[index] = m1;
  newV[index] = v1;
  newValue[index] = ${STEP('value[index]', 'm1', 'v1', 'u')};
}
`;

type TensorInfo = tf.TensorInfo;
interface Uniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** The GPU objects used here (WebGPU's own types are not in this project's TypeScript lib). */
interface GpuPipeline {
  getBindGroupLayout(index: number): unknown;
}
interface GpuPass {
  setPipeline(pipeline: GpuPipeline): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number, y: number, z: number): void;
}
interface GpuDevice {
  createShaderModule(descriptor: { code: string }): unknown;
  createComputePipeline(descriptor: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): GpuPipeline;
  createBindGroup(descriptor: { layout: unknown; entries: Array<{ binding: number; resource: unknown }> }): unknown;
}

/**
 * The members of tfjs's WebGPUBackend (4.22) that record a dispatch: those its own runWebGPUProgram and
 * recordAndSubmit use, in the same order.
 */
interface WebGpuRecorder {
  device: GpuDevice;
  tensorMap: { get(dataId: object): { dtype: tf.DataType } };
  activeTimers: unknown[] | null | undefined;
  commandQueueOwnedIds: { add(dataId: object): void };
  commandEncoder: { beginComputePass(descriptor: object): GpuPass } | null;
  computePassEncoder: GpuPass | null;
  dispatchCountInPass: number;
  makeTensorInfo(shape: number[], dtype: tf.DataType): TensorInfo;
  uploadToGPU(dataId: object): void;
  tensorToBinding(tensor: TensorInfo): unknown;
  makeUniforms(uniforms: Uniform[]): unknown;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  runWebGPUProgram(
    program: ElementwiseProgram,
    inputs: TensorInfo[],
    dtype: tf.DataType,
    uniforms: Uniform[],
  ): TensorInfo;
}

/** The fused pipeline, per device (a backend made again has a new one). */
const pipelines = new WeakMap<object, GpuPipeline>();

function fusedPipeline(device: GpuDevice): GpuPipeline {
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    const module = device.createShaderModule({ code: FUSED_SHADER });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  return pipeline;
}

/** The one dispatch, recorded into tfjs's command stream as its recordAndSubmit records a program. */
function recordFused(b: WebGpuRecorder, inputs: TensorInfo[], a: AdamFusedAttrs, size: number): TensorInfo[] {
  const shape = inputs[0]!.shape;
  const outputs = [0, 1, 2].map(() => b.makeTensorInfo(shape, 'float32'));
  for (const t of [...outputs, ...inputs]) {
    b.uploadToGPU(t.dataId);
    b.commandQueueOwnedIds.add(t.dataId);
  }
  const uniforms = b.makeUniforms([
    { type: 'int32', data: [size] },
    { type: 'float32', data: [a.beta1] },
    { type: 'float32', data: [a.beta2] },
    { type: 'float32', data: [a.rate] },
    { type: 'float32', data: [a.correction2] },
    { type: 'float32', data: [a.epsilon] },
  ]);
  const pipeline = fusedPipeline(b.device);
  const bindGroup = b.device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [...[...outputs, ...inputs].map((t) => b.tensorToBinding(t)), uniforms].map((resource, binding) => ({
      binding,
      resource,
    })),
  });
  b.ensureCommandEncoderReady();
  b.computePassEncoder ??= b.commandEncoder!.beginComputePass({});
  b.computePassEncoder.setPipeline(pipeline);
  b.computePassEncoder.setBindGroup(0, bindGroup);
  b.computePassEncoder.dispatchWorkgroups(...workgroups(size));
  b.dispatchCountInPass++;
  if (tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
  return outputs;
}

/**
 * An elementwise program of tfjs's kind (its WebGPUProgram interface, flat dispatch, scalar uniforms) for the
 * three-program path. Bodies read through f32(): tfjs's int32-to-float32 cast keeps the i32 data.
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
    this.dispatch = workgroups(tf.util.sizeFromShape(outputShape));
  }

  getUserCode(): string {
    return `fn main(index : i32) {\n  if (index < uniforms.size) {\n    ${this.body}\n  }\n}`;
  }
}

/** The same update as three programs through tfjs's runWebGPUProgram: both moments, then the value. */
function threePrograms(b: WebGpuRecorder, [value, m, v, gradient]: TensorInfo[], a: AdamFusedAttrs): TensorInfo[] {
  const moment = (x: TensorInfo, decay: number, square: boolean) =>
    b.runWebGPUProgram(
      new ElementwiseProgram(
        x.shape,
        ['M', 'G'],
        'decay : f32,',
        `adamMoment_${square}`,
        `result[index] = ${MOMENT('uniforms.decay', 'f32(M[index])', square ? 'f32(G[index]) * f32(G[index])' : 'f32(G[index])')};`,
      ),
      [x, gradient!],
      'float32',
      [{ type: 'float32', data: [decay] }],
    );
  const newM = moment(m!, a.beta1, false);
  const newV = moment(v!, a.beta2, true);
  const newValue = b.runWebGPUProgram(
    new ElementwiseProgram(
      value!.shape,
      ['X', 'M', 'V'],
      'rate : f32, correction2 : f32, epsilon : f32,',
      'adamStep',
      `result[index] = ${STEP('f32(X[index])', 'f32(M[index])', 'f32(V[index])', 'uniforms')};`,
    ),
    [value!, newM, newV],
    'float32',
    [a.rate, a.correction2, a.epsilon].map((x) => ({ type: 'float32', data: [x] })),
  );
  return [newValue, newM, newV];
}

/** Registers ADAM_FUSED for the `webgpu` backend. Safe to call twice. */
export function registerWebGpuAdam(): void {
  if (tf.getKernel(ADAM_FUSED, 'webgpu')) return;
  tf.registerKernel({
    kernelName: ADAM_FUSED,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, m, v, gradient } = inputs as Record<string, TensorInfo>;
      const all = [value!, m!, v!, gradient!];
      const b = backend as unknown as WebGpuRecorder;
      const a = attrs as unknown as AdamFusedAttrs;
      const size = tf.util.sizeFromShape(value!.shape);
      const oneDispatch =
        size > 0 &&
        b.activeTimers == null &&
        !tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY') &&
        all.every((t) => t.dtype === 'float32' && b.tensorMap.get(t.dataId).dtype === 'float32');
      return oneDispatch ? recordFused(b, all, a, size) : threePrograms(b, all, a);
    },
  });
}
