import * as tf from '@tensorflow/tfjs';

/**
 * WebGPU in plain Node: Dawn's node build (the optional `webgpu` package, whose binaries ship inside it for
 * Linux, macOS and Windows) under tfjs's WebGPU backend. The backend registers itself only when `navigator.gpu`
 * exists at import time, and then asks for features that strict implementations refuse; so the adapter and
 * device are made here, and `WebGPUBackend` is registered with them under the name its kernels use, `webgpu`.
 */

/** Adapters that run shaders on the CPU: slower than our WebAssembly path, used only when asked for. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** The adapter found is a software one; `--backend webgpu` uses it anyway. */
export class SoftwareAdapterError extends Error {
  constructor(readonly adapter: string) {
    super(`software adapter (${adapter}), slower than WebAssembly; --backend webgpu uses it anyway`);
    this.name = 'SoftwareAdapterError';
  }
}

export interface WebGpuOptions {
  /** Use a software adapter (SwiftShader, lavapipe) when no hardware one exists. Default false. */
  allowSoftware?: boolean;
}

/** What is used here of Dawn's objects (the WebGPU API's GPU, GPUAdapter and GPUDevice). */
interface DawnGpu {
  requestAdapter(options: { powerPreference: 'high-performance' }): Promise<DawnAdapter | null>;
}
interface DawnAdapter {
  readonly info: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly limits: Record<string, number>;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<unknown>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

let registered: { device: string; software: boolean } | undefined;

/** What the graphics API under Dawn is on this platform. */
function nativeApi(): string {
  if (process.platform === 'darwin') return 'Metal';
  if (process.platform === 'win32') return 'D3D12';
  return 'Vulkan';
}

/** The adapter in words: "NVIDIA H200", "SwiftShader driver 5.0.0", or what Dawn says of its vendor. */
export function describeAdapter(info: AdapterInfoLike): string {
  const text = (info.description || info.device || '').trim();
  if (text) return text;
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
}

export function isSoftwareAdapter(info: AdapterInfoLike, fallback = false): boolean {
  return fallback || SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/**
 * Registers tfjs's WebGPU backend on Dawn's adapter and makes it current. Fails in one line when the package,
 * an adapter or a device is missing, and with SoftwareAdapterError for a software adapter unless allowed.
 * Once registered, later calls only make it current again.
 * @returns the device in words, e.g. "WebGPU, NVIDIA H200 (Vulkan)"
 */
export async function startWebGpu(options: WebGpuOptions = {}): Promise<{ device: string; software: boolean }> {
  if (registered) {
    if (registered.software && !options.allowSoftware) throw new SoftwareAdapterError(registered.device);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not start');
    return registered;
  }
  // Dawn wraps mapped GPU memory in external ArrayBuffers, which Electron's V8 memory cage refuses (a crash,
  // not an exception): inside Electron, WebGPU must come from Chromium's own, in a browser Worker.
  if (process.versions['electron']) {
    throw new Error(
      "Dawn's node build cannot run inside Electron (the desktop app's browser-worker WebGPU is not built yet)",
    );
  }
  // Specifiers in variables: `webgpu` is an optional dependency, and neither is loaded unless WebGPU is tried.
  const dawnModule = 'webgpu';
  const backendModule = '@tensorflow/tfjs-backend-webgpu';
  const dawn = (await import(dawnModule).catch(() => {
    throw new Error('the webgpu package is not installed (npm install webgpu)');
  })) as { create(flags: string[]): DawnGpu; globals: object };
  // The WebGPU API's constants (GPUBufferUsage, GPUMapMode, ...), which the backend reads as globals.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`no WebGPU adapter (Dawn found no ${nativeApi()} driver)`);
  const info = adapter.info as AdapterInfoLike;
  const name = describeAdapter(info);
  const software = isSoftwareAdapter(info, adapter.isFallbackAdapter === true);
  if (software && !options.allowSoftware) throw new SoftwareAdapterError(name);
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: limits['maxBufferSize']!,
      maxStorageBufferBindingSize: limits['maxStorageBufferBindingSize']!,
      maxComputeWorkgroupStorageSize: limits['maxComputeWorkgroupStorageSize']!,
      maxComputeInvocationsPerWorkgroup: limits['maxComputeInvocationsPerWorkgroup']!,
      maxComputeWorkgroupSizeX: limits['maxComputeWorkgroupSizeX']!,
    },
  });
  // The backend's constructor checks navigator.gpu; Node has a navigator without one.
  Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'gpu', {
    value: gpu,
    configurable: true,
  });
  const { WebGPUBackend } = (await import(backendModule)) as {
    WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend;
  };
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info));
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not start');
  registered = { device: `WebGPU, ${name} (${nativeApi()})`, software };
  return registered;
}
