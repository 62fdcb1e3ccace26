import { describe, expect, it } from 'vitest';
import type { NeuronInfo } from '../../../src/ledger/client.js';
import { PeerRowsCache, type LocalPeerView } from '../../../src/main/snapshot.js';
import { neuronRow, TOKEN } from '../../support/ledger.js';

const neuron = (uid: number, weights: Array<[number, number]> = []): NeuronInfo =>
  neuronRow(uid, 100n * TOKEN, weights);

describe('PeerRowsCache', () => {
  const metagraph = [neuron(0, [[1, 3]]), neuron(1, [[0, 1]]), neuron(2)];
  const views: LocalPeerView[] = [{ uid: 1, gate: 0.7, importance: 0.4, latencyMs: 12 }];

  it('answers the same array while the metagraph, our uid and our peer views are the same arrays', () => {
    const cache = new PeerRowsCache();
    const rows = cache.rows(metagraph, 0, views);
    expect(cache.rows(metagraph, 0, views)).toBe(rows);
    expect(rows.map((r) => [r.uid, r.isUs, r.gate, r.ourWeight])).toEqual([
      [0, true, null, null],
      [1, false, 0.7, 1],
      [2, false, null, null],
    ]);
  });

  it('computes the rows again when the metagraph, our uid or our view of the peers changes', () => {
    const cache = new PeerRowsCache();
    const rows = cache.rows(metagraph, 0, views);

    // A new metagraph (a new array, as the chain feed gives one when it changed): our weight moved to uid 2.
    const next = [neuron(0, [[2, 5]]), metagraph[1]!, metagraph[2]!];
    const afterRead = cache.rows(next, 0, views);
    expect(afterRead).not.toBe(rows);
    expect(afterRead.map((r) => r.ourWeight)).toEqual([null, null, 1]);

    // Our uid is known (the neuron registered): the rows say which is us.
    const registered = cache.rows(next, 2, views);
    expect(registered).not.toBe(afterRead);
    expect(registered.map((r) => r.isUs)).toEqual([false, false, true]);

    // A new evaluation (a new array of views, even with equal content) is shown.
    const evaluated = cache.rows(next, 2, [{ uid: 1, gate: 0.2, importance: 0.9 }]);
    expect(evaluated).not.toBe(registered);
    expect(evaluated[1]).toMatchObject({ gate: 0.2, importance: 0.9, latencyMs: null });

    // Back to earlier inputs: only the last is kept, so this is computed again (equal, not the same array).
    const again = cache.rows(metagraph, 0, views);
    expect(again).not.toBe(rows);
    expect(again).toEqual(rows);
  });
});
