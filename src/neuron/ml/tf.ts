import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../shared/training.js';

/**
 * The TensorFlow.js engine every model of this project runs on, and what a runtime's backend loader is. Nothing
 * here needs Node or a browser: the trainer runs in a worker_thread, an Electron utilityProcess or a browser
 * Worker, and each of those brings its own loader (backend.ts in Node, browser/backend.ts in a Worker).
 */

// Production mode: fewer debug checks, and none of tfjs's console banners ("Hi, looks like you are running
// TensorFlow.js in Node.js...") in the user's log; its warnings go through console.warn only when PROD is off.
tf.env().set('PROD', true);

/** The backend in use, as the app shows it. */
export interface BackendInfo {
  name: BackendName;
  /** What it runs on, in words ("WebGPU, NVIDIA H200 (Vulkan)", "CPU, WebAssembly SIMD", ...). */
  device: string;
  /** One training step of the real model in the self-test, ms (when a self-test chose the backend). */
  stepMs?: number;
  /** Why each other rung was not used ("webgpu: no WebGPU adapter", "tensorflow-gpu: not installed"). */
  passedOver?: string[];
  /** Threads the backend runs on by itself (a browser's WebAssembly thread pool); 1 when absent. */
  threads?: number;
}

export interface LoadOptions {
  /** Accept a software WebGPU adapter (SwiftShader, lavapipe). Default false. */
  allowSoftware?: boolean;
  /**
   * For benchmarks: ask the WebGPU device for timestamp queries where the adapter has them, so tf.profile reads
   * each kernel's GPU time (tfjs then submits a profiled kernel alone). Only the first WebGPU load decides.
   */
  timestampQuery?: boolean;
}

/** Loads one backend and makes it current (tfjs keeps the others registered); throws a one-line reason. */
export type BackendLoader = (name: BackendName, options?: LoadOptions) => Promise<BackendInfo>;

export { tf };
