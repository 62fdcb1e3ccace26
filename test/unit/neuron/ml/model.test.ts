import { beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend, tf } from '../../../../src/neuron/ml/backend.js';
import { BatchSampler, buildVocabulary, type Batch } from '../../../../src/neuron/ml/dataset.js';
import { ConvEncoder, JunkEncoder, type ConvEncoderConfig } from '../../../../src/neuron/ml/encoders.js';
import { Gate, joinAnswers } from '../../../../src/neuron/ml/gate.js';
import { FusedAdam } from '../../../../src/neuron/ml/fused-adam.js';
import { ADAM_UPDATE } from '../../../../src/neuron/ml/wasm-adam.js';
import {
  delayedTaps,
  dense,
  embeddingLookup,
  headCrossEntropies,
  layerNorm,
  readOut,
} from '../../../../src/neuron/ml/ops.js';
import { ParamSet } from '../../../../src/neuron/ml/params.js';
import { PeerScores } from '../../../../src/neuron/ml/peer-scores.js';
import { Trainer, type PeerAnswers } from '../../../../src/neuron/ml/trainer.js';
import { weightsFromScores } from '../../../../src/neuron/weights.js';

const DIM = 16;
const B = 4;
const S = 16;

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

/** A stream with structure to learn: a repeating phrase with noise tokens between. */
function stream(length: number, seed = 1): Int32Array {
  const phrase = [464, 9002, 2252, 531, 287, 3381];
  let s = seed;
  return Int32Array.from({ length }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return i % 7 === 6 ? 1000 + (s % 50) : phrase[(i % 7) % phrase.length]!;
  });
}

const encoderConfig = (seed: number, tokens: Int32Array): ConvEncoderConfig => ({
  kind: 'conv',
  dim: DIM,
  inputTokens: [...new Set(tokens)].slice(0, 64),
  blocks: 2,
  kernel: 2,
  ffn: 32,
  seed,
});

function trainerFor(seed: number, tokens: Int32Array, extra: Partial<ConstructorParameters<typeof Trainer>[0]> = {}) {
  return new Trainer({ vocab: buildVocabulary(tokens, 32), encoder: encoderConfig(seed, tokens), ...extra });
}

/** Answers of fixed peer encoders for a batch. */
function answersOf(peers: ConvEncoder[], uids: number[], batch: Batch, missing: number[] = []): PeerAnswers {
  return {
    uids,
    outputs: peers.map((p, i) =>
      missing.includes(i)
        ? undefined
        : readOut(() => p.apply(tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32'))),
    ),
  };
}

describe('ops', () => {
  it('dense and embedding gradients equal those of matMul and a one-hot product', () => {
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const f = (g: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(g(a as tf.Tensor2D, b as tf.Tensor2D))) as tf.Scalar;
    const ours = tf.grads(f(dense))([x, w]);
    const theirs = tf.grads(f((a, b) => tf.matMul(a, b)))([x, w]);
    ours.forEach((g, i) => {
      const [p, q] = [g.dataSync(), theirs[i]!.dataSync()];
      for (let j = 0; j < p.length; j++) expect(p[j]).toBeCloseTo(q[j]!, 4);
    });
    const table = tf.randomNormal([6, 2], 0, 1, 'float32', 3) as tf.Tensor2D;
    const ids = tf.tensor1d([1, 4, 1, 1, 0], 'int32');
    const [g] = tf.grads((t: tf.Tensor) => tf.sum(embeddingLookup(t as tf.Tensor2D, ids)))([table]);
    // Each row's gradient counts how often it was looked up (repeats sum).
    expect(Array.from(g!.dataSync())).toEqual([1, 1, 3, 3, 0, 0, 0, 0, 1, 1, 0, 0]);
  });

  it("layer norm: the composite's values and gradients (tfjs's autodiff of it), with a gradient of ours", () => {
    const x = tf.randomNormal([2, 3, 5], 1, 2, 'float32', 3);
    const gain = tf.randomNormal([5], 1, 0.5, 'float32', 4) as tf.Tensor1D;
    const bias = tf.randomNormal([5], 0, 0.5, 'float32', 5) as tf.Tensor1D;
    const weights = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 6);
    const composite = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    };
    const loss = (f: typeof composite) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a, g, b), weights));
    const ours = tf.grads(loss((a, g, b) => layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D)))([x, gain, bias]);
    const theirs = tf.grads(loss(composite))([x, gain, bias]);
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    close(layerNorm(x, gain, bias), composite(x, gain, bias));
    ours.forEach((g, i) => close(g, theirs[i]!));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads(loss((a, g, b) => layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D)))([x, gain, bias]);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gain, bias, weights, ...ours, ...theirs]);
  });

  it('delayed taps: what each position sees of itself and the positions a step, two steps back (zeros before the start)', () => {
    // Two sequences of four positions, two features each: position t of sequence q holds [10q + t, -(10q + t)].
    const x = tf.tensor3d(
      Array.from({ length: 16 }, (_, i) => {
        const at = 10 * Math.floor(i / 8) + Math.floor((i % 8) / 2);
        return i % 2 === 0 ? at + 1 : -(at + 1);
      }),
      [2, 4, 2],
    );
    const taps = delayedTaps(x, 3, 2);
    expect(taps.shape).toEqual([8, 6]);
    const rows = tf.split(taps, 8).map((r) => Array.from(r.dataSync()));
    expect(rows[0]).toEqual([1, -1, 0, 0, 0, 0]);
    expect(rows[2]).toEqual([3, -3, 1, -1, 0, 0]);
    expect(rows[3]).toEqual([4, -4, 2, -2, 0, 0]);
    expect(rows[7]).toEqual([14, -14, 12, -12, 0, 0]); // four back from the last is before the start
    expect(Array.from(delayedTaps(x, 1, 3).dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, taps]);
  });

  it('the output layer and its cross-entropies in one op: the textbook values and gradients, none into a target', () => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 11) as tf.Tensor2D;
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 12) as tf.Tensor2D;
    const b = tf.randomNormal([5], 0, 1, 'float32', 13) as tf.Tensor1D;
    const hard = tf.oneHot(tf.tensor1d([4, 0, 2, 2, 1, 3], 'int32'), 5).toFloat() as tf.Tensor2D;
    // The soft target is made from x itself on the tape, as distillation's is from the net's own head.
    const wSoft = tf.randomNormal([4, 5], 0, 1, 'float32', 14) as tf.Tensor2D;
    const softOf = (a: tf.Tensor) => tf.softmax(tf.matMul(a as tf.Tensor2D, wSoft)) as tf.Tensor2D;
    const fixed = softOf(x);
    const weights = tf.tensor1d([0.5, 2]);
    const textbook = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
      const logSoftmax = tf.logSoftmax(tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d));
      const ce = (p: tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(p, logSoftmax), 1)));
      return tf.stack([ce(hard), ce(fixed)]) as tf.Tensor1D;
    };
    const ours = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      headCrossEntropies(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D, [hard, softOf(a)]).losses;
    const close = (p: tf.Tensor, q: tf.Tensor) => {
      const [u, v] = [p.dataSync(), q.dataSync()];
      expect(u.length).toBe(v.length);
      for (let i = 0; i < u.length; i++) expect(u[i]).toBeCloseTo(v[i]!, 5);
    };
    close(ours(x, w, b), textbook(x, w, b));
    // 0.5 CE(hard) + 2 CE(soft), the soft target held fixed: any gradient through it into x would differ here.
    const weighted = (f: typeof ours) => (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(f(a, c, d), weights)) as tf.Scalar;
    const [g1, g2] = [tf.grads(weighted(ours))([x, w, b]), tf.grads(weighted(textbook))([x, w, b])];
    g1.forEach((g, i) => close(g, g2[i]!));
    // A variable that reaches the losses only through a target gets no gradient at all.
    const u = tf.variable(tf.randomNormal([6, 5], 0, 1, 'float32', 15));
    const [xv, wv, bv] = [tf.variable(x), tf.variable(w), tf.variable(b)];
    const { grads } = tf.variableGrads(
      () => tf.sum(headCrossEntropies(xv, wv, bv as tf.Tensor1D, [tf.softmax(u) as tf.Tensor2D]).losses),
      [xv, wv, bv, u],
    );
    expect(Object.keys(grads).sort()).toEqual([xv.name, wv.name, bv.name].sort());
    tf.dispose([u, xv, wv, bv, ...Object.values(grads)]);
    // The softmax handed out is the head's, and it is the caller's: nothing else is left behind.
    const before = tf.memory().numTensors;
    const { losses, softmax } = headCrossEntropies(x, w, b, [hard], true);
    tf.tidy(() => close(softmax!, tf.softmax(tf.add(tf.matMul(x, w), b))));
    tf.dispose([losses, softmax!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("Adam's update: the values and moments of tfjs's, in one kernel a variable on WebAssembly and through tfjs's ops elsewhere", async () => {
    // Four variables the size of a small embedding (tfjs keeps every variable's temporaries until the step ends)
    // and two whose sizes are not a multiple of WebAssembly's four lanes (wasm-adam.ts ends one lane at a time).
    const shapes = [[512, 64], [512, 64], [512, 64], [512, 64], [2049], [3]];
    const start = shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 20 + i));
    const grads = [0, 1, 2].map((step) =>
      shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 40 + 8 * step + i)),
    );
    const run = async (optimizer: tf.Optimizer) => {
      const vars = start.map((t) => tf.variable(t.clone()));
      let peak = 0;
      const kernels = new Set<string>();
      for (const step of grads) {
        const before = tf.memory().numBytes;
        const info = await tf.profile(() =>
          optimizer.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, step[i]!]))),
        );
        peak = Math.max(peak, info.peakBytes - before);
        info.kernels.forEach((k) => kernels.add(k.name));
      }
      const values = vars.map((v) => Array.from(v.dataSync()));
      const moments = (await optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
      tf.dispose(vars);
      optimizer.dispose();
      return { values, moments, peak, kernels };
    };
    const theirs = await run(tf.train.adam(2e-3, 0.9, 0.999));
    const ours = await run(new FusedAdam(2e-3));
    expect(ours.kernels).toContain(ADAM_UPDATE);
    expect(ours.values).toEqual(theirs.values); // bit for bit: tfjs's arithmetic in tfjs's order
    expect(ours.moments).toEqual(theirs.moments);
    expect(ours.peak).toBeLessThan(theirs.peak / 2);
    // The pure-JS cpu backend has no kernel of ours: tfjs's own ops, one variable's temporaries at a time.
    await tf.setBackend('cpu');
    try {
      const [theirsCpu, oursCpu] = [await run(tf.train.adam(2e-3, 0.9, 0.999)), await run(new FusedAdam(2e-3))];
      expect(oursCpu.kernels).not.toContain(ADAM_UPDATE);
      expect(oursCpu.values).toEqual(theirsCpu.values);
      expect(oursCpu.moments).toEqual(theirsCpu.moments);
      expect(oursCpu.peak).toBeLessThan(theirsCpu.peak / 2);
    } finally {
      await tf.setBackend('wasm');
    }
    tf.dispose([...start, ...grads.flat()]);
  });
});

describe('gate', () => {
  it('chooses untried peers first, then the top-k by running share; explores; ignores uids it has no column for', () => {
    const gate = new Gate(new ParamSet('g', 1), DIM, { topK: 2, explore: 0, capacity: 8 });
    expect(gate.choose([1, 2, 3, 9])).toEqual([1, 2]);
    gate.observe([1, 2, 3], [0.1, 0.6, 0.3]);
    expect(gate.choose([1, 2, 3, 5])).toEqual([5, 2]); // 5 untried
    gate.observe([5], [0.05]);
    expect(gate.choose([1, 2, 3, 5])).toEqual([2, 3]);
    const explorer = new Gate(new ParamSet('g', 1), DIM, { topK: 2, explore: 1, capacity: 8 });
    explorer.observe([1, 2, 3, 4], [0.4, 0.3, 0.2, 0.1]);
    for (let i = 0; i < 10; i++) {
      const chosen = explorer.choose([1, 2, 3, 4]);
      expect(chosen[0]).toBe(1);
      expect([3, 4]).toContain(chosen[1]);
    }
    expect(gate.choose([1, 2])).toEqual([1, 2]); // fewer candidates than k: all of them
  });

  it('weights sum to one over the peers that answered; a missing peer gets none, the rest renormalize', () => {
    const gate = new Gate(new ParamSet('g', 2), DIM, { capacity: 8, floor: 0.1 });
    const h = tf.randomNormal([6, DIM], 0, 1, 'float32', 4) as tf.Tensor2D;
    const all = gate.mix(h, [1, 2, 3], [true, true, true]).arraySync();
    const some = gate.mix(h, [1, 2, 3], [true, false, true]).arraySync();
    for (const row of all) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const [r, row] of some.entries()) {
      expect(row[1]).toBe(0);
      expect(row[0]! + row[2]!).toBeCloseTo(1, 5);
      // Renormalized: the answered peers keep their relative weights (beyond the even floor).
      const ratio = (all[r]![0]! - 0.1 / 3) / (all[r]![2]! - 0.1 / 3);
      expect((row[0]! - 0.05) / (row[2]! - 0.05)).toBeCloseTo(ratio, 3);
    }
    expect(
      gate
        .mix(h, [1, 2], [false, false])
        .arraySync()
        .flat()
        .every((x) => x === 0),
    ).toBe(true);
    const a = tf.ones([6, DIM]) as tf.Tensor2D;
    const b = tf.fill([6, DIM], 3) as tf.Tensor2D;
    const ctx = joinAnswers(tf.tensor2d(some), [a, undefined, b], DIM).arraySync();
    expect(ctx[0]![0]).toBeCloseTo(some[0]![0]! * 1 + some[0]![2]! * 3, 5);
  });
});

describe('trainer', () => {
  const tokens = stream(4000);

  it('trains: the loss falls, peers get finite gradients of their answers, memory stays flat', async () => {
    const trainer = trainerFor(1, tokens);
    const peers = [new ConvEncoder(encoderConfig(7, tokens), 'p1'), new ConvEncoder(encoderConfig(8, tokens), 'p2')];
    const sampler = new BatchSampler(tokens, B, S, 3);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 60; i++) {
      const batch = sampler.next();
      const r = await trainer.step(batch, answersOf(peers, [1, 2], batch, i % 5 === 0 ? [1] : []));
      losses.push(r.loss);
      if (i % 5 === 0) expect(r.peerGrads[1]).toBeUndefined();
      const g = r.peerGrads[0]!;
      expect(g).toHaveLength(B * S * DIM);
      expect(g.every(Number.isFinite)).toBe(true);
      trainer.receiveGradient({ inputs: batch.inputs, grads: g, batch: B, length: S, weight: 0.5 });
      counts.push(tf.memory().numTensors);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.5);
    // Flat: the count after step 10 is the count after step 60 (nothing leaks per step).
    expect(counts.at(-1)).toBe(counts[10]);
    trainer.dispose();
    peers.forEach((p) => p.dispose());
  });

  it('reads tensors only asynchronously (WebGPU has no synchronous read): steps, evaluation, weights, optimizer', async () => {
    const trainer = trainerFor(7, tokens);
    const peer = new ConvEncoder(encoderConfig(12, tokens), 'p7');
    const sampler = new BatchSampler(tokens, B, S, 9);
    const batches = [sampler.next(), sampler.next(), sampler.next()];
    const answers = batches.map((batch) => answersOf([peer, peer], [1, 2], batch, [1]));
    // The backend's async read may itself read synchronously (wasm, cpu): watch what the trainer calls.
    const syncReads = (['dataSync', 'arraySync', 'bufferSync'] as const).map((m) => vi.spyOn(tf.Tensor.prototype, m));
    try {
      trainer.receiveGradient({
        inputs: batches[0]!.inputs,
        grads: answers[0]!.outputs[0]!,
        batch: B,
        length: S,
        weight: 1,
      });
      await trainer.step(batches[0]!, answers[0]!);
      await trainer.step(batches[1]!, answers[1]!);
      await trainer.evaluate([{ batch: batches[2]!, answers: answers[2]! }]);
      await trainer.readWeights();
      await trainer.optimizerState();
      for (const spy of syncReads) expect(spy).not.toHaveBeenCalled();
    } finally {
      syncReads.forEach((spy) => spy.mockRestore());
      trainer.dispose();
      peer.dispose();
    }
  });

  it("applies a peer's gradient to its encoder (weighted), and not at all when applying is off", async () => {
    const batch = new BatchSampler(tokens, B, S, 5).next();
    const grads = Float32Array.from({ length: B * S * DIM }, (_, i) => Math.sin(i));
    const moved = async (applyRemote: boolean, weight: number) => {
      const t = trainerFor(2, tokens, { applyRemote, solo: false });
      const before = await t.encoder.readWeights();
      t.receiveGradient({ inputs: batch.inputs, grads, batch: B, length: S, weight });
      const r = await t.step(batch, { uids: [], outputs: [] });
      const after = await t.encoder.readWeights();
      const shift = Object.keys(before).reduce(
        (sum, k) => sum + before[k]!.reduce((s, x, i) => s + Math.abs(x - after[k]![i]!), 0),
        0,
      );
      t.dispose();
      return { shift, applied: r.remoteApplied };
    };
    const own = await moved(false, 1);
    const withPeer = await moved(true, 1);
    expect(own.applied).toBe(0);
    expect(withPeer.applied).toBe(1);
    expect(withPeer.shift).not.toBeCloseTo(own.shift, 3);
  });

  it('distillation lowers its loss: the student, trained to stand in for the peers, predicts better with practice', async () => {
    const trainer = trainerFor(3, tokens, { solo: false });
    const peer = new ConvEncoder(encoderConfig(9, tokens), 'p3');
    const sampler = new BatchSampler(tokens, B, S, 4);
    const studentLoss: number[] = [];
    for (let i = 0; i < 60; i++) {
      const batch = sampler.next();
      const r = await trainer.step(batch, answersOf([peer], [1], batch));
      studentLoss.push(r.lossStudent);
    }
    expect(studentLoss.at(-1)!).toBeLessThan(studentLoss[0]! - 0.5);
    trainer.dispose();
    peer.dispose();
  });

  it('restores from its weights exactly (a checkpoint round trip) and evaluates with an ablation per peer', async () => {
    const a = trainerFor(4, tokens);
    const peers = [
      new ConvEncoder(encoderConfig(10, tokens), 'p4'),
      new JunkEncoder({ kind: 'junk', dim: DIM, seed: 1 }),
    ];
    const sampler = new BatchSampler(tokens, B, S, 6);
    const answers = (batch: Batch) => ({
      uids: [3, 4],
      outputs: peers.map((p) => readOut(() => p.apply(tf.tensor2d(batch.inputs, [B, S], 'int32')))),
    });
    for (let i = 0; i < 5; i++) {
      const batch = sampler.next();
      await a.step(batch, answers(batch));
    }
    const b = trainerFor(99, tokens);
    b.writeWeights(await a.readWeights());
    const val = [sampler.next(), sampler.next()];
    const fixed = val.map((batch) => ({ batch, answers: answers(batch) }));
    const ea = await a.evaluate(fixed);
    const eb = await b.evaluate(fixed);
    expect(eb.loss).toBeCloseTo(ea.loss, 5);
    expect(eb.lossStudent).toBeCloseTo(ea.lossStudent, 5);
    expect(eb.lossSolo!).toBeCloseTo(ea.lossSolo!, 5);
    expect([...ea.ablation.keys()].sort()).toEqual([3, 4]);
    a.dispose();
    b.dispose();
  });

  it("a restored optimizer continues exactly: the next step equals the original trainer's", async () => {
    const a = trainerFor(5, tokens);
    const peer = new ConvEncoder(encoderConfig(11, tokens), 'p5');
    const sampler = new BatchSampler(tokens, B, S, 8);
    for (let i = 0; i < 3; i++) {
      const batch = sampler.next();
      await a.step(batch, answersOf([peer], [1], batch));
    }
    const restored = trainerFor(5, tokens);
    restored.writeWeights(await a.readWeights());
    const state = await a.optimizerState();
    await restored.restoreOptimizer(state.values, state.shapes);
    const fresh = trainerFor(5, tokens);
    fresh.writeWeights(await a.readWeights()); // same weights, a new optimizer
    const batch = sampler.next();
    const answers = answersOf([peer], [1], batch);
    await a.step(batch, answers);
    await restored.step(batch, answers);
    await fresh.step(batch, answers);
    const wa = (await a.encoder.readWeights())['embedding']!;
    const wr = (await restored.encoder.readWeights())['embedding']!;
    const wf = (await fresh.encoder.readWeights())['embedding']!;
    let same = 0;
    let differs = 0;
    for (let i = 0; i < wa.length; i++) {
      same = Math.max(same, Math.abs(wa[i]! - wr[i]!));
      differs = Math.max(differs, Math.abs(wa[i]! - wf[i]!));
    }
    expect(same).toBeLessThan(1e-6);
    expect(differs).toBeGreaterThan(1e-4);
    [a, restored, fresh].forEach((t) => t.dispose());
    peer.dispose();
  });
});

describe('peer scores: the network pays for what helps', () => {
  const tokens = stream(4000, 2);
  /** A peer that knows the next token: its answer at each position is a fixed random code of the target. */
  const code = new Map<number, Float32Array>();
  const oracle = (batch: Batch): Float32Array => {
    const out = new Float32Array(batch.batch * batch.seq * DIM);
    batch.targets.forEach((t, i) => {
      if (!code.has(t))
        code.set(
          t,
          Float32Array.from({ length: DIM }, (_, k) => Math.sin(t * 7.1 + k * 1.3)),
        );
      out.set(code.get(t)!, i * DIM);
    });
    return out;
  };
  const junk = new JunkEncoder({ kind: 'junk', dim: DIM, seed: 5 });
  const noise = (batch: Batch) =>
    readOut(() => junk.apply(tf.tensor2d(batch.inputs, [batch.batch, batch.seq], 'int32')));
  const USEFUL = 1;
  const JUNK = 2;
  const DEAD = 3;

  it('a junk peer scores lower and gets a lower weight than a useful one; a silent one falls to the junk peer within two evaluations', async () => {
    const trainer = trainerFor(6, tokens, { solo: false });
    const sampler = new BatchSampler(tokens, B, S, 8);
    // The dead peer is useful (the same oracle) until it stops answering.
    const answers = (batch: Batch, deadAnswers: boolean): PeerAnswers => ({
      uids: [USEFUL, JUNK, DEAD],
      outputs: [oracle(batch), noise(batch), deadAnswers ? oracle(batch) : undefined],
    });
    for (let i = 0; i < 40; i++) {
      const batch = sampler.next();
      await trainer.step(batch, answers(batch, true));
    }
    const validation = [sampler.next(), sampler.next()];
    const scores = new PeerScores();
    const evaluate = async (deadAnswers: boolean) =>
      scores.update(
        [USEFUL, JUNK, DEAD],
        (await trainer.evaluate(validation.map((batch) => ({ batch, answers: answers(batch, deadAnswers) })))).ablation,
      );
    const weightsNow = () =>
      new Map(weightsFromScores(new Map([USEFUL, JUNK, DEAD].map((u) => [u, scores.of(u)])), [USEFUL, JUNK, DEAD]));

    await evaluate(true);
    expect(scores.of(USEFUL)).toBeGreaterThan(0.01);
    expect(scores.of(JUNK)).toBeLessThan(scores.of(USEFUL) / 10);
    const before = weightsNow();
    expect(before.get(JUNK)!).toBeLessThan(before.get(USEFUL)! / 5);
    expect(before.get(DEAD)!).toBeGreaterThan(before.get(JUNK)! * 5);

    // Silent for two evaluations: its score is at most a sixteenth of what it was, its weight near the junk's.
    const useful = scores.of(DEAD);
    await evaluate(false);
    await evaluate(false);
    expect(scores.of(DEAD)).toBeLessThanOrEqual(useful / 16);
    const after = weightsNow();
    // Within 5% of the largest weight (65535): the exploration floor both get, plus what is left of the score.
    expect(after.get(DEAD)! - after.get(JUNK)!).toBeLessThan(0.05 * 65535);
    // Answering again, it earns its place back.
    await evaluate(true);
    expect(scores.of(DEAD)).toBeGreaterThan(useful / 4);
    trainer.dispose();
  });
});
