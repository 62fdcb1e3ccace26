import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORWARD_PROTOCOL } from '../../src/neuron/network/axon.js';
import { encodeIntTensor } from '../../src/neuron/network/codec.js';
import { Code, ForwardRequest, ForwardResponse } from '../../src/neuron/network/proto/bittensor.js';
import type { NeuronNode } from '../../src/neuron/node.js';
import {
  allSettledOrThrow,
  askForward,
  framed,
  openRequest,
  startNeuron,
  startWorkerNeuron,
  type WorkerNeuron,
} from '../support/neuron-net.js';

const DIM = 8;
const PER_CALLER = 12;

/** Each caller sends its own token id first, so that the server's model shows whose request it ran. */
const CALLERS = { rich: 1, poor: 2, stranger: 3 } as const;
type Caller = keyof typeof CALLERS;
const inputsOf = (who: Caller) => encodeIntTensor(Int32Array.of(CALLERS[who], 7, 8, 9), [2, 2]);
const request = (who: Caller) => framed(ForwardRequest.encode({ inputs: inputsOf(who) }));

let nodes: Record<Caller, NeuronNode>;
let server: WorkerNeuron;

beforeAll(async () => {
  const [rich, poor, stranger] = await Promise.all([1, 2, 3].map(() => startNeuron({ dim: DIM })));
  nodes = { rich: rich!, poor: poor!, stranger: stranger! };
  // One request at a time, each ~20 ms of model time in the server's own thread; stakes as the ledger has them
  // (the stranger is unknown to it: served at the lowest priority).
  server = await startWorkerNeuron({
    dim: DIM,
    forwardDelayMs: 20,
    axon: { maxConcurrent: 1, maxQueue: 64, perCallerConcurrency: 64, perCallerRate: 10_000, requestTimeoutMs: 20_000 },
    stakes: { [rich!.peerId.toString()]: 1000, [poor!.peerId.toString()]: 1 },
  });
});

afterAll(async () => {
  await Promise.all(Object.values(nodes ?? {}).map((n) => n.stop()));
  await server?.stop();
});

describe('priority by stake under load', () => {
  it('a busy server serves the high-stake caller first, then the low-stake one, then the unknown one', async () => {
    const warm = await allSettledOrThrow(
      Object.values(nodes).map((n) =>
        askForward(n.libp2p, server.address, { inputs: encodeIntTensor(Int32Array.of(9, 9), [1, 2]) }),
      ),
    );
    expect(warm.map((a) => a.code)).toEqual([Code.OK, Code.OK, Code.OK]);

    // All streams negotiated first; then, while the server is busy with one request, every request goes out at
    // once, interleaved with the low-stake and unknown callers first in each round (arrival favours them).
    const order: Caller[] = [];
    for (let i = 0; i < PER_CALLER; i++) order.push('stranger', 'poor', 'rich');
    const streams = await allSettledOrThrow(
      order.map((who) => openRequest(nodes[who].libp2p, server.address, FORWARD_PROTOCOL, 20_000)),
    );
    const busy = askForward(
      nodes.stranger.libp2p,
      server.address,
      { inputs: encodeIntTensor(Int32Array.of(9, 9), [1, 2]) },
      20_000,
    );
    await server.forwardStarted(4);
    streams.forEach((s, i) => s.send(request(order[i]!)));
    const finished: Caller[] = [];
    const answers = await allSettledOrThrow(
      streams.map((s, i) =>
        s.answer().then(({ frame, error }) => {
          if (!frame) throw error;
          finished.push(order[i]!);
          return ForwardResponse.decode(frame).code;
        }),
      ),
    );
    expect((await busy).code).toBe(Code.OK);
    expect(answers.every((c) => c === Code.OK)).toBe(true);

    // The order the server's model ran them (after the three warm-ups and the one that kept it busy).
    const served = (await server.stats()).firstTokens.slice(4);
    const names = Object.fromEntries(Object.entries(CALLERS).map(([k, v]) => [v, k])) as Record<number, Caller>;
    const ran = served.map((t) => names[t]!);
    expect(ran).toHaveLength(3 * PER_CALLER);
    // Strictly by stake; the one exception allowed is the very first, should the slot have come free just before
    // the requests were read (it is then taken by whichever arrived first, with nobody waiting).
    const byStake = (w: Caller) => ({ rich: 0, poor: 1, stranger: 2 })[w];
    const rest = ran.slice(1);
    expect(rest).toEqual([...rest].sort((a, b) => byStake(a) - byStake(b)));
    expect(ran.slice(1, PER_CALLER)).toEqual(Array(PER_CALLER - 1).fill('rich'));

    // As the callers see it: completion ranks, a third of the run apart (about equal in arrival order).
    const meanRank = (who: Caller) => finished.reduce((sum, w, rank) => (w === who ? sum + rank : sum), 0) / PER_CALLER;
    expect(meanRank('poor') - meanRank('rich')).toBeGreaterThan(PER_CALLER / 2);
    expect(meanRank('stranger') - meanRank('poor')).toBeGreaterThan(PER_CALLER / 2);
  });

  it('requests that arrive while the queue drains are ranked by stake too', async () => {
    // Each request dials its stream and sends at once, as a client does: they reach the busy server over many
    // turns of its event loop, the low-stake ones first. (Before the admission handed slots over on a later
    // turn, the server drained its queue without reading anything new, and served them in arrival order.)
    const before = (await server.stats()).forwardCalls;
    const finished: Caller[] = [];
    const calls: Array<Promise<Code>> = [];
    const fire = (who: Caller) =>
      askForward(nodes[who].libp2p, server.address, { inputs: inputsOf(who) }, 20_000).then((a) => {
        finished.push(who);
        return a.code;
      });
    for (let i = 0; i < PER_CALLER; i++) calls.push(fire('stranger'), fire('poor'), fire('rich'));
    const codes = await allSettledOrThrow(calls);
    expect(codes.every((c) => c === Code.OK)).toBe(true);
    const ran = (await server.stats()).firstTokens.slice(before);
    expect(ran).toHaveLength(3 * PER_CALLER);
    const meanRank = (who: Caller, list: Array<Caller | number>) =>
      list.reduce<number>((sum, w, rank) => (w === who || w === CALLERS[who] ? sum + rank : sum), 0) / PER_CALLER;
    for (const list of [ran, finished]) {
      expect(meanRank('poor', list) - meanRank('rich', list)).toBeGreaterThan(PER_CALLER / 3);
      expect(meanRank('stranger', list) - meanRank('poor', list)).toBeGreaterThan(PER_CALLER / 3);
    }
  });
});
