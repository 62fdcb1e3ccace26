import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEpochOutcome, parseEpochRequest, runEpochs } from '../../../src/ledger/mechanism/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

const ok = {
  stake: [1, 2],
  weights: [
    [0, 1],
    [1, 0],
  ],
};

function fieldOf(input: unknown): string {
  try {
    parseEpochRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).field;
  }
  throw new Error('expected the request to be rejected');
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
  ])('names the field for %s', (_name, input, field) => {
    expect(fieldOf(input)).toBe(field);
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
