import { eigentrustEpoch, type EigentrustParams, type EigentrustResult } from './eigentrust.js';
import type { CsrMatrix } from './sparse.js';
import { addScaledVector } from './vector.js';
import { yumaEpoch, type YumaParams, type YumaResult } from './yuma.js';

/** The mechanisms the ledger can run. */
export const MECHANISM_NAMES = ['yuma', 'eigentrust'] as const;
export type MechanismName = (typeof MECHANISM_NAMES)[number];

interface CommonRequest {
  stake: Float64Array;
  weights: CsrMatrix;
  /** Epochs to run in a row, >= 1; each adds emission * E to the stake. */
  blocks: number;
}

export interface YumaRequest extends CommonRequest {
  mechanism: 'yuma';
  params: YumaParams;
  bonds?: CsrMatrix | undefined;
  active?: boolean[] | undefined;
}

export interface EigentrustRequest extends CommonRequest {
  mechanism: 'eigentrust';
  params: EigentrustParams;
  selfWeights: Float64Array;
}

export type EpochRequest = YumaRequest | EigentrustRequest;

export type EpochsOutcome =
  | { mechanism: 'yuma'; last: YumaResult; stake: Float64Array }
  | { mechanism: 'eigentrust'; last: EigentrustResult; stake: Float64Array };

/** Runs `blocks` epochs, adding each epoch's emission to the stake and carrying the bonds forward. */
export function runEpochs(request: EpochRequest): EpochsOutcome {
  if (request.mechanism === 'eigentrust') {
    const { selfWeights, weights, params } = request;
    const run = repeat(request, (stake) => eigentrustEpoch({ stake, selfWeights, weights }, params));
    return { mechanism: 'eigentrust', ...run };
  }
  const { weights, active, params } = request;
  let bonds = request.bonds;
  const run = repeat(request, (stake) => {
    const result = yumaEpoch({ stake, weights, bonds, active }, params);
    bonds = result.bonds;
    return result;
  });
  return { mechanism: 'yuma', ...run };
}

function repeat<R extends { emission: Float64Array }>(
  request: CommonRequest,
  epoch: (stake: Float64Array) => R,
): { last: R; stake: Float64Array } {
  let last = epoch(request.stake);
  let stake = addScaledVector(request.stake, 1, last.emission);
  for (let b = 1; b < request.blocks; b++) {
    last = epoch(stake);
    stake = addScaledVector(stake, 1, last.emission);
  }
  return { last, stake };
}
