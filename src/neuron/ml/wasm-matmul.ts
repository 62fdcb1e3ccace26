import { tf } from './tf.js';
import {
  F32,
  I32,
  V128,
  advance,
  backendMemory,
  get,
  i32,
  memarg,
  onMemory,
  op,
  set,
  simd,
  whileBelow,
  zeroVector,
  type WasmExport,
  type WasmFunction,
} from './wasm-assembler.js';
import type { KernelArgs, WasmHeap } from './wasm-kernels.js';

/**
 * A matrix product for tfjs's WebAssembly backend, in WebAssembly of ours: both operands are packed into panels
 * (A's rows MR at a time, B's columns NR at a time, each panel K long), then a kernel keeps an MR x NR block of C
 * in registers and adds, for each k, A's MR values times B's NR values with relaxed SIMD's multiply-add (one
 * fused instruction where the processor has FMA; tfjs's build has no relaxed SIMD, so it multiplies and adds).
 * Packing reads either operand transposed, so a gradient's A^T·B and A·B^T need no transpose first.
 */

/** Rows of A and columns of B one kernel pass computes: 2·MR vector accumulators, two of B, one of A. */
export const MR = 4;
export const NR = 8;

// pack(src, dst, k, count, width, strideCount, strideK): dst[panel][k][width] from src's element at
// (count index)·strideCount + k·strideK bytes, zeros past `count`.
const [SRC, DST, K, COUNT, WIDTH, STRIDE_COUNT, STRIDE_K] = [0, 1, 2, 3, 4, 5, 6];
const [BASE, KK, J, PTR, ROW, OUT] = [7, 8, 9, 10, 11, 12];

const PACK: WasmFunction = {
  name: 'pack',
  params: Array<number>(7).fill(I32),
  locals: Array<number>(6).fill(I32),
  code: [
    ...get(DST),
    ...set(OUT),
    ...whileBelow(BASE, get(COUNT), get(WIDTH), [
      ...get(SRC),
      ...get(BASE),
      ...get(STRIDE_COUNT),
      op.i32Mul,
      op.i32Add,
      ...set(ROW),
      ...i32(0),
      ...set(KK),
      ...whileBelow(KK, get(K), i32(1), [
        ...get(ROW),
        ...set(PTR),
        ...i32(0),
        ...set(J),
        ...whileBelow(J, get(WIDTH), i32(1), [
          ...get(OUT),
          ...get(BASE),
          ...get(J),
          op.i32Add,
          ...get(COUNT),
          op.i32LtU,
          op.if,
          F32,
          ...get(PTR),
          op.f32Load,
          ...memarg(),
          op.else,
          op.f32Const,
          0,
          0,
          0,
          0,
          op.end,
          op.f32Store,
          ...memarg(),
          ...advance(PTR, get(STRIDE_COUNT)),
          ...advance(OUT, i32(4)),
        ]),
        ...advance(ROW, get(STRIDE_K)),
      ]),
    ]),
  ],
};

// gemm(a, b, c, m, n, k, ldc, scratch): C (m x n, rows ldc bytes apart) = packed A · packed B.
const [A, B, C, M, N, KG, LDC, SCRATCH] = [0, 1, 2, 3, 4, 5, 6, 7];
const [PI, QI, AP, BP, B_END, CP, ROWS, COLS, R, JC, B_PANEL, A_PANEL] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
const ACC = 20; // 2·MR accumulators, then B's two vectors and A's splat
const [B0, B1, S] = [ACC + 2 * MR, ACC + 2 * MR + 1, ACC + 2 * MR + 2];

/** min(local, c) for non-negative values. */
const least = (local: number, c: number) => [...get(local), ...i32(c), ...get(local), ...i32(c), op.i32LtS, op.select];

const rowsOfTile = Array.from({ length: MR }, (_, r) => r);

const GEMM: WasmFunction = {
  name: 'gemm',
  params: Array<number>(8).fill(I32),
  locals: [...Array<number>(12).fill(I32), ...Array<number>(2 * MR + 3).fill(V128)],
  code: [
    ...get(B),
    ...set(B_PANEL),
    ...whileBelow(PI, get(N), i32(NR), [
      ...get(A),
      ...set(A_PANEL),
      ...i32(0),
      ...set(QI),
      ...whileBelow(QI, get(M), i32(MR), [
        ...get(A_PANEL),
        ...set(AP),
        ...get(B_PANEL),
        ...set(BP),
        ...get(B_PANEL),
        ...get(KG),
        ...i32(NR * 4),
        op.i32Mul,
        op.i32Add,
        ...set(B_END),
        ...rowsOfTile.flatMap((r) => [...zeroVector, ...set(ACC + 2 * r), ...zeroVector, ...set(ACC + 2 * r + 1)]),
        op.loop,
        op.void,
        ...get(BP),
        ...simd.load,
        ...memarg(0),
        ...set(B0),
        ...get(BP),
        ...simd.load,
        ...memarg(16),
        ...set(B1),
        ...rowsOfTile.flatMap((r) => [
          ...get(AP),
          ...simd.load32Splat,
          ...memarg(4 * r),
          ...set(S),
          ...[B0, B1].flatMap((bv, h) => [
            ...get(S),
            ...get(bv),
            ...get(ACC + 2 * r + h),
            ...simd.relaxedMadd,
            ...set(ACC + 2 * r + h),
          ]),
        ]),
        ...advance(AP, i32(MR * 4)),
        ...advance(BP, i32(NR * 4)),
        ...get(BP),
        ...get(B_END),
        op.i32LtU,
        op.brIf,
        0,
        op.end,
        // The block's place in C, and how much of it is inside C.
        ...get(C),
        ...get(QI),
        ...get(LDC),
        op.i32Mul,
        op.i32Add,
        ...get(PI),
        ...i32(4),
        op.i32Mul,
        op.i32Add,
        ...set(CP),
        ...get(M),
        ...get(QI),
        op.i32Sub,
        ...set(ROWS),
        ...get(N),
        ...get(PI),
        op.i32Sub,
        ...set(COLS),
        ...get(ROWS),
        ...i32(MR),
        op.i32GeU,
        ...get(COLS),
        ...i32(NR),
        op.i32GeU,
        op.i32And,
        op.if,
        op.void,
        ...rowsOfTile.flatMap((r) => [
          ...[0, 1].flatMap((h) => [...get(CP), ...get(ACC + 2 * r + h), ...simd.store, ...memarg(16 * h)]),
          ...advance(CP, get(LDC)),
        ]),
        op.else,
        // An edge block: through the scratch block, element by element.
        ...rowsOfTile.flatMap((r) =>
          [0, 1].flatMap((h) => [...get(SCRATCH), ...get(ACC + 2 * r + h), ...simd.store, ...memarg(32 * r + 16 * h)]),
        ),
        ...least(ROWS, MR),
        ...set(ROWS),
        ...least(COLS, NR),
        ...set(COLS),
        ...i32(0),
        ...set(R),
        ...whileBelow(R, get(ROWS), i32(1), [
          ...i32(0),
          ...set(JC),
          ...whileBelow(JC, get(COLS), i32(1), [
            ...get(CP),
            ...get(JC),
            ...i32(4),
            op.i32Mul,
            op.i32Add,
            ...get(SCRATCH),
            ...get(R),
            ...i32(NR * 4),
            op.i32Mul,
            op.i32Add,
            ...get(JC),
            ...i32(4),
            op.i32Mul,
            op.i32Add,
            op.f32Load,
            ...memarg(),
            op.f32Store,
            ...memarg(),
          ]),
          ...advance(CP, get(LDC)),
        ]),
        op.end,
        ...advance(A_PANEL, [...get(KG), ...i32(MR * 4), op.i32Mul]),
      ]),
      ...advance(B_PANEL, [...get(KG), ...i32(NR * 4), op.i32Mul]),
    ]),
  ],
};

const onBackendMemory = onMemory([PACK, GEMM]);

/**
 * The largest thread pool of tfjs's threaded build (the desktop app's training window) where ours, on one thread,
 * is used: measured there on 2 cores, the app's step took 254-265 ms with tfjs's product on 1 thread and 145-157
 * with ours, 173-200 with tfjs's on 2 threads and 158-172 with ours. On more threads tfjs's XNNPACK product,
 * which runs on all of them, is kept.
 */
const MAX_POOL_THREADS = 2;

/** The module on the backend's memory; undefined where relaxed SIMD does not compile or tfjs has more threads. */
function moduleFor(heap: WasmHeap): { pack: WasmExport; gemm: WasmExport } | undefined {
  if ((heap.wasm.tfjs?.getThreadsCount?.() ?? 1) > MAX_POOL_THREADS) return undefined;
  const exports = onBackendMemory(backendMemory(heap));
  return exports && { pack: exports['pack']!, gemm: exports['gemm']! };
}

/**
 * Whether tf.matMul on the current backend is ours (tfjs's WebAssembly backend on at most MAX_POOL_THREADS, where
 * relaxed SIMD compiles): it reads transposed operands at full speed, so a gradient passes transpose flags instead of
 * transposing first.
 */
export function wasmMatMulActive(): boolean {
  return tf.getBackend() === 'wasm' && moduleFor(tf.backend() as unknown as WasmHeap) !== undefined;
}

/** BatchMatMul of one float32 matrix by another (leading axes of size 1), either transposed; else undefined. */
export function batchMatMul({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const single = (shape: number[]) => shape.slice(0, -2).every((d) => d === 1);
  if (!single(a.shape) || !single(b.shape)) return undefined;
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const n = transposeB ? br : bc;
  // tfjs's kernel says what is wrong with shapes that do not fit, and makes empty outputs.
  if ((transposeB ? bc : br) !== k || m * n === 0) return undefined;
  const heap = backend as WasmHeap;
  const kernel = moduleFor(heap);
  if (!kernel) return undefined;
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = heap.makeOutput([...Array<number>(rank - 2).fill(1), m, n], 'float32');
  // A sum of no products (tfjs's kernel leaves the heap's uninitialized memory there).
  if (k === 0) {
    heap.typedArrayFromHeap(out).fill(0);
    return out;
  }
  const packedA = Math.ceil(m / MR) * MR * k;
  const packedB = Math.ceil(n / NR) * NR * k;
  const work = heap.makeOutput([packedA + packedB + MR * NR], 'float32');
  const at = heap.getMemoryOffset(work.dataId);
  const [pa, pb, scratch] = [at, at + packedA * 4, at + (packedA + packedB) * 4];
  const [aAt, bAt] = [heap.getMemoryOffset(a.dataId), heap.getMemoryOffset(b.dataId)];
  kernel.pack(aAt, pa, k, m, MR, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4);
  kernel.pack(bAt, pb, k, n, NR, transposeB ? k * 4 : 4, transposeB ? 4 : n * 4);
  kernel.gemm(pa, pb, heap.getMemoryOffset(out.dataId), m, n, k, n * 4, scratch);
  heap.disposeData(work.dataId);
  return out;
}
