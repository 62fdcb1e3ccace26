/**
 * Compressed sparse row (CSR) matrices over typed arrays: the storage for weights and bonds, so that an
 * epoch costs time in proportion to the number of non-zero entries rather than n².
 *
 * Invariants every function here keeps and relies on: column indices are strictly increasing within a
 * row (so no duplicates) and every stored value is finite and > 0.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row i's entries are at positions rowPtr[i] .. rowPtr[i + 1] - 1; length rows + 1. */
  readonly rowPtr: Int32Array;
  /** Column index of each stored entry; strictly increasing within a row. */
  readonly colIdx: Int32Array;
  /** Value of each stored entry; finite and > 0. */
  readonly values: Float64Array;
}

/** Number of stored (non-zero) entries. */
export function nnz(m: CsrMatrix): number {
  return m.rowPtr[m.rows];
}

/** A rows x cols matrix with no entries. */
export function emptyCsr(rows: number, cols: number): CsrMatrix {
  return { rows, cols, rowPtr: new Int32Array(rows + 1), colIdx: new Int32Array(0), values: new Float64Array(0) };
}

/**
 * Builds a CSR matrix row by row. Rows may list their entries in any order; zeros are dropped.
 * Callers validate values and column ranges first: the builder reports only what it alone can see,
 * a column listed twice in one row.
 */
export class CsrBuilder {
  private readonly rowPtr: Int32Array;
  private colIdx: Int32Array;
  private values: Float64Array;
  private row = 0;
  private size = 0;

  constructor(
    readonly rows: number,
    readonly cols: number,
    capacity = 16,
  ) {
    this.rowPtr = new Int32Array(rows + 1);
    this.colIdx = new Int32Array(Math.max(capacity, 1));
    this.values = new Float64Array(Math.max(capacity, 1));
  }

  /**
   * Appends the next row.
   * @returns the position (in the given arrays) of an entry whose column was already listed, or -1.
   */
  addRow(cols: ArrayLike<number>, values: ArrayLike<number>): number {
    if (this.row >= this.rows) throw new RangeError(`CsrBuilder: more than ${this.rows} rows`);
    const start = this.size;
    this.reserve(start + cols.length);
    let sorted = true;
    let last = -1;
    for (let k = 0; k < cols.length; k++) {
      const v = values[k];
      if (v === 0) continue;
      const c = cols[k];
      if (c <= last) sorted = false;
      last = c;
      this.colIdx[this.size] = c;
      this.values[this.size] = v;
      this.size++;
    }
    if (!sorted) {
      const dup = this.sortRow(start, this.size);
      if (dup >= 0) {
        this.size = start;
        return indexOfSecond(cols, values, dup);
      }
    }
    this.row++;
    this.rowPtr[this.row] = this.size;
    return -1;
  }

  build(): CsrMatrix {
    while (this.row < this.rows) this.rowPtr[++this.row] = this.size;
    return {
      rows: this.rows,
      cols: this.cols,
      rowPtr: this.rowPtr,
      colIdx: this.colIdx.slice(0, this.size),
      values: this.values.slice(0, this.size),
    };
  }

  private reserve(capacity: number): void {
    if (capacity <= this.colIdx.length) return;
    const next = Math.max(capacity, this.colIdx.length * 2);
    const colIdx = new Int32Array(next);
    colIdx.set(this.colIdx.subarray(0, this.size));
    const values = new Float64Array(next);
    values.set(this.values.subarray(0, this.size));
    this.colIdx = colIdx;
    this.values = values;
  }

  /** Sorts entries [start, end) by column; returns a duplicated column, or -1. */
  private sortRow(start: number, end: number): number {
    const order = Array.from({ length: end - start }, (_, k) => start + k);
    const colIdx = this.colIdx;
    order.sort((x, y) => colIdx[x] - colIdx[y]);
    const cols = order.map((k) => colIdx[k]);
    const vals = order.map((k) => this.values[k]);
    for (let k = 0; k < cols.length; k++) {
      if (k > 0 && cols[k] === cols[k - 1]) return cols[k];
      colIdx[start + k] = cols[k];
      this.values[start + k] = vals[k];
    }
    return -1;
  }
}

function indexOfSecond(cols: ArrayLike<number>, values: ArrayLike<number>, col: number): number {
  let seen = false;
  for (let k = 0; k < cols.length; k++) {
    if (cols[k] !== col || values[k] === 0) continue;
    if (seen) return k;
    seen = true;
  }
  return -1;
}

/** Builds a CSR matrix from a dense array of rows (a trusted, already validated input). */
export function csrFromDense(dense: ReadonlyArray<ArrayLike<number>>, cols = dense.length): CsrMatrix {
  const b = new CsrBuilder(dense.length, cols);
  const allCols = Array.from({ length: cols }, (_, j) => j);
  for (const row of dense) b.addRow(allCols, row);
  return b.build();
}

/** Builds a CSR matrix from rows of [column, value] pairs (a trusted, already validated input). */
export function csrFromRows(
  rows: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  cols = rows.length,
): CsrMatrix {
  const b = new CsrBuilder(rows.length, cols);
  for (const row of rows) {
    const dup = b.addRow(
      row.map((e) => e[0]),
      row.map((e) => e[1]),
    );
    if (dup >= 0) throw new RangeError(`csrFromRows: column ${row[dup]?.[0]} listed twice in one row`);
  }
  return b.build();
}

/** The matrix as dense rows. */
export function csrToDense(m: CsrMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(m.cols).fill(0);
    for (let k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) row[m.colIdx[k]] = m.values[k];
    out.push(row);
  }
  return out;
}

/** The matrix as rows of [column, value] pairs, columns ascending. */
export function csrToRows(m: CsrMatrix): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (let i = 0; i < m.rows; i++) {
    const row: Array<[number, number]> = [];
    for (let k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) row.push([m.colIdx[k], m.values[k]]);
    out.push(row);
  }
  return out;
}

/** y = M x (y_i = sum_j M_ij x_j). */
export function multiply(m: CsrMatrix, x: Float64Array): Float64Array {
  const { rowPtr, colIdx, values } = m;
  const y = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let acc = 0;
    for (let k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
      acc += values[k] * x[colIdx[k]];
    }
    y[i] = acc;
  }
  return y;
}

/** y = M^T x (y_j = sum_i x_i M_ij). */
export function transposeMultiply(m: CsrMatrix, x: Float64Array): Float64Array {
  const { rowPtr, colIdx, values } = m;
  const y = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
      const j = colIdx[k];
      y[j] = y[j] + xi * values[k];
    }
  }
  return y;
}

/** Sum of each column. */
export function columnSums(m: CsrMatrix): Float64Array {
  const { colIdx, values } = m;
  const sums = new Float64Array(m.cols);
  const end = nnz(m);
  for (let k = 0; k < end; k++) {
    const j = colIdx[k];
    sums[j] = sums[j] + values[k];
  }
  return sums;
}

/** M with every column divided by its sum (all-zero columns stay empty). */
export function columnNormalize(m: CsrMatrix): CsrMatrix {
  // Divides rather than multiplying by 1 / sum: a subnormal sum has no finite reciprocal.
  const sums = columnSums(m);
  const { rowPtr, colIdx, values } = m;
  const outPtr = new Int32Array(m.rows + 1);
  const outCol = new Int32Array(nnz(m));
  const outVal = new Float64Array(nnz(m));
  let size = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
      const j = colIdx[k];
      const v = values[k] / sums[j];
      if (v > 0) {
        outCol[size] = j;
        outVal[size++] = v;
      }
    }
    outPtr[i + 1] = size;
  }
  return trimmed(m.rows, m.cols, outPtr, outCol, outVal, size);
}

/**
 * alpha * A + beta * B over the union of their patterns, dropping entries that are 0. A and B must
 * have the same shape.
 */
export function addScaled(a: CsrMatrix, alpha: number, b: CsrMatrix, beta: number): CsrMatrix {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError('addScaled: shapes differ');
  const cap = nnz(a) + nnz(b);
  const outPtr = new Int32Array(a.rows + 1);
  const outCol = new Int32Array(cap);
  const outVal = new Float64Array(cap);
  let size = 0;
  for (let i = 0; i < a.rows; i++) {
    let p = a.rowPtr[i];
    const pEnd = a.rowPtr[i + 1];
    let q = b.rowPtr[i];
    const qEnd = b.rowPtr[i + 1];
    while (p < pEnd || q < qEnd) {
      const ja = p < pEnd ? a.colIdx[p] : a.cols;
      const jb = q < qEnd ? b.colIdx[q] : b.cols;
      let v: number;
      let j: number;
      if (ja === jb) {
        j = ja;
        v = alpha * a.values[p++] + beta * b.values[q++];
      } else if (ja < jb) {
        j = ja;
        v = alpha * a.values[p++];
      } else {
        j = jb;
        v = beta * b.values[q++];
      }
      if (v > 0) {
        outCol[size] = j;
        outVal[size++] = v;
      }
    }
    outPtr[i + 1] = size;
  }
  return trimmed(a.rows, a.cols, outPtr, outCol, outVal, size);
}

function trimmed(
  rows: number,
  cols: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  size: number,
): CsrMatrix {
  if (size === colIdx.length) return { rows, cols, rowPtr, colIdx, values };
  return { rows, cols, rowPtr, colIdx: colIdx.slice(0, size), values: values.slice(0, size) };
}
