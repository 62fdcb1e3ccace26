import { addScaled, columnNormalize, emptyCsr, multiply, nnz, transposeMultiply, type CsrMatrix } from './sparse.js';
import { hadamard, isAllZero, normalize, stakeShare, sum } from './vector.js';

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
 * incentive I = normalize(R C); bonds as a moving average of column-normalized W_ij a_i; dividends
 * D = normalize(B' I); emission share E = normalize(I + D).
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
  const bondDelta = new Float64Array(nnz(w));
  for (let i = 0; i < n; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let k = w.rowPtr[i], end = w.rowPtr[i + 1]; k < end; k++) {
      const j = w.colIdx[k];
      const v = w.values[k];
      const d = ai * v;
      bondDelta[k] = d;
      rankRaw[j] += d;
      if (v > trustThreshold) trust[j] += ai;
    }
  }
  const rank = normalize(rankRaw);

  const consensus = new Float64Array(n);
  for (let j = 0; j < n; j++) consensus[j] = 1 / (1 + Math.exp(-rho * (trust[j] - kappa)));
  const incentive = normalize(hadamard(rank, consensus));

  const deltaBonds = columnNormalize({ ...w, values: bondDelta });
  const previous = input.bonds ? columnNormalize(input.bonds) : emptyCsr(n, n);
  const bonds = columnNormalize(addScaled(deltaBonds, bondsAlpha, previous, 1 - bondsAlpha));

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
  return { rows: m.rows, cols: m.cols, rowPtr, colIdx: colIdx.slice(0, size), values: values.slice(0, size) };
}
