import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detExp } from '../../../src/ledger/mechanism/det-math.js';
import { runSelftest } from '../../../src/ledger/abci/selftest.js';

/** Distance in units in the last place between two positive doubles. */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8));
}

describe('detExp (block execution exp from IEEE basic operations only)', () => {
  it('is within 2 ulp of the engine exp over the whole finite range', () => {
    fc.assert(
      fc.property(fc.double({ min: -708, max: 709, noNaN: true }), (x) => {
        expect(Math.abs(ulps(detExp(x), Math.exp(x)))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 20_000 },
    );
  });

  it('handles the edges: 0, overflow, underflow to subnormals and zero, NaN', () => {
    expect(detExp(0)).toBe(1);
    expect(detExp(710)).toBe(Infinity);
    expect(detExp(-746)).toBe(0);
    expect(detExp(-740)).toBeGreaterThan(0);
    expect(Math.abs(ulps(detExp(-740), Math.exp(-740)))).toBeLessThanOrEqual(2);
    expect(detExp(NaN)).toBeNaN();
  });

  it('gives these exact bits (a change here forks every chain: validators would compute other roots)', () => {
    expect(detExp(1)).toBe(2.7182818284590455);
    expect(detExp(-1)).toBe(0.36787944117144233);
    expect(detExp(-10.25)).toBe(0.00003535750085040998);
    expect(detExp(100)).toBe(2.6881171418161356e43);
  });
});

describe('chain selftest', () => {
  it('applies every transaction of its synthetic chain, runs its epochs, and gives the same hashes twice', async () => {
    const runs: string[][] = [[], []];
    for (const hashes of runs) {
      const stats = await runSelftest({ neurons: 16, blocks: 20, onHeight: (h, hash) => hashes.push(`${h} ${hash}`) });
      expect(stats).toMatchObject({ refused: 0, epochs: 4 });
      expect(stats.applied).toBeGreaterThan(16 * 2 + 18);
    }
    expect(runs[0]).toHaveLength(20);
    expect(new Set(runs[0]).size).toBe(20);
    expect(runs[1]).toEqual(runs[0]);
  });
});
