import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amdGpuReadings, parseNvidiaSmi, trainingGpu } from '../../../src/main/gpu-stats.js';
import { fileTree } from '../../support/files.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bt-gpu-stats-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("nvidia-smi's CSV (name, utilization.gpu, temperature.gpu, memory.used, memory.total; noheader, nounits)", () => {
  it('reads one line per GPU, in order', () => {
    const csv = 'NVIDIA H200, 35, 41, 1024, 143771\nNVIDIA GeForce RTX 4090, 0, 30, 512, 24564\n';
    expect(parseNvidiaSmi(csv)).toEqual([
      { name: 'NVIDIA H200', utilizationPct: 35, temperatureC: 41, memoryUsedMiB: 1024, memoryTotalMiB: 143771 },
      {
        name: 'NVIDIA GeForce RTX 4090',
        utilizationPct: 0,
        temperatureC: 30,
        memoryUsedMiB: 512,
        memoryTotalMiB: 24564,
      },
    ]);
  });

  it('leaves out what the driver does not report ([N/A], [Not Supported]) and implausible values', () => {
    const csv = [
      'NVIDIA A100-SXM4-40GB MIG 1g.5gb, [N/A], 33, [N/A], [N/A]',
      'Tesla K80, [Not Supported], 250, 10, 11441',
      'NVIDIA T4, 140, -300, 3, 15360\r',
    ].join('\r\n');
    expect(parseNvidiaSmi(csv)).toEqual([
      { name: 'NVIDIA A100-SXM4-40GB MIG 1g.5gb', temperatureC: 33 },
      { name: 'Tesla K80', memoryUsedMiB: 10, memoryTotalMiB: 11441 },
      { name: 'NVIDIA T4', memoryUsedMiB: 3, memoryTotalMiB: 15360 },
    ]);
  });

  it('keeps a comma in the name, and skips garbage: error messages, blank lines, words where numbers go', () => {
    const csv = [
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
      '',
      'Failed to initialize NVML: Driver/library version mismatch',
      'Odd GPU, Rev. 2, 10, 50, 100, 200',
      'name, utilization.gpu [%], temperature.gpu, memory.used [MiB], memory.total [MiB]',
      ', 1, 2, 3, 4',
      '[N/A], 1, 2, 3, 4',
      'NVIDIA L4, 12, 55, 3,',
    ].join('\n');
    expect(parseNvidiaSmi(csv)).toEqual([
      { name: 'Odd GPU, Rev. 2', utilizationPct: 10, temperatureC: 50, memoryUsedMiB: 100, memoryTotalMiB: 200 },
    ]);
    expect(parseNvidiaSmi('')).toEqual([]);
    expect(parseNvidiaSmi('\u0000\u0001garbage,,,,')).toEqual([]);
  });
});

const sysfs = (name: string, files: Record<string, string>) => fileTree(root, name, files);

describe('AMD GPUs from Linux sysfs (amdgpu)', () => {
  it("reads each amdgpu card's busy share, edge temperature and VRAM; skips other cards and connectors", async () => {
    const dir = await sysfs('amd', {
      'drm/card0/device/gpu_busy_percent': '87\n',
      'drm/card0/device/hwmon/hwmon4/name': 'amdgpu\n',
      'drm/card0/device/hwmon/hwmon4/temp1_input': '71000\n',
      'drm/card0/device/mem_info_vram_used': `${512 * 2 ** 20}\n`,
      'drm/card0/device/mem_info_vram_total': `${16368 * 2 ** 20}\n`,
      'drm/card0-DP-1/status': 'connected\n',
      'drm/card1/device/hwmon/hwmon5/name': 'nouveau\n',
      'drm/card1/device/hwmon/hwmon5/temp1_input': '50000\n',
      'drm/card2/device/product_name': 'AMD Radeon Pro W7900\n',
      'drm/card2/device/hwmon/hwmon6/name': 'amdgpu\n',
      'drm/card2/device/hwmon/hwmon6/temp1_input': 'garbage\n',
    });
    expect(amdGpuReadings(dir)).toEqual([
      { name: 'AMD GPU (card0)', utilizationPct: 87, temperatureC: 71, memoryUsedMiB: 512, memoryTotalMiB: 16368 },
      { name: 'AMD Radeon Pro W7900' },
    ]);
  });

  it('is empty where there is no amdgpu card (NVIDIA, Intel, a container)', async () => {
    expect(amdGpuReadings(join(root, 'nothing-here'))).toEqual([]);
    expect(amdGpuReadings(await sysfs('intel', { 'drm/card0/device/vendor': '0x8086\n' }))).toEqual([]);
  });
});

describe('the GPU that trains', () => {
  const h200 = { name: 'NVIDIA H200' };
  const t4 = { name: 'NVIDIA T4' };
  it("is the one the backend's device words name, else the first", () => {
    expect(trainingGpu([h200, t4], 'WebGPU, nvidia t4 (Vulkan)')).toBe(t4);
    expect(trainingGpu([h200, t4], 'WebGPU, an unknown adapter')).toBe(h200);
    expect(trainingGpu([], 'WebGPU, NVIDIA T4')).toBeUndefined();
  });
});
