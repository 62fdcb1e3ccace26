import { f16round } from '@petamoriken/float16';
import type { Multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingModel } from '../../src/neuron/model.js';
import { BACKWARD_PROTOCOL, FORWARD_PROTOCOL, VOCAB_SIZE } from '../../src/neuron/network/axon.js';
import { decodeTensor, encodeFloatTensor, encodeIntTensor } from '../../src/neuron/network/codec.js';
import {
  BackwardResponse,
  Code,
  ForwardRequest,
  ForwardResponse,
  Modality,
  Tensor,
  type BackwardRequest,
} from '../../src/neuron/network/proto/bittensor.js';
import type { NeuronNode } from '../../src/neuron/node.js';
import {
  addressOf,
  allSettledOrThrow,
  askBackward,
  askForward,
  exchange,
  framed,
  openRequest,
  RecordingModel,
  startNeuron,
  startWorkerNeuron,
  type Exchange,
  type WorkerNeuron,
  varint,
} from '../support/neuron-net.js';

const DIM = 16;
const MAX_BATCH = 4;
const MAX_SEQ = 8;
const MAX_MESSAGE = 16_384; // room for [4, 8, 16] FLOAT32 gradients (2 KiB) and more
const TIMEOUT_MS = 400;

/** A model that counts forward calls (and gradients), so that a test can see a refused request was never applied. */
class CountingModel extends RecordingModel {
  forwardCalls = 0;
  override forward(tokens: Int32Array, batch: number, seq: number): Float32Array {
    this.forwardCalls++;
    return super.forward(tokens, batch, seq);
  }
}

const tokenIds = (n: number, seed = 1) =>
  Int32Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104_729) % 50_000);
const textInputs = (batch: number, seq: number, seed = 1) => encodeIntTensor(tokenIds(batch * seq, seed), [batch, seq]);
const gradients = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) / 3);

let model: CountingModel;
let server: NeuronNode; // small limits, FLOAT32 answers
let serverAt: Multiaddr;
let halfModel: HashingModel;
let halfServer: NeuronNode; // default limits, FLOAT16 answers
let halfAt: Multiaddr;
let client: NeuronNode;
let halfClient: NeuronNode; // sends FLOAT16 gradients
let other: NeuronNode;
const nodes: NeuronNode[] = [];

beforeAll(async () => {
  model = new CountingModel(DIM);
  halfModel = new HashingModel(DIM);
  [server, halfServer, client, halfClient, other] = await Promise.all([
    startNeuron({
      model,
      axon: { maxBatch: MAX_BATCH, maxSeq: MAX_SEQ, maxMessageBytes: MAX_MESSAGE, requestTimeoutMs: TIMEOUT_MS },
    }),
    startNeuron({ model: halfModel, axon: { halfPrecision: true } }),
    startNeuron({ dim: DIM }),
    startNeuron({ dim: DIM, dendrite: { halfPrecision: true } }),
    startNeuron({ dim: DIM }),
  ]);
  nodes.push(server, halfServer, client, halfClient, other);
  serverAt = addressOf(server);
  halfAt = addressOf(halfServer);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

describe('connected peers', () => {
  it('counts a peer once, however many connections it holds', async () => {
    const a = await startNeuron();
    const b = await startNeuron();
    try {
      await a.libp2p.dial(addressOf(b));
      // A second connection to the same peer, as both sides dialing again after a sleep leaves for a while.
      await a.libp2p.dial(addressOf(b), { force: true });
      expect(a.libp2p.getConnections(b.peerId)).toHaveLength(2);
      expect(a.peersConnected()).toBe(1);
      await expect.poll(() => b.peersConnected()).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('forward and backward between real nodes', () => {
  it('forward answers [batch, seq, dim], deterministic in the tokens', async () => {
    const tokens = tokenIds(2 * 3);
    const first = await client.dendrite.forward([serverAt], tokens, 2, 3, DIM);
    expect(first.mask).toEqual([true]);
    expect(first.codes).toEqual([Code.OK]);
    const out = first.outputs[0]!;
    expect(out).toHaveLength(2 * 3 * DIM);
    expect(Array.from(out)).toEqual(Array.from(new RecordingModel(DIM).forward(tokens, 2, 3)));
    // Same tokens, same answer, from another caller too.
    const again = await other.dendrite.forward([serverAt], tokens, 2, 3, DIM);
    expect(Array.from(again.outputs[0]!)).toEqual(Array.from(out));
    // One token changed: only its row changes.
    const changed = Int32Array.from(tokens);
    changed[4] = (changed[4]! + 1) % VOCAB_SIZE;
    const third = (await client.dendrite.forward([serverAt], changed, 2, 3, DIM)).outputs[0]!;
    for (let row = 0; row < 6; row++) {
      const same = third.subarray(row * DIM, (row + 1) * DIM).every((v, d) => v === out[row * DIM + d]);
      expect(same).toBe(row !== 4);
    }
  });

  it('a halfPrecision server answers FLOAT16 (half the bytes); the client accepts it within fp16 error', async () => {
    const tokens = tokenIds(3 * 5, 2);
    const exact = new RecordingModel(DIM).forward(tokens, 3, 5);
    const raw = await askForward(client.libp2p, halfAt, { inputs: encodeIntTensor(tokens, [3, 5]) });
    expect(raw.code).toBe(Code.OK);
    expect(raw.outputs!.dtype).toBe(Tensor.DType.FLOAT16);
    expect(raw.outputs!.shape).toEqual([3, 5, DIM]);
    expect(raw.outputs!.data.byteLength).toBe(exact.length * 2);
    const { outputs, mask } = await client.dendrite.forward([halfAt], tokens, 3, 5, DIM);
    expect(mask).toEqual([true]);
    const got = outputs[0]!;
    let worst = 0;
    exact.forEach((x, i) => {
      expect(got[i]).toBe(f16round(x));
      worst = Math.max(worst, Math.abs(got[i]! - x) / Math.max(Math.abs(x), 2 ** -14));
    });
    expect(worst).toBeLessThanOrEqual(2 ** -11); // half a unit in the last place of 10 mantissa bits
  });

  it('backward gradients arrive at the model (FLOAT32 and FLOAT16)', async () => {
    const tokens = tokenIds(2 * 4, 3);
    const grads = gradients(2 * 4 * DIM);
    const energy = grads.reduce((e, g) => e + g * g, 0);
    const before = { calls: model.backwardCalls, energy: model.gradientEnergy };
    const result = await client.dendrite.backward([serverAt], tokens, [grads], 2, 4, DIM);
    expect(result).toEqual({ mask: [true], codes: [Code.OK] });
    expect(model.backwardCalls).toBe(before.calls + 1);
    expect(model.gradientEnergy - before.energy).toBeCloseTo(energy, 10);

    const half = await halfClient.dendrite.backward([serverAt], tokens, [grads], 2, 4, DIM);
    expect(half.mask).toEqual([true]);
    expect(model.backwardCalls).toBe(before.calls + 2);
    const halfEnergy = grads.reduce((e, g) => e + f16round(g) ** 2, 0);
    expect(model.gradientEnergy - before.energy - energy).toBeCloseTo(halfEnergy, 10);
    expect(halfEnergy).not.toBe(energy);
  });
});

describe('every limit is enforced with its code, and nothing refused is applied', () => {
  type Case = [name: string, request: Partial<BackwardRequest>, code: Code, message: RegExp];
  const int = (shape: number[], ids?: number[]) =>
    encodeIntTensor(Int32Array.from(ids ?? tokenIds(shape.reduce((a, b) => a * b, 1))), shape);
  const forwardCases: Case[] = [
    ['batch over the limit', { inputs: textInputs(MAX_BATCH + 1, 2) }, Code.TOO_LARGE, /at most 4 x 8/],
    ['seq over the limit', { inputs: textInputs(1, MAX_SEQ + 1) }, Code.TOO_LARGE, /at most 4 x 8/],
    ['more tokens than batch x seq', { inputs: textInputs(MAX_BATCH * 2, MAX_SEQ) }, Code.TOO_LARGE, /more than 32/],
    ['a token id past the vocabulary', { inputs: int([1, 3], [1, VOCAB_SIZE, 2]) }, Code.BAD_REQUEST, /50257/],
    ['a negative token id', { inputs: int([1, 3], [1, -1, 2]) }, Code.BAD_REQUEST, /-1 is outside/],
    ['float inputs', { inputs: encodeFloatTensor(new Float32Array(4), [1, 4]) }, Code.BAD_REQUEST, /INT32/],
    ['rank-1 inputs', { inputs: int([4]) }, Code.BAD_REQUEST, /\[batch, seq\]/],
    ['rank-3 inputs', { inputs: int([1, 2, 2]) }, Code.BAD_REQUEST, /\[batch, seq\]/],
    ['rank-4 inputs', { inputs: int([1, 1, 2, 2]) }, Code.BAD_REQUEST, /1 to 3 dimensions/],
    ['no inputs', {}, Code.BAD_REQUEST, /inputs: is missing/],
    ['a zero dimension', { inputs: { ...int([1, 2]), shape: [0, 2] } }, Code.BAD_REQUEST, /sizes must be >= 1/],
    ['data shorter than its shape', { inputs: { ...int([2, 2]), shape: [2, 3] } }, Code.BAD_REQUEST, /bytes/],
    ['another modality', { modality: Modality.IMAGE, inputs: textInputs(1, 2) }, Code.BAD_REQUEST, /TEXT/],
  ];
  it.each(forwardCases)('forward: %s', async (_name, request, code, message) => {
    const calls = model.forwardCalls;
    const answer = await askForward(other.libp2p, serverAt, request);
    expect(answer.code).toBe(code);
    expect(answer.message).toMatch(message);
    expect(answer.outputs).toBeUndefined();
    expect(model.forwardCalls).toBe(calls);
  });

  const inputs = textInputs(2, 3);
  const n = 2 * 3 * DIM;
  const withBad = (i: number, v: number) => {
    const g = gradients(n);
    g[i] = v;
    return g;
  };
  const halfInfinity = { dtype: Tensor.DType.FLOAT16, shape: [2, 3, DIM], data: new Uint8Array(n * 2) };
  new DataView(halfInfinity.data.buffer).setUint16(2 * 17, 0x7c00, true);
  const backwardCases: Case[] = [
    ['NaN gradients', { inputs, grads: encodeFloatTensor(withBad(5, NaN), [2, 3, DIM]) }, Code.BAD_REQUEST, /finite/],
    [
      'infinite gradients',
      { inputs, grads: encodeFloatTensor(withBad(n - 1, -Infinity), [2, 3, DIM]) },
      Code.BAD_REQUEST,
      /finite/,
    ],
    ['infinite FLOAT16 gradients', { inputs, grads: halfInfinity }, Code.BAD_REQUEST, /finite/],
    [
      'huge gradients',
      { inputs, grads: encodeFloatTensor(withBad(7, 1e6), [2, 3, DIM]) },
      Code.BAD_REQUEST,
      /within ±100/,
    ],
    [
      'huge negative gradients',
      { inputs, grads: encodeFloatTensor(withBad(0, -101), [2, 3, DIM]) },
      Code.BAD_REQUEST,
      /within/,
    ],
    [
      'gradients of the wrong shape',
      { inputs, grads: encodeFloatTensor(gradients(n), [3, 2, DIM]) },
      Code.BAD_REQUEST,
      /grads must be a float tensor \[2, 3, 16\]/,
    ],
    [
      'gradients of the wrong width',
      { inputs, grads: encodeFloatTensor(gradients(2 * 3 * 8), [2, 3, 8]) },
      Code.BAD_REQUEST,
      /grads must be/,
    ],
    [
      'INT32 gradients',
      { inputs, grads: encodeIntTensor(new Int32Array(n), [2, 3, DIM]) },
      Code.BAD_REQUEST,
      /float tensor/,
    ],
    ['no gradients', { inputs }, Code.BAD_REQUEST, /grads: is missing/],
    [
      'too many gradients',
      { inputs, grads: encodeFloatTensor(gradients(n * 2), [4, 3, DIM]) },
      Code.TOO_LARGE,
      /more than 96/,
    ],
    [
      'bad inputs',
      { inputs: int([1, 3], [1, VOCAB_SIZE, 2]), grads: encodeFloatTensor(gradients(3 * DIM), [1, 3, DIM]) },
      Code.BAD_REQUEST,
      /vocabulary/,
    ],
    [
      'inputs over the limit',
      {
        inputs: textInputs(1, MAX_SEQ + 1),
        grads: encodeFloatTensor(gradients((MAX_SEQ + 1) * DIM), [1, MAX_SEQ + 1, DIM]),
      },
      Code.TOO_LARGE,
      /at most/,
    ],
  ];
  it.each(backwardCases)('backward: %s', async (_name, request, code, message) => {
    const { calls, energy } = { calls: model.backwardCalls, energy: model.gradientEnergy };
    const answer = await askBackward(other.libp2p, serverAt, request);
    expect(answer.code).toBe(code);
    expect(answer.message).toMatch(message);
    expect(model.backwardCalls).toBe(calls);
    expect(model.gradientEnergy).toBe(energy);
  });

  it('garbage frames get BAD_REQUEST on both protocols', async () => {
    const garbage = [
      Uint8Array.from([0xff, 0xff, 0xff]),
      Uint8Array.from([0x12, 0x40, 1, 2, 3]), // inputs declared 64 bytes, 3 sent
      Uint8Array.from([0x0f]), // wire type 7
      new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    ];
    for (const protocol of [FORWARD_PROTOCOL, BACKWARD_PROTOCOL]) {
      for (const bytes of garbage) {
        const { frame, error } = await exchange(other.libp2p, serverAt, protocol, framed(bytes));
        expect(error).toBeUndefined();
        const answer = (protocol === FORWARD_PROTOCOL ? ForwardResponse : BackwardResponse).decode(frame!);
        expect(answer.code).toBe(Code.BAD_REQUEST);
      }
    }
  });

  it('a frame declared just over maxMessageBytes is refused with TOO_LARGE before its body is sent', async () => {
    for (const protocol of [FORWARD_PROTOCOL, BACKWARD_PROTOCOL]) {
      // No body is ever sent: an answer at all says the server did not wait for one (waiting, it would have timed
      // out and reset the stream, with no answer).
      const { frame, error } = await exchange(other.libp2p, serverAt, protocol, varint(MAX_MESSAGE + 1));
      expect(error).toBeUndefined();
      expect(ForwardResponse.decode(frame!)).toMatchObject({ code: Code.TOO_LARGE, message: /16384 bytes/ });
    }
    const ok = await askForward(other.libp2p, serverAt, { inputs: textInputs(1, 2) });
    expect(ok.code).toBe(Code.OK);
  });

  // A declared length whose varint is longer than maxMessageBytes' own varint (1 GiB takes 5 bytes; 16 KiB or the
  // default ~16 MiB limit take 3 or 4) makes lpStream throw 'InvalidDataLengthLengthError', not
  // 'InvalidDataLengthError': TOO_LARGE as well, not INTERNAL.
  it.each([
    ['a small limit', () => server],
    ['the default limit', () => halfServer],
  ])(
    'a 1 GiB frame claim against %s: TOO_LARGE (or a reset) at once, and the server keeps serving',
    async (_n, node) => {
      const { refused } = node().axon.stats;
      const before = { tooLarge: refused[Code.TOO_LARGE] ?? 0, timeout: refused[Code.TIMEOUT] ?? 0 };
      for (const protocol of [FORWARD_PROTOCOL, BACKWARD_PROTOCOL]) {
        const { frame, error } = await exchange(other.libp2p, addressOf(node()), protocol, varint(2 ** 30));
        if (frame) expect(ForwardResponse.decode(frame).code).toBe(Code.TOO_LARGE);
        else expect(error?.name).toMatch(/Reset|Abort/);
      }
      // Refused for its size as soon as the length was read, not left to time out.
      expect(refused[Code.TOO_LARGE]).toBe(before.tooLarge + 2);
      expect(refused[Code.TIMEOUT] ?? 0).toBe(before.timeout);
      const ok = await askForward(client.libp2p, addressOf(node()), { inputs: textInputs(1, 2) });
      expect(ok.code).toBe(Code.OK);
    },
  );

  it('a request never sent (or cut short) is reset after requestTimeoutMs; the server stays fine', async () => {
    const calls = model.forwardCalls;
    const timedOut = server.axon.stats.refused[Code.TIMEOUT] ?? 0;
    const partial = Uint8Array.from([...varint(100), 1, 2, 3]);
    const results = await allSettledOrThrow<Exchange | ForwardResponse>([
      exchange(other.libp2p, serverAt, FORWARD_PROTOCOL, undefined),
      exchange(other.libp2p, serverAt, BACKWARD_PROTOCOL, partial),
      // Meanwhile the others are served.
      askForward(client.libp2p, serverAt, { inputs: textInputs(2, 2) }),
    ]);
    // Ended by the server's own deadline (its TIMEOUT count), well before the client's (5 s, an AbortError).
    for (const { frame, error } of results.slice(0, 2) as Exchange[]) {
      if (frame) expect(ForwardResponse.decode(frame).code).toBe(Code.TIMEOUT);
      else expect(error?.name).toMatch(/Reset/);
    }
    expect(server.axon.stats.refused[Code.TIMEOUT]).toBe(timedOut + 2);
    expect((results[2] as ForwardResponse).code).toBe(Code.OK);
    expect(model.forwardCalls).toBe(calls + 1);
    const after = await askForward(other.libp2p, serverAt, { inputs: textInputs(1, 1) });
    expect(after.code).toBe(Code.OK);
  });
});

describe('callers', () => {
  let refusing: NeuronNode;
  let rateLimited: NeuronNode;
  let slow: WorkerNeuron;
  // The rate limiter's clock: it moves only when the test moves it.
  let clock = 1_000_000;

  beforeAll(async () => {
    [refusing, rateLimited] = await Promise.all([
      startNeuron({
        dim: DIM,
        axon: { unknownCallers: 'refuse' },
        stakeOf: (peer) => (peer.equals(client.peerId) ? 5 : undefined),
      }),
      startNeuron({ dim: DIM, axon: { perCallerRate: 2, now: () => clock } }),
    ]);
    nodes.push(refusing, rateLimited);
    slow = await startWorkerNeuron({
      dim: DIM,
      forwardDelayMs: 300,
      axon: { maxConcurrent: 1, perCallerConcurrency: 2, maxQueue: 16 },
    });
  });

  afterAll(async () => {
    await slow?.stop();
  });

  it("unknownCallers 'refuse': a caller the ledger does not know gets UNKNOWN_CALLER; a known one is served", async () => {
    const at = addressOf(refusing);
    const unknown = await askForward(other.libp2p, at, { inputs: textInputs(1, 2) });
    expect(unknown.code).toBe(Code.UNKNOWN_CALLER);
    const unknownBackward = await askBackward(other.libp2p, at, {
      inputs: textInputs(1, 2),
      grads: encodeFloatTensor(gradients(2 * DIM), [1, 2, DIM]),
    });
    expect(unknownBackward.code).toBe(Code.UNKNOWN_CALLER);
    const known = await askForward(client.libp2p, at, { inputs: textInputs(1, 2) });
    expect(known.code).toBe(Code.OK);
    expect(refusing.axon.stats.refused[Code.UNKNOWN_CALLER]).toBe(2);
  });

  it('perCallerRate: requests beyond the rate get OVERLOADED; another caller is unaffected', async () => {
    const at = addressOf(rateLimited);
    // Six requests at once, and the clock stands still: the bucket's two tokens go to two of them.
    const streams = await allSettledOrThrow(
      Array.from({ length: 6 }, () => openRequest(client.libp2p, at, FORWARD_PROTOCOL)),
    );
    const frame = framed(ForwardRequest.encode({ inputs: textInputs(1, 2) }));
    for (const s of streams) s.send(frame);
    const answers = (await allSettledOrThrow(streams.map((s) => s.answer()))).map(({ frame, error }) => {
      if (!frame) throw error;
      return ForwardResponse.decode(frame);
    });
    const codes = answers.map((a) => a.code).sort();
    expect(codes).toEqual([Code.OK, Code.OK, ...Array(4).fill(Code.OVERLOADED)].sort());
    expect(answers.find((a) => a.code === Code.OVERLOADED)!.message).toMatch(/2 requests per second per caller/);
    expect((await askForward(other.libp2p, at, { inputs: textInputs(1, 2) })).code).toBe(Code.OK);
    // The bucket refills at two tokens a second: half a token after 250 ms, one more request after 500 ms.
    const ask = async () => (await askForward(client.libp2p, at, { inputs: textInputs(1, 2) })).code;
    clock += 250;
    expect(await ask()).toBe(Code.OVERLOADED);
    clock += 250;
    expect(await ask()).toBe(Code.OK);
    expect(await ask()).toBe(Code.OVERLOADED);
  });

  it('perCallerConcurrency: a caller with too many requests in progress gets OVERLOADED; others are served', async () => {
    const warm = await allSettledOrThrow(
      [client, other, halfClient].map((n) => askForward(n.libp2p, slow.address, { inputs: textInputs(1, 2) })),
    );
    expect(warm.map((a) => a.code)).toEqual([Code.OK, Code.OK, Code.OK]);
    // Streams negotiated first (six from `client`, one from `halfClient`); then `other` takes the only slot (a
    // 300 ms model in the server's own thread) and, while it runs, the seven requests go out at once: the server
    // reads them together.
    const frame = framed(ForwardRequest.encode({ inputs: textInputs(1, 2) }));
    const open = (node: NeuronNode) => openRequest(node.libp2p, slow.address, FORWARD_PROTOCOL, 10_000);
    const greedy = await allSettledOrThrow(Array.from({ length: 6 }, () => open(client)));
    const polite = await open(halfClient);
    const holder = askForward(other.libp2p, slow.address, { inputs: textInputs(1, 2) }, 10_000);
    await slow.forwardStarted(4);
    for (const request of [...greedy, polite]) request.send(frame);
    const exchanges = await allSettledOrThrow([polite, ...greedy].map((r) => r.answer()));
    const answers = exchanges.map(({ frame, error }) => {
      if (!frame) throw error;
      return ForwardResponse.decode(frame);
    });
    expect((await holder).code).toBe(Code.OK);
    expect(answers[0]!.code).toBe(Code.OK);
    const codes = answers.slice(1).map((a) => a.code);
    // Two of the six are admitted (running or waiting); the other four are refused at once.
    expect(codes.filter((c) => c === Code.OK)).toHaveLength(2);
    expect(codes.filter((c) => c === Code.OVERLOADED)).toHaveLength(4);
    expect(answers.find((a) => a.code === Code.OVERLOADED)!.message).toMatch(/2 requests at once per caller/);
    expect((await slow.stats()).forwardCalls).toBe(3 + 1 + 1 + 2);
  });
});

describe('the codec sees what the axon sent', () => {
  it('an OK forward answer decodes with the same limits the dendrite uses', async () => {
    const answer = await askForward(client.libp2p, serverAt, { inputs: textInputs(2, 2) });
    const out = decodeTensor(answer.outputs, 'outputs', { maxElements: 2 * 2 * DIM, maxRank: 3 });
    expect(out.kind).toBe('float');
    expect(out.shape).toEqual([2, 2, DIM]);
  });
});
