import { tf } from './tf.js';
import { batchMatMul } from './wasm-matmul.js';
import { colSums, exp, rowSums } from './wasm-vector.js';

/**
 * Kernels of ours on tfjs's WebAssembly backend, where its own are slow for what a training step does, written in
 * JavaScript over the backend's heap (each output allocated first, then read through views of the heap, which
 * growing it would detach) or in WebAssembly of ours on that heap. Each replaces tfjs's only for the cases it
 * handles and hands the rest to tfjs's own.
 * Measured on one thread (a 2-core AMD EPYC, Node 24):
 * - Identity (`clone`; the gradient tape clones every tensor it saves) copied the data: ours shares it.
 * - Sum over leading axes (a bias's or a layer norm's gradient: column sums) transposed its input first: 7.0 ms
 *   for [512, 2049], where adding the rows in order took 1.4 ms in JavaScript and gives the same bits (a step's
 *   sums: 35 -> 16 ms); in WebAssembly SIMD (wasm-vector.ts, each lane a column: the same bits) 0.26 ms. A matrix
 *   transpose in JavaScript was faster alone (2.0 against 6.0 ms) but not inside a step (its inputs come from
 *   other kernels, out of the cache): tfjs's stays.
 * - Gather of rows (an embedding's lookup) went element by element: 2.0 ms for 512 rows of 128, 4.6 for the 1,024
 *   of a served [16, 64] request; copied a row at a time, ~0.1 ms.
 * - BatchMatMul of one matrix by another (wasm-matmul.ts, in WebAssembly of ours with relaxed SIMD's multiply-add):
 *   ~1.5x tfjs's XNNPACK product untransposed (512 x 512: 25 -> 40 GFLOP/s), and ~15-30x where an operand is
 *   read transposed (tfjs's falls back on a scalar loop there: 1-2 GFLOP/s), so gradients need no transposes.
 * - Exp and the sums of rows (Sum over the last axis: a softmax's denominators) in WebAssembly SIMD of ours
 *   (wasm-vector.ts): tfjs's went an element at a time; exp of 512 x 2,049 3.7 -> 1.3 ms, its row sums 1.1 -> 0.3.
 * - Slice and SplitV read through a view of the heap: tfjs's copied the whole input out first, for every part.
 * Adam's update has a kernel of its own in WebAssembly (wasm-adam.ts).
 * Tensors are immutable in tfjs (a variable's assign takes the new tensor's data; no kernel writes into its
 * input), which is what lets a clone share its input's data, as reshape does on this backend and Identity does on
 * the cpu and WebGPU backends. Call after the wasm backend's module is loaded (its kernels are registered at
 * import) and before the backend is set; safe to call again.
 */
export function registerWasmKernels(): void {
  replace('Identity', identity);
  replace('Sum', sum);
  replace('GatherV2', gather);
  replace('BatchMatMul', batchMatMul);
  replace('Exp', exp);
  replace('Slice', slice);
  replace('SplitV', splitV);
}

/** What kernels of ours read of tfjs's WebAssembly backend (public members of its BackendWasm). */
export interface WasmHeap {
  /** Its Emscripten module: the memory is exported (single-threaded build) or made in JavaScript (threaded). */
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown; tfjs?: { getThreadsCount?(): number } };
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

type Kernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];
/** Ours: a result (or results), or undefined to hand the case to tfjs's own kernel. */
type Override = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] | undefined;

/** Registered kernels of ours, so that a second call finds them (tfjs's own kept for the cases ours hand back). */
const ours = new Set<tf.KernelFunc>();

function replace(name: string, override: Override): void {
  const current = tf.getKernel(name, 'wasm');
  if (current && ours.has(current.kernelFunc)) return;
  const theirs = current?.kernelFunc as Kernel | undefined;
  const kernelFunc = ((args: KernelArgs) => {
    const result = override(args);
    if (result) return result;
    if (!theirs) throw new Error(`tfjs's wasm backend has no ${name} kernel`);
    return theirs(args);
  }) as tf.KernelFunc;
  ours.add(kernelFunc);
  if (current) tf.unregisterKernel(name, 'wasm');
  // tfjs's setup (its bindings into the module) still runs when the backend starts: ours fall back on it.
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, setupFunc: current?.setupFunc });
}

function identity({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const x = inputs['x']!;
  (backend as WasmHeap).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Sums over the leading axes of a float32 tensor (the trailing ones kept), rows added in order. */
function sum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const x = inputs['x']!;
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32') return undefined;
  const heap = backend as WasmHeap;
  if (!leading) {
    const last = x.shape.length > 1 && axes.length === 1 && axes[0] === x.shape.length - 1;
    return last ? rowSums(heap, x, keepDims) : undefined;
  }
  return colSums(heap, x, axes.length, keepDims);
}

/** Rows of a matrix (any rank: the rows along its first axis) at int32 indices of any shape, a row at a time. */
function gather({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
  const rowAxis = tf.util.parseAxisParam(axis, x.shape)[0];
  const numeric = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
  if (rowAxis !== 0 || batchDims !== 0 || !numeric || indices.dtype !== 'int32') return undefined;
  const heap = backend as WasmHeap;
  const rowCount = x.shape[0]!;
  // tfjs's own check and words, before anything is allocated: an index out of range is an error, not a read past
  // the tensor.
  for (const r of heap.typedArrayFromHeap(indices))
    tf.util.assert(r >= 0 && r < rowCount, () => `GatherV2: the index value ${r} is not in [0, ${rowCount - 1}]`);
  const rowShape = x.shape.slice(1);
  const out = heap.makeOutput([...indices.shape, ...rowShape], x.dtype);
  const at = heap.typedArrayFromHeap(indices);
  const from = heap.typedArrayFromHeap(x);
  const to = heap.typedArrayFromHeap(out);
  const row = tf.util.sizeFromShape(rowShape);
  for (let k = 0; k < at.length; k++) to.set(from.subarray(at[k]! * row, (at[k]! + 1) * row), k * row);
  return out;
}

/**
 * A slice of a numeric tensor, copied a run of its last axis at a time from a view of the heap: tfjs's slice
 * copied the whole input out of the heap first (readSync), so a split into four copied it four times (a split
 * of [512, 512] into four took 2.0 ms).
 */
function slice({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const x = inputs['x']!;
  const { begin, size } = attrs as unknown as { begin: number[]; size: number[] };
  if (x.dtype === 'string') return undefined;
  const [from, extent] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
  return sliceOf(backend as WasmHeap, x, from, extent);
}

/** SplitV as tfjs's, each part sliced by ours. */
function splitV({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] | undefined {
  const x = inputs['x']!;
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  if (x.dtype === 'string') return undefined;
  const at = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, at);
  const begin = x.shape.map(() => 0);
  return sizes.map((part) => {
    const extent = x.shape.map((d, i) => (i === at ? part : d));
    const out = sliceOf(backend as WasmHeap, x, [...begin], extent);
    begin[at]! += part;
    return out;
  });
}

function sliceOf(heap: WasmHeap, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = heap.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  const from = heap.typedArrayFromHeap(x);
  const to = heap.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const start = tf.slice_util.computeFlatOffset(begin, strides);
    to.set(from.subarray(start, start + total));
    return out;
  }
  const rank = size.length;
  const run = size[rank - 1]!;
  for (let row = 0; row < total / run; row++) {
    // The row's place in the input, from its index over the slice's leading axes.
    let rest = row;
    let start = begin[rank - 1]!;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const i = rest % size[axis]!;
      rest = (rest - i) / size[axis]!;
      start += (begin[axis]! + i) * strides[axis]!;
    }
    to.set(from.subarray(start, start + run), row * run);
  }
  return out;
}
