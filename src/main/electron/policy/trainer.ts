import type { BackendChoice } from '../../../shared/training.js';
import { APP_SCHEME, TRAINER_HOST } from './urls.js';

/**
 * The desktop app's training window: where the training worker runs, and what its page is allowed. Pure: no
 * electron import, so plain-Node tests cover it (training-window.ts applies it).
 *
 * Dawn's node build cannot run inside Electron (its mapped GPU buffers are external ArrayBuffers, which
 * Electron's V8 memory cage refuses), so the app trains in a Worker of a hidden, sandboxed window instead, where
 * Chromium's own WebGPU runs (D3D12 on Windows, Metal on macOS, Vulkan on Linux) and WebAssembly has threads
 * (the page is cross-origin isolated). Native TensorFlow exists only in Node: asked for by name, training runs in
 * a utilityProcess as before.
 */

export const TRAINER_ORIGIN = `${APP_SCHEME}://${TRAINER_HOST}`;
export const TRAINER_URL = `${TRAINER_ORIGIN}/index.html`;
/** The channel on which the main process hands the training window the port to its host (see the preload). */
export const TRAINER_PORT_CHANNEL = 'trainer:port';

/**
 * The training page's Content-Security-Policy: its own scripts, and WebAssembly compiled from its own .wasm files
 * ('wasm-unsafe-eval'); the threads tfjs starts are Workers made from Blobs of its own code (blob:); it fetches
 * only its own files; nothing else.
 */
export const TRAINER_CSP =
  "default-src 'none'; script-src 'self' blob: 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The headers of every file of the training window: its CSP and cross-origin isolation (COOP + COEP). */
export const TRAINER_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': TRAINER_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'x-content-type-options': 'nosniff',
};

/** Where the training worker runs for a backend choice: the training window, or a utilityProcess. */
export function trainingRuntime(backend: BackendChoice | undefined): 'window' | 'utility' {
  return backend === 'tensorflow' || backend === 'tensorflow-gpu' ? 'utility' : 'window';
}

/**
 * The switches Chromium needs before the app is ready for WebGPU in the training window: none on Windows and
 * macOS (on by default), WebGPU and its Vulkan backend on Linux (still behind flags there).
 */
export function webGpuSwitches(platform: string): Array<[string, string?]> {
  return platform === 'linux' ? [['enable-unsafe-webgpu'], ['enable-features', 'Vulkan']] : [];
}
