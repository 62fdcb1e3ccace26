import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../../../src/neuron/ml/backend.js';
import { CheckpointDamagedError, loadCheckpoint, saveCheckpoint } from '../../../../src/neuron/ml/checkpoint.js';
import { ConvEncoder, JunkEncoder } from '../../../../src/neuron/ml/encoders.js';
import { readOut } from '../../../../src/neuron/ml/ops.js';
import { folderHandler, PretrainedEncoder } from '../../../../src/neuron/ml/pretrained.js';
import { ServingModel } from '../../../../src/neuron/ml/serving.js';
import { weightsFromScores } from '../../../../src/neuron/weights.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'bt-serving-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const conv = (seed: number) =>
  new ConvEncoder({ kind: 'conv', dim: 8, inputTokens: [1, 2, 3, 4], blocks: 1, kernel: 2, ffn: 8, seed }, `t${seed}`);

describe('serving copy', () => {
  it('serves what the trainer has after an update, and leaks nothing over many forwards', async () => {
    const trained = conv(1);
    const serving = new ServingModel(conv(2));
    const tokens = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const before = serving.forward(tokens, 2, 3);
    serving.update({ config: trained.config(), weights: await trained.readWeights(), step: 7 });
    const after = serving.forward(tokens, 2, 3);
    const expected = readOut(() => trained.apply(tf.tensor2d(tokens, [2, 3], 'int32')));
    expect(Array.from(after)).toEqual(Array.from(expected));
    expect(Array.from(after)).not.toEqual(Array.from(before));
    expect(serving.step).toBe(7);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) serving.forward(tokens, 2, 3);
    expect(tf.memory().numTensors).toBe(count);
  });

  it('junk answers noise that does not depend on the input, and takes no gradients', () => {
    const got: number[] = [];
    const junk = new ServingModel(new JunkEncoder({ kind: 'junk', dim: 4, seed: 1 }), () => got.push(1));
    const a = junk.forward(Int32Array.from([1, 2]), 1, 2);
    const b = junk.forward(Int32Array.from([1, 2]), 1, 2);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    junk.backward(Int32Array.from([1, 2]), new Float32Array(8), 1, 2);
    expect(got).toHaveLength(0);
  });
});

describe('pretrained encoder', () => {
  it('serves a TF.js layers model saved to a folder, as it was saved', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 50257, outputDim: 6, inputLength: 5 }),
        tf.layers.dense({ units: 6, activation: 'tanh' }),
      ],
    });
    const folder = join(dir, 'model');
    await model.save(folderHandler(folder));
    const ids = tf.tensor2d([[1, 50256, 3, 4, 5]], [1, 5], 'int32');
    const expected = (model.predict(tf.cast(ids, 'float32')) as tf.Tensor).dataSync();
    const encoder = await PretrainedEncoder.load(folder);
    expect(encoder.dim).toBe(6);
    expect(encoder.trainable).toBe(false);
    const got = new ServingModel(encoder).forward(Int32Array.from([1, 50256, 3, 4, 5]), 1, 5);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('a folder without a model is one line', async () => {
    await expect(PretrainedEncoder.load(join(dir, 'nothing'))).rejects.toThrow(/not a TF\.js layers model/);
  });
});

describe('checkpoints', () => {
  const sample = () => ({
    state: { step: 12, batches: 30 },
    groups: {
      encoder: { a: Float32Array.of(1, 2, 3) },
      net: { b: Float32Array.of(-1), c: new Float32Array(7).fill(0.5) },
    },
  });

  it('round-trip exactly; none is undefined', async () => {
    const file = join(dir, 'ck', 'checkpoint.bin');
    await saveCheckpoint(file, sample());
    const back = await loadCheckpoint(file);
    expect(back?.state).toEqual({ step: 12, batches: 30 });
    expect(Array.from(back!.groups['net']!['c']!)).toEqual(Array.from(sample().groups.net.c));
    expect(Array.from(back!.groups['encoder']!['a']!)).toEqual([1, 2, 3]);
    expect(await loadCheckpoint(join(dir, 'none.bin'))).toBeUndefined();
  });

  it('a flipped byte, a truncated file or another file is CheckpointDamagedError', async () => {
    const file = join(dir, 'bad.bin');
    await saveCheckpoint(file, sample());
    const bytes = Buffer.from(await (await import('node:fs/promises')).readFile(file));
    bytes[bytes.length - 40]! ^= 1;
    await writeFile(file, bytes);
    await expect(loadCheckpoint(file)).rejects.toThrow(CheckpointDamagedError);
    await writeFile(file, bytes.subarray(0, 20));
    await expect(loadCheckpoint(file)).rejects.toThrow(/damaged/);
    await writeFile(file, 'hello');
    await expect(loadCheckpoint(file)).rejects.toThrow(/not a checkpoint/);
  });
});

describe('weights from peer scores', () => {
  it('normalizes importance, floors every known peer, drops negative scores, keeps u16 entries >= 1', () => {
    const w = weightsFromScores(
      new Map([
        [1, 0.08],
        [2, 0.02],
        [3, -0.01],
      ]),
      [1, 2, 3, 4],
      { floor: 0.04 },
    );
    expect(w.map(([u]) => u)).toEqual([1, 2, 3, 4]);
    const byUid = new Map(w);
    expect(byUid.get(1)).toBe(65535);
    expect(byUid.get(2)! / byUid.get(1)!).toBeCloseTo((0.96 * 0.2 + 0.01) / (0.96 * 0.8 + 0.01), 3);
    expect(byUid.get(3)).toBe(byUid.get(4)); // negative and unmeasured: the floor only
    expect(byUid.get(3)).toBeGreaterThanOrEqual(1);
    expect(weightsFromScores(new Map(), [5, 6])).toEqual([
      [5, 65535],
      [6, 65535],
    ]);
    expect(weightsFromScores(new Map([[1, 1]]), [])).toEqual([]);
    expect(
      weightsFromScores(
        new Map([
          [1, 3],
          [2, 2],
          [3, 1],
        ]),
        [1, 2, 3],
        { maxEntries: 2 },
      ).map(([u]) => u),
    ).toEqual([1, 2]);
  });
});
