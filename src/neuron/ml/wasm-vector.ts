import { tf } from './tf.js';
import {
  F32,
  I32,
  V128,
  advance,
  backendMemory,
  f32x4,
  floatBytes,
  floatEnds,
  get,
  i32,
  memarg,
  onMemory,
  op,
  set,
  simd,
  vectorBytes,
  whileBelow,
  zeroVector,
  type WasmFunction,
} from './wasm-assembler.js';
import type { KernelArgs, WasmHeap } from './wasm-kernels.js';

/**
 * Elementwise and reduction kernels for tfjs's WebAssembly backend in WebAssembly SIMD of ours, where tfjs's run
 * one element at a time: exp (a softmax's, over [tokens, classes]: 3.4 ms for 512 x 2,049 in a step), the sums of
 * rows (a softmax's denominators and the targets' dot products) and of columns (bias gradients). All work on
 * four lanes at once.
 */

// exp(src, dst, n): dst[i] = e^src[i] for n >= 4 elements (byte offsets).
const [SRC, DST, N] = [0, 1, 2];
const [AT, VECTOR_END] = [3, 4];
const [X, K, R, Y] = [5, 6, 7, 8];

/**
 * x is clamped to [EXP_LOW, EXP_HIGH] first. At EXP_HIGH e^x is past float32's largest (infinity, as for
 * anything above ~88.72); at EXP_LOW k = -126, where 2^(k - 1) has no normal exponent and the product is 0 (as for
 * anything below ~87.0: e^x < 1.7e-38; tfjs's gives subnormals down to 1.4e-45).
 */
const EXP_HIGH = 89;
const EXP_LOW = -87.6;
/** Cephes' coefficients of (e^r - 1 - r) / r² on |r| <= ln 2 / 2, highest first. */
const EXP_POLYNOMIAL = [
  1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
];
/** 1.5·2^23 + 126: added to an integral k, it leaves k + 126 in the low bits of the sum's mantissa. */
const EXPONENT_MAGIC = 12583038;

/**
 * The vector constants, splatted into locals once before the loop (a v128.const in the loop body is rebuilt on
 * every pass).
 */
const CONSTANTS: Array<[string, number[]]> = [
  ['high', f32x4(EXP_HIGH)],
  ['low', f32x4(EXP_LOW)],
  ['log2e', f32x4(Math.LOG2E)],
  // ln 2 in two parts: k·ln2High is exact for |k| <= 2^15.
  ['ln2High', f32x4(0.693359375)],
  ['ln2Low', f32x4(-2.1219444e-4)],
  ...EXP_POLYNOMIAL.map((value, i): [string, number[]] => [`c${i}`, f32x4(value)]),
  ['one', f32x4(1)],
  ['two', f32x4(2)],
  ['magic', f32x4(EXPONENT_MAGIC)],
];
const FIRST_CONSTANT = 9;
const c = (name: string) => get(FIRST_CONSTANT + CONSTANTS.findIndex(([n]) => n === name));

/**
 * e^x for the four lanes at AT, stored at AT: x = k·ln 2 + r with k = round(x / ln 2) and |r| <= ln 2 / 2 (ln 2
 * in two parts, so that r is exact), e^r = 1 + r + r²·p(r) with Cephes' polynomial (about 1 ulp), times 2^(k - 1)
 * built in the exponent's bits, times 2. Every step is one instruction or two: pmin and pmax (x86's minps and
 * maxps) keep a NaN in x, so NaN stays NaN. Written with V8's cost in mind: the IEEE min and max, trunc_sat and
 * bitselect each take several instructions there, and a first version with them was no faster than tfjs's scalar
 * loop.
 */
const expVector: number[] = [
  ...get(SRC),
  ...get(AT),
  op.i32Add,
  ...simd.load,
  ...memarg(),
  ...c('high'),
  ...simd.pmin,
  ...c('low'),
  ...simd.pmax,
  ...set(X),
  ...get(X),
  ...c('log2e'),
  ...simd.mul,
  ...simd.nearest,
  ...set(K),
  // r = (x - k·ln2High) - k·ln2Low
  ...get(X),
  ...get(K),
  ...c('ln2High'),
  ...simd.mul,
  ...simd.sub,
  ...get(K),
  ...c('ln2Low'),
  ...simd.mul,
  ...simd.sub,
  ...set(R),
  // y = ((((c0·r + c1)·r + c2)·r + c3)·r + c4)·r + c5, then y·r·r + r + 1
  ...c('c0'),
  ...EXP_POLYNOMIAL.slice(1).flatMap((_, i) => [...get(R), ...simd.mul, ...c(`c${i + 1}`), ...simd.add]),
  ...get(R),
  ...simd.mul,
  ...get(R),
  ...simd.mul,
  ...get(R),
  ...simd.add,
  ...c('one'),
  ...simd.add,
  // · 2^(k - 1) · 2
  ...get(K),
  ...c('magic'),
  ...simd.add,
  ...i32(23),
  ...simd.i32Shl,
  ...simd.mul,
  ...c('two'),
  ...simd.mul,
  ...set(Y),
  ...get(DST),
  ...get(AT),
  op.i32Add,
  ...get(Y),
  ...simd.store,
  ...memarg(),
];

const EXP: WasmFunction = {
  name: 'exp',
  params: [I32, I32, I32],
  locals: [I32, I32, ...Array<number>(4 + CONSTANTS.length).fill(V128)],
  code: [
    ...CONSTANTS.flatMap(([, value], i) => [...value, ...set(FIRST_CONSTANT + i)]),
    ...vectorBytes(get(N)),
    ...set(VECTOR_END),
    ...whileBelow(AT, get(VECTOR_END), i32(16), expVector),
    // The last n mod 4 elements: the last four again (an element is computed the same twice), n >= 4.
    ...get(N),
    ...i32(3),
    op.i32And,
    op.if,
    op.void,
    ...floatBytes([...get(N), ...i32(4), op.i32Sub]),
    ...set(AT),
    ...expVector,
    op.end,
  ],
};

// rowSums(src, dst, rows, cols): dst[r] = the sum of row r (four running sums of every fourth element, then the
// last cols mod 4 in order).
const [ROWS, COLS] = [2, 3];
const [PTR, ROW_VECTOR_END, ROW_END, ROW, ACC, SUM] = [4, 5, 6, 7, 8, 9];
const lane = (l: number) => [...get(ACC), ...simd.extractLane, l];

const ROW_SUMS: WasmFunction = {
  name: 'rowSums',
  params: [I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, V128, F32],
  code: [
    ...get(SRC),
    ...set(PTR),
    ...whileBelow(ROW, get(ROWS), i32(1), [
      ...floatEnds(COLS, ROW_VECTOR_END, ROW_END, PTR),
      ...zeroVector,
      ...set(ACC),
      ...whileBelow(PTR, get(ROW_VECTOR_END), i32(16), [
        ...get(ACC),
        ...get(PTR),
        ...simd.load,
        ...memarg(),
        ...simd.add,
        ...set(ACC),
      ]),
      ...lane(0),
      ...lane(1),
      op.f32Add,
      ...lane(2),
      ...lane(3),
      op.f32Add,
      op.f32Add,
      ...set(SUM),
      ...whileBelow(PTR, get(ROW_END), i32(4), [
        ...get(SUM),
        ...get(PTR),
        op.f32Load,
        ...memarg(),
        op.f32Add,
        ...set(SUM),
      ]),
      ...get(DST),
      ...get(SUM),
      op.f32Store,
      ...memarg(),
      ...advance(DST, i32(4)),
    ]),
  ],
};

// colSums(src, dst, rows, cols): dst[j] = the sum of column j, the rows added in order (each lane one column,
// so every column's sum is the sequential float32 sum tfjs's kernel makes, bit for bit).
const [P_AT, D_AT, D_VECTOR_END, D_END, ROW_AT] = [4, 5, 6, 7, 8];

const COL_SUMS: WasmFunction = {
  name: 'colSums',
  params: [I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, I32],
  code: [
    ...floatEnds(COLS, D_VECTOR_END, D_END, DST),
    // The heap's memory comes uninitialized: the sums start from zero.
    ...get(DST),
    ...set(D_AT),
    ...whileBelow(D_AT, get(D_VECTOR_END), i32(16), [...get(D_AT), ...zeroVector, ...simd.store, ...memarg()]),
    ...whileBelow(D_AT, get(D_END), i32(4), [...get(D_AT), op.f32Const, 0, 0, 0, 0, op.f32Store, ...memarg()]),
    ...get(SRC),
    ...set(P_AT),
    ...whileBelow(ROW_AT, get(ROWS), i32(1), [
      ...get(DST),
      ...set(D_AT),
      ...whileBelow(D_AT, get(D_VECTOR_END), i32(16), [
        ...get(D_AT),
        ...get(D_AT),
        ...simd.load,
        ...memarg(),
        ...get(P_AT),
        ...simd.load,
        ...memarg(),
        ...simd.add,
        ...simd.store,
        ...memarg(),
        ...advance(P_AT, i32(16)),
      ]),
      ...whileBelow(D_AT, get(D_END), i32(4), [
        ...get(D_AT),
        ...get(D_AT),
        op.f32Load,
        ...memarg(),
        ...get(P_AT),
        op.f32Load,
        ...memarg(),
        op.f32Add,
        op.f32Store,
        ...memarg(),
        ...advance(P_AT, i32(4)),
      ]),
    ]),
  ],
};

const onBackendMemory = onMemory([EXP, ROW_SUMS, COL_SUMS]);

/** e^x of a float32 tensor of at least four elements; else undefined (tfjs's kernel). */
export function exp({ inputs, backend }: KernelArgs): tf.TensorInfo | undefined {
  const x = inputs['x']!;
  const n = tf.util.sizeFromShape(x.shape);
  const heap = backend as WasmHeap;
  const kernels = x.dtype === 'float32' && n >= 4 ? onBackendMemory(backendMemory(heap)) : undefined;
  if (!kernels) return undefined;
  const out = heap.makeOutput(x.shape, 'float32');
  kernels['exp']!(heap.getMemoryOffset(x.dataId), heap.getMemoryOffset(out.dataId), n);
  return out;
}

/** The sums of the rows of a float32 tensor (over its last axis), shaped as tfjs's Sum gives them; else undefined. */
export function rowSums(heap: WasmHeap, x: tf.TensorInfo, keepDims: boolean): tf.TensorInfo | undefined {
  const kernels = onBackendMemory(backendMemory(heap));
  if (!kernels) return undefined;
  const cols = x.shape.at(-1)!;
  const kept = x.shape.slice(0, -1);
  const out = heap.makeOutput(keepDims ? [...kept, 1] : kept, 'float32');
  const rows = tf.util.sizeFromShape(kept);
  kernels['rowSums']!(heap.getMemoryOffset(x.dataId), heap.getMemoryOffset(out.dataId), rows, cols);
  return out;
}

/**
 * The sums of a float32 tensor's columns (over its `leading` first axes), bit for bit tfjs's, shaped as tfjs's Sum
 * gives them; else undefined.
 */
export function colSums(
  heap: WasmHeap,
  x: tf.TensorInfo,
  leading: number,
  keepDims: boolean,
): tf.TensorInfo | undefined {
  const kernels = onBackendMemory(backendMemory(heap));
  if (!kernels) return undefined;
  const kept = x.shape.slice(leading);
  const out = heap.makeOutput(keepDims ? [...Array<number>(leading).fill(1), ...kept] : kept, 'float32');
  const cols = tf.util.sizeFromShape(kept);
  const rows = cols === 0 ? 0 : tf.util.sizeFromShape(x.shape) / cols;
  kernels['colSums']!(heap.getMemoryOffset(x.dataId), heap.getMemoryOffset(out.dataId), rows, cols);
  return out;
}
