/**
 * `npm run bench:train`: the learning loop's speed on this machine, in one run.
 *
 * 1. Training tokens/s (one full step: encoder, gate over two peers' answers, head, student and solo twin,
 *    forward and backward) per tfjs backend that loads here, with the backend's matmul GFLOP/s beside the
 *    machine's own peak from numpy (OpenBLAS) on the same 512 x 512 product; on a hardware GPU also the large
 *    preset. Then the same step in the desktop app's training window (a chromium Worker, wasm threads).
 *    Then wasm on 1 and 2 threads (data-parallel: a model replica per worker thread, the batch split between
 *    them, gradients averaged every step), side by side, each beside numpy's matmul on as many BLAS threads
 *    (what the machine gives a second thread then). Goal: 2 threads >= 1.7x one on a 2-core machine.
 * 2. Serving latency of a [16, 64] forward from a real peer over libp2p while this neuron trains in its
 *    worker thread, against the same with training paused. Goal: p99 under 100 ms while training.
 *
 * Prints tables; asserts nothing about time. BENCH_TRAIN_SECONDS=20: each serving phase. BENCH_TRAIN_PARTS (a
 * comma-separated subset of threads, browser, serving, backends; default all): which tables, in this order (the
 * GPU check runs backends on its own first). BENCH_TRAIN_BACKENDS (comma-separated; default all): which backends
 * the backends table times (the GPU check leaves out the pure-JS cpu backend, tens of seconds a step).
 * BENCH_TRAIN_THREADS (default 1,2,1,2): the thread counts of the data-parallel table, in order.
 */
import '../src/shared/polyfills.js';
import { spawnSync } from 'node:child_process';
import { multiaddr } from '@multiformats/multiaddr';
import { BACKENDS, tf, type BackendName } from '../src/neuron/ml/backend.js';
import { loadBackend, selectBackend } from '../src/neuron/ml/backend.js';
import { brownCorpus, sliceFor } from '../src/neuron/ml/corpus.js';
import { BatchSampler, buildVocabulary } from '../src/neuron/ml/dataset.js';
import { tokenizeSlice } from '../src/neuron/ml/tokenize.js';
import { ConvEncoder, type ConvEncoderConfig } from '../src/neuron/ml/encoders.js';
import { readOutAsync } from '../src/neuron/ml/ops.js';
import { createEncoder, ServingModel } from '../src/neuron/ml/serving.js';
import { GPU_BATCH } from '../src/neuron/ml/presets.js';
import { Trainer, type TrainerInit } from '../src/neuron/ml/trainer.js';
import { isSoftwareAdapter } from '../src/neuron/ml/webgpu-adapter.js';
import { isGpuBackend } from '../src/shared/api.js';
import { DataParallelTrainer } from '../src/neuron/worker/replicas.js';
import { createNeuronNode } from '../src/neuron/node.js';
import { TrainingHost } from '../src/neuron/training-host.js';
import type { TrainingConfig, TrainingData } from '../src/shared/training.js';
import { printTable } from './table.js';
import {
  largeSize,
  matmulGflops,
  median,
  msPerStep,
  SMALL,
  smallSize,
  tokensPerSecond,
  type Size,
} from './train-kit.js';

const SECONDS = Number(process.env['BENCH_TRAIN_SECONDS'] ?? 20);
const PARTS = new Set((process.env['BENCH_TRAIN_PARTS'] ?? 'threads,browser,serving,backends').split(','));
const THREADS = (process.env['BENCH_TRAIN_THREADS'] ?? '1,2,1,2').split(',').map(Number);
const TIMED = new Set(process.env['BENCH_TRAIN_BACKENDS']?.split(',') ?? BACKENDS);
const { batch: B, seq: S, dim: D, vocab: V } = SMALL;

/** numpy's 512 x 512 matmul, GFLOP/s, on `threads` BLAS threads (all the machine's by default); NaN without numpy. */
function numpyGflops(threads?: number): number {
  const code =
    'import numpy as np, time\na=np.random.rand(512,512).astype(np.float32);b=a.copy()\n' +
    'for _ in range(5): a@b\nt=time.perf_counter()\nfor _ in range(50): a@b\n' +
    'print(2*512**3/((time.perf_counter()-t)/50)/1e9)';
  const limit =
    threads === undefined ? {} : { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', env: { ...process.env, ...limit } });
  return r.status === 0 ? Number(r.stdout.trim()) : NaN;
}

/** The app's model on wasm (batch B x S, V classes), with `over` changed; no evaluations or checkpoints. */
function benchConfig(over: Partial<TrainingConfig>): TrainingConfig {
  return {
    seed: 1,
    dim: D,
    slice: { index: 0, count: 3 },
    batch: B,
    seq: S,
    vocab: V,
    topK: 4,
    learningRate: 0.002,
    applyRemote: true,
    solo: true,
    servingEvery: 5,
    evaluateEvery: 1_000_000,
    evaluateBatches: 1,
    checkpointEvery: 1_000_000,
    backend: 'wasm',
    ...over,
  };
}

/**
 * Each backend that loads here on the small model; on a hardware GPU also the large preset (what auto trains
 * there: presets.ts), whose tokens/s is what a GPU contributes.
 */
async function trainingSpeed(stream: Int32Array, small: Size, large: Size): Promise<string[][]> {
  const rows: string[][] = [];
  // tokens/s of the small model on one wasm thread: the GPU goal's yardstick (the real step >= 20x it).
  let wasmTokens = NaN;
  // wasm first (the yardstick), the GPU ones last: an adapter, once open, stays open.
  const cpuFirst = (b: BackendName) => (b === 'wasm' ? 0 : isGpuBackend(b) ? 2 : 1);
  const order = BACKENDS.filter((b) => TIMED.has(b)).sort((a, b) => cpuFirst(a) - cpuFirst(b));
  for (const name of order) {
    const device = await tryBackend(name);
    if (!device) {
      rows.push([name, 'does not load here', '', '', '', '', '', '']);
      continue;
    }
    const software = isSoftwareAdapter({ description: device });
    const gpu = isGpuBackend(name) && !software;
    // On a GPU also 2048 x 2048, the size the GPU goal names (within 50% of its fp32 peak).
    const gflops = gpu
      ? `${(await matmulGflops()).toFixed(1)} / ${(await matmulGflops(2048)).toFixed(0)} at 2048`
      : (await matmulGflops(512, software ? 2 : 10)).toFixed(1);
    // The slow ones (plain JS, a GPU emulated on the CPU) get two timed steps.
    const sizes = gpu ? [small, large] : [small];
    for (const size of sizes) {
      const before = tf.memory().numTensors;
      const perStep = await msPerStep(stream, size, name === 'cpu' || software ? 2 : 10);
      const tokens = tokensPerSecond(size, perStep);
      if (name === 'wasm' && size === small) wasmTokens = tokens;
      rows.push([
        name,
        device,
        size.label,
        gflops,
        perStep.toFixed(perStep < 10 ? 1 : 0),
        tokens.toFixed(0),
        Number.isNaN(wasmTokens) ? 'n/a' : `${(tokens / wasmTokens).toFixed(2)}x`,
        String(tf.memory().numTensors - before),
      ]);
    }
  }
  return rows;
}

/** The real step on wasm with 1, then 2 threads (data-parallel over worker threads), on the same batches. */
async function threadsSpeed(stream: Int32Array, cfg: ConvEncoderConfig): Promise<string[][]> {
  await loadBackend('wasm');
  const init: TrainerInit = { vocab: buildVocabulary(stream, V), encoder: cfg };
  const peers = [new ConvEncoder({ ...cfg, seed: 7 }, 'bench-t1'), new ConvEncoder({ ...cfg, seed: 8 }, 'bench-t2')];
  const answers = async (inputs: Int32Array) => ({
    uids: [1, 2],
    outputs: await Promise.all(peers.map((p) => readOutAsync(() => p.apply(tf.tensor2d(inputs, [B, S], 'int32'))))),
  });
  const rows: string[][] = [];
  let oneThread = 0;
  let blasOne = 0;
  // Alternating, so that each ratio compares neighbours in time on a shared machine; numpy's matmul on as many
  // BLAS threads just before each: what this machine gives a second thread in the same minutes.
  for (const threads of THREADS) {
    const blas = numpyGflops(threads);
    if (threads === 1) blasOne = blas;
    const trainer = new Trainer(init);
    const parallel = new DataParallelTrainer({ trainer }, { threads, backend: 'wasm', trainer: init });
    await parallel.start();
    const sampler = new BatchSampler(stream, B, S, 1);
    // Three steps first: the replicas compile and the exchange's code warms up before anything is timed.
    for (let i = 0; i < 3; i++) {
      const warm = sampler.next();
      await parallel.step(warm, await answers(warm.inputs));
    }
    // The median step: a neighbour's burst on this shared machine moves a mean by more than the threads do.
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = sampler.next();
      const a = await answers(batch.inputs);
      const t = performance.now();
      await parallel.step(batch, a);
      times.push(performance.now() - t);
    }
    const ms = median(times);
    const tokensPerSecond = (B * S) / (ms / 1000);
    if (threads === 1) oneThread = tokensPerSecond;
    rows.push([
      `wasm, --threads ${threads}`,
      String(parallel.threads),
      ms.toFixed(0),
      tokensPerSecond.toFixed(0),
      `${(tokensPerSecond / oneThread).toFixed(2)}x`,
      Number.isNaN(blas) ? 'n/a' : blas.toFixed(1),
      Number.isNaN(blas) ? 'n/a' : `${(blas / blasOne).toFixed(2)}x`,
    ]);
    await parallel.stop();
    trainer.dispose();
  }
  peers.forEach((p) => p.dispose());
  return rows;
}

/**
 * The same step in the desktop app's training window: the trainer bundle in a chromium Worker, wasm with 1, then
 * 2 threads (tfjs's own thread pool, cross-origin isolated), the app's model, no peers. ms / step is the median
 * of steps 3 to 12 as the worker times them.
 */
async function browserThreadsSpeed(data: TrainingData): Promise<string[][]> {
  // Loaded here: a GPU box packed for the check (scripts/device-pack.sh) has neither chromium nor the test tools.
  const { startTrainerPages } = await import('../test/support/trainer-page.js');
  const pages = await startTrainerPages();
  const rows: string[][] = [];
  let oneThread = 0;
  try {
    for (const threads of [1, 2]) {
      const config = benchConfig({ seed: 7, applyRemote: false, solo: false, servingEvery: 1000, threads });
      const page = await pages.open(config, data);
      const backend = await page.ready();
      await page.waitFor(['train:step'], 12, 300_000);
      const ms = median((await page.steps()).slice(2, 12).map((s) => (B * S * 1000) / s.tokensPerSecond));
      const tokensPerSecond = (B * S) / (ms / 1000);
      if (threads === 1) oneThread = tokensPerSecond;
      rows.push([
        `browser Worker, wasm, threads ${threads}`,
        backend.device,
        ms.toFixed(0),
        tokensPerSecond.toFixed(0),
        `${(tokensPerSecond / oneThread).toFixed(2)}x`,
      ]);
      await page.stop();
      await page.close();
    }
  } finally {
    await pages.close();
  }
  return rows;
}

/** Loads a backend for the bench (a software WebGPU adapter too: the row says so); its device, or undefined. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  return loadBackend(name, { allowSoftware: true }).then(
    (info) => info.device,
    () => undefined,
  );
}

/** p50 and p99 of sequential [16, 64] forwards for `seconds`. */
async function serveLatency(
  client: Awaited<ReturnType<typeof createNeuronNode>>,
  at: string,
  seconds: number,
): Promise<{ p50: number; p99: number; n: number }> {
  const tokens = Int32Array.from({ length: 16 * 64 }, (_, i) => (i * 7919) % 50_000);
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const t = performance.now();
    const r = await client.dendrite.forward([multiaddr(at)], tokens, 16, 64, D);
    if (r.mask[0]) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), n: times.length };
}

async function servingUnderTraining(): Promise<string[][]> {
  await selectBackend('wasm');
  const config = benchConfig({ seed: 1, applyRemote: true, solo: true, servingEvery: 5 });
  let steps = 0;
  const host = new TrainingHost({ forward: async () => [], backward: () => undefined });
  host.events.on('train:step', () => steps++);
  const started = await host.start(config);
  const serving = new ServingModel(await createEncoder(started.serving.config as ConvEncoderConfig));
  serving.update(started.serving);
  host.events.on('serving', (s) => serving.update(s));
  const opts = { host: '127.0.0.1', port: 0, dht: false, autonat: false };
  const server = await createNeuronNode({ model: serving }, opts);
  const client = await createNeuronNode({ model: serving }, opts);
  const at = server.multiaddrs()[0]!;
  await serveLatency(client, at, 2); // warm-up
  const before = steps;
  const training = await serveLatency(client, at, SECONDS);
  const stepsDuring = steps - before;
  host.pause();
  await new Promise((r) => setTimeout(r, 2000));
  const paused = await serveLatency(client, at, SECONDS);
  await host.stop();
  await Promise.all([server.stop(), client.stop()]);
  return [
    [
      'training (worker thread busy)',
      training.p50.toFixed(1),
      training.p99.toFixed(1),
      String(training.n),
      `${(stepsDuring / SECONDS).toFixed(2)} steps/s`,
    ],
    ['training paused', paused.p50.toFixed(1), paused.p99.toFixed(1), String(paused.n), '0'],
  ];
}

const files = await brownCorpus();
const tokens = await tokenizeSlice(sliceFor(files, 0, 3));
const small = smallSize(tokens.train);
const { cfg } = small;
console.log(`Training step: batch ${B} x ${S} tokens, dim ${D}, ${V} + 1 output classes, two peers' answers joined;`);
console.log(`numpy (OpenBLAS) 512 x 512 float32 matmul on this machine: ${numpyGflops().toFixed(1)} GFLOP/s\n`);
const large = largeSize(small, GPU_BATCH);
if (PARTS.has('threads')) {
  console.log(
    `\nThe same step on wasm over worker threads (data-parallel; ${B} rows split between them; median of 10 steps):\n`,
  );
  printTable(
    ['backend', 'threads training', 'ms / step', 'tokens/s', 'vs 1 thread', 'numpy GFLOP/s', 'numpy vs 1'],
    await threadsSpeed(tokens.train, cfg),
  );
}
if (PARTS.has('browser')) {
  console.log(`\nThe same step in the desktop app's training window (a chromium Worker; tfjs's wasm thread pool):\n`);
  printTable(
    ['where', 'device', 'ms / step', 'tokens/s', 'vs 1 thread'],
    // A GPU box may have no chromium: the row says so, and the bench goes on.
    await browserThreadsSpeed({ ...tokens, genres: [] }).catch((error: unknown) => [
      ['browser Worker', `not here: ${(error as Error).message}`, '', '', ''],
    ]),
  );
}
if (PARTS.has('serving')) {
  console.log(`\nServing a [16, 64] forward over libp2p (sequential requests, ${SECONDS} s per row):\n`);
  printTable(['while', 'p50 ms', 'p99 ms', 'requests', 'training'], await servingUnderTraining());
}
if (PARTS.has('backends')) {
  // Last: a WebGPU adapter, once open, stays open in this process (SwiftShader's threads among them here), so
  // nothing else is measured after it.
  console.log(`\nEach backend that loads here (the same step on one thread; WebGPU's adapter stays open after):\n`);
  printTable(
    ['backend', 'device', 'model', 'matmul GFLOP/s', 'ms / step', 'tokens/s', 'vs wasm', 'tensors left'],
    await trainingSpeed(tokens.train, small, large),
  );
}
