import type { Multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomSeed } from '../../src/ledger/wallet/keys.js';
import { HashingModel } from '../../src/neuron/model.js';
import { Code } from '../../src/neuron/network/proto/bittensor.js';
import type { NeuronNode } from '../../src/neuron/node.js';
import { addressOf, RecordingModel, startNeuron, startWorkerNeuron, type WorkerNeuron } from '../support/neuron-net.js';

const DIM = 8;
const DEADLINE_MS = 600;
const SLOW_MS = 1200; // the slow peer's model takes twice the deadline
const FAST_MS = 7; // the fast peer's forward, on the test's clock

/**
 * The clock of the callers' dendrites (DendriteInit.now): it stands still unless the test, or a ClockedModel
 * answering in this process, moves it. Latencies and backoffs are then exact, whatever the machine's load.
 */
let clock = 1_000_000;

/** A model whose forwards take `ms[0]`, `ms[1]`, ... (in turn, repeating) on the test's clock. */
class ClockedModel extends RecordingModel {
  private calls = 0;

  constructor(
    dim: number,
    private readonly ms: number[],
  ) {
    super(dim);
  }

  override forward(tokens: Int32Array, batch: number, seq: number): Float32Array {
    clock += this.ms[this.calls++ % this.ms.length]!;
    return super.forward(tokens, batch, seq);
  }
}

const tokens = Int32Array.from({ length: 2 * 3 }, (_, i) => 100 + i * 31);
const expected = Array.from(new HashingModel(DIM).forward(tokens, 2, 3));
const peerIdOf = (m: Multiaddr) => m.getComponents().find((c) => c.name === 'p2p')!.value!;

let fastModel: ClockedModel;
let fast: NeuronNode;
let fastAt: Multiaddr;
let slow: WorkerNeuron;
let deadAt: Multiaddr;
let client: NeuronNode;
const nodes: NeuronNode[] = [];

beforeAll(async () => {
  fastModel = new ClockedModel(DIM, [FAST_MS]);
  let dead: NeuronNode;
  [fast, dead, client, slow] = await Promise.all([
    startNeuron({ model: fastModel }),
    startNeuron({ dim: DIM }),
    startNeuron({ dim: DIM, dendrite: { timeoutMs: DEADLINE_MS, backoffBaseMs: 5000, now: () => clock } }),
    startWorkerNeuron({ dim: DIM, forwardDelayMs: SLOW_MS }),
  ]);
  nodes.push(fast, client);
  fastAt = addressOf(fast);
  deadAt = addressOf(dead);
  await dead.stop(); // its address now has nobody listening
});

afterAll(async () => {
  await Promise.all([...nodes.map((n) => n.stop()), slow?.stop()]);
});

describe('Dendrite: k peers in parallel under one deadline', () => {
  it('a fast, a slow and a dead peer: returns at the deadline with what arrived and a mask', async () => {
    const result = await client.dendrite.forward([fastAt, slow.address, deadAt], tokens, 2, 3, DIM);
    expect(result.mask).toEqual([true, false, false]);
    // The slow peer holds the call until the deadline, not until its answer: 'timeout' is given only once the
    // deadline's signal has fired, and had the call waited for the answer the code would be OK.
    expect(result.codes).toEqual([Code.OK, 'timeout', 'unreachable']);
    expect(Array.from(result.outputs[0]!)).toEqual(expected);
    expect(result.outputs.slice(1)).toEqual([undefined, undefined]);

    const fastStats = client.dendrite.peerStats(fast.peerId.toString())!;
    expect(fastStats).toMatchObject({ successes: 1, failures: 0, consecutiveFailures: 0, lastCode: Code.OK });
    // From the call to the answer on the dendrite's clock: exactly the time the fast peer's model took.
    expect(fastStats.latencyMs).toBe(FAST_MS);
    for (const [peer, code] of [
      [slow.peerId, 'timeout'],
      [peerIdOf(deadAt), 'unreachable'],
    ] as const) {
      const stats = client.dendrite.peerStats(peer)!;
      expect(stats).toMatchObject({ successes: 0, failures: 1, consecutiveFailures: 1, lastCode: code });
      expect(stats.latencyMs).toBeUndefined();
      expect(stats.backoffUntil).toBeGreaterThan(clock);
    }
    // The slow peer did get the request (it was slow, not unreachable).
    expect((await slow.stats()).forwardCalls).toBe(1);
  });

  it('the next call skips the failed peers without dialing them', async () => {
    const dial = vi.spyOn(client.libp2p, 'dialProtocol');
    try {
      // Their 5 s windows are still open on the dendrite's clock, which only the fast peer's model moved since.
      const result = await client.dendrite.forward([fastAt, slow.address, deadAt], tokens, 2, 3, DIM);
      expect(result.mask).toEqual([true, false, false]);
      expect(result.codes).toEqual([Code.OK, 'backoff', 'backoff']);
      expect(dial.mock.calls.map(([target]) => target.toString())).toEqual([fastAt.toString()]);
    } finally {
      dial.mockRestore();
    }
    // A skip is not another failure.
    expect(client.dendrite.peerStats(peerIdOf(deadAt))).toMatchObject({ failures: 1, consecutiveFailures: 1 });
    expect(client.dendrite.peerStats(fast.peerId.toString())).toMatchObject({ successes: 2 });
  });

  it('backward goes to the peers that are up; the mask says which', async () => {
    const grads = Float32Array.from({ length: 2 * 3 * DIM }, (_, i) => (i % 5) - 2);
    const calls = fastModel.backwardCalls;
    const result = await client.dendrite.backward([fastAt, deadAt], tokens, [grads, grads], 2, 3, DIM);
    expect(result).toEqual({ mask: [true, false], codes: [Code.OK, 'backoff'] });
    expect(fastModel.backwardCalls).toBe(calls + 1);
  });
});

describe('Dendrite: exponential backoff and statistics', () => {
  const BASE = 150;
  const MAX = 450;
  let caller: NeuronNode;

  beforeAll(async () => {
    caller = await startNeuron({
      dim: DIM,
      dendrite: { timeoutMs: 2000, backoffBaseMs: BASE, backoffMaxMs: MAX, now: () => clock },
    });
    nodes.push(caller);
  });

  it('a failing peer is backed off 1x, 2x, 4x the base up to the cap; one success resets it', async () => {
    // The backoff's clock is the test's: time moves only when the test moves it (this peer's model does not).
    // A peer that is down now and comes back later on the same address and identity.
    const seed = randomSeed();
    const first = await startNeuron({ dim: DIM, hotkeySeed: seed });
    const at = addressOf(first);
    const port = Number(at.getComponents().find((c) => c.name === 'tcp')!.value);
    const id = first.peerId.toString();
    await first.stop();

    const windows: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await caller.dendrite.forward([at], tokens, 2, 3, DIM);
      expect(result.codes).toEqual(['unreachable']);
      const stats = caller.dendrite.peerStats(id)!;
      windows.push(stats.backoffUntil - clock);
      expect(stats).toMatchObject({ failures: attempt, consecutiveFailures: attempt, successes: 0 });
      // Within the window the peer is skipped, to its last millisecond.
      clock = stats.backoffUntil - 1;
      expect((await caller.dendrite.forward([at], tokens, 2, 3, DIM)).codes).toEqual(['backoff']);
      clock = stats.backoffUntil;
    }
    expect(windows).toEqual([BASE, 2 * BASE, MAX, MAX]); // 4x the base is over the cap

    const revived = await startNeuron({ dim: DIM, hotkeySeed: seed, port });
    nodes.push(revived);
    expect(revived.peerId.toString()).toBe(id);
    const result = await caller.dendrite.forward([at], tokens, 2, 3, DIM);
    expect(result.mask).toEqual([true]);
    expect(Array.from(result.outputs[0]!)).toEqual(expected);
    const stats = caller.dendrite.peerStats(id)!;
    expect(stats).toMatchObject({
      successes: 1,
      failures: 4,
      consecutiveFailures: 0,
      backoffUntil: 0,
      lastCode: Code.OK,
    });
    expect(stats.latencyMs).toBe(0); // measured on the test's clock, which stood still during the call
    // One more failure starts again from the base.
    await revived.stop();
    expect((await caller.dendrite.forward([at], tokens, 2, 3, DIM)).codes).toEqual(['unreachable']);
    const after = caller.dendrite.peerStats(id)!;
    expect(after.consecutiveFailures).toBe(1);
    expect(after.backoffUntil - clock).toBe(BASE);
  });

  it('per-peer latency: a moving average of successful round trips, separate per peer', async () => {
    const samples = [40, 60, 40, 80, 40];
    const delayed = await startNeuron({ model: new ClockedModel(DIM, samples) });
    nodes.push(delayed);
    const delayedAt = addressOf(delayed);
    for (let i = 0; i < samples.length; i++) {
      // One peer per call, so that each call's round trip on the clock is its one model's time.
      expect((await caller.dendrite.forward([delayedAt], tokens, 2, 3, DIM)).mask).toEqual([true]);
      expect((await caller.dendrite.forward([fastAt], tokens, 2, 3, DIM)).mask).toEqual([true]);
    }
    const slowish = caller.dendrite.peerStats(delayed.peerId.toString())!;
    const quick = caller.dendrite.peerStats(fast.peerId.toString())!;
    expect(slowish).toMatchObject({ successes: 5, failures: 0 });
    expect(quick).toMatchObject({ successes: 5, failures: 0 });
    // The first sample, then each new one weighing 0.2: 40, 44, 43.2, 50.56, 48.448.
    expect(slowish.latencyMs).toBeCloseTo(48.448, 9);
    expect(quick.latencyMs).toBeCloseTo(FAST_MS, 9);
  });

  it('an answer holding NaN, Infinity or a value past the bound is refused as malformed, never handed to training', async () => {
    /** Answers like HashingModel, with one value replaced. */
    class PoisonedModel extends RecordingModel {
      constructor(private readonly poison: number) {
        super(DIM);
      }
      override forward(t: Int32Array, batch: number, seq: number): Float32Array {
        const out = super.forward(t, batch, seq);
        out[5] = this.poison;
        return out;
      }
    }
    const poisoned = await Promise.all([NaN, Infinity, -1e6].map((v) => startNeuron({ model: new PoisonedModel(v) })));
    nodes.push(...poisoned);
    const caller = await startNeuron({ dim: DIM });
    nodes.push(caller);
    const result = await caller.dendrite.forward([fastAt, ...poisoned.map(addressOf)], tokens, 2, 3, DIM);
    expect(result.codes).toEqual([Code.OK, Code.BAD_REQUEST, Code.BAD_REQUEST, Code.BAD_REQUEST]);
    expect(result.mask).toEqual([true, false, false, false]);
    expect(result.outputs.slice(1)).toEqual([undefined, undefined, undefined]);
    for (const p of poisoned) {
      expect(caller.dendrite.peerStats(p.peerId.toString())).toMatchObject({ successes: 0, failures: 1 });
    }
  });
});
