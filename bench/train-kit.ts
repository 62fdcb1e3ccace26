/**
 * What the training benchmarks share (bench/train.ts, bench/gpu.ts, bench/memory.ts): the model sizes they time,
 * the current backend's matmul rate and the real training step's time, measured the same way in each.
 */
import { tf } from '../src/neuron/ml/backend.js';
import { BatchSampler, buildVocabulary } from '../src/neuron/ml/dataset.js';
import { CONV_DEFAULTS, ConvEncoder, inputTokensFor, type ConvEncoderConfig } from '../src/neuron/ml/encoders.js';
import { readOutAsync } from '../src/neuron/ml/ops.js';
import { LARGE } from '../src/neuron/ml/presets.js';
import { Trainer } from '../src/neuron/ml/trainer.js';

/**
 * The current backend's float32 matmul of two n x n matrices, GFLOP/s: `runs` products queued, then one small
 * read (the sum of the last) waits for them all, so that a GPU's time is not the copy of each result back.
 */
export async function matmulGflops(n = 512, runs = 10): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const timed = async (count: number) => {
    const t = performance.now();
    let last: tf.Tensor | undefined;
    for (let i = 0; i < count; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    await readOutAsync(() => tf.sum(last!));
    last!.dispose();
    return performance.now() - t;
  };
  await timed(3);
  const ms = (await timed(runs)) / runs;
  tf.dispose([a, b]);
  return (2 * n ** 3) / ms / 1e6;
}

export { median } from '../src/shared/median.js';

/** One model size to time: the encoder and what a step trains on. */
export interface Size {
  label: string;
  cfg: ConvEncoderConfig;
  batch: number;
  seq: number;
  vocab: number;
}

/** The app's small model as the benchmarks time it: batch x seq tokens a step, dim wide, vocab + 1 classes. */
export const SMALL = { batch: 8, seq: 64, dim: 128, vocab: 2048 } as const;

/** The small model (SMALL, the conv encoder's defaults) on `stream`'s input vocabulary. */
export function smallSize(stream: Int32Array): Size {
  const cfg: ConvEncoderConfig = {
    kind: 'conv',
    dim: SMALL.dim,
    inputTokens: inputTokensFor(stream),
    blocks: CONV_DEFAULTS.blocks,
    kernel: CONV_DEFAULTS.kernel,
    ffn: CONV_DEFAULTS.ffn,
    seed: 1,
  };
  return { label: `small, ${SMALL.batch} x ${SMALL.seq}`, cfg, batch: SMALL.batch, seq: SMALL.seq, vocab: SMALL.vocab };
}

/** The large preset of `small`'s encoder, `batch` rows a step. */
export function largeSize(small: Size, batch: number): Size {
  return {
    label: `large, ${batch} x ${LARGE.seq}`,
    cfg: { ...small.cfg, blocks: LARGE.blocks, ffn: LARGE.ffn },
    batch,
    seq: LARGE.seq,
    vocab: LARGE.vocab,
  };
}

/** Tokens a second of a step of `size` that took `ms`. */
export const tokensPerSecond = (size: Size, ms: number): number => (size.batch * size.seq) / (ms / 1000);

/** A trainer of `size` with two peers answering each batch: the real training step's setting. */
function benchTrainer(stream: Int32Array, size: Size) {
  const { cfg, batch: b, seq: s } = size;
  const trainer = new Trainer({ vocab: buildVocabulary(stream, size.vocab), encoder: cfg });
  const peers = [new ConvEncoder({ ...cfg, seed: 7 }, 'bench-p1'), new ConvEncoder({ ...cfg, seed: 8 }, 'bench-p2')];
  const sampler = new BatchSampler(stream, b, s, 1);
  return {
    trainer,
    /** The next batch with the peers' answers to it (the peers' work is theirs: callers do not time it). */
    async next() {
      const batch = sampler.next();
      const outputs = await Promise.all(
        peers.map((p) => readOutAsync(() => p.apply(tf.tensor2d(batch.inputs, [b, s], 'int32')))),
      );
      return { batch, answers: { uids: [1, 2], outputs } };
    },
    dispose() {
      trainer.dispose();
      peers.forEach((p) => p.dispose());
    },
  };
}

/** A step's time, ms: all of it, and the host's part (see stepTimes). */
export interface StepTimes {
  ms: number;
  hostMs: number;
}

/**
 * ms per step of the real training step on the current backend (two peers' answers joined, not timed), and of
 * that the host's part: the step's synchronous part, which records every kernel and submits them (and the
 * reads) before its first await. On WebGPU the rest is the wait for the GPU and the copies back; on a CPU
 * backend the kernels run in the host's part.
 */
export async function stepTimes(stream: Int32Array, size: Size, steps: number): Promise<StepTimes> {
  const bench = benchTrainer(stream, size);
  const warm = await bench.next();
  await bench.trainer.step(warm.batch, warm.answers);
  let ms = 0;
  let hostMs = 0;
  for (let i = 0; i < steps; i++) {
    const { batch, answers } = await bench.next();
    const t = performance.now();
    const stepped = bench.trainer.step(batch, answers);
    hostMs += performance.now() - t;
    await stepped;
    ms += performance.now() - t;
  }
  bench.dispose();
  return { ms: ms / steps, hostMs: hostMs / steps };
}

/** ms per step of the real training step on the current backend (stepTimes' whole step). */
export async function msPerStep(stream: Int32Array, size: Size, steps: number): Promise<number> {
  return (await stepTimes(stream, size, steps)).ms;
}

/**
 * One step (after a warm-up) under tf.profile: its kernels with their times as the backend reports them (GPU
 * time on WebGPU with timestamp queries; 0 where there are none).
 */
export async function profileStep(stream: Int32Array, size: Size): Promise<Array<{ name: string; ms: number }>> {
  const bench = benchTrainer(stream, size);
  const warm = await bench.next();
  await bench.trainer.step(warm.batch, warm.answers);
  const { batch, answers } = await bench.next();
  const info = await tf.profile(async () => {
    await bench.trainer.step(batch, answers);
  });
  bench.dispose();
  return info.kernels.map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0 }));
}
