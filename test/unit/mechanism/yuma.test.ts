import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csrFromDense,
  csrToDense,
  DEFAULT_YUMA_PARAMS,
  naiveRank,
  yumaEpoch,
  type YumaParams,
  type YumaResult,
} from '../../../src/ledger/mechanism/index.js';
import { denseYuma } from '../../support/dense-yuma.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('yumaEpoch, hand-computed', () => {
  // Stake [1, 1, 2]; peer 2 also votes for itself (weight 5), which the mechanism must ignore.
  const stake = [1, 1, 2];
  const weights = [
    [0, 1, 1],
    [1, 0, 3],
    [1, 1, 5],
  ];
  const r = yumaEpoch({ stake, weights: csrFromDense(weights) });

  it('ranks by active stake through row-normalized weights without self-weights', () => {
    // a = [.25, .25, .5]; W = [[0, .5, .5], [.25, 0, .75], [.5, .5, 0]]; W^T a = [.3125, .375, .3125].
    expect(Array.from(r.rank)).toEqual([0.3125, 0.375, 0.3125].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(r.trust)).toEqual([0.75, 0.75, 0.5].map((v) => expect.closeTo(v, 12)));
  });

  it('scales rank by consensus into incentive', () => {
    const c = [sigmoid(2.5), sigmoid(2.5), 0.5];
    expect(Array.from(r.consensus)).toEqual(c.map((v) => expect.closeTo(v, 12)));
    const raw = [0.3125 * c[0]!, 0.375 * c[1]!, 0.3125 * 0.5];
    const sum = raw[0]! + raw[1]! + raw[2]!;
    expect(Array.from(r.incentive)).toEqual(raw.map((v) => expect.closeTo(v / sum, 12)));
    expect(r.loss).toBeCloseTo(-(0.3125 + 0.375) * (sigmoid(2.5) - 0.5), 12);
  });

  it('bonds each voter to its peers in proportion to stake x weight, per column', () => {
    // dB = [[0, .125, .125], [.0625, 0, .1875], [.25, .25, 0]], columns divided by [.3125, .375, .3125].
    const expected = [
      [0, 1 / 3, 0.4],
      [0.2, 0, 0.6],
      [0.8, 2 / 3, 0],
    ];
    expect(csrToDense(r.bonds).flat()).toEqual(expected.flat().map((v) => expect.closeTo(v, 12)));
    const i = Array.from(r.incentive);
    const d = expected.map((row) => row[0]! * i[0]! + row[1]! * i[1]! + row[2]! * i[2]!);
    expect(Array.from(r.dividends)).toEqual(d.map((v) => expect.closeTo(v, 12)));
    expect(Array.from(r.emissionShare)).toEqual(d.map((v, k) => expect.closeTo((v + i[k]!) / 2, 12)));
  });

  it('moves bonds by bondsAlpha toward this epoch', () => {
    const previous = csrFromDense([
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 1],
    ]);
    const next = yumaEpoch({ stake, weights: csrFromDense(weights), bonds: previous });
    // Column 0: delta [0, .2, .8], previous [0, 1, 0] -> .1 * delta + .9 * previous = [0, .92, .08].
    expect(csrToDense(next.bonds).map((row) => row[0])).toEqual([0, 0.92, 0.08].map((v) => expect.closeTo(v, 12)));
    // Column 2: delta [.4, .6, 0], previous [0, 0, 1] -> [.04, .06, .9].
    expect(csrToDense(next.bonds).map((row) => row[2])).toEqual([0.04, 0.06, 0.9].map((v) => expect.closeTo(v, 12)));
  });

  it('falls back to active stake when nothing earns incentive, and to stake when nobody is active', () => {
    const none = csrFromDense([
      [0, 0],
      [0, 0],
    ]);
    expect(Array.from(yumaEpoch({ stake: [1, 3], weights: none }).emissionShare)).toEqual([0.25, 0.75]);
    const inactive = yumaEpoch({ stake: [1, 3], weights: none, active: [false, false] });
    expect(Array.from(inactive.emissionShare)).toEqual([0.25, 0.75]);
    expect(Array.from(yumaEpoch({ stake: [0, 0], weights: none }).emissionShare)).toEqual([0.5, 0.5]);
  });

  it('handles an empty network', () => {
    const r0 = yumaEpoch({ stake: [], weights: csrFromDense([]) });
    expect(r0.emissionShare.length).toBe(0);
    expect(r0.loss).toBe(0);
  });
});

// ---- properties -------------------------------------------------------------------------------------

interface Case {
  stake: number[];
  weights: number[][];
  bonds: number[][] | undefined;
  active: boolean[] | undefined;
  params: YumaParams;
}

const entry = fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0.001, max: 10, noNaN: true }));
const arbCase: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    stake: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1000, noNaN: true })), {
      minLength: n,
      maxLength: n,
    }),
    weights: fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
    bonds: fc.option(fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }), {
      nil: undefined,
    }),
    active: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { nil: undefined }),
    params: fc.record({
      rho: fc.double({ min: 0, max: 50, noNaN: true }),
      kappa: fc.double({ min: 0, max: 1, noNaN: true }),
      bondsAlpha: fc.double({ min: 0, max: 1, noNaN: true }),
      trustThreshold: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
      emission: fc.double({ min: 0, max: 100, noNaN: true }),
    }),
  }),
);

const run = (c: Case): YumaResult =>
  yumaEpoch(
    {
      stake: c.stake,
      weights: csrFromDense(c.weights),
      bonds: c.bonds && csrFromDense(c.bonds),
      active: c.active,
    },
    c.params,
  );

const VECTORS = ['rank', 'trust', 'consensus', 'incentive', 'dividends', 'emissionShare', 'emission'] as const;

function expectSame(actual: YumaResult, expected: YumaResult): void {
  for (const key of VECTORS) expectClose(Array.from(actual[key]), Array.from(expected[key]));
  expectClose(csrToDense(actual.bonds).flat(), csrToDense(expected.bonds).flat());
  expect(actual.loss).toBeCloseTo(expected.loss, 9);
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
}

describe('yumaEpoch, a peer that serves junk and votes evenly', () => {
  // Peer 0 serves junk and weighs the three others evenly from the first epoch (it evaluates nothing); peers 1-3
  // serve well, weigh each other and give peer 0 a small exploration weight, from epoch `start` (after their
  // first evaluation). Equal stake at first; each epoch mints 10 tokens.
  function run(start: number, epochs = 30): { stake: number[]; first: YumaResult } {
    const even = [0, 1, 1, 1];
    const trained = (i: number) => [0.067, 0.466, 0.466, 0.466].map((v, j) => (j === i ? 0 : v));
    let stake = [100, 100, 100, 100];
    let bonds: YumaResult['bonds'] | undefined;
    let first: YumaResult | undefined;
    for (let e = 0; e < epochs; e++) {
      const rows = [even, ...[1, 2, 3].map((i) => (e >= start ? trained(i) : [0, 0, 0, 0]))];
      // As on the ledger: a neuron that has never set weights is not active yet.
      const active = [true, ...[1, 2, 3].map(() => e >= start)];
      const r = yumaEpoch({ stake, weights: csrFromDense(rows), bonds, active });
      first ??= r;
      bonds = r.bonds;
      stake = stake.map((v, i) => v + 10 * r.emissionShare[i]!);
    }
    return { stake, first: first! };
  }

  it('buys no bonds while it votes alone, so an early vote earns no dividends', () => {
    const { first } = run(6, 1);
    expect(Array.from(first.dividends)).toEqual([0, 0, 0, 0]);
    expect(
      csrToDense(first.bonds)
        .flat()
        .every((v) => v === 0),
    ).toBe(true);
    expect(first.emissionShare[0]).toBe(0);
    // Once the others vote too, it holds bonds like any voter.
    expect(run(0, 1).first.dividends[0]).toBeGreaterThan(0);
  });

  it('ends with the least stake whether the others start voting at once or ten epochs later', () => {
    for (const start of [0, 3, 6, 10]) {
      const { stake } = run(start);
      const lowestTrained = Math.min(stake[1]!, stake[2]!, stake[3]!);
      expect(stake[0]!).toBeLessThan(lowestTrained * 0.8);
    }
  });
});

describe('yumaEpoch, properties', () => {
  it('agrees with a plain dense transcription of the spec', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        // The literal transcription rounds alpha * x to 0 when alpha is subnormal; see the test below.
        fc.pre(c.params.bondsAlpha === 0 || c.params.bondsAlpha >= 1e-6);
        const sparse = run(c);
        const dense = denseYuma(c.stake, c.weights, c.bonds, c.active, c.params);
        for (const key of VECTORS) expectClose(Array.from(sparse[key]), dense[key]);
        expectClose(csrToDense(sparse.bonds).flat(), dense.bonds.flat());
        expect(sparse.loss).toBeCloseTo(dense.loss, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('emits shares that sum to 1, and only finite, non-negative values', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const r = run(c);
        expect(r.emissionShare.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const key of VECTORS) for (const v of r[key]) expect(Number.isFinite(v) && v >= 0).toBe(true);
        for (const v of r.bonds.values) expect(Number.isFinite(v) && v > 0).toBe(true);
        expect(Number.isFinite(r.loss)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('permutes its outputs when peer ids are permuted', () => {
    const arb = arbCase.chain((c) =>
      fc.tuple(fc.constant(c), fc.shuffledSubarray([...c.stake.keys()], { minLength: c.stake.length })),
    );
    fc.assert(
      fc.property(arb, ([c, perm]) => {
        // Peer i of the original becomes peer perm[i].
        const inv = new Array<number>(perm.length);
        perm.forEach((to, from) => (inv[to] = from));
        const p = <T>(v: T[]) => inv.map((from) => v[from]!);
        const pm = (m: number[][]) => inv.map((from) => inv.map((to) => m[from]![to]!));
        const permuted: Case = {
          stake: p(c.stake),
          weights: pm(c.weights),
          bonds: c.bonds && pm(c.bonds),
          active: c.active && p(c.active),
          params: c.params,
        };
        const a = run(c);
        const b = run(permuted);
        for (const key of VECTORS) expectClose(Array.from(b[key]), p(Array.from(a[key])));
        expectClose(csrToDense(b.bonds).flat(), pm(csrToDense(a.bonds)).flat());
      }),
      { numRuns: 200 },
    );
  });

  it('ignores the weights of inactive peers and of peers without stake, and self-weights', () => {
    const arb = arbCase.chain((c) =>
      fc.tuple(
        fc.constant(c),
        fc.nat({ max: c.stake.length - 1 }),
        fc.array(entry, { minLength: c.stake.length, maxLength: c.stake.length }),
        fc.constantFrom('inactive', 'no stake', 'self only'),
      ),
    );
    fc.assert(
      fc.property(arb, ([c, who, row, how]) => {
        const base: Case = { ...c, weights: c.weights.map((r) => [...r]) };
        if (how === 'inactive')
          base.active = (c.active ?? c.stake.map(() => true)).map((v, i) => (i === who ? false : v));
        if (how === 'no stake') base.stake = c.stake.map((v, i) => (i === who ? 0 : v));
        const other: Case = { ...base, weights: base.weights.map((r, i) => (i === who ? row : r)) };
        if (how === 'self only') {
          base.weights[who] = base.weights[who]!.map(() => 0);
          other.weights[who] = base.weights[who]!.map((_, j) => (j === who ? 7 : 0));
        }
        // With everybody else out of stake the uniform fallback makes the changed peer count: skip that case.
        fc.pre(how !== 'no stake' || base.stake.some((v) => v > 0));
        expectSame(run(other), run(base));
      }),
      { numRuns: 300 },
    );
  });
});

describe('bonds with a tiny bondsAlpha', () => {
  it('approach the limit alpha -> 0 instead of rounding whole columns away', () => {
    const weights = csrFromDense([
      [0, 1, 3],
      [2, 0, 1],
      [1, 1, 0],
    ]);
    const previous = csrFromDense([
      [0, 1, 0],
      [0, 0, 0],
      [1, 1, 0],
    ]);
    const at = (alpha: number) =>
      csrToDense(
        yumaEpoch({ stake: [1, 2, 3], weights, bonds: previous }, { ...DEFAULT_YUMA_PARAMS, bondsAlpha: alpha }).bonds,
      );
    const tiny = at(5e-324);
    expectClose(tiny.flat(), at(1e-300).flat());
    // Column 2 had no previous bonds, so this epoch's bonds fill it whatever alpha is.
    expectClose(
      tiny.map((row) => row[2]!),
      at(0.5).map((row) => row[2]!),
    );
  });
});

describe('naiveRank', () => {
  it('is W^T s without any consensus term, so a disjoint cabal keeps its stake share', () => {
    const w = csrFromDense([
      [0, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
    expect(Array.from(naiveRank([3, 3, 2, 2], w))).toEqual([0.3, 0.3, 0.2, 0.2]);
    expect(DEFAULT_YUMA_PARAMS.rho).toBe(10);
  });
});
