import { describe, expect, it } from 'vitest';
import { csrFromDense, eigentrustEpoch, runEpochs } from '../../../src/ledger/mechanism/index.js';

// The seed README's 10-peer example. Expected values: numpy running the README's code as written
// (test/fixtures/eigentrust-seed.py).
const S = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
const Lii = [0.6, 0.9, 0.4, 0.5, 0.5, 0.5, 1, 1, 1, 1];
const zero = Array<number>(10).fill(0);
const Lij = [
  [0, 0.1, 0.3, 0.2, 0, 0, 0, 0, 0, 0],
  [0.1, 0, 0, 0.1, 0, 0, 0, 0, 0, 0],
  [0.1, 0, 0, 0.2, 0, 0, 0, 0, 0, 0],
  [0.2, 0, 0.3, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0],
  [0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0],
  zero,
  zero,
  zero,
  zero,
];
const NUMPY_FIRST_SHARE = [
  0.21219405767781352, 0.2168511245983577, 0.09861028468668596, 0.13901119970380948, 0.10370370370370369,
  0.09629629629629627, 0.06666666666666667, 0.044444444444444446, 0.022222222222222223, 0.0,
];
const NUMPY_STAKE_AFTER_100_BLOCKS = [
  975.8989354296266, 1502.5056858397024, 303.1093450305189, 581.8193670334852, 507.23049846553573, 501.76950153446387,
  336.3333333333332, 224.22222222222265, 112.11111111111133, 0.0,
];

describe('eigentrust (the 2019 emission)', () => {
  it("reproduces the seed README's example, one block", () => {
    const r = eigentrustEpoch({ stake: S, selfWeights: Lii, weights: csrFromDense(Lij) }, { depth: 100, emission: 50 });
    r.emissionShare.forEach((v, i) => expect(v).toBeCloseTo(NUMPY_FIRST_SHARE[i]!, 12));
    r.emission.forEach((v, i) => expect(v).toBeCloseTo(50 * NUMPY_FIRST_SHARE[i]!, 10));
  });

  it("reproduces the seed README's example over 100 blocks of 50 tokens", () => {
    const out = runEpochs({
      mechanism: 'eigentrust',
      stake: Float64Array.from(S),
      selfWeights: Float64Array.from(Lii),
      weights: csrFromDense(Lij),
      blocks: 100,
      params: { depth: 100, emission: 50 },
    });
    out.stake.forEach((v, i) => expect(v).toBeCloseTo(NUMPY_STAKE_AFTER_100_BLOCKS[i]!, 8));
  });

  it('stays finite when the attribution matrix amplifies (values rescaled, shares unchanged)', () => {
    const big = csrFromDense([
      [0, 50],
      [50, 0],
    ]);
    const r = eigentrustEpoch({ stake: [1, 3], selfWeights: [1, 1], weights: big }, { depth: 400, emission: 1 });
    expect(r.emissionShare.every(Number.isFinite)).toBe(true);
    expect(r.emissionShare[0]! + r.emissionShare[1]!).toBeCloseTo(1, 12);
    const small = eigentrustEpoch({ stake: [1, 3], selfWeights: [1, 1], weights: big }, { depth: 20, emission: 1 });
    expect(r.emissionShare[0]).toBeCloseTo(small.emissionShare[0]!, 12);
  });

  it('falls back to the stake share when nothing is attributed', () => {
    const none = csrFromDense([
      [0, 0],
      [0, 0],
    ]);
    expect(Array.from(eigentrustEpoch({ stake: [1, 3], selfWeights: [0, 0], weights: none }).emissionShare)).toEqual([
      0.25, 0.75,
    ]);
  });
});
