import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../../../src/neuron/ml/backend.js';
import { registerWasmKernels } from '../../../../src/neuron/ml/wasm-kernels.js';
import { wasmMatMulActive } from '../../../../src/neuron/ml/wasm-matmul.js';
import { seededRandom } from '../../../../src/shared/random.js';

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

/** Column sums of `values` ([rows, cols] row-major) accumulated in float32, rows in order: tfjs's own result. */
function columnSums(values: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let i = 0; i < values.length; i++) out[i % cols]! += values[i]!;
  return out;
}

/** a · b in float64 for a [m, k] and b [k, n] given row-major (transposed where said), row-major [m, n]. */
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[ta ? q * m + i : i * k + q]! * b[tb ? j * k + q : q * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

describe("the WebAssembly backend's kernels of ours", () => {
  it('a clone shares its data (the tape saves clones) and outlives its source', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = tf.memory().numDataBuffers;
    const copy = tf.clone(x);
    // tfjs's own wasm Identity copied: one more buffer on the WebAssembly heap for each clone.
    expect(tf.memory().numDataBuffers).toBe(before);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    copy.dispose();
  });

  it("sums over leading axes as tfjs does, bit for bit; other reductions are tfjs's own", () => {
    const x = tf.randomNormal([4, 5, 67], 0, 1, 'float32', 3);
    const values = x.dataSync() as Float32Array;
    expect(tf.sum(x, 0).dataSync()).toEqual(columnSums(values, 5 * 67));
    expect(tf.sum(x, [1, 0]).dataSync()).toEqual(columnSums(values, 67));
    const kept = tf.sum(x, [0, 1], true);
    expect(kept.shape).toEqual([1, 1, 67]);
    expect(kept.dataSync()).toEqual(columnSums(values, 67));
    // Handed to tfjs's kernel: the innermost axis, a middle one, all of them, an int32 tensor.
    const rows = tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 1);
    expect(Array.from(rows.dataSync())).toEqual([6, 15]);
    const middle = tf.sum(tf.reshape(tf.range(0, 8), [2, 2, 2]), 1);
    expect(Array.from(middle.dataSync())).toEqual([2, 4, 10, 12]);
    expect(tf.sum(tf.tensor1d([1.5, 2.5])).dataSync()[0]).toBe(4);
    const ints = tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([4, 6]);
    // The heap's memory comes uninitialized: a sum starts from zero where a freed tensor of its size was.
    const ones = tf.ones([3, 64]);
    for (let i = 0; i < 3; i++) {
      tf.fill([64], 7).dispose();
      expect(Array.from(tf.sum(ones, 0).dataSync())).toEqual(new Array(64).fill(3));
    }
    tf.dispose([x, kept, rows, middle, ints, ones]);
  });

  it("gathers rows at indices of any shape; an index out of range is an error; other axes are tfjs's own", () => {
    const table = tf.tensor2d([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], [4, 3]);
    const rows = tf.gather(table, tf.tensor2d([3, 0, 3, 1], [2, 2], 'int32'));
    expect(rows.shape).toEqual([2, 2, 3]);
    expect(Array.from(rows.dataSync())).toEqual([30, 31, 32, 0, 1, 2, 30, 31, 32, 10, 11, 12]);
    const ints = tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 2, 0], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([7, 7, 5]);
    const cube = tf.gather(tf.reshape(tf.range(0, 8), [2, 2, 2]), tf.tensor1d([1], 'int32'));
    expect(Array.from(cube.dataSync())).toEqual([4, 5, 6, 7]);
    expect(() => tf.gather(table, tf.tensor1d([4], 'int32'))).toThrow('GatherV2: the index value 4 is not in [0, 3]');
    expect(() => tf.gather(table, tf.tensor1d([-1], 'int32'))).toThrow('is not in [0, 3]');
    // Refused before anything is allocated: the heap holds no buffer more than the tensors made here.
    const bad = tf.tensor1d([0, 9], 'int32');
    const buffers = tf.memory().numDataBuffers;
    expect(() => tf.gather(table, bad)).toThrow('GatherV2: the index value 9 is not in [0, 3]');
    expect(tf.memory().numDataBuffers).toBe(buffers);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(buffers);
    const columns = tf.gather(table, tf.tensor1d([2, 0], 'int32'), 1);
    expect(Array.from(columns.dataSync())).toEqual([2, 0, 12, 10, 22, 20, 32, 30]);
    tf.dispose([table, rows, ints, cube, columns, bad]);
  });

  it('multiplies matrices read either way round, edge blocks included, and frees its packed copies', () => {
    expect(wasmMatMulActive()).toBe(true); // relaxed SIMD compiles in every Node this project supports
    const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    // Shapes around the 4 x 8 block: one element, a block, blocks and edges each way, a long K.
    for (const [m, k, n] of [
      [1, 1, 1],
      [4, 8, 8],
      [5, 3, 9],
      [13, 21, 31],
      [9, 300, 17],
    ] as const) {
      for (const [ta, tb] of [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ] as const) {
        const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', m + k);
        const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', n + 1);
        const before = dataIds();
        const c = tf.matMul(a, b, ta, tb);
        expect(dataIds()).toBe(before + 1);
        expect(c.shape).toEqual([m, n]);
        const want = product(a.dataSync() as Float32Array, b.dataSync() as Float32Array, m, k, n, ta, tb);
        const got = c.dataSync();
        // float32 sums of k products of N(0, 1) values: errors ~1e-7·sqrt(k).
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * Math.sqrt(k));
        tf.dispose([a, b, c]);
      }
    }
    // Leading axes of one: the output keeps the rank; a batch of two is tfjs's kernel's, with the same values.
    const a3 = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 7);
    const b3 = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 8);
    const [first, second] = tf.split(a3, 2);
    const batched = tf.matMul(a3, b3);
    const one = tf.matMul(first!, tf.slice(b3, [0, 0, 0], [1, 5, 6]));
    expect(one.shape).toEqual([1, 3, 6]);
    const want = product(
      first!.dataSync() as Float32Array,
      tf.slice(b3, [0, 0, 0], [1, 5, 6]).dataSync() as Float32Array,
      3,
      5,
      6,
      false,
      false,
    );
    const got = one.dataSync();
    const theirs = batched.dataSync().subarray(0, 18);
    for (let i = 0; i < 18; i++) {
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
      expect(Math.abs(theirs[i]! - want[i]!)).toBeLessThan(1e-5);
    }
    // Shapes that do not fit get tfjs's words; an empty inner axis gives zeros.
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]))).toThrow('must match');
    expect(Array.from(tf.matMul(tf.ones([2, 0]), tf.ones([0, 2])).dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose([a3, b3, first!, second!, batched, one]);
  });

  it('exp: within 2 ulp of e^x for normal results, 0 and infinity past them, NaN kept, any size from 4', () => {
    const random = seededRandom(4);
    const special = [0, 1, -1, 1e-8, -1e-8, 88.5, 88.72, -86.9, 88.73, 100, -87.5, -100, Infinity, -Infinity, NaN];
    const values = [...special, ...Array.from({ length: 4001 }, () => (random() - 0.5) * 180)];
    const got = tf.exp(tf.tensor1d(values)).dataSync();
    values.forEach((v, i) => {
      const x = Math.fround(v);
      const want = Math.exp(x);
      const g = got[i]!;
      if (Number.isNaN(x)) expect(g).toBeNaN();
      else if (want >= 3.4028235e38) expect(g).toBe(Infinity);
      // Below 1.7e-38 (x under about -87): 0, or the value itself.
      else if (want < 1.7e-38) expect(g === 0 || Math.abs(g - want) <= 2.4e-7 * want).toBe(true);
      else expect(Math.abs(g - want), `e^${x}`).toBeLessThanOrEqual(2.4e-7 * want);
    });
    // Ours (tfjs's gives the subnormal 1.0e-38 here).
    expect(tf.exp(tf.tensor1d([-87.5, 0, 0, 0])).dataSync()[0]).toBe(0);
    // Sizes that are not a multiple of the four lanes, and tfjs's own below four; ints are tfjs's too.
    for (const n of [1, 3, 4, 5, 7, 9]) {
      const x = tf.linspace(-3, 3, n);
      const e = tf.exp(x).dataSync();
      x.dataSync().forEach((v, i) => expect(Math.abs(e[i]! - Math.exp(v))).toBeLessThanOrEqual(2.4e-7 * Math.exp(v)));
    }
    expect(
      Array.from(
        tf
          .exp(tf.tensor1d([0, 1, 0, 0, 2], 'int32'))
          .dataSync()
          .map((v) => Math.round(v * 1e4)),
      ),
    ).toEqual([1e4, 27183, 1e4, 1e4, 73891]);
  });

  it('sums the rows of a matrix (the last axis) in four lanes: within float error of float64, shapes kept', () => {
    const x = tf.randomNormal([3, 5, 2049], 0, 1, 'float32', 6);
    const values = x.dataSync();
    const rows = tf.sum(x, -1);
    expect(rows.shape).toEqual([3, 5]);
    const kept = tf.sum(x, 2, true);
    expect(kept.shape).toEqual([3, 5, 1]);
    const got = rows.dataSync();
    for (let r = 0; r < 15; r++) {
      let want = 0;
      for (let j = 0; j < 2049; j++) want += values[r * 2049 + j]!;
      expect(Math.abs(got[r]! - want)).toBeLessThan(1e-4);
      expect(kept.dataSync()[r]).toBe(got[r]);
    }
    // Rows shorter than four lanes, and of one element.
    expect(Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 1).dataSync())).toEqual([6, 15]);
    expect(Array.from(tf.sum(tf.tensor2d([1, 2], [2, 1]), 1).dataSync())).toEqual([1, 2]);
    tf.dispose([x, rows, kept]);
  });

  it('slices and splits any rank through a view of the heap: the values in place, every dtype but strings', () => {
    const x = tf.reshape(tf.range(0, 2 * 3 * 4 * 5, 1, 'int32'), [2, 3, 4, 5]);
    const at = (i: number, j: number, k: number, l: number) => ((i * 3 + j) * 4 + k) * 5 + l;
    // Every element of a slice is the input's at its place: inner runs, a contiguous block, one element.
    for (const [begin, size] of [
      [
        [1, 0, 1, 2],
        [1, 3, 2, 3],
      ],
      [
        [0, 1, 0, 0],
        [2, 2, 4, 5],
      ],
      [
        [1, 1, 0, 0],
        [1, 1, 4, 5],
      ],
      [
        [1, 2, 3, 4],
        [1, 1, 1, 1],
      ],
    ]) {
      const got = Array.from(tf.slice(x, begin, size).dataSync());
      const want: number[] = [];
      for (let i = 0; i < size[0]!; i++)
        for (let j = 0; j < size[1]!; j++)
          for (let k = 0; k < size[2]!; k++)
            for (let l = 0; l < size[3]!; l++)
              want.push(at(begin[0]! + i, begin[1]! + j, begin[2]! + k, begin[3]! + l));
      expect(got).toEqual(want);
    }
    // Splits along each axis put the parts back together; a float matrix split by columns, bools too.
    const splits: Array<number | number[]> = [2, 3, 2, [2, 3]];
    for (let axis = 0; axis < 4; axis++) {
      const parts = tf.split(x, splits[axis]!, axis);
      expect(Array.from(tf.concat(parts, axis).dataSync())).toEqual(Array.from(x.dataSync()));
    }
    const m = tf.randomNormal([7, 9], 0, 1, 'float32', 2);
    const [left, right] = tf.split(m, [4, 5], 1);
    const rows = m.arraySync() as number[][];
    expect(left!.arraySync()).toEqual(rows.map((r) => r.slice(0, 4)));
    expect(right!.arraySync()).toEqual(rows.map((r) => r.slice(4)));
    expect(Array.from(tf.slice(tf.tensor1d([true, false, true], 'bool'), [1], [2]).dataSync())).toEqual([0, 1]);
    expect(tf.slice(m, [2, 0], [0, 9]).shape).toEqual([0, 9]);
  });

  it('registering again keeps one of each (no kernel of ours wraps another)', () => {
    const names = ['Identity', 'Sum', 'GatherV2', 'BatchMatMul', 'Exp', 'Slice', 'SplitV'];
    const before = names.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc);
    registerWasmKernels();
    expect(names.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc)).toEqual(before);
    expect(Array.from(tf.sum(tf.ones([2, 2]), 0).dataSync())).toEqual([2, 2]);
  });
});
