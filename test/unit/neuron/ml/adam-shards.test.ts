import { describe, expect, it } from 'vitest';
import { joinKeyed, keyedState, ownKeys, slotState } from '../../../../src/neuron/ml/adam-shards.js';
import type { OptimizerState } from '../../../../src/neuron/ml/trainer.js';

/** An optimizer state as Trainer.optimizerState gives it: the step count, then first and second moments. */
function state(count: number, moments: Array<[m: number, v: number, size: number]>): OptimizerState {
  const slots = [
    Float32Array.of(count),
    ...moments.map(([m, , n]) => new Float32Array(n).fill(m)),
    ...moments.map(([, v, n]) => new Float32Array(n).fill(v)),
  ];
  const shapes = [[], ...moments.map(([, , n]) => [n]), ...moments.map(([, , n]) => [n])];
  return { values: { adam: Object.fromEntries(slots.map((s, i) => [String(i), s])) }, shapes: { adam: shapes } };
}

const sizes: Record<string, number> = { a: 2, b: 3, c: 1, gate: 4 };
const shape = (key: string) => [sizes[key]!];
const keys = { net: ['a', 'b', 'c', 'gate'], solo: [] };

describe("Adam's state by variable", () => {
  it('names slots by variable and back, the same state (a prefix of the variables: the gate not seen yet)', () => {
    const full = state(7, [
      [1, 10, 2],
      [2, 20, 3],
      [3, 30, 1],
    ]);
    const keyed = keyedState(full, keys);
    expect([...keyed['adam']!.moments.keys()]).toEqual(['a', 'b', 'c']);
    expect(slotState(keyed, keys, shape)).toEqual(full);
  });

  it("splits one optimizer's state into threads' shares and joins them again", () => {
    const full = state(3, [
      [1, 10, 2],
      [2, 20, 3],
      [3, 30, 1],
      [4, 40, 4],
    ]);
    const keyed = keyedState(full, keys);
    const mine = ownKeys(keys, (k) => k === 'a' || k === 'gate');
    const theirs = ownKeys(keys, (k) => k === 'b' || k === 'c');
    const shareA = slotState(keyed, mine, shape);
    expect(shareA.shapes['adam']).toEqual([[], [2], [4], [2], [4]]);
    expect(Array.from(shareA.values['adam']!['2']!)).toEqual([4, 4, 4, 4]);
    const shareB = slotState(keyed, theirs, shape);
    const joined = joinKeyed([keyedState(shareA, mine), keyedState(shareB, theirs)]);
    expect(slotState(joined, keys, shape)).toEqual(full);
  });

  it('gives zeros to a variable without moments before the last one that has some; the first share wins', () => {
    const keyed = joinKeyed([
      keyedState(state(5, [[9, 90, 4]]), { net: ['gate'], solo: [] }),
      keyedState(state(4, [[1, 10, 2]]), { net: ['a'], solo: [] }),
      keyedState(state(4, [[8, 80, 4]]), { net: ['gate'], solo: [] }),
    ]);
    const slots = slotState(keyed, keys, shape);
    expect(slots.shapes['adam']).toEqual([[], [2], [3], [1], [4], [2], [3], [1], [4]]);
    expect(Array.from(slots.values['adam']!['0']!)).toEqual([5]);
    expect(Array.from(slots.values['adam']!['2']!)).toEqual([0, 0, 0]);
    expect(Array.from(slots.values['adam']!['4']!)).toEqual([9, 9, 9, 9]);
  });

  it('refuses a state with more moments than variables', () => {
    expect(() =>
      keyedState(
        state(1, [
          [1, 1, 2],
          [1, 1, 3],
        ]),
        { net: ['a'], solo: [] },
      ),
    ).toThrow(/adam: 5 slots do not fit 1 variables/);
  });
});
