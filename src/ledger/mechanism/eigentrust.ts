import { multiply, type CsrMatrix } from './sparse.js';
import { isAllZero, normalize, stakeShare } from './vector.js';

/** Parameters of the seed README's EigenTrust-style emission. */
export interface EigentrustParams {
  /** Power-iteration steps. Default 100. */
  depth: number;
  /** Tokens minted per epoch. Default 1. */
  emission: number;
}

export const DEFAULT_EIGENTRUST_PARAMS: Readonly<EigentrustParams> = Object.freeze({ depth: 100, emission: 1 });

export interface EigentrustInput {
  /** Raw stake per peer, >= 0. */
  stake: ArrayLike<number>;
  /** Lii: each peer's attribution to itself. */
  selfWeights: ArrayLike<number>;
  /** Lij: attribution matrix, used as given. */
  weights: CsrMatrix;
}

export interface EigentrustResult {
  /** dL / |dL|_1; falls back to the stake share (uniform when no stake) when dL is all zero. */
  emissionShare: Float64Array;
  emission: Float64Array;
}

/** Above this the iterate is rescaled; the result is scale-free, so this only keeps numbers finite. */
const RESCALE_ABOVE = 1e100;

/**
 * The 2019 emission: dL = S Lii; T = Lij S; repeat depth times { dL += T Lii; T = Lij T }; E = dL / |dL|_1.
 * Costs O(depth * (n + nnz)).
 */
export function eigentrustEpoch(
  input: EigentrustInput,
  params: EigentrustParams = DEFAULT_EIGENTRUST_PARAMS,
): EigentrustResult {
  const { stake, selfWeights: lii, weights } = input;
  const n = stake.length;
  const dl = new Float64Array(n);
  for (let i = 0; i < n; i++) dl[i] = stake[i] * lii[i];
  let t = multiply(weights, Float64Array.from(stake));
  for (let step = 0; step < params.depth; step++) {
    let largest = 0;
    for (let i = 0; i < n; i++) {
      dl[i] += t[i] * lii[i];
      if (dl[i] > largest) largest = dl[i];
    }
    t = multiply(weights, t);
    for (let i = 0; i < n; i++) if (t[i] > largest) largest = t[i];
    // dL and T enter later steps only linearly, so scaling both leaves dL / |dL|_1 unchanged.
    if (largest > RESCALE_ABOVE) {
      for (let i = 0; i < n; i++) {
        dl[i] /= largest;
        t[i] /= largest;
      }
    }
  }
  let emissionShare = normalize(dl);
  if (isAllZero(emissionShare)) emissionShare = stakeShare(stake);
  return { emissionShare, emission: emissionShare.map((v) => v * params.emission) };
}
