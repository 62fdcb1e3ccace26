import type { YumaResult } from '../../../src/ledger/mechanism/yuma.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatEpochOutcome,
  MAX_EPOCH_BLOCKS,
  NonFiniteResultError,
  parseEpochRequest,
  runEpochs,
} from '../../../src/ledger/mechanism/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

const ok = {
  stake: [1, 2],
  weights: [
    [0, 1],
    [1, 0],
  ],
};

function rejection(input: unknown): InvalidInputError {
  try {
    parseEpochRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected the request to be rejected');
}

function fieldOf(input: unknown): string {
  return rejection(input).field;
}

/** Every number a result prints, bonds included. */
function printedNumbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(printedNumbers);
  return [];
}

describe('parseEpochRequest', () => {
  it.each([
    ['not an object', [1, 2], 'input'],
    ['unknown mechanism', { ...ok, mechanism: 'pagerank' }, 'mechanism'],
    ['empty stake', { stake: [], weights: [] }, 'stake'],
    ['negative stake', { ...ok, stake: [1, -2] }, 'stake[1]'],
    ['non-numeric stake', { ...ok, stake: [1, '2'] }, 'stake[1]'],
    ['row count mismatch', { ...ok, weights: [[0, 1]] }, 'weights'],
    ['column count mismatch', { ...ok, weights: [[0, 1], [1]] }, 'weights[1]'],
    [
      'negative weight',
      {
        ...ok,
        weights: [
          [0, 1],
          [-1, 0],
        ],
      },
      'weights[1][0]',
    ],
    [
      'null weight',
      {
        ...ok,
        weights: [
          [0, null],
          [1, 0],
        ],
      },
      'weights[0][1]',
    ],
    ['out-of-range column', { ...ok, weights: { rows: [[[2, 1]], []] } }, 'weights.rows[0][0][0]'],
    ['fractional column', { ...ok, weights: { rows: [[[0.5, 1]], []] } }, 'weights.rows[0][0][0]'],
    [
      'repeated column',
      {
        ...ok,
        weights: {
          rows: [
            [
              [1, 1],
              [1, 2],
            ],
            [],
          ],
        },
      },
      'weights.rows[0][1][0]',
    ],
    ['bad pair', { ...ok, weights: { rows: [[[1]], []] } }, 'weights.rows[0][0]'],
    ['weights of the wrong type', { ...ok, weights: 'dense' }, 'weights'],
    [
      'bonds with a bad value',
      {
        ...ok,
        bonds: [
          [0, 1],
          [1, -0.5],
        ],
      },
      'bonds[1][1]',
    ],
    ['active not boolean', { ...ok, active: [true, 1] }, 'active[1]'],
    ['active too short', { ...ok, active: [true] }, 'active'],
    ['unknown parameter', { ...ok, params: { rh0: 3 } }, 'params.rh0'],
    ['bondsAlpha above 1', { ...ok, params: { bondsAlpha: 2 } }, 'params.bondsAlpha'],
    ['negative emission', { ...ok, params: { emission: -1 } }, 'params.emission'],
    [
      'fractional depth',
      { ...ok, mechanism: 'eigentrust', selfWeights: [1, 1], params: { depth: 2.5 } },
      'params.depth',
    ],
    ['eigentrust without selfWeights', { ...ok, mechanism: 'eigentrust' }, 'selfWeights'],
    ['zero blocks', { ...ok, blocks: 0 }, 'blocks'],
    ['an unknown field', { ...ok, stakes: [1, 2] }, 'stakes'],
    ['an unknown field beside known ones', { ...ok, blocks: 2, comment: 'x' }, 'comment'],
  ])('names the field for %s', (_name, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('lists the known fields when it refuses an unknown one, as it does for params', () => {
    expect(rejection({ ...ok, stakes: [1, 2] }).message).toBe(
      'stakes: unknown field (known: mechanism, params, stake, weights, bonds, active, selfWeights, blocks)',
    );
    expect(rejection({ ...ok, params: { rh0: 3 } }).message).toMatch(/^params\.rh0: unknown parameter \(known: rho, /);
  });

  it.each([MAX_EPOCH_BLOCKS + 1, 1e7, 1e12, 2.5])('refuses blocks = %d, saying the range', (blocks) => {
    expect(rejection({ ...ok, blocks }).message).toBe('blocks: must be an integer from 1 to 100000');
  });

  it('accepts blocks up to the maximum', () => {
    expect(MAX_EPOCH_BLOCKS).toBe(100_000);
    expect(parseEpochRequest({ ...ok, blocks: MAX_EPOCH_BLOCKS }).request.blocks).toBe(MAX_EPOCH_BLOCKS);
  });
});

describe('parseEpochRequest: sums that would not be finite', () => {
  const big = 1e308;

  it.each([
    [
      'a dense weights row',
      {
        ...ok,
        weights: [
          [0, big, big],
          [1, 0, 1],
          [1, 1, 0],
        ],
        stake: [1, 1, 1],
      },
      'weights[0]',
    ],
    [
      'a sparse weights row',
      {
        ...ok,
        weights: {
          rows: [
            [],
            [
              [0, big],
              [1, big],
            ],
          ],
        },
      },
      'weights.rows[1]',
    ],
  ])("refuses %s whose sum overflows (it would drop that peer's votes)", (_what, input, field) => {
    expect(rejection(input).message).toBe(`${field}: the row's sum is not finite; scale its entries down`);
  });

  it('refuses bonds whose column sum overflows', () => {
    const bonds = [
      [0, big],
      [0, big],
    ];
    expect(rejection({ ...ok, bonds }).message).toBe("bonds: column 1's sum is not finite; scale the bonds down");
  });

  it('refuses a stake whose sum overflows', () => {
    expect(rejection({ ...ok, stake: [big, big] }).message).toBe('stake: the sum is not finite; scale the stakes down');
  });

  it('refuses an emission that makes the total stake overflow over the blocks', () => {
    expect(rejection({ ...ok, params: { emission: big }, blocks: 3 }).message).toBe(
      'params.emission: too large, the total stake after 3 blocks is not finite; lower it or blocks',
    );
    expect(fieldOf({ ...ok, params: { emission: 1e304 }, blocks: MAX_EPOCH_BLOCKS })).toBe('params.emission');
    expect(fieldOf({ ...ok, stake: [1.7e308, 0], params: { emission: 1e307 } })).toBe('stake');
  });

  it("refuses eigentrust's stake x selfWeights when its sum overflows", () => {
    const input = {
      mechanism: 'eigentrust',
      stake: [8e307, 8e307],
      selfWeights: [2, 2.1],
      weights: [
        [0, 0],
        [0, 0],
      ],
    };
    expect(fieldOf(input)).toBe('selfWeights');
  });

  it('still runs large but representable inputs', () => {
    const numbers = printedNumbers(
      formatEpochOutcome(runEpochs(parseEpochRequest({ ...ok, params: { emission: big } }).request), 'dense', 0),
    );
    expect(numbers.every(Number.isFinite)).toBe(true);
  });
});

describe('runEpochs: results that would not be finite', () => {
  it.each([
    [
      'eigentrust with huge attributions',
      {
        mechanism: 'eigentrust',
        stake: [1e200, 1e200],
        selfWeights: [1, 1],
        weights: [
          [0, 1e200],
          [1e200, 0],
        ],
      },
    ],
  ])('throws NonFiniteResultError, an InvalidInputError, for %s', (_what, input) => {
    const { request } = parseEpochRequest(input);
    let error: unknown;
    try {
      runEpochs(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteResultError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('input');
    expect((error as Error).message).toMatch(/^input: the emission of epoch 1 is not finite: .*; scale stake, /);
  });

  it('a subnormal stake (a bond column summing to a subnormal) still gives finite results', () => {
    const { request } = parseEpochRequest({
      stake: [1, 1e-320],
      weights: [
        [0, 0],
        [1, 0],
      ],
    });
    const out = runEpochs(request);
    expect(out.mechanism).toBe('yuma');
    const last = out.last as YumaResult;
    for (const v of [out.stake, last.emissionShare, last.incentive, last.dividends, last.bonds.values]) {
      expect(Array.from(v).every(Number.isFinite)).toBe(true);
    }
  });

  it('either refuses a request or prints only finite numbers, whatever the magnitudes', () => {
    const magnitude = fc.oneof(
      fc.constantFrom(0, 1, 5e-324, 1e-310, 1e150, 1e200, 1e307, 1e308, 1.7e308),
      fc.double({ min: 0, max: 1.7e308, noNaN: true, noDefaultInfinity: true }),
    );
    const request = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc.record({
        mechanism: fc.constantFrom('yuma', 'eigentrust'),
        stake: fc.array(magnitude, { minLength: n, maxLength: n }),
        weights: fc.array(fc.array(magnitude, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
        bonds: fc.array(fc.array(magnitude, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
        selfWeights: fc.array(magnitude, { minLength: n, maxLength: n }),
        blocks: fc.integer({ min: 1, max: 3 }),
        params: fc.record({ emission: magnitude, depth: fc.integer({ min: 0, max: 5 }) }),
      }),
    );
    fc.assert(
      fc.property(request, (input) => {
        let out: object;
        try {
          const parsed = parseEpochRequest(input);
          out = formatEpochOutcome(runEpochs(parsed.request), parsed.matrixFormat, 0);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          return;
        }
        expect(printedNumbers(out).filter((v) => !Number.isFinite(v))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws anything but InvalidInputError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseEpochRequest(value);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same result for the dense and the sparse formats, and answers in the input format', () => {
    const dense = {
      stake: [3, 1, 2, 0],
      weights: [
        [0, 1, 2, 0],
        [4, 0, 0, 1],
        [0, 0, 0, 3],
        [1, 1, 1, 0],
      ],
      bonds: [
        [0, 0.5, 0, 0],
        [1, 0, 0, 0],
        [0, 0.5, 0, 1],
        [0, 0, 1, 0],
      ],
      blocks: 3,
    };
    const toRows = (m: number[][]) => ({
      rows: m.map((row) => row.flatMap((v, j) => (v === 0 ? [] : [[j, v]])).reverse()),
    });
    const sparse = { ...dense, weights: toRows(dense.weights), bonds: toRows(dense.bonds) };
    const a = parseEpochRequest(dense);
    const b = parseEpochRequest(sparse);
    const outA = formatEpochOutcome(runEpochs(a.request), a.matrixFormat, 0) as Record<string, unknown>;
    const outB = formatEpochOutcome(runEpochs(b.request), b.matrixFormat, 0) as Record<string, unknown>;
    const bondsA = outA['bonds'] as number[][];
    const bondsB = outB['bonds'] as { rows: Array<Array<[number, number]>> };
    expect(bondsB.rows.map((row) => row.map(([j]) => j))).toEqual(
      bondsA.map((row) => row.flatMap((v, j) => (v ? [j] : []))),
    );
    expect({ ...outA, bonds: null }).toEqual({ ...outB, bonds: null });
  });
});
