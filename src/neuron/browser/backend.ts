import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf, type BackendLoader } from '../ml/tf.js';
import { registerWasmAdam } from '../ml/wasm-adam.js';
import { registerWasmKernels } from '../ml/wasm-kernels.js';
import { registerWebGpu, type GpuLike, type WebGpuRuntime } from '../ml/webgpu-adapter.js';

/** Where the bundler put tfjs's three WebAssembly binaries (URLs). */
export interface WasmFiles {
  'tfjs-backend-wasm.wasm': string;
  'tfjs-backend-wasm-simd.wasm': string;
  'tfjs-backend-wasm-threaded-simd.wasm': string;
}

/** Threads tfjs's WebAssembly module can run: the Web Workers it starts with. */
export const MAX_WASM_THREADS = 8;

export interface BrowserBackendsInit {
  wasmFiles: WasmFiles;
  /**
   * Threads the WebAssembly backend runs on, read when it loads (the config's, which comes with 'start'). Threads
   * need a cross-origin isolated page (COOP/COEP); without one the backend runs on one.
   */
  threads(): number;
}

/**
 * The backends as a browser Worker loads them: the browser's own WebGPU (`navigator.gpu`: D3D12 on Windows,
 * Metal on macOS, Vulkan on Linux), WebAssembly with threads (SharedArrayBuffer, when cross-origin isolated) and
 * the plain JavaScript backend. Native TensorFlow exists only in Node.
 */
export function browserBackends(init: BrowserBackendsInit): BackendLoader {
  let wasmReady = false;
  return async (name, options = {}) => {
    if (name === 'webgpu') {
      const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike }).gpu;
      if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu)');
      const { device } = await registerWebGpu(
        {
          gpu,
          api: 'browser',
          // Typed by what registerWebGpu passes (the adapter's own device and info, untyped there).
          backendModule: () => import('@tensorflow/tfjs-backend-webgpu') as ReturnType<WebGpuRuntime['backendModule']>,
        },
        options,
      );
      return { name, device };
    }
    if (name === 'tensorflow' || name === 'tensorflow-gpu') throw new Error('native TensorFlow runs only in Node');
    if (name === 'wasm') {
      if (!wasmReady) {
        const threads = Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(init.threads())));
        setWasmPaths({ ...init.wasmFiles });
        setThreadsCount(threads);
        // tfjs's WebAssembly module caps its thread pool at half of navigator.hardwareConcurrency (it takes every
        // core for two hyperthreads), which on a 2-core machine is one thread: it is told of cores enough for
        // the threads the user allowed. Only this Worker's navigator changes.
        Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { value: threads * 2, configurable: true });
        wasmReady = true;
      }
      registerWasmKernels();
      if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not start');
      registerWasmAdam();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = getThreadsCount();
      return {
        name,
        device: `CPU, WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`,
        threads,
      };
    }
    if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
    return { name, device: 'CPU, plain JavaScript' };
  };
}
