import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../../../src/neuron/ml/backend.js';
import {
  assignOwners,
  combineGradients,
  combineStepValues,
  packRows,
  pickGradients,
  updateFrom,
  shardRanges,
  unpackRows,
  type PackedGradient,
  type ShardResult,
} from '../../../../src/neuron/ml/data-parallel.js';
import { BatchSampler, buildVocabulary, type Batch } from '../../../../src/neuron/ml/dataset.js';
import { ConvEncoder, type ConvEncoderConfig } from '../../../../src/neuron/ml/encoders.js';
import { readOut } from '../../../../src/neuron/ml/ops.js';
import { Trainer, type PeerAnswers, type StepResult, type TrainerInit } from '../../../../src/neuron/ml/trainer.js';
import {
  DataParallelTrainer,
  PROBE_GAIN,
  PROBE_WARM_UP,
  threadReplica,
  type ReplicaFactory,
} from '../../../../src/neuron/worker/replicas.js';
import { seededRandom } from '../../../../src/shared/random.js';
import type { WeightMap } from '../../../../src/shared/training.js';

/**
 * Data-parallel training on worker threads (the replicas run the compiled dist/ build) against one thread on
 * the same global batch. Float32 sums the shards in another order than one kernel sums the batch, so the bar
 * is a tolerance, not bitwise; the replicas, which all apply one combined update, stay bitwise equal.
 */

const B = 4;
const S = 16;
const DIM = 16;
/**
 * Measured here (wasm, 5 steps): losses within 3e-7 relative, peers' gradients 1.2e-7 in relative L2 norm,
 * weights within 5e-7; the tolerances leave a margin of 20 or more. Losses and peers' gradients are relative
 * to the one-thread value.
 */
const LOSS_TOLERANCE = 1e-5;
const PEER_GRAD_TOLERANCE = 1e-4;
/** Weights after the steps: the largest absolute difference (Adam's steps are 2e-3 here). */
const WEIGHT_TOLERANCE = 1e-5;
/**
 * Adam's moments after the steps: the largest difference in a slot, relative to that slot's largest value
 * (measured 5.8e-7).
 */
const MOMENT_TOLERANCE = 1e-5;

const random = seededRandom(5);
const stream = Int32Array.from({ length: 6000 }, (_, i) => (i % 5 === 4 ? Math.floor(random() * 300) : (i * 37) % 97));
const encoder: ConvEncoderConfig = {
  kind: 'conv',
  dim: DIM,
  inputTokens: Array.from({ length: 300 }, (_, i) => i),
  blocks: 2,
  kernel: 2,
  ffn: 32,
  seed: 1,
};
const init: TrainerInit = { vocab: buildVocabulary(stream, 64), encoder };

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

const running: DataParallelTrainer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** Two fixed peers' answers to a batch; `missing` did not answer. */
function answersFor(peers: ConvEncoder[], batch: Batch, missing: number[] = []): PeerAnswers {
  return {
    uids: [1, 2],
    outputs: peers.map((p, i) =>
      missing.includes(i)
        ? undefined
        : readOut(() => p.apply(tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32'))),
    ),
  };
}

interface Logged {
  level: 'info' | 'warn';
  message: string;
  fields?: Record<string, unknown>;
}

async function parallel(
  threads: number,
  trainer: Trainer,
  spawnReplica?: ReplicaFactory,
  momentsEvery?: number,
  probe?: { steps: number; now: () => number },
) {
  const logs: Logged[] = [];
  const p = new DataParallelTrainer(
    {
      trainer,
      logger: {
        info: (message, fields) => logs.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
        warn: (message, fields) => logs.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
      },
      ...(spawnReplica ? { spawnReplica } : {}),
      ...(probe ? { now: probe.now } : {}),
    },
    {
      threads,
      backend: 'wasm',
      trainer: init,
      ...(momentsEvery ? { momentsEvery } : {}),
      ...(probe ? { probeSteps: probe.steps } : {}),
    },
  );
  running.push(p);
  await p.start();
  return { p, logs };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/**
 * The largest difference between two sets of weights (or gradients, or Adam's slots); `perSlot`: each relative to
 * its array's largest value (moments span many magnitudes).
 */
function largestDifference(
  a: Record<string, WeightMap>,
  b: Record<string, WeightMap>,
  { perSlot = false }: { perSlot?: boolean } = {},
): number {
  let diff = 0;
  for (const group of Object.keys(b)) {
    for (const key of Object.keys(b[group]!)) {
      const x = a[group]![key]!;
      const y = b[group]![key]!;
      expect(x.length).toBe(y.length);
      const scale = perSlot ? Math.max(1e-30, ...Array.from(y, Math.abs)) : 1;
      for (let i = 0; i < y.length; i++) diff = Math.max(diff, Math.abs(x[i]! - y[i]!) / scale);
    }
  }
  return diff;
}

function peerGradError(a: StepResult, b: StepResult): number {
  let worst = 0;
  b.peerGrads.forEach((g, i) => {
    const h = a.peerGrads[i];
    expect(h === undefined).toBe(g === undefined);
    if (!g || !h) return;
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < g.length; j++) {
      diff += (h[j]! - g[j]!) ** 2;
      norm += g[j]! ** 2;
    }
    worst = Math.max(worst, Math.sqrt(diff / norm));
  });
  return worst;
}

function bitwiseEqual(a: Record<string, WeightMap>, b: Record<string, WeightMap>): boolean {
  return Object.keys(b).every((group) =>
    Object.keys(b[group]!).every((key) => {
      const x = a[group]![key]!;
      const y = b[group]![key]!;
      return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
    }),
  );
}

describe('sharding and combining', () => {
  it('splits rows into contiguous, nearly equal, never empty ranges', () => {
    expect(shardRanges(4, 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(shardRanges(5, 3).map((r) => r.end - r.start)).toEqual([2, 2, 1]);
    expect(shardRanges(2, 8)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(shardRanges(3, 1)).toEqual([{ start: 0, end: 3 }]);
  });

  it('weights gradients, losses and gate means by rows, and joins peer gradients in row order, scaled', () => {
    const shard = (rows: number, g: number, loss: number, peer: number[]): ShardResult => ({
      rows,
      grads: { net: { w: Float32Array.of(g, 2 * g) }, solo: undefined },
      loss,
      lossStudent: 2 * loss,
      lossSolo: undefined,
      gate: [loss, 1 - loss],
      peerGrads: [Float32Array.from(peer), undefined],
    });
    const shards = [shard(3, 1, 0.25, [4, 8, 12]), shard(1, 5, 1, [2])];
    const c = combineStepValues(shards);
    expect(c.rows).toBe(4);
    expect(Array.from(unpackRows(combineGradients(shards).net['w']!))).toEqual([2, 4]);
    expect(c.loss).toBeCloseTo(0.4375, 12);
    expect(c.lossStudent).toBeCloseTo(0.875, 12);
    expect(c.gate[0]).toBeCloseTo(0.4375, 12);
    // A shard's loss is a mean over its rows: its rows' gradients scale by its share of the batch.
    expect(Array.from(c.peerGrads[0]!)).toEqual([3, 6, 9, 0.5]);
    expect(c.peerGrads[1]).toBeUndefined();
  });

  it("gives each variable one owner, balancing the values each thread updates, and picks an owner's gradients", () => {
    const sizes: Record<string, number> = { emb: 100, soloEmb: 100, head: 60, gate: 30, a: 10, b: 10, c: 5 };
    const keys = Object.keys(sizes);
    const owners = assignOwners(keys, (k) => sizes[k]!, 2);
    expect(owners.size).toBe(keys.length);
    const load = [0, 0];
    for (const [key, t] of owners) load[t]! += sizes[key]!;
    expect(load.sort()).toEqual([155, 160]);
    // The same keys give the same owners (every thread computes them).
    expect([...assignOwners(keys, (k) => sizes[k]!, 2)]).toEqual([...owners]);
    expect(new Set(assignOwners(keys, (k) => sizes[k]!, 3).values())).toEqual(new Set([0, 1, 2]));
    const grads = { net: { emb: Float32Array.of(1), head: Float32Array.of(2), a: Float32Array.of(3) }, solo: {} };
    const picked = pickGradients(grads, (k) => owners.get(k) === owners.get('emb'));
    expect(Object.keys(picked.net)).toEqual(Object.keys(grads.net).filter((k) => owners.get(k) === owners.get('emb')));
    expect(picked.solo).toEqual({});
    expect(pickGradients({ net: {}, solo: undefined }, () => true).solo).toBeUndefined();
  });
});

describe('gradients packed by rows', () => {
  /** A [rows, cols] gradient with values only in `nonzero` rows (seeded, of both signs). */
  const gradient = (rows: number, cols: number, nonzero: number[], seed: number): Float32Array => {
    const g = new Float32Array(rows * cols);
    for (const r of nonzero) for (let i = 0; i < cols; i++) g[r * cols + i] = Math.sin(seed * 7.3 + r * 1.7 + i) / 3;
    return g;
  };

  it('keeps only the nonzero rows of a mostly zero gradient, and restores it exactly', () => {
    const g = gradient(10, 3, [1, 7], 1);
    const p = packRows(g, [10, 3]);
    expect(p).not.toBeInstanceOf(Float32Array);
    const sparse = p as Exclude<PackedGradient, Float32Array>;
    expect(Array.from(sparse.rows)).toEqual([1, 7]);
    expect(sparse.values.length).toBe(6);
    expect(unpackRows(p)).toEqual(g);
  });

  it('leaves dense gradients, vectors and half-full ones as they are', () => {
    const half = gradient(4, 2, [0, 3, 2], 2);
    expect(packRows(half, [4, 2])).toBe(half);
    const vector = Float32Array.of(0, 0, 1);
    expect(packRows(vector, [3])).toBe(vector);
    // A row of zeros but for its last value is not left out.
    const last = new Float32Array(8);
    last[7] = -1e-30;
    expect(unpackRows(packRows(last, [4, 2]))).toEqual(last);
  });

  it('combines sparse shards into the same values the dense ones give, bit for bit', () => {
    const rows = 50;
    const cols = 4;
    const a = gradient(rows, cols, [3, 9, 20], 3);
    const b = gradient(rows, cols, [9, 20, 44, 45], 4);
    const shard = (rows: number, g: PackedGradient) => ({ rows, grads: { net: { e: g }, solo: undefined } });
    for (const [ra, rb] of [
      [3, 1],
      [2, 2],
    ] as const) {
      const dense = combineGradients([shard(ra, a), shard(rb, b)]).net['e']!;
      const sparse = combineGradients([shard(ra, packRows(a, [rows, cols])), shard(rb, packRows(b, [rows, cols]))]).net[
        'e'
      ]!;
      expect(dense).toBeInstanceOf(Float32Array);
      expect(Array.from((sparse as Exclude<PackedGradient, Float32Array>).rows)).toEqual([3, 9, 20, 44, 45]);
      expect(unpackRows(sparse)).toEqual(dense);
      // One sparse and one dense part: dense, the same values.
      expect(combineGradients([shard(ra, packRows(a, [rows, cols])), shard(rb, b)]).net['e']).toEqual(dense);
    }
  });
});

describe('the update every thread applies', () => {
  it("adds peers' gradients, packed or not, to the combined ones, and leaves the shards' arrays alone", () => {
    const e = new Float32Array(12);
    e.set([1, 2, 3], 3);
    const w = Float32Array.of(0.5, -0.5);
    const remoteE = new Float32Array(12);
    remoteE.set([10, 20, 30], 9);
    const packed = { net: { e: packRows(e, [4, 3]), w }, solo: { s: Float32Array.of(7) } };
    for (const remote of [{ e: remoteE }, { e: packRows(remoteE, [4, 3]) }]) {
      const u = updateFrom(packed, { net: remote, solo: undefined });
      expect(Array.from(u.net['e']!)).toEqual([0, 0, 0, 1, 2, 3, 0, 0, 0, 10, 20, 30]);
      expect(u.net['w']).toEqual(w);
      expect(Array.from(u.solo!['s']!)).toEqual([7]);
    }
    expect(Array.from(unpackRows(packed.net.e))).toEqual(Array.from(e));
    expect(() => updateFrom(packed, { net: { x: w }, solo: undefined })).toThrow(/x, which this step does not update/);
    expect(() => updateFrom(packed, { net: { w: e }, solo: undefined })).toThrow(/does not fit/);
  });
});

describe('data-parallel training on worker threads', { timeout: 60_000 }, () => {
  it('one step, then a few, on 2 threads equal 1 thread on the same batches: losses, peer gradients, weights', async () => {
    const one = new Trainer(init);
    const two = new Trainer(init);
    const { p, logs } = await parallel(2, two);
    expect(p.threads).toBe(2);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', message: 'data-parallel training' }));
    const peers = [
      new ConvEncoder({ ...encoder, seed: 7 }, 'dp-p1'),
      new ConvEncoder({ ...encoder, seed: 8 }, 'dp-p2'),
    ];
    const sampler = new BatchSampler(stream, B, S, 3);
    const errors = { loss: 0, peerGrads: 0, weightsAfterOne: 0, weights: 0 };
    const tensors: number[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = sampler.next();
      const answers = answersFor(peers, batch, i === 2 ? [1] : []);
      const a = await one.step(batch, answers);
      const b = await p.step(batch, answers);
      expect(b.step).toBe(a.step);
      expect(b.remoteApplied).toBe(a.remoteApplied);
      for (const k of ['loss', 'lossStudent', 'lossSolo'] as const) {
        errors.loss = Math.max(errors.loss, relative(b[k]!, a[k]!));
      }
      b.gate.forEach((g, j) => expect(g).toBeCloseTo(a.gate[j]!, 6));
      errors.peerGrads = Math.max(errors.peerGrads, peerGradError(b, a));
      if (i === 0) errors.weightsAfterOne = largestDifference(await two.readWeights(), await one.readWeights());
      // A peer's gradient for our answer, applied once by the coordinator: the same on both.
      if (i === 1) {
        const g = { inputs: batch.inputs, grads: a.peerGrads[0]!, batch: B, length: S, weight: 0.5 };
        one.receiveGradient(g);
        two.receiveGradient(g);
      }
      tensors.push(tf.memory().numTensors);
    }
    errors.weights = largestDifference(await two.readWeights(), await one.readWeights());
    expect(errors.loss).toBeLessThan(LOSS_TOLERANCE);
    expect(errors.peerGrads).toBeLessThan(PEER_GRAD_TOLERANCE);
    expect(errors.weightsAfterOne).toBeLessThan(WEIGHT_TOLERANCE);
    expect(errors.weights).toBeLessThan(WEIGHT_TOLERANCE);
    // The replica applied the same updates: its weights are the coordinator's, bit for bit.
    const [replica] = await p.replicaWeights();
    expect(replica!.steps).toBe(5);
    expect(bitwiseEqual(replica!.weights, await two.readWeights())).toBe(true);
    expect(tensors.at(-1)).toBe(tensors[1]);
    peers.forEach((e) => e.dispose());
    one.dispose();
    two.dispose();
  });

  it('3 threads on 4 rows (shards of 2, 1 and 1 rows, a third of the variables each) equal 1 thread too', async () => {
    const one = new Trainer(init);
    const three = new Trainer(init);
    const { p } = await parallel(3, three);
    expect(p.threads).toBe(3);
    const peers = [
      new ConvEncoder({ ...encoder, seed: 9 }, 'dp-p3'),
      new ConvEncoder({ ...encoder, seed: 10 }, 'dp-p4'),
    ];
    const sampler = new BatchSampler(stream, B, S, 4);
    let loss = 0;
    for (let i = 0; i < 3; i++) {
      const batch = sampler.next();
      const answers = answersFor(peers, batch);
      if (i === 1) {
        // A peer's gradient, added once by the coordinator to what every replica applies.
        const noise = seededRandom(13);
        const grads = Float32Array.from({ length: B * S * encoder.dim }, () => noise() - 0.5);
        for (const t of [one, three])
          t.receiveGradient({ inputs: batch.inputs, grads, batch: B, length: S, weight: 1 });
      }
      const a = await one.step(batch, answers);
      const b = await p.step(batch, answers);
      expect(b.remoteApplied).toBe(a.remoteApplied);
      loss = Math.max(loss, relative(b.loss, a.loss), relative(b.lossSolo!, a.lossSolo!));
      expect(peerGradError(b, a)).toBeLessThan(PEER_GRAD_TOLERANCE);
    }
    // A batch of 2 rows on 3 threads: the last thread computes no shard but still updates its variables.
    const small = new BatchSampler(stream, 2, S, 5).next();
    const smallAnswers = answersFor(peers, small);
    const a = await one.step(small, smallAnswers);
    const b = await p.step(small, smallAnswers);
    expect(p.threads).toBe(3);
    loss = Math.max(loss, relative(b.loss, a.loss));
    const weights = largestDifference(await three.readWeights(), await one.readWeights());
    expect(loss).toBeLessThan(LOSS_TOLERANCE);
    expect(weights).toBeLessThan(WEIGHT_TOLERANCE);
    const replicas = await p.replicaWeights();
    const own = await three.readWeights();
    expect(replicas.map((r) => bitwiseEqual(r.weights, own))).toEqual([true, true]);
    peers.forEach((e) => e.dispose());
    one.dispose();
    three.dispose();
  });

  it('replicas started after steps on one thread start where the coordinator is, and stay bitwise equal', async () => {
    const trainer = new Trainer(init);
    const peers = [new ConvEncoder({ ...encoder, seed: 12 }, 'dp-p6')];
    const sampler = new BatchSampler(stream, B, S, 9);
    const step = async (t: { step: Trainer['step'] }) => {
      const batch = sampler.next();
      await t.step(batch, { uids: [1], outputs: answersFor(peers, batch).outputs.slice(0, 1) });
    };
    await step(trainer);
    await step(trainer);
    const { p } = await parallel(2, trainer);
    const [before] = await p.replicaWeights();
    expect(before!.steps).toBe(2);
    expect(bitwiseEqual(before!.weights, await trainer.readWeights())).toBe(true);
    await step(p);
    await step(p);
    const [after] = await p.replicaWeights();
    expect(after!.steps).toBe(4);
    expect(bitwiseEqual(after!.weights, await trainer.readWeights())).toBe(true);
    peers.forEach((e) => e.dispose());
    trainer.dispose();
  });

  it('a replica that dies mid-step: the step goes on on one thread (the same result), logged; nothing hangs', async () => {
    const one = new Trainer(init);
    const two = new Trainer(init);
    const workers: Worker[] = [];
    // Ends the replica's thread as soon as it is asked for its shard's gradients.
    const spawnReplica: ReplicaFactory = (entry) => {
      const worker = new Worker(entry);
      workers.push(worker);
      const link = threadReplica(worker);
      return {
        ...link,
        post: (message) => {
          link.post(message);
          if (message.type === 'compute') void worker.terminate();
        },
      };
    };
    const { p, logs } = await parallel(2, two, spawnReplica);
    expect(p.threads).toBe(2);
    const peers = [new ConvEncoder({ ...encoder, seed: 11 }, 'dp-p5')];
    const batch = new BatchSampler(stream, B, S, 6).next();
    const answers: PeerAnswers = { uids: [1], outputs: answersFor(peers, batch).outputs.slice(0, 1) };
    // A peer's gradient waits for the step: the step taken again alone still applies it.
    const noise = seededRandom(9);
    const grads = Float32Array.from({ length: B * S * encoder.dim }, () => noise() - 0.5);
    for (const t of [one, two]) t.receiveGradient({ inputs: batch.inputs, grads, batch: B, length: S, weight: 0.5 });
    const a = await one.step(batch, answers);
    const b = await p.step(batch, answers);
    expect(p.threads).toBe(1);
    // Nothing had changed on the coordinator when the replica died: the step it took alone is one thread's.
    expect(b.loss).toBe(a.loss);
    expect([a.remoteApplied, b.remoteApplied]).toEqual([1, 1]);
    expect(bitwiseEqual(await two.readWeights(), await one.readWeights())).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'data-parallel training stopped; training goes on on one thread',
        fields: expect.objectContaining({ error: expect.stringMatching(/^a training replica exited \(code \d+\)$/) }),
      }),
    );
    const next = new BatchSampler(stream, B, S, 7).next();
    const answersNext: PeerAnswers = { uids: [1], outputs: answersFor(peers, next).outputs.slice(0, 1) };
    expect((await p.step(next, answersNext)).loss).toBe((await one.step(next, answersNext)).loss);
    peers.forEach((e) => e.dispose());
    one.dispose();
    two.dispose();
  });

  it("Adam's moments, a share on each thread, are gathered as one thread's; stop() hands them all to the coordinator", async () => {
    const one = new Trainer(init);
    const two = new Trainer(init);
    const peers = [new ConvEncoder({ ...encoder, seed: 14 }, 'dp-p7')];
    const sampler = new BatchSampler(stream, B, S, 10);
    const batches = Array.from({ length: 4 }, () => sampler.next());
    // No peer answers the first two steps: the gate's variables join Adam's slots only at the third.
    const answers = (i: number): PeerAnswers =>
      i < 2 ? { uids: [], outputs: [] } : { uids: [1], outputs: answersFor(peers, batches[i]!).outputs.slice(0, 1) };
    await one.step(batches[0]!, answers(0));
    await two.step(batches[0]!, answers(0));
    const { p } = await parallel(2, two);
    for (let i = 1; i < 4; i++) {
      await one.step(batches[i]!, answers(i));
      await p.step(batches[i]!, answers(i));
    }
    const expected = await one.optimizerState();
    const gathered = await p.optimizerState();
    expect(gathered.shapes).toEqual(expected.shapes);
    expect(largestDifference(gathered.values, expected.values, { perSlot: true })).toBeLessThan(MOMENT_TOLERANCE);
    // The coordinator alone holds its share: fewer slots than one thread's optimizer.
    expect((await two.optimizerState()).shapes['adam']!.length).toBeLessThan(expected.shapes['adam']!.length);
    await p.stop();
    const whole = await two.optimizerState();
    expect(whole.shapes).toEqual(expected.shapes);
    expect(bitwiseEqual(whole.values, gathered.values)).toBe(true);
    peers.forEach((e) => e.dispose());
    one.dispose();
    two.dispose();
  });

  it('a replica that dies after the coordinator updated its variables: the step stands, its variables miss it, logged', async () => {
    const one = new Trainer(init);
    const two = new Trainer(init);
    // At the second step the replica never gets its variables' gradients, and its thread ends once the
    // coordinator has stepped.
    let reduces = 0;
    const spawnReplica: ReplicaFactory = (entry) => {
      const worker = new Worker(entry);
      const link = threadReplica(worker);
      return {
        ...link,
        post: (message) => {
          if (message.type === 'reduce') reduces++;
          if (reduces === 2 && message.type === 'assign') void worker.terminate();
          else if (reduces < 2 || message.type !== 'reduce') link.post(message);
        },
      };
    };
    // The coordinator copies every thread's moments before each step.
    const { p, logs } = await parallel(2, two, spawnReplica, 1);
    const keys = two.gradientKeys();
    const all = [...keys.net, ...keys.solo];
    const owners = assignOwners(all, (k) => two.variableShape(k).reduce((a, b) => a * b, 1), 2);
    const peers = [new ConvEncoder({ ...encoder, seed: 15 }, 'dp-p8')];
    const sampler = new BatchSampler(stream, B, S, 11);
    const step = async () => {
      const batch = sampler.next();
      const answers: PeerAnswers = { uids: [1], outputs: answersFor(peers, batch).outputs.slice(0, 1) };
      return { a: await one.step(batch, answers), b: await p.step(batch, answers) };
    };
    await step();
    const afterOne = await one.readVariables(all);
    const { a, b } = await step();
    expect(relative(b.loss, a.loss)).toBeLessThan(LOSS_TOLERANCE);
    expect(b.step).toBe(2);
    expect(p.threads).toBe(1);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'data-parallel training stopped; training goes on on one thread',
        fields: expect.objectContaining({ missedStep: 2, momentsFromStep: 1 }),
      }),
    );
    // The coordinator's variables took both steps as one thread did; the replica's only the first.
    const now = await two.readVariables(all);
    const afterTwo = await one.readVariables(all);
    for (const key of all) {
      const reference = owners.get(key) === 0 ? afterTwo[key]! : afterOne[key]!;
      const diff = Math.max(...now[key]!.map((v, i) => Math.abs(v - reference[i]!)));
      expect({ key, close: diff < WEIGHT_TOLERANCE }).toEqual({ key, close: true });
    }
    // It goes on alone with every variable's moments (the replica's as copied after the first step).
    await step();
    expect((await two.optimizerState()).shapes).toEqual((await one.optimizerState()).shapes);
    peers.forEach((e) => e.dispose());
    one.dispose();
    two.dispose();
  });

  it.each([
    { case: 'slower', threadsMs: 100, aloneMs: 105, kept: false },
    { case: 'faster', threadsMs: 100, aloneMs: 115, kept: true },
  ])(
    'a probe of threads $case than PROBE_GAIN x one thread keeps them: $kept (logged; the steps equal one thread)',
    async ({ threadsMs, aloneMs, kept }) => {
      const one = new Trainer(init);
      const two = new Trainer(init);
      // A clock that makes each step take threadsMs on two threads and aloneMs on one.
      let clock = 0;
      let reads = 0;
      const holder: { p?: DataParallelTrainer } = {};
      const now = () => {
        if (++reads % 2 === 0) clock += holder.p!.threads > 1 ? threadsMs : aloneMs;
        return clock;
      };
      const steps = 2;
      const { p, logs } = await parallel(2, two, undefined, undefined, { steps, now });
      holder.p = p;
      const peers = [new ConvEncoder({ ...encoder, seed: 15 }, 'dp-p9')];
      const sampler = new BatchSampler(stream, B, S, 11);
      const threads: number[] = [];
      // Warm-up and timed steps on two threads, timed steps alone, then two more.
      const total = PROBE_WARM_UP + 2 * steps + 2;
      for (let i = 0; i < total; i++) {
        const batch = sampler.next();
        const answers = { uids: [1], outputs: answersFor(peers, batch).outputs.slice(0, 1) };
        const a = await one.step(batch, answers);
        const b = await p.step(batch, answers);
        expect(relative(b.loss, a.loss)).toBeLessThan(LOSS_TOLERANCE);
        threads.push(p.threads);
      }
      // Two threads until the threads' timed steps are done, then one for the steps alone; then the decision.
      const alone = PROBE_WARM_UP + steps;
      expect(threads.slice(0, alone - 1)).toEqual(Array(alone - 1).fill(2));
      expect(threads.slice(alone - 1, alone + steps - 1)).toEqual(Array(steps).fill(1));
      expect(threads.slice(alone + steps - 1)).toEqual(Array(total - alone - steps + 1).fill(kept ? 2 : 1));
      const fields = { threads: 2, threadsMs, aloneMs };
      expect(logs).toContainEqual(
        kept
          ? { level: 'info', message: 'data-parallel threads pay here: training goes on on all of them', fields }
          : {
              level: 'info',
              message: `2 threads were not ${PROBE_GAIN}x faster than one here: training goes on on one thread`,
              fields,
            },
      );
      expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
      // Every transition kept Adam's moments: the weights are one thread's, and a replica started again
      // starts where the coordinator is.
      expect(largestDifference(await two.readWeights(), await one.readWeights())).toBeLessThan(WEIGHT_TOLERANCE);
      if (kept) {
        const [replica] = await p.replicaWeights();
        expect(replica!.steps).toBe(total);
        expect(bitwiseEqual(replica!.weights, await two.readWeights())).toBe(true);
      }
      peers.forEach((e) => e.dispose());
      one.dispose();
      two.dispose();
    },
  );

  it('a replica that cannot start leaves training on one thread, logged', async () => {
    const trainer = new Trainer(init);
    const { p, logs } = await parallel(2, trainer, () => threadReplica(new Worker('process.exit(3)', { eval: true })));
    expect(p.threads).toBe(1);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ error: expect.stringMatching(/code 3/) }),
      }),
    );
    const batch = new BatchSampler(stream, B, S, 8).next();
    expect(Number.isFinite((await p.step(batch, { uids: [], outputs: [] })).loss)).toBe(true);
    trainer.dispose();
  });
});
