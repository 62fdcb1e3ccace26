import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFloatTensor, encodeIntTensor, encodeWithTensor } from '../../src/neuron/network/codec.js';
import { BACKWARD_PROTOCOL, GRADS_FIELD } from '../../src/neuron/network/axon.js';
import { BackwardRequest, BackwardResponse, Code, Modality } from '../../src/neuron/network/proto/bittensor.js';
import type { NeuronNode } from '../../src/neuron/node.js';
import { addressOf, exchange, RecordingModel, startNeuron, varint } from '../support/neuron-net.js';

// The sizes `neuron serve` documents: batch up to 64, sequence up to 512, the network dimension 128.
const DIM = 128;
const MAX_BATCH = 64;
const MAX_SEQ = 512;

const tokenIds = (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 7919) % 50_000);
const grads = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i % 97) - 48) / 1000);

let model: RecordingModel;
let server: NeuronNode;
let client: NeuronNode;

beforeAll(async () => {
  model = new RecordingModel(DIM);
  [server, client] = await Promise.all([startNeuron({ model }), startNeuron({ dim: DIM })]);
});

afterAll(async () => {
  await Promise.all([server.stop(), client.stop()]);
});

/** The request bytes the dendrite sends for a backward of [batch, seq, DIM] gradients. */
function backwardRequest(batch: number, seq: number, g: Float32Array): Uint8Array {
  const head = BackwardRequest.encode({
    modality: Modality.TEXT,
    inputs: encodeIntTensor(tokenIds(batch * seq), [batch, seq]),
  });
  return encodeWithTensor(head, GRADS_FIELD, encodeFloatTensor(g, [batch, seq, DIM], false)).subarray();
}

describe('tensors up to the documented limits, over 4 MiB, in both directions', () => {
  it.each([
    [16, 512],
    [32, 512],
    [64, 512],
  ])('forward [%i, %i] returns the whole FLOAT32 answer (4-16 MiB)', async (batch, seq) => {
    const tokens = tokenIds(batch * seq);
    const result = await client.dendrite.forward([addressOf(server)], tokens, batch, seq, DIM);
    expect(result.codes).toEqual([Code.OK]);
    const out = result.outputs[0]!;
    expect(out.byteLength).toBe(batch * seq * DIM * 4);
    const expected = new RecordingModel(DIM).forward(tokens, batch, seq);
    expect(out[out.length - 1]).toBe(expected[expected.length - 1]);
    expect(out[12_345]).toBe(expected[12_345]);
  });

  it.each([
    [16, 512],
    [64, 512],
  ])('backward [%i, %i, 128] gradients (4-16 MiB requests) reach the model', async (batch, seq) => {
    const g = grads(batch * seq * DIM);
    const calls = model.backwardCalls;
    const energy = model.gradientEnergy;
    const result = await client.dendrite.backward([addressOf(server)], tokenIds(batch * seq), [g], batch, seq, DIM);
    expect(result.codes).toEqual([Code.OK]);
    expect(model.backwardCalls).toBe(calls + 1);
    expect(model.gradientEnergy - energy).toBeCloseTo(
      g.reduce((e, x) => e + x * x, 0),
      0,
    );
  });

  it('a request one byte over the largest allowed frame is TOO_LARGE; the largest allowed one is served', async () => {
    // The axon's default frame limit: a full batch of FLOAT32 gradients and their inputs, plus headroom.
    const limit = MAX_BATCH * MAX_SEQ * (DIM + 1) * 4 + 4096;
    const body = backwardRequest(MAX_BATCH, MAX_SEQ, grads(MAX_BATCH * MAX_SEQ * DIM));
    expect(body.byteLength).toBeLessThan(limit);
    // Pad the real request up to the limit with an unknown field (number 15, bytes), which decoders skip.
    const pad = (to: number) => {
      const tag = Uint8Array.of((15 << 3) | 2);
      let n = to - body.byteLength - tag.length;
      n -= varint(n).length;
      const len = varint(n);
      const out = new Uint8Array(to);
      out.set(body);
      out.set(tag, body.byteLength);
      out.set(len, body.byteLength + 1);
      return out;
    };
    const framedOf = (bytes: Uint8Array) => {
      const prefix = varint(bytes.byteLength);
      const out = new Uint8Array(prefix.length + bytes.byteLength);
      out.set(prefix);
      out.set(bytes, prefix.length);
      return out;
    };
    const at = addressOf(server);
    const largest = pad(limit);
    expect(largest.byteLength).toBe(limit);
    const ok = await exchange(client.libp2p, at, BACKWARD_PROTOCOL, framedOf(largest), 20_000);
    expect(ok.error).toBeUndefined();
    expect(BackwardResponse.decode(ok.frame!).code).toBe(Code.OK);

    const over = await exchange(client.libp2p, at, BACKWARD_PROTOCOL, framedOf(pad(limit + 1)), 20_000);
    expect(over.error).toBeUndefined();
    expect(BackwardResponse.decode(over.frame!)).toMatchObject({ code: Code.TOO_LARGE });
  });

  it('an answer one byte over the dendrite’s maxResponseBytes is TOO_LARGE, not unreachable; with room for it, OK', async () => {
    const [batch, seq] = [16, 512];
    const answerBytes = (await client.dendrite.forward([addressOf(server)], tokenIds(batch * seq), batch, seq, DIM))
      .outputs[0]!.byteLength;
    // The frame is the tensor's bytes plus the message's small header: find it by asking with an exact limit.
    const strict = await startNeuron({ dim: DIM, dendrite: { maxResponseBytes: answerBytes } });
    const roomy = await startNeuron({ dim: DIM, dendrite: { maxResponseBytes: answerBytes + 64 } });
    try {
      const refused = await strict.dendrite.forward([addressOf(server)], tokenIds(batch * seq), batch, seq, DIM);
      expect(refused.codes).toEqual([Code.TOO_LARGE]);
      const served = await roomy.dendrite.forward([addressOf(server)], tokenIds(batch * seq), batch, seq, DIM);
      expect(served.codes).toEqual([Code.OK]);
    } finally {
      await Promise.all([strict.stop(), roomy.stop()]);
    }
  });

  it('more than the documented batch is still TOO_LARGE', async () => {
    const result = await client.dendrite.forward([addressOf(server)], tokenIds(65 * 8), 65, 8, DIM);
    expect(result.codes).toEqual([Code.TOO_LARGE]);
  });
});
