import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EpochPoint, MinerSnapshot, PeerRow } from '../../../src/shared/api.js';
import { applyDelta, diffSnapshot, KEEP_EPOCHS } from '../../../src/shared/snapshot-delta.js';
import { peer, snapshotOf } from '../../support/snapshots.js';

const row = (uid: number, incentive: number, weights: Array<[number, number]> = []): PeerRow =>
  peer(uid, { incentive, weights });
const point = (epoch: number): EpochPoint => ({
  epoch,
  block: epoch * 10,
  time: epoch * 1000,
  emission: '1',
  balance: '100',
  rank: 0,
  trust: 0,
  consensus: 0,
  incentive: 0,
  dividends: 0,
});

describe('snapshot deltas: what the host pushes after the first snapshot', () => {
  it('sends nothing when nothing changed, and skips an unchanged metagraph by reference', () => {
    const a = snapshotOf({ peers: [row(0, 0.5), row(1, 0.5)], epochs: [point(1)] });
    expect(diffSnapshot(a, { ...a })).toBeNull();
  });

  it('sends only the changed fields of the changed rows, and only the new epochs', () => {
    const weights: Array<[number, number]> = Array.from({ length: 64 }, (_, i) => [i, 1 / 64]);
    const a = snapshotOf({ peers: [row(0, 0.5, weights), row(1, 0.5, weights)], epochs: [point(1)] });
    const b: MinerSnapshot = {
      ...a,
      chain: { ...a.chain!, height: a.chain!.height + 1 },
      peers: [row(0, 0.5, weights), row(1, 0.25, weights)],
      epochs: [point(1), point(2)],
    };
    const d = diffSnapshot(a, b);
    if (d === null || d === 'whole') throw new Error(`expected a delta, got ${d}`);
    expect(Object.keys(d.changed)).toEqual(['chain']);
    expect(d.peers).toEqual({ count: 2, rows: [{ uid: 1, incentive: 0.25 }] });
    expect(d.newEpochs).toEqual([point(2)]);
    expect(applyDelta(a, d)).toEqual(b);
    // Applied twice (the answer of a call and the push it caused), it changes nothing more.
    expect(applyDelta(applyDelta(a, d), d)).toEqual(b);
  });

  it('applyDelta(prev, diff(prev, next)) is next, for random changes (rows added, removed, changed; epochs trimmed)', () => {
    const rowsArb = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { maxLength: 8 });
    fc.assert(
      fc.property(rowsArb, rowsArb, fc.nat(600), fc.nat(5), fc.boolean(), (r1, r2, e1, more, paused) => {
        const epochs = (n: number) => Array.from({ length: n }, (_, i) => point(i + 1)).slice(-KEEP_EPOCHS);
        const prev = snapshotOf({ peers: r1.map(([x], uid) => row(uid, x)), epochs: epochs(e1) });
        const next = snapshotOf({
          peers: r2.map(([x, w], uid) => row(uid, x, w ? [[0, 1]] : [])),
          epochs: epochs(e1 + more),
          contribution: {
            state: paused ? 'paused' : 'contributing',
            reason: 'r',
            share: paused ? 0 : 1,
            processor: 'cpu',
          },
        });
        const d = diffSnapshot(prev, next);
        expect(d).not.toBe('whole');
        expect(d === null ? prev : applyDelta(prev, d as Exclude<typeof d, 'whole' | null>)).toEqual(next);
      }),
    );
  });

  it('asks for the whole snapshot when the epochs do not continue the ones held', () => {
    const a = snapshotOf({ epochs: [point(1), point(2)] });
    expect(diffSnapshot(a, { ...a, epochs: [point(1), point(3)] })).toBe('whole');
  });
});
