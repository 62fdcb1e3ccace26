import { InvalidInputError } from '../../shared/errors.js';
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

/**
 * A result came out NaN or infinite: float64 cannot hold some intermediate value of these inputs (entries
 * near 1e308, or subnormal ones near 1e-308). The field is "input": no single input field is to blame.
 */
export class NonFiniteResultError extends InvalidInputError {
  override name = 'NonFiniteResultError';

  constructor(
    readonly output: string,
    readonly epoch: number,
    inputs: string,
  ) {
    super(
      'input',
      `the ${output} of epoch ${epoch} is not finite: some numbers are too large or too small to compute with; ` +
        `scale ${inputs} toward 1`,
    );
  }
}

/**
 * Runs `blocks` epochs, adding each epoch's emission to the stake and carrying the bonds forward.
 * Throws NonFiniteResultError rather than return a NaN or infinite number.
 */
export function runEpochs(request: EpochRequest): EpochsOutcome {
  if (request.mechanism === 'eigentrust') {
    const { selfWeights, weights, params } = request;
    const inputs = 'stake, selfWeights and weights';
    const run = repeat(request, inputs, (stake) => eigentrustEpoch({ stake, selfWeights, weights }, params));
    checkFinite({ emissionShare: run.last.emissionShare }, request.blocks, inputs);
    return { mechanism: 'eigentrust', ...run };
  }
  const { weights, active, params } = request;
  const inputs = 'stake, weights and bonds';
  let bonds = request.bonds;
  const run = repeat(request, inputs, (stake) => {
    const result = yumaEpoch({ stake, weights, bonds, active }, params);
    bonds = result.bonds;
    return result;
  });
  const { rank, trust, consensus, incentive, dividends, emissionShare, loss } = run.last;
  const outputs = { rank, trust, consensus, incentive, dividends, emissionShare, bonds: run.last.bonds.values };
  checkFinite({ ...outputs, loss: [loss] }, request.blocks, inputs);
  return { mechanism: 'yuma', ...run };
}

function repeat<R extends { emission: Float64Array }>(
  request: CommonRequest,
  inputs: string,
  epoch: (stake: Float64Array) => R,
): { last: R; stake: Float64Array } {
  let stake = request.stake;
  let last: R | undefined;
  for (let b = 1; b <= request.blocks; b++) {
    last = epoch(stake);
    stake = addScaledVector(stake, 1, last.emission);
    // A NaN in any step reaches the emission, and the emission is all that feeds the next epoch but the bonds.
    checkFinite({ emission: last.emission, stake }, b, inputs);
  }
  if (last === undefined) throw new RangeError('runEpochs: blocks must be at least 1');
  return { last, stake };
}

function checkFinite(outputs: Record<string, ArrayLike<number>>, epoch: number, inputs: string): void {
  for (const [name, values] of Object.entries(outputs)) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new NonFiniteResultError(name, epoch, inputs);
    }
  }
}
