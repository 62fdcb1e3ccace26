import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addScaled,
  columnNormalize,
  columnSums,
  CsrBuilder,
  csrFromDense,
  csrFromRows,
  csrToDense,
  csrToRows,
  multiply,
  nnz,
  transposeMultiply,
} from '../../../src/ledger/mechanism/index.js';

const matrix = (n: number, m: number) =>
  fc.array(
    fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5, noNaN: true })), { minLength: m, maxLength: m }),
    { minLength: n, maxLength: n },
  );
const square = fc.integer({ min: 0, max: 7 }).chain((n) => matrix(n, n));

describe('CsrBuilder', () => {
  it('sorts each row, drops zeros and reports a repeated column', () => {
    const b = new CsrBuilder(2, 4);
    expect(b.addRow([3, 0, 2], [1.5, 2, 0])).toBe(-1);
    expect(b.addRow([1, 3, 1], [1, 1, 2])).toBe(2);
    expect(b.addRow([1], [4])).toBe(-1);
    const m = b.build();
    expect(csrToRows(m)).toEqual([
      [
        [0, 2],
        [3, 1.5],
      ],
      [[1, 4]],
    ]);
  });

  it('grows past its initial capacity', () => {
    const b = new CsrBuilder(3, 100, 1);
    for (let i = 0; i < 3; i++) b.addRow([...Array(100).keys()], Array(100).fill(i + 1));
    expect(nnz(b.build())).toBe(300);
  });
});

describe('CSR conversions and products', () => {
  it('round-trips dense and row formats', () => {
    fc.assert(
      fc.property(square, (dense) => {
        const m = csrFromDense(dense);
        expect(csrToDense(m)).toEqual(dense.map((row) => row.map((v) => v)));
        expect(csrToDense(csrFromRows(csrToRows(m), dense.length))).toEqual(csrToDense(m));
      }),
    );
  });

  it('multiplies like the dense definitions', () => {
    fc.assert(
      fc.property(
        square.chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: d.length, maxLength: d.length }),
          ),
        ),
        ([dense, x]) => {
          const m = csrFromDense(dense);
          const y = multiply(m, Float64Array.from(x));
          const yt = transposeMultiply(m, Float64Array.from(x));
          dense.forEach((row, i) =>
            expect(y[i]).toBeCloseTo(
              row.reduce((s, v, j) => s + v * x[j]!, 0),
              10,
            ),
          );
          x.forEach((_, j) =>
            expect(yt[j]).toBeCloseTo(
              dense.reduce((s, row, i) => s + row[j]! * x[i]!, 0),
              10,
            ),
          );
        },
      ),
    );
  });

  it('adds over the union of patterns and normalizes columns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(matrix(n, n), matrix(n, n))),
        ([a, b]) => {
          const sum = csrToDense(addScaled(csrFromDense(a), 0.25, csrFromDense(b), 0.75));
          sum.forEach((row, i) =>
            row.forEach((v, j) => expect(v).toBeCloseTo(0.25 * a[i]![j]! + 0.75 * b[i]![j]!, 12)),
          );
          const normalized = columnNormalize(csrFromDense(a));
          columnSums(normalized).forEach((s, j) => {
            const empty = a.every((row) => row[j] === 0);
            expect(s).toBeCloseTo(empty ? 0 : 1, 12);
          });
        },
      ),
    );
  });

  it('rejects adding matrices of different shapes', () => {
    expect(() =>
      addScaled(
        csrFromDense([[1]]),
        1,
        csrFromDense([
          [1, 0],
          [0, 1],
        ]),
        1,
      ),
    ).toThrow(RangeError);
  });
});
