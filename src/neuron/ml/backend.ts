import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { oneLine, UserError } from '../../shared/errors.js';
import type { BackendName } from '../../shared/training.js';
import { tf, type BackendInfo, type LoadOptions } from './tf.js';
import { registerWasmAdam } from './wasm-adam.js';
import { registerWasmKernels } from './wasm-kernels.js';

/** The backends as Node loads them: Dawn's WebGPU, native TensorFlow when installed, wasm from node_modules. */
export { BACKENDS, BACKEND_CHOICES, type BackendChoice, type BackendName } from '../../shared/training.js';
export type { BackendInfo, LoadOptions } from './tf.js';
/** Without a self-test to choose by (serving in the main process): the first of these that loads. */
const CPU_FIRST: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * Native TensorFlow bindings are an opt-in install (`npm install @tensorflow/tfjs-node-gpu` or
 * `@tensorflow/tfjs-node`, whose install step downloads libtensorflow): they are loaded by name only when
 * present. Each registers its backend with the same tfjs engine this project imports.
 */
const NATIVE: Record<'tensorflow-gpu' | 'tensorflow', { module: string; device: string }> = {
  'tensorflow-gpu': { module: '@tensorflow/tfjs-node-gpu', device: 'CUDA (libtensorflow)' },
  tensorflow: { module: '@tensorflow/tfjs-node', device: 'CPU (libtensorflow)' },
};

let chosen: BackendInfo | undefined;
/** The choice in progress: concurrent callers (several neurons in one process) share it. */
let choosing: Promise<BackendInfo> | undefined;

/**
 * Picks the first backend that loads here without a self-test: tfjs-node-gpu (CUDA) > tfjs-node > wasm (its
 * .wasm files ship in the package) > the pure-JS cpu backend; WebGPU only when asked for. `prefer` forces one;
 * it fails in one line when it cannot load. Safe to call again: the first choice stays for the process (tfjs
 * has one engine per process). The training worker chooses by measurement instead (backend-ladder.ts).
 */
export async function selectBackend(prefer?: BackendName): Promise<BackendInfo> {
  while (choosing) await choosing.catch(() => undefined);
  choosing = choose(prefer);
  try {
    return await choosing;
  } finally {
    choosing = undefined;
  }
}

async function choose(prefer?: BackendName): Promise<BackendInfo> {
  const engineName = (b: BackendName) => (b === 'tensorflow-gpu' ? 'tensorflow' : b);
  if (chosen && (prefer === undefined || prefer === chosen.name) && tf.getBackend() === engineName(chosen.name)) {
    return chosen;
  }
  const order = prefer ? [prefer] : CPU_FIRST;
  const failures: string[] = [];
  for (const name of order) {
    const info = await loadBackend(name, { allowSoftware: true }).catch((error: unknown) => {
      failures.push(`${name}: ${oneLine(error)}`);
      return undefined;
    });
    if (info) {
      chosen = info;
      return info;
    }
  }
  throw new UserError(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Loads one backend in Node and makes it current (a BackendLoader); throws a one-line reason. */
export async function loadBackend(name: BackendName, options: LoadOptions = {}): Promise<BackendInfo> {
  if (name === 'webgpu') {
    const { startWebGpu } = await import('./webgpu.js');
    const { device } = await startWebGpu(options);
    return { name, device };
  }
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    const native = NATIVE[name];
    // A specifier in a variable: the package is optional, so neither TypeScript nor a bundler resolves it.
    const specifier = native.module;
    await import(specifier).catch(() => {
      throw new Error(`not installed (npm install ${native.module})`);
    });
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${native.module} did not start`);
    return { name, device: native.device };
  }
  if (name === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    registerWasmKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not start');
    registerWasmAdam();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { name, device: `CPU, WebAssembly${simd ? ' SIMD' : ''}` };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
  return { name, device: 'CPU, plain JavaScript' };
}

export { tf };
