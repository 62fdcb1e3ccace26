import { defineConfig } from 'vite';

/**
 * The training window's build: src/neuron/browser -> dist/trainer, a page that starts the training Worker (the
 * same TrainingWorker as in Node, with the browser's WebGPU and WebAssembly backends and tfjs's .wasm files). The
 * desktop app loads it in a hidden window; the browser tests serve it with COOP/COEP.
 */
export default defineConfig({
  root: 'src/neuron/browser',
  base: './',
  // Not minified: tfjs's threaded WebAssembly module starts its threads from its own source text
  // (Function.prototype.toString into a Blob), which a minifier's renamed outer variables break.
  build: { outDir: '../../../dist/trainer', emptyOutDir: true, sourcemap: false, target: 'es2022', minify: false },
  worker: { format: 'es' },
  logLevel: 'warn',
});
