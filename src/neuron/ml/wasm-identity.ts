import { tf } from './tf.js';

/** What the kernel below reads of the WebAssembly backend (its data map counts references, as reshape uses). */
interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * tfjs's WebAssembly backend copies a tensor's data for every Identity, the kernel behind `clone`, and the
 * gradient tape clones every tensor it saves for the backward pass: a training step held a second copy of each
 * saved activation (each [512, 2049] logit-sized tensor 4.2 MB more) and spent time copying them. Tensors are
 * immutable in tfjs (a variable's assign takes the new tensor's data; no kernel writes into its input), so a clone
 * may share its input's data, as reshape does on this backend and Identity does on the cpu and WebGPU backends.
 * Call after the wasm backend's module is loaded (its kernels are registered at import); safe to call again.
 */
export function shareDataOnWasmIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (current?.kernelFunc === identity) return;
  if (current) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity as tf.KernelFunc });
}

function identity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = inputs['x']!;
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
