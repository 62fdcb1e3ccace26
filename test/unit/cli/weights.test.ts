import { describe, expect, it } from 'vitest';
import { parseWeightsOption, toU16Weights } from '../../../src/cli/commands/chain.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

function rejection(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected a rejection');
}

describe('parseWeightsOption', () => {
  it('reads uid:weight pairs', () => {
    expect(parseWeightsOption('0:1, 2 : 0.5,7:3e2')).toEqual([
      [0, 1],
      [2, 0.5],
      [7, 300],
    ]);
  });

  it.each([['1:1e400'], ['1:1.2.3'], ['1:-1'], ['1:--2']])('refuses %s: weights are finite numbers >= 0', (text) => {
    expect(rejection(() => parseWeightsOption(text)).message).toBe('--weights[0]: weight must be a finite number >= 0');
  });

  it('names a pair that is not uid:weight', () => {
    expect(rejection(() => parseWeightsOption('1:1,x')).message).toBe('--weights[1]: "x" is not uid:weight');
  });
});

describe('toU16Weights', () => {
  it('scales so that the largest is 65535, keeping explicit zeros', () => {
    expect(
      toU16Weights([
        [1, 2],
        [2, 1],
        [3, 0],
      ]),
    ).toEqual([
      [1, 65535],
      [2, 32768],
      [3, 0],
    ]);
  });

  it('refuses a positive weight that would round to 0, saying the smallest that would not', () => {
    const error = rejection(() =>
      toU16Weights([
        [1, 1e-300],
        [2, 1],
      ]),
    );
    expect(error.field).toBe('--weights[0]');
    expect(error.message).toBe(
      '--weights[0]: 1:1e-300 is too small next to the largest weight 1; it would round to 0 ' +
        '(use 0, or at least about 0.00000763)',
    );
  });

  it('keeps a small weight that rounds to 1', () => {
    expect(
      toU16Weights([
        [1, 1 / 65535],
        [2, 1],
      ]),
    ).toEqual([
      [1, 1],
      [2, 65535],
    ]);
  });

  it('refuses weights that are all 0', () => {
    expect(rejection(() => toU16Weights([[1, 0]])).message).toBe('--weights: at least one weight must be above 0');
  });
});
