import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuStats, NVIDIA_SMI_ARGS, type GpuReading } from '../../src/main/gpu-stats.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';

/**
 * GpuStats' real path: nvidia-smi run with execFile and found on PATH, here a fake one first on PATH that answers
 * what the test puts in its folder (the real GPU cannot run here): the CSV, a failure, or no answer at all.
 */
let dir: string;
let path: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-gpu-smi-'));
  await writeFile(
    join(dir, 'nvidia-smi'),
    [
      '#!/bin/sh',
      'here=$(dirname "$0")',
      'echo "$*" >> "$here/calls"',
      'if [ -f "$here/hang" ]; then exec sleep 5; fi',
      'if [ -f "$here/fail" ]; then echo "NVIDIA-SMI has failed because it could not communicate with the driver." >&2; exit 9; fi',
      'cat "$here/answer"',
      '',
    ].join('\n'),
  );
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  path = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${path ?? ''}`;
});
afterAll(async () => {
  process.env.PATH = path;
  await rm(dir, { recursive: true, force: true });
});

function recordingLogger(): { logger: Logger; lines: () => Array<{ message: string; problem?: string }> } {
  const lines: string[] = [];
  return {
    logger: createLogger('test', (l) => lines.push(l), 'info'),
    lines: () => lines.map((l) => JSON.parse(l) as { message: string; problem?: string }),
  };
}

const calls = async () => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('GpuStats with nvidia-smi on PATH', () => {
  it('reads the training GPU only while the neuron trains on a GPU backend, and says once when it cannot', async () => {
    await writeFile(join(dir, 'answer'), 'NVIDIA H200, 35, 41, 1024, 143771\nNVIDIA T4, [N/A], 62, 3, 15360\n');
    const { logger, lines } = recordingLogger();
    let backend = { name: 'wasm', device: 'CPU, WebAssembly SIMD' };
    const stats = new GpuStats({ backend: () => backend, logger }, { timeoutMs: 1000, sysfsRoot: join(dir, 'no-sys') });
    const events: Array<GpuReading | undefined> = [];
    stats.events.on('reading', (r) => events.push(r));

    expect(await stats.sample()).toBeUndefined();
    expect(await calls()).toEqual([]); // not run on a CPU backend

    backend = { name: 'webgpu', device: 'WebGPU, NVIDIA T4 (Vulkan)' };
    const t4 = { name: 'NVIDIA T4', temperatureC: 62, memoryUsedMiB: 3, memoryTotalMiB: 15360 };
    expect(await stats.sample()).toEqual(t4);
    expect(stats.reading).toEqual(t4);
    expect(await calls()).toEqual([NVIDIA_SMI_ARGS.join(' ')]);
    await stats.sample(); // the same reading: no event
    expect(events).toEqual([t4]);

    await writeFile(join(dir, 'fail'), '');
    expect(await stats.sample()).toBeUndefined();
    expect(await stats.sample()).toBeUndefined();
    expect(events).toEqual([t4, undefined]);
    const told = lines().filter((l) => l.message === 'no GPU readings (utilisation, temperature)');
    expect(told).toHaveLength(1);
    expect(told[0]!.problem).toBe(
      'nvidia-smi: exit code 9: NVIDIA-SMI has failed because it could not communicate with the driver.; no AMD GPU in sysfs',
    );
    await rm(join(dir, 'fail'));

    expect(await stats.sample()).toEqual(t4);
    await writeFile(join(dir, 'hang'), '');
    const started = Date.now();
    expect(await stats.sample()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(4000);
    await rm(join(dir, 'hang'));
    expect(
      lines()
        .filter((l) => l.message.startsWith('no GPU readings'))
        .map((l) => l.problem),
    ).toEqual([told[0]!.problem, 'nvidia-smi: no answer in 1000 ms; no AMD GPU in sysfs']);

    backend = { name: 'wasm', device: 'CPU' };
    expect(await stats.sample()).toBeUndefined(); // back on the CPU: the reading goes
    expect(events.at(-1)).toBeUndefined();
  });

  it('garbage from nvidia-smi is no reading; a missing binary is said once and not run again', async () => {
    await writeFile(join(dir, 'answer'), 'Failed to initialize NVML: Driver/library version mismatch\n');
    const { logger, lines } = recordingLogger();
    const backend = () => ({ name: 'tensorflow-gpu', device: 'CUDA' });
    const garbage = new GpuStats({ backend, logger }, { sysfsRoot: null });
    expect(await garbage.sample()).toBeUndefined();
    expect(lines()[0]!.problem).toBe(
      'nvidia-smi: no GPU in its answer: Failed to initialize NVML: Driver/library version mismatch',
    );

    const missing = recordingLogger();
    const sys = join(dir, 'sys');
    const absent = new GpuStats(
      { backend, logger: missing.logger },
      { nvidiaSmi: join(dir, 'not-here'), sysfsRoot: sys },
    );
    expect(await absent.sample()).toBeUndefined();
    expect(await absent.sample()).toBeUndefined();
    expect(missing.lines().map((l) => l.problem)).toEqual([
      'nvidia-smi: not installed (not on PATH); no AMD GPU in sysfs',
    ]);
    // An AMD card in sysfs: read from there instead.
    await mkdir(join(sys, 'drm/card0/device'), { recursive: true });
    await writeFile(join(sys, 'drm/card0/device/gpu_busy_percent'), '40\n');
    expect(await absent.sample()).toEqual({ name: 'AMD GPU (card0)', utilizationPct: 40 });
  });

  it('reads on its own every everyMs once started; start() and stop() are safe twice', async () => {
    await writeFile(join(dir, 'answer'), 'NVIDIA H200, 99, 80, 140000, 143771\n');
    const stats = new GpuStats(
      { backend: () => ({ name: 'webgpu', device: 'WebGPU, NVIDIA H200' }), logger: recordingLogger().logger },
      { everyMs: 50, sysfsRoot: null },
    );
    const first = new Promise<GpuReading | undefined>((resolve) => stats.events.on('reading', resolve));
    stats.start();
    stats.start();
    expect(await first).toMatchObject({ name: 'NVIDIA H200', utilizationPct: 99, temperatureC: 80 });
    stats.stop();
    stats.stop();
  });
});
