import { describe, expect, it } from 'vitest';
import {
  collusionGraph,
  csrToDense,
  DEFAULT_COLLUSION_SCENARIO,
  simulateCollusion,
} from '../../../src/ledger/mechanism/index.js';

describe('collusion simulation', () => {
  it('builds two disjoint sub-graphs without self-weights', () => {
    const w = csrToDense(collusionGraph(3, 2, 7));
    w.forEach((row, i) =>
      row.forEach((v, j) => {
        const sameSide = i < 3 === j < 3;
        expect(v > 0).toBe(sameSide && i !== j);
      }),
    );
  });

  it('makes a minority cabal decay under Yuma but keeps its share under the naive ranking', () => {
    const s = simulateCollusion({ ...DEFAULT_COLLUSION_SCENARIO, cabalStake: 0.45, epochs: 200 });
    expect(s.yuma[0]).toBe(0.45);
    for (let e = 1; e <= 200; e++) expect(s.yuma[e]).toBeLessThan(s.yuma[e - 1]!);
    expect(s.naive[200]).toBeCloseTo(0.45, 12);
  });

  it('lets a majority cabal grow: the mechanism follows stake, not honesty', () => {
    const s = simulateCollusion({ ...DEFAULT_COLLUSION_SCENARIO, cabalStake: 0.6, epochs: 100 });
    expect(s.yuma[100]).toBeGreaterThan(0.6);
  });
});
