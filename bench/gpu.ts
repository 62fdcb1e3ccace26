/**
 * `npm run bench:gpu`: what the training step does on a WebGPU adapter, to size the GPU preset and set tfjs's
 * WebGPU flags by measurement (run by scripts/device-check.sh on a GPU machine).
 *
 * 1. The adapter as Dawn reports it (vendor, architecture, device, description).
 * 2. What one kernel costs the host: a chain of small adds, µs each, for several submit batch sizes
 *    (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: dispatches recorded before the queue is submitted).
 * 3. A 2048 x 2048 float32 matmul (256 on a software adapter) for each of tfjs's matmul programs
 *    (WEBGPU_MATMUL_PROGRAM_TYPE) and for ours (webgpu-matmul.ts) by tile shape.
 * 4. The real training step of the large preset at several batch sizes (the same step as bench:train), on
 *    tfjs's kernels and on ours (tiled matmul, fused Adam), with one wasm thread on the small model as the
 *    yardstick, and the host's part of each step (recording and submitting its kernels).
 * 5. One step's kernels under tf.profile, with their GPU time (timestamp queries, where the adapter has them),
 *    against the step's wall time: host- or GPU-bound, and which kernels hold the GPU.
 *
 * Needs a hardware adapter; BENCH_GPU_SOFTWARE=1 takes a software one (SwiftShader: slow, for trying it out).
 * Prints tables; asserts nothing about time.
 */
import '../src/shared/polyfills.js';
import { loadBackend, tf } from '../src/neuron/ml/backend.js';
import { readOutAsync } from '../src/neuron/ml/ops.js';
import { GPU_BATCH } from '../src/neuron/ml/presets.js';
import { ADAM_FUSED, registerWebGpuAdam } from '../src/neuron/ml/webgpu-adam.js';
import { LARGE_TILE, setTiledMatMul, SMALL_TILE, type MatMulTile } from '../src/neuron/ml/webgpu-matmul.js';
import { seededRandom } from '../src/shared/random.js';
import { printTable } from './table.js';
import {
  largeSize,
  matmulGflops,
  msPerStep,
  profileStep,
  smallSize,
  stepTimes,
  tokensPerSecond,
  type Size,
} from './train-kit.js';

const software = process.env['BENCH_GPU_SOFTWARE'] === '1';
const STEPS = Number(process.env['BENCH_GPU_STEPS'] ?? (software ? 1 : 5));
const N = software ? 256 : 2048;
const BATCHES = (process.env['BENCH_GPU_BATCHES'] ?? (software ? '8' : '32,64,128')).split(',').map(Number);

// Token ids drawn uniformly: the step's time does not depend on which tokens they are.
const random = seededRandom(5);
const stream = Int32Array.from({ length: 400_000 }, () => Math.floor(random() * 20_000));
const small = smallSize(stream);
const large = (batch: number): Size => largeSize(small, batch);

await loadBackend('wasm');
const wasmMs = await msPerStep(stream, small, STEPS);
const wasmTokens = tokensPerSecond(small, wasmMs);

const info = await loadBackend('webgpu', { allowSoftware: software, timestampQuery: true }).catch((error: unknown) => {
  console.error(
    `bench:gpu: no WebGPU adapter to measure: ${(error as Error).message} (BENCH_GPU_SOFTWARE=1 takes a software one)`,
  );
  process.exit(1);
});
// The adapter tfjs trains on was made by loadBackend (src/neuron/ml/webgpu.ts): a second one reports the same.
type Gpu = { requestAdapter(): Promise<{ info: Record<string, string> } | null> };
const gpu = (globalThis as unknown as { navigator: { gpu: Gpu } }).navigator.gpu;
const adapter = (await gpu.requestAdapter())?.info;
console.log(`${info.device}; Dawn's adapter info:`);
printTable(
  ['vendor', 'architecture', 'device', 'description'],
  [
    [
      adapter?.['vendor'] ?? '',
      adapter?.['architecture'] ?? '',
      adapter?.['device'] ?? '',
      adapter?.['description'] ?? '',
    ],
  ],
);

/** µs of host time per kernel: `count` dependent adds on a small tensor, then one read. */
async function kernelMicros(count: number): Promise<number> {
  let x = tf.ones([256]);
  const one = tf.ones([256]);
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const next = tf.add(x, one);
    x.dispose();
    x = next;
  }
  await readOutAsync(() => tf.sum(x));
  const us = ((performance.now() - t) * 1000) / count;
  tf.dispose([x, one]);
  return us;
}

const SUBMITS = [15, 64, 256];
console.log('\nOne small kernel (a dependent add on 256 floats), host time, by dispatches per submit:\n');
const kernelRows: string[][] = [];
for (const submit of SUBMITS) {
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', submit);
  await kernelMicros(200);
  kernelRows.push([String(submit), (await kernelMicros(2000)).toFixed(1)]);
}
tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 15);
printTable(['dispatches per submit', 'µs per kernel'], kernelRows);

// MatMulProgramType in tfjs-backend-webgpu: 0 reduce, 1 split-K, 2 small output, 3 packed; -1 its own choice.
const PROGRAMS: Array<[number, string]> = [
  [-1, 'tfjs chooses'],
  [3, 'packed'],
  [1, 'split-K'],
  [0, 'reduce'],
];
/** Our kernel's tile shapes to time (the first two are the ones training uses). */
const TILES: MatMulTile[] = [
  LARGE_TILE,
  SMALL_TILE,
  { tm: 8, tn: 8, bk: 16 },
  { tm: 8, tn: 4, bk: 8 },
  { tm: 8, tn: 4, bk: 16 },
  { tm: 4, tn: 4, bk: 8 },
];
const RUNS = software ? 3 : 50;
console.log(`\nA ${N} x ${N} float32 matmul (${RUNS} queued, one read), tfjs's programs and ours by tile:\n`);
const matmulRows: string[][] = [];
async function timeMatmul(label: string): Promise<void> {
  const gflops = await matmulGflops(N, RUNS).catch((error: unknown) => {
    matmulRows.push([label, `failed: ${(error as Error).message}`]);
    return undefined;
  });
  if (gflops !== undefined) matmulRows.push([label, gflops.toFixed(gflops < 10 ? 2 : 0)]);
}
setTiledMatMul(false);
for (const [type, name] of PROGRAMS) {
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', type);
  await timeMatmul(`tfjs ${type} (${name})`);
}
tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', -1);
for (const tile of TILES) {
  setTiledMatMul(true, tile);
  await timeMatmul(`ours, ${16 * tile.tm} x ${16 * tile.tn} tile, ${tile.tm} x ${tile.tn} per thread, k ${tile.bk}`);
}
setTiledMatMul(true);
await timeMatmul(`ours as training chooses`);
printTable(['program', 'GFLOP/s'], matmulRows);

console.log(
  `\nThe real training step (mean of ${STEPS} after one warm-up), against one wasm thread on the small model;\n` +
    "with tfjs's kernels, then with ours (tiled matmul, Adam in one dispatch per variable). host ms: the step's\n" +
    'synchronous part, which records and submits its kernels; the rest is the wait for the GPU and the reads:\n',
);
const stepRows: string[][] = [['wasm', small.label, '', wasmMs.toFixed(0), '', wasmTokens.toFixed(0), '1.00x']];
for (const ours of [false, true]) {
  setTiledMatMul(ours);
  if (ours) registerWebGpuAdam();
  else tf.unregisterKernel(ADAM_FUSED, 'webgpu');
  for (const size of [small, ...BATCHES.map(large)]) {
    const { ms, hostMs } = await stepTimes(stream, size, STEPS);
    const tokens = tokensPerSecond(size, ms);
    stepRows.push([
      'webgpu',
      size.label,
      ours ? 'ours' : 'tfjs',
      ms.toFixed(ms < 10 ? 1 : 0),
      hostMs.toFixed(hostMs < 10 ? 1 : 0),
      tokens.toFixed(0),
      `${(tokens / wasmTokens).toFixed(2)}x`,
    ]);
  }
}
printTable(['backend', 'model', 'kernels', 'ms / step', 'host ms', 'tokens/s', 'vs wasm'], stepRows);

// Where a step's time goes: the GPU's own time per kernel (timestamp queries, each profiled kernel submitted
// alone) against the step's time above. GPU time far below the step's means the host is what the step waits on.
const profiled: string[][] = [];
for (const size of [small, large(software ? BATCHES[0]! : GPU_BATCH)]) {
  const kernels = await profileStep(stream, size);
  const gpuMs = kernels.reduce((sum, k) => sum + k.ms, 0);
  const byName = new Map<string, number>();
  for (const k of kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + k.ms);
  const top = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
  profiled.push([size.label, String(kernels.length), gpuMs > 0 ? gpuMs.toFixed(1) : 'no timestamps', top]);
}
console.log("\nOne step's kernels under tf.profile (ours), GPU time by timestamp queries:\n");
printTable(['model', 'kernels', 'GPU ms', 'most GPU ms (kernel, ms)'], profiled);
