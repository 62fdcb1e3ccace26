import { tf, type LoadOptions } from './tf.js';
import { registerWebGpuAdam } from './webgpu-adam.js';
import { registerTiledMatMul } from './webgpu-matmul.js';

/**
 * tfjs's WebGPU backend on an adapter we choose, in any runtime: Dawn's node build in Node (webgpu.ts) or the
 * browser's `navigator.gpu` in a Worker (browser/backend.ts). The backend's own registration (made at import
 * when `navigator.gpu` exists) takes whatever adapter comes first and asks for features that strict
 * implementations refuse, so it is replaced: the adapter and device are made here, software adapters are
 * recognised, and `WebGPUBackend` is registered with them under the name its kernels use, `webgpu`.
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

/** The loader's options (tf.ts): a software adapter, the GPU timing a benchmark asks for. */
export type WebGpuOptions = LoadOptions;

/** What is used here of the WebGPU API's GPU, GPUAdapter and GPUAdapterInfo (Dawn's and browsers' alike). */
export interface GpuLike {
  requestAdapter(options: { powerPreference: 'high-performance' }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  readonly info: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly limits: Record<string, number> | object;
  readonly features?: { has(name: string): boolean };
  requestDevice(descriptor: { requiredLimits: Record<string, number>; requiredFeatures?: string[] }): Promise<unknown>;
}
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** What a runtime brings: its GPU object, the graphics API under it in words, and tfjs's WebGPU module. */
export interface WebGpuRuntime {
  gpu: GpuLike;
  /** "Vulkan", "Metal", "D3D12", or "browser" where the browser does not say. */
  api: string;
  /** Imports @tensorflow/tfjs-backend-webgpu (a bundler sees the import in the browser build). */
  backendModule(): Promise<{ WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend }>;
}

/** A driver's version where a name would be: Dawn on NVIDIA's Vulkan says "NVIDIA: 580.159.04 580.159.4.0". */
const DRIVER_VERSION = /^[^:]*:\s*\d+(\.\d+)+(\s+[\d.]+)*$/;

/** Vendors' names as they write them, for device names given as slugs ("nvidia-h200"). */
const VENDORS: Record<string, string> = { nvidia: 'NVIDIA', amd: 'AMD', ati: 'ATI', intel: 'Intel', apple: 'Apple' };

/** A slug such as "nvidia-h200" in words ("NVIDIA H200"); a name with spaces stays as it is. */
function readableDevice(device: string): string {
  const text = device.trim();
  if (/\s/.test(text) || !text.includes('-')) return text;
  return text
    .split('-')
    .filter(Boolean)
    .map((w) => VENDORS[w] ?? (/\d/.test(w) || w.length <= 3 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/**
 * The adapter in words: "NVIDIA H200", "SwiftShader driver 5.0.0", or what it says of its vendor. The
 * description when it names the adapter; the device when the description is only a driver's version (Dawn on
 * NVIDIA gives the device as "nvidia-h200" and the description as "NVIDIA: 580.159.04 580.159.4.0").
 */
export function describeAdapter(info: AdapterInfoLike): string {
  const description = (info.description ?? '').trim();
  if (description && !DRIVER_VERSION.test(description)) return description;
  const device = readableDevice(info.device ?? '');
  if (device) return device;
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || description || 'unknown adapter';
}

export function isSoftwareAdapter(info: AdapterInfoLike, fallback = false): boolean {
  return fallback || SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** The limits tfjs's kernels use, asked for at the adapter's maximum (the defaults are far lower). */
const LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
] as const;

let registered: { device: string; software: boolean } | undefined;

/**
 * Registers tfjs's WebGPU backend on the runtime's adapter and makes it current. Fails in one line when there is
 * no adapter or device, and with SoftwareAdapterError for a software adapter unless allowed. Once registered,
 * later calls only make it current again.
 * @returns the device in words, e.g. "WebGPU, NVIDIA H200 (Vulkan)"
 */
export async function registerWebGpu(
  runtime: WebGpuRuntime,
  options: WebGpuOptions = {},
): Promise<{ device: string; software: boolean }> {
  if (registered) {
    if (registered.software && !options.allowSoftware) throw new SoftwareAdapterError(registered.device);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not start');
    return registered;
  }
  const adapter = await runtime.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`no WebGPU adapter (no ${runtime.api} driver found)`);
  const info = adapter.info;
  const name = describeAdapter(info);
  const software = isSoftwareAdapter(info, adapter.isFallbackAdapter === true);
  if (software && !options.allowSoftware) throw new SoftwareAdapterError(name);
  const limits = adapter.limits as Record<string, number>;
  const timed = options.timestampQuery === true && adapter.features?.has('timestamp-query') === true;
  const device = await adapter.requestDevice({
    requiredLimits: Object.fromEntries(LIMITS.map((k) => [k, limits[k]!])),
    ...(timed ? { requiredFeatures: ['timestamp-query'] } : {}),
  });
  const { WebGPUBackend } = await runtime.backendModule();
  // The module registered its own factory at import if navigator.gpu existed then: ours replaces it.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info));
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not start');
  registerTiledMatMul();
  registerWebGpuAdam();
  registered = { device: `WebGPU, ${name} (${runtime.api})`, software };
  return registered;
}
