import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mismatch, SELF_TEST_TOLERANCE, type SelfTestResult } from '../../../../src/neuron/ml/backend-ladder.js';
import { describeAdapter, isSoftwareAdapter } from '../../../../src/neuron/ml/webgpu.js';
import { BACKENDS } from '../../../../src/shared/training.js';

/** The SwiftShader Vulkan driver that Debian's chromium package ships: a software WebGPU adapter for Dawn. */
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface LadderRun {
  chosen: { name: string; device: string; stepMs?: number; passedOver?: string[]; error?: string };
  selfTests: Array<{ backend: string; error: { loss: number; grads: number } }>;
}

/** A fixture script in a process of its own (Vulkan reads its driver list once per process): its JSON line. */
function fixture<T>(script: string, args: string[], env: Record<string, string | undefined>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `test/fixtures/${script}`, ...args], {
      env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${script} exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

const ladder = (choice: string, env: Record<string, string | undefined>) =>
  fixture<LadderRun>('backend-ladder.ts', [choice], env);

const result = (loss: number, grads: number[]): SelfTestResult => ({
  loss,
  grads: Float32Array.from(grads),
  stepMs: 1,
});

describe('the self-test', () => {
  const reference = result(7.5, [1, -2, 3, 0.5]);

  it('accepts float32 noise and refuses a wrong loss or wrong gradients', () => {
    expect(mismatch(result(7.5 + 1e-6, [1, -2, 3.000001, 0.5]), reference)).toBeUndefined();
    expect(mismatch(result(7.5 * (1 + 10 * SELF_TEST_TOLERANCE.loss), [1, -2, 3, 0.5]), reference)).toMatch(/loss/);
    expect(mismatch(result(7.5, [1, -2, 3, -0.5]), reference)).toMatch(/gradients differ/);
    expect(mismatch(result(Number.NaN, [1, -2, 3, 0.5]), reference)).toMatch(/loss/);
    expect(mismatch(result(7.5, [1, -2, Number.NaN, 0.5]), reference)).toMatch(/gradients/);
  });

  it('tells software adapters from hardware ones', () => {
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' };
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'nvidia', description: 'NVIDIA H200' }, true)).toBe(true);
    expect(describeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })).toBe(
      'NVIDIA H200',
    );
    expect(describeAdapter({ vendor: 'apple', architecture: 'metal-3' })).toBe('apple metal-3');
    // Dawn on NVIDIA's Vulkan driver (an H200, 2026-12): the device as a slug, the driver's version as description.
    const h200 = {
      vendor: 'nvidia',
      architecture: '',
      device: 'nvidia-h200',
      description: 'NVIDIA: 580.159.04 580.159.4.0',
    };
    expect(describeAdapter(h200)).toBe('NVIDIA H200');
    expect(isSoftwareAdapter(h200)).toBe(false);
    expect(describeAdapter({ vendor: 'nvidia', device: 'nvidia-geforce-rtx-4090' })).toBe('NVIDIA Geforce RTX 4090');
    expect(describeAdapter({ vendor: 'nvidia', description: 'NVIDIA: 580.159.04' })).toBe('nvidia');
  });
});

describe('the backend ladder', { timeout: 180_000 }, () => {
  it('without a usable GPU trains on WebAssembly and says why each other rung was not used', async () => {
    const run = await ladder('auto', { VK_DRIVER_FILES: undefined, VK_ICD_FILENAMES: undefined });
    expect(run.chosen.name).toBe('wasm');
    const reasons = run.chosen.passedOver ?? [];
    for (const name of BACKENDS.filter((b) => b !== 'wasm' && b !== 'cpu')) {
      expect(reasons.some((r) => r.startsWith(`${name}: `))).toBe(true);
    }
  });

  it('passes over a software WebGPU adapter in auto, and uses it when named after it matches WebAssembly', async () => {
    expect(existsSync(SWIFTSHADER)).toBe(true); // .ci/run installs Debian's chromium, which ships it
    const auto = await ladder('auto', { VK_DRIVER_FILES: SWIFTSHADER });
    expect(auto.chosen.name).toBe('wasm');
    expect(auto.chosen.passedOver).toContainEqual(expect.stringMatching(/^webgpu: software adapter \(SwiftShader/));

    const named = await ladder('webgpu', { VK_DRIVER_FILES: SWIFTSHADER });
    expect(named.chosen).toMatchObject({ name: 'webgpu', device: expect.stringMatching(/^WebGPU, SwiftShader/) });
    expect(named.chosen.stepMs).toBeGreaterThan(0);
    const [test] = named.selfTests;
    expect(test?.backend).toBe('webgpu');
    expect(test!.error.loss).toBeLessThanOrEqual(SELF_TEST_TOLERANCE.loss);
    expect(test!.error.grads).toBeLessThanOrEqual(SELF_TEST_TOLERANCE.grads);
  });

  it('refuses a named backend that cannot start, in one line', async () => {
    const run = await ladder('tensorflow-gpu', {});
    expect(run.chosen.error).toMatch(/^--backend tensorflow-gpu cannot start here: not installed/);
    expect(run.chosen.error).not.toContain('\n');
  });
});

describe('WebGPU against WebAssembly, on SwiftShader', { timeout: 180_000 }, () => {
  it('gives every op of the model the same values and gradients, trains with a falling loss and leaks nothing', async () => {
    const run = await fixture<{
      device: string;
      ops: Array<{ name: string; error: number; finite: boolean }>;
      losses: number[];
      tensorsBefore: number;
      tensorsAfter: number;
    }>('webgpu-parity.ts', [], { VK_DRIVER_FILES: SWIFTSHADER });
    expect(run.device).toMatch(/^WebGPU, SwiftShader/);
    expect(run.ops.map((o) => o.name)).toContain('conv encoder (every weight)');
    expect(run.ops.map((o) => o.name)).toContain('Adam, 3 steps (fused on WebGPU)');
    for (const op of run.ops) {
      expect(op.finite, op.name).toBe(true);
      expect(op.error, op.name).toBeLessThan(1e-5); // float32 summed in another order: ~1e-7 measured
    }
    expect(run.losses.every(Number.isFinite)).toBe(true);
    expect(run.losses.at(-1)!).toBeLessThan(run.losses[0]! * 0.9);
    expect(run.tensorsAfter).toBe(run.tensorsBefore);
  });
});
