import { describe, expect, it } from 'vitest';
import {
  cpuPlan,
  DEFAULT_SETTINGS,
  defaultCpuCores,
  defaultSettings,
  MAX_CPU_CORES,
  MAX_TRAINING_THREADS,
  SettingsSchema,
} from '../../../src/shared/settings.js';

describe('the CPU cores setting', () => {
  it.each([
    [0.1, 1, 0.1],
    [0.5, 1, 0.5],
    [1, 1, 1],
    [1.5, 2, 0.75],
    [2, 2, 1],
    [2.5, 3, 2.5 / 3],
    [7, 7, 1],
    [8, 8, 1],
    [12, 8, 1],
  ])('%s cores: %s threads, each training %s of the time', (cores, threads, share) => {
    expect(cpuPlan(cores)).toEqual({ threads, share });
  });

  it('takes at most MAX_TRAINING_THREADS threads (one row of the batch each), or the most asked for', () => {
    expect(cpuPlan(MAX_CPU_CORES)).toEqual({ threads: MAX_TRAINING_THREADS, share: 1 });
    expect(cpuPlan(7.5)).toEqual({ threads: 8, share: 7.5 / 8 });
    expect(cpuPlan(20, 32)).toEqual({ threads: 20, share: 1 });
    expect(cpuPlan(1.5, 1)).toEqual({ threads: 1, share: 1 });
  });

  it('defaults to all cores but one, at least one', () => {
    expect([1, 2, 4, 16].map(defaultCpuCores)).toEqual([1, 1, 3, 15]);
    expect(defaultSettings(8)).toEqual({ ...DEFAULT_SETTINGS, cpuCores: 7 });
    // Its own arrays: a change to one machine's defaults leaves the shared ones alone.
    defaultSettings(8).bootstrap.push('/ip4/1.2.3.4/tcp/1/p2p/x');
    expect(DEFAULT_SETTINGS.bootstrap).toEqual([]);
  });

  it('takes 0.1 to MAX_CPU_CORES in the schema (the host counts more than the machine has as all)', () => {
    const check = (cpuCores: number) => SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, cpuCores }).success;
    expect([0.1, 1.5, MAX_CPU_CORES].map(check)).toEqual([true, true, true]);
    expect([0, 0.09, MAX_CPU_CORES + 1, Number.NaN].map(check)).toEqual([false, false, false, false]);
  });
});
