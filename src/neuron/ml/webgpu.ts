import { registerWebGpu, type GpuLike, type WebGpuOptions, type WebGpuRuntime } from './webgpu-adapter.js';

/**
 * WebGPU in plain Node: Dawn's node build (the optional `webgpu` package, whose binaries ship inside it for
 * Linux, macOS and Windows) under tfjs's WebGPU backend, registered on our own adapter (webgpu-adapter.ts).
 */

export { describeAdapter, isSoftwareAdapter, SoftwareAdapterError, type WebGpuOptions } from './webgpu-adapter.js';

/** What the graphics API under Dawn is on this platform. */
function nativeApi(): string {
  if (process.platform === 'darwin') return 'Metal';
  if (process.platform === 'win32') return 'D3D12';
  return 'Vulkan';
}

let dawnGpu: GpuLike | undefined;

/**
 * Registers tfjs's WebGPU backend on Dawn's adapter and makes it current. Fails in one line when the package,
 * an adapter or a device is missing, and with SoftwareAdapterError for a software adapter unless allowed.
 * @returns the device in words, e.g. "WebGPU, NVIDIA H200 (Vulkan)"
 */
export async function startWebGpu(options: WebGpuOptions = {}): Promise<{ device: string; software: boolean }> {
  // Dawn wraps mapped GPU memory in external ArrayBuffers, which Electron's V8 memory cage refuses (a crash,
  // not an exception): inside Electron, WebGPU comes from Chromium's own, in the training window's Worker.
  if (process.versions['electron']) {
    throw new Error("Dawn's node build cannot run inside Electron (the app trains on WebGPU in its training window)");
  }
  if (!dawnGpu) {
    // Specifiers in variables: `webgpu` is an optional dependency, and neither is loaded unless WebGPU is tried.
    const dawnModule = 'webgpu';
    const dawn = (await import(dawnModule).catch(() => {
      throw new Error('the webgpu package is not installed (npm install webgpu)');
    })) as { create(flags: string[]): GpuLike; globals: object };
    // The WebGPU API's constants (GPUBufferUsage, GPUMapMode, ...), which the backend reads as globals.
    Object.assign(globalThis, dawn.globals);
    dawnGpu = dawn.create([]);
    // The backend's constructor checks navigator.gpu; Node has a navigator without one.
    Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'gpu', {
      value: dawnGpu,
      configurable: true,
    });
  }
  const backendModule = '@tensorflow/tfjs-backend-webgpu';
  return registerWebGpu(
    {
      gpu: dawnGpu,
      api: nativeApi(),
      backendModule: () => import(backendModule) as ReturnType<WebGpuRuntime['backendModule']>,
    },
    options,
  );
}
