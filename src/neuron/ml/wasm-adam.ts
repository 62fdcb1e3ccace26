import { tf } from './tf.js';
import {
  F32,
  I32,
  V128,
  backendMemory,
  floatEnds,
  get,
  i32,
  memarg,
  onMemory,
  op,
  set,
  simd,
  tee,
  whileBelow,
  type WasmFunction,
} from './wasm-assembler.js';
import type { WasmHeap } from './wasm-kernels.js';

/**
 * Adam's update of one variable in one WebAssembly SIMD loop over tfjs's own heap, instead of tfjs's eleven
 * kernels (fused-adam.ts runs it). Those each read one or two variable-sized arrays and wrote a third: ~30 passes
 * over memory a variable where this makes seven, and a step's Adam (3.6 million weights) took ~30 ms of a
 * ~400 ms WebAssembly step. Every operation is tfjs's, in tfjs's order, on float32 lanes (WebAssembly's f32x4 add,
 * mul, div and sqrt are IEEE's, as the kernels of tfjs's module are), so the values are tfjs's bit for bit. In
 * JavaScript the same loop was slower than tfjs's kernels (~14 ns an element: double arithmetic rounded to float32
 * at every step), hence this module, assembled here from its instructions (ADAM_CODE) and given tfjs's memory
 * (the threaded build's shared memory too: the desktop app's training window).
 */

/** The kernel's name in tfjs's registry: one variable's Adam update. */
export const ADAM_UPDATE = 'AdamUpdate';

/**
 * Attributes of ADAM_UPDATE. Inputs: value, m, v, gradient and the bias corrections as tfjs computes them (float32
 * scalars 1 - beta1^t and 1 - beta2^t); outputs: the new value, m and v:
 * m' = m·b1 + g·(1 - b1); v' = v·b2 + g²·(1 - b2); value' = (m' / c1) / (sqrt(v' / c2) + eps) · (-rate) + value.
 */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

/** The memory the registered kernel's module works in (a backend that starts again has a new one). */
let registeredFor: object | undefined;

/**
 * Registers ADAM_UPDATE for the current backend when it is tfjs's WebAssembly backend, its memory can be found
 * (that of the single-threaded build or the threaded one's shared memory) and the module compiles here (it needs
 * WebAssembly SIMD), so that FusedAdam finds it; elsewhere nothing is registered and FusedAdam runs tfjs's ops.
 * Call after the backend is set; safe to call again.
 */
export function registerWasmAdam(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const memory = backendMemory(tf.backend() as unknown as WasmHeap);
  const adam = onBackendMemory(memory)?.['adam'];
  if (!memory || !adam) return false;
  if (memory === registeredFor) return true;
  if (tf.getKernel(ADAM_UPDATE, 'wasm')) tf.unregisterKernel(ADAM_UPDATE, 'wasm');
  registeredFor = memory;
  tf.registerKernel({
    kernelName: ADAM_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, m, v, gradient, correction1, correction2 } = inputs as Record<string, tf.TensorInfo>;
      const a = attrs as unknown as AdamUpdateAttrs;
      const heap = backend as unknown as WasmHeap;
      const outs = [value!, m!, v!].map((t) => heap.makeOutput(t.shape, 'float32'));
      const at = (t: tf.TensorInfo) => heap.getMemoryOffset(t.dataId);
      const scalar = (t: tf.TensorInfo) => heap.typedArrayFromHeap(t)[0]!;
      const pointers = [value!, m!, v!, gradient!, ...outs].map(at);
      const size = tf.util.sizeFromShape(value!.shape);
      // The f32 parameters round each number as tfjs's scalar tensors do.
      adam(
        ...pointers,
        size,
        a.beta1,
        1 - a.beta1,
        a.beta2,
        1 - a.beta2,
        scalar(correction1!),
        scalar(correction2!),
        a.epsilon,
        -a.learningRate,
      );
      return outs;
    },
  });
  return true;
}

// The module's parameters (local indices): the arrays' byte offsets, the element count, the float32 constants.
const [X0, M0, V0, G, X1, M1, V1, N] = [0, 1, 2, 3, 4, 5, 6, 7];
const CONSTANTS = 8; // b1, 1 - b1, b2, 1 - b2, c1, c2, eps, -rate: locals 8..15
const [B1, K1, B2, K2, C1, C2, EPS, RATE] = [0, 1, 2, 3, 4, 5, 6, 7];
// Its locals: the byte offset, where the vector loop ends, where the arrays end, the constants splatted, and the
// current gradient, first and second moments (a vector and a scalar of each).
const [AT, VECTOR_END, END] = [16, 17, 18];
const SPLAT = 19; // 19..26
const [GV, MV, VV] = [27, 28, 29];
const [GS, MS, VS] = [30, 31, 32];

/** The address of the current element of the array whose offset is in `local`. */
const address = (local: number) => [...get(local), ...get(AT), op.i32Add];

/**
 * One element step (a vector of four, or one scalar): the moments, then the value, in tfjs's order; `w` gives
 * the instructions for the width and the locals that hold the constants and the current element's values.
 */
function update(w: {
  load: number[];
  store: number[];
  add: readonly number[];
  mul: readonly number[];
  div: readonly number[];
  sqrt: readonly number[];
  constant: (c: number) => number[];
  g: number;
  m: number;
  v: number;
}): number[] {
  const load = (local: number) => [...address(local), ...w.load];
  /** moment' = moment·decay + g·(1 - decay) (g·g for the second), stored to `to` and kept in `local`. */
  const moment = (from: number, to: number, decay: number, complement: number, squared: boolean, local: number) => [
    ...address(to),
    ...load(from),
    ...w.constant(decay),
    ...w.mul,
    ...get(w.g),
    ...(squared ? [...get(w.g), ...w.mul] : []),
    ...w.constant(complement),
    ...w.mul,
    ...w.add,
    ...tee(local),
    ...w.store,
  ];
  return [
    ...load(G),
    ...set(w.g),
    ...moment(M0, M1, B1, K1, false, w.m),
    ...moment(V0, V1, B2, K2, true, w.v),
    // value' = ((m' / c1) / (sqrt(v' / c2) + eps))·(-rate) + value
    ...address(X1),
    ...get(w.m),
    ...w.constant(C1),
    ...w.div,
    ...get(w.v),
    ...w.constant(C2),
    ...w.div,
    ...w.sqrt,
    ...w.constant(EPS),
    ...w.add,
    ...w.div,
    ...w.constant(RATE),
    ...w.mul,
    ...load(X0),
    ...w.add,
    ...w.store,
  ];
}

/** A loop over the arrays from the current offset to `end` in steps of `bytes`. */
const loop = (end: number, bytes: number, body: number[]) => whileBelow(AT, get(end), i32(bytes), body);

/** The function's body: splat the constants, four lanes at a time, then the last elements one at a time. */
const ADAM_CODE: number[] = [
  ...Array.from({ length: 8 }, (_, c) => [...get(CONSTANTS + c), ...simd.splat, ...set(SPLAT + c)]).flat(),
  ...floatEnds(N, VECTOR_END, END),
  ...loop(
    VECTOR_END,
    16,
    update({
      load: [...simd.load, ...memarg()],
      store: [...simd.store, ...memarg()],
      add: simd.add,
      mul: simd.mul,
      div: simd.div,
      sqrt: simd.sqrt,
      constant: (c) => get(SPLAT + c),
      g: GV,
      m: MV,
      v: VV,
    }),
  ),
  ...loop(
    END,
    4,
    update({
      load: [op.f32Load, ...memarg()],
      store: [op.f32Store, ...memarg()],
      add: [op.f32Add],
      mul: [op.f32Mul],
      div: [op.f32Div],
      sqrt: [op.f32Sqrt],
      constant: (c) => get(CONSTANTS + c),
      g: GS,
      m: MS,
      v: VS,
    }),
  ),
];

/**
 * adam(x0, m0, v0, g, x1, m1, v1, n, b1, k1, b2, k2, c1, c2, eps, rate): the arrays' byte offsets, the element
 * count, the constants.
 */
const ADAM: WasmFunction = {
  name: 'adam',
  params: [...Array<number>(8).fill(I32), ...Array<number>(8).fill(F32)],
  locals: [...Array<number>(3).fill(I32), ...Array<number>(8 + 3).fill(V128), ...Array<number>(3).fill(F32)],
  code: ADAM_CODE,
};

/** The module on a backend's memory, one instance per memory; undefined where it does not compile. */
const onBackendMemory = onMemory([ADAM]);
