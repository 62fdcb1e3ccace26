import { columnSums, emptyCsr, multiply, nnz, transposeMultiply, type CsrMatrix } from './sparse.js';
import { hadamard, isAllZero, normalize, stakeShare, sum } from './vector.js';
import { detExp } from './det-math.js';

/** Parameters of the Yuma consensus epoch (the whitepaper's incentive mechanism). */
export interface YumaParams {
  /** Steepness of the consensus sigmoid. Default 10. */
  rho: number;
  /** Trust at which consensus is 0.5 (the majority threshold). Default 0.5. */
  kappa: number;
  /** Share of this epoch's bonds in the moving average of bonds, in [0, 1]. Default 0.1. */
  bondsAlpha: number;
  /** A weight counts as trust only when it is above this (after row normalization). Default 0. */
  trustThreshold: number;
  /** Tokens minted per epoch. Default 1. */
  emission: number;
}

export const DEFAULT_YUMA_PARAMS: Readonly<YumaParams> = Object.freeze({
  rho: 10,
  kappa: 0.5,
  bondsAlpha: 0.1,
  trustThreshold: 0,
  emission: 1,
});

/** What one epoch reads. Vectors have length n; matrices are n x n. */
export interface YumaInput {
  /** Stake per peer, >= 0. */
  stake: ArrayLike<number>;
  /** Row i holds the weights peer i set, entries >= 0. */
  weights: CsrMatrix;
  /** Bonds carried from the previous epoch; none when absent. */
  bonds?: CsrMatrix | undefined;
  /** Which peers count (default all); an inactive peer's weights have no effect. */
  active?: ArrayLike<boolean> | undefined;
}

/** What one epoch produces; every vector has length n, every entry finite and >= 0. */
export interface YumaResult {
  rank: Float64Array;
  trust: Float64Array;
  consensus: Float64Array;
  incentive: Float64Array;
  dividends: Float64Array;
  /** Each peer's share of this epoch's emission; sums to 1 (when n > 0). */
  emissionShare: Float64Array;
  /** emissionShare * params.emission. */
  emission: Float64Array;
  /** The bonds to carry into the next epoch (column-normalized). */
  bonds: CsrMatrix;
  /** Consensus loss -R . (C - 0.5): positive while rank flows to peers without majority trust. */
  loss: number;
}

/**
 * One epoch of the incentive mechanism. Costs O(n + nnz(weights) + nnz(bonds)).
 *
 * Steps, as in the ledger spec: active stake a; row-normalized weights without self-weights;
 * rank R = normalize(W^T a); trust T_j = sum_i a_i [W_ij > threshold]; consensus C = sigmoid(rho (T - kappa));
 * incentive I = normalize(R C); bonds as a moving average of column-normalized W_ij a_i, bought only when
 * active voters with at least kappa of all stake have set weights; dividends D = normalize(B' I); emission
 * share E = normalize(I + D).
 */
export function yumaEpoch(input: YumaInput, params: YumaParams = DEFAULT_YUMA_PARAMS): YumaResult {
  const n = input.stake.length;
  const { rho, kappa, bondsAlpha, trustThreshold } = params;

  const s = stakeShare(input.stake);
  const a = input.active ? normalize(s.map((v, i) => (input.active?.[i] ? v : 0))) : s;

  const w = withoutDiagonalRowNormalized(input.weights);

  // Rank and trust in one pass. The un-normalized rank is also the column sum of the bond deltas.
  const rankRaw = new Float64Array(n);
  const trust = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let k = w.rowPtr[i], end = w.rowPtr[i + 1]; k < end; k++) {
      const j = w.colIdx[k];
      const v = w.values[k];
      rankRaw[j] += ai * v;
      if (v > trustThreshold) trust[j] += ai;
    }
  }
  const rank = normalize(rankRaw);

  const consensus = new Float64Array(n);
  for (let j = 0; j < n; j++) consensus[j] = 1 / (1 + detExp(-rho * (trust[j] - kappa)));
  const incentive = normalize(hadamard(rank, consensus));

  // Bonds are bought only once active voters holding kappa of all stake have set weights (a neuron that has
  // not voted yet is not active, so the active stake alone would let the first voter be its own majority). A
  // peer that votes before the others (it evaluates nothing, say) would otherwise own every column's bonds
  // alone, take all the dividends (half the emission) meanwhile, and the bonds' moving average would keep
  // paying it for dozens of epochs after the others vote.
  let voted = 0;
  for (let i = 0; i < n; i++) if (a[i] > 0 && w.rowPtr[i + 1] > w.rowPtr[i]) voted += s[i];
  const previous = input.bonds ?? emptyCsr(n, n);
  const bonds =
    voted >= kappa
      ? updateBonds(w, a, rankRaw, previous, bondsAlpha)
      : updateBonds(w, new Float64Array(n), new Float64Array(n), previous, bondsAlpha);

  const dividends = normalize(multiply(bonds, incentive));

  let emissionShare = normalize(incentive.map((v, i) => v + dividends[i]));
  if (isAllZero(emissionShare)) emissionShare = isAllZero(a) ? s : a;
  const emission = emissionShare.map((v) => v * params.emission);

  let loss = 0;
  for (let j = 0; j < n; j++) loss -= rank[j] * (consensus[j] - 0.5);

  return { rank, trust, consensus, incentive, dividends, emissionShare, emission, bonds, loss };
}

/** The naive ranking the whitepaper starts from: emission share R = normalize(W^T s), no consensus term. */
export function naiveRank(stake: ArrayLike<number>, weights: CsrMatrix): Float64Array {
  const s = stakeShare(stake);
  const e = normalize(transposeMultiply(withoutDiagonalRowNormalized(weights), s));
  return isAllZero(e) ? s : e;
}

/**
 * B' = column-normalize(alpha * column-normalize(dB) + (1 - alpha) * column-normalize(B)) with dB_ij = W_ij a_i,
 * fused into one merge of W's and B's rows. `deltaColumnSums` is the column sums of dB, which the caller
 * already has as the un-normalized rank.
 *
 * Both terms are column-normalized already, so the outer normalization only rescales each column by
 * 1 / (alpha [dB_j != 0] + (1 - alpha) [B_j != 0]). Folding that into per-column mixing factors gives the
 * same matrix without another pass, and stays exact when alpha is tiny (a literal alpha * x then / sum
 * would round subnormal products to 0 and distort whole columns).
 */
function updateBonds(
  w: CsrMatrix,
  a: Float64Array,
  deltaColumnSums: Float64Array,
  b: CsrMatrix,
  alpha: number,
): CsrMatrix {
  const n = w.rows;
  const previousColumnSums = columnSums(b);
  const deltaMix = new Float64Array(n);
  const previousMix = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const d = deltaColumnSums[j] > 0 ? alpha : 0;
    const p = previousColumnSums[j] > 0 ? 1 - alpha : 0;
    if (d + p === 0) continue;
    // The shares only: each entry is divided by its column sum below, since 1 / a subnormal sum overflows.
    deltaMix[j] = d / (d + p);
    previousMix[j] = p / (d + p);
  }
  // First pass: the size of each merged row (W's rows of inactive voters contribute nothing).
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const wEnd = a[i] === 0 ? w.rowPtr[i] : w.rowPtr[i + 1];
    rowPtr[i + 1] = rowPtr[i] + mergedLength(w.colIdx, w.rowPtr[i], wEnd, b.colIdx, b.rowPtr[i], b.rowPtr[i + 1]);
  }
  const colIdx = new Int32Array(rowPtr[n]);
  const values = new Float64Array(rowPtr[n]);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const ai = a[i];
    let p = w.rowPtr[i];
    const pEnd = ai === 0 ? p : w.rowPtr[i + 1];
    let q = b.rowPtr[i];
    const qEnd = b.rowPtr[i + 1];
    while (p < pEnd || q < qEnd) {
      const jw = p < pEnd ? w.colIdx[p] : n;
      const jb = q < qEnd ? b.colIdx[q] : n;
      const j = jw < jb ? jw : jb;
      let v = 0;
      if (jw === j) v += ((ai * w.values[p++]) / (deltaColumnSums[j] || 1)) * deltaMix[j];
      if (jb === j) v += (b.values[q++] / (previousColumnSums[j] || 1)) * previousMix[j];
      if (v > 0) {
        colIdx[size] = j;
        values[size++] = v;
      }
    }
    rowPtr[i + 1] = size;
  }
  return size === values.length
    ? { rows: n, cols: n, rowPtr, colIdx, values }
    : { rows: n, cols: n, rowPtr, colIdx: colIdx.slice(0, size), values: values.slice(0, size) };
}

/** Number of distinct columns in the union of two sorted index ranges. */
function mergedLength(x: Int32Array, p: number, pEnd: number, y: Int32Array, q: number, qEnd: number): number {
  let count = 0;
  while (p < pEnd && q < qEnd) {
    const d = x[p] - y[q];
    if (d <= 0) p++;
    if (d >= 0) q++;
    count++;
  }
  return count + (pEnd - p) + (qEnd - q);
}

/** W with the diagonal removed and each row divided by its sum (all-zero rows stay empty). */
export function withoutDiagonalRowNormalized(m: CsrMatrix): CsrMatrix {
  const rowPtr = new Int32Array(m.rows + 1);
  const colIdx = new Int32Array(nnz(m));
  const values = new Float64Array(nnz(m));
  let size = 0;
  for (let i = 0; i < m.rows; i++) {
    const start = size;
    for (let k = m.rowPtr[i], end = m.rowPtr[i + 1]; k < end; k++) {
      const j = m.colIdx[k];
      if (j === i) continue;
      colIdx[size] = j;
      values[size++] = m.values[k];
    }
    const rowSum = sum(values.subarray(start, size));
    let kept = start;
    for (let k = start; k < size; k++) {
      const v = values[k] / rowSum;
      if (v > 0) {
        colIdx[kept] = colIdx[k];
        values[kept++] = v;
      }
    }
    size = kept;
    rowPtr[i + 1] = size;
  }
  if (size === values.length) return { rows: m.rows, cols: m.cols, rowPtr, colIdx, values };
  return { rows: m.rows, cols: m.cols, rowPtr, colIdx: colIdx.slice(0, size), values: values.slice(0, size) };
}
