import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contribution, cpuUse, inSchedule, type MachineState } from '../../../src/main/contribution.js';
import { DEFAULT_SETTINGS, migrateSettings, SettingsStore, type Settings } from '../../../src/main/settings.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-host-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('start at the defaults (start at login off, pause on battery on) and persist across a restart', async () => {
    const folder = join(dir, 'a');
    await (await import('node:fs/promises')).mkdir(folder);
    const store = new SettingsStore(folder, { cores: 8 });
    // All cores but one train by default.
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, cpuCores: 7 });
    expect(DEFAULT_SETTINGS.startAtLogin).toBe(false);
    expect(DEFAULT_SETTINGS.pauseOnBattery).toBe(true);
    await store.update({ idleMinutes: 10, schedule: [{ days: [1, 2], start: '22:00', end: '06:00' }] });
    const again = new SettingsStore(folder, { cores: 8 });
    expect((await again.load()).idleMinutes).toBe(10);
    expect(again.value.schedule).toHaveLength(1);
    expect(again.loadProblem).toBeUndefined();
  });

  it.each<[Partial<Settings>, RegExp]>([
    [{ cpuCores: 0.05 }, /^cpuCores: /],
    [{ cpuCores: 257 }, /^cpuCores: /],
    [{ cpuShare: 0.5 } as Partial<Settings>, /cpuShare|unrecognized/i],
    [{ idleMinutes: -1 }, /^idleMinutes: /],
    [{ ledgerUrl: 'ftp://x' }, /^ledgerUrl: /],
    [{ bootstrap: ['/ip4/1.2.3.4/tcp/1'] }, /^bootstrap\.0: must be a multiaddr ending in \/p2p\//],
    [{ schedule: [{ days: [7], start: '00:00', end: '01:00' }] }, /^schedule\.0\.days\.0: /],
    [{ schedule: [{ days: [1], start: '24:00', end: '01:00' }] }, /^schedule\.0\.start: must be HH:MM/],
    [{ backend: 'nope' } as unknown as Partial<Settings>, /^backend: /],
    [{ nonsense: 1 } as Partial<Settings>, /nonsense|unrecognized/i],
  ])('refuse %j naming the field, and keep what was saved', async (change, message) => {
    const folder = join(dir, `b${Math.random()}`);
    await (await import('node:fs/promises')).mkdir(folder);
    const store = new SettingsStore(folder);
    await store.load();
    await store.update({ idleMinutes: 3 });
    await expect(store.update(change)).rejects.toThrow(message);
    expect(store.value.idleMinutes).toBe(3);
    expect(JSON.parse(await readFile(store.file, 'utf8')).idleMinutes).toBe(3);
  });

  it('a file from before the backend setting loads, with auto; a chosen backend persists', async () => {
    const folder = join(dir, 'old');
    await (await import('node:fs/promises')).mkdir(folder);
    const { backend: _, ...before } = { ...DEFAULT_SETTINGS, idleMinutes: 9 };
    await writeFile(join(folder, 'settings.json'), JSON.stringify(before));
    const store = new SettingsStore(folder, { cores: 1 });
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, idleMinutes: 9, backend: 'auto' });
    expect(store.loadProblem).toBeUndefined();
    await store.update({ backend: 'wasm' });
    expect((await new SettingsStore(folder).load()).backend).toBe('wasm');
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ ...before, backend: 'tpu' }));
    const invalid = new SettingsStore(folder, { cores: 1 });
    expect(await invalid.load()).toEqual(DEFAULT_SETTINGS);
    expect(invalid.loadProblem).toMatch(/: backend: .*using the defaults/);
  });

  it('a damaged file is reported and the defaults are used until the user saves', async () => {
    const folder = join(dir, 'c');
    await (await import('node:fs/promises')).mkdir(folder);
    await writeFile(join(folder, 'settings.json'), '{"idleMinutes": ');
    const store = new SettingsStore(folder, { cores: 4 });
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, cpuCores: 3 });
    expect(store.loadProblem).toMatch(/is not JSON; using the defaults/);
    await writeFile(join(folder, 'settings.json'), '{"cpuCores": 0}');
    const invalid = new SettingsStore(folder, { cores: 4 });
    expect((await invalid.load()).cpuCores).toBe(3);
    expect(invalid.loadProblem).toMatch(/: cpuCores: .*using the defaults/);
  });

  it('a file from before the CPU cores setting loads its CPU share of one core as that many cores, written back without it', async () => {
    const folder = join(dir, 'share');
    await (await import('node:fs/promises')).mkdir(folder);
    const { cpuCores: _, ...rest } = { ...DEFAULT_SETTINGS, idleMinutes: 4 };
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ ...rest, cpuShare: 0.5 }));
    const store = new SettingsStore(folder, { cores: 8 });
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, idleMinutes: 4, cpuCores: 0.5 });
    expect(store.loadProblem).toBeUndefined();
    await store.update({ idleMinutes: 6 });
    const written = JSON.parse(await readFile(store.file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ idleMinutes: 6, cpuCores: 0.5 });
    expect(written).not.toHaveProperty('cpuShare');
    // A file with both keeps its cores.
    expect(migrateSettings({ cpuShare: 0.5, cpuCores: 3, idleMinutes: 1 })).toEqual({ cpuCores: 3, idleMinutes: 1 });
    expect(migrateSettings([1])).toEqual([1]);
    expect(migrateSettings(null)).toBeNull();
  });

  it('count more CPU cores than the machine has as all of its cores', async () => {
    const folder = join(dir, 'cores');
    await (await import('node:fs/promises')).mkdir(folder);
    const store = new SettingsStore(folder, { cores: 4 });
    await store.load();
    expect((await store.update({ cpuCores: 12 })).cpuCores).toBe(4);
    expect(JSON.parse(await readFile(store.file, 'utf8')).cpuCores).toBe(4);
    expect((await store.update({ cpuCores: 2.5 })).cpuCores).toBe(2.5);
    // The same file on a smaller machine.
    expect((await new SettingsStore(folder, { cores: 2 }).load()).cpuCores).toBe(2);
  });
});

describe('contribution policy', () => {
  const at = (iso: string, extra: Partial<MachineState> = {}): MachineState => ({
    now: new Date(iso),
    idleSeconds: 3600,
    onBattery: false,
    temperatureC: 50,
    gpuTemperatureC: undefined,
    onGpu: false,
    cores: 4,
    threads: undefined,
    userPaused: false,
    ...extra,
  });
  const s = (change: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, cpuCores: 0.75, ...change });

  it('contributes at full share when the user is away, and says why it does not otherwise', () => {
    expect(contribution(s(), at('2026-12-02T12:00:00'))).toEqual({
      state: 'contributing',
      reason: 'training with 0.75 of a core: one thread, 75% of the time',
      share: 0.75,
      processor: 'cpu',
    });
    expect(contribution(s(), at('2026-12-02T12:00:00', { userPaused: true })).state).toBe('paused');
    expect(contribution(s(), at('2026-12-02T12:00:00', { onBattery: true }))).toMatchObject({
      state: 'waiting',
      reason: /battery/,
    });
    expect(contribution(s({ pauseOnBattery: false }), at('2026-12-02T12:00:00', { onBattery: true })).state).toBe(
      'contributing',
    );
    expect(contribution(s(), at('2026-12-02T12:00:00', { temperatureC: 90 }))).toMatchObject({
      reason: 'too hot: the CPU is at 90 °C, the limit is 85 °C',
    });
    expect(contribution(s({ temperatureLimitC: null }), at('2026-12-02T12:00:00', { temperatureC: 99 })).state).toBe(
      'contributing',
    );
    const active = at('2026-12-02T12:00:00', { idleSeconds: 30 });
    expect(contribution(s(), active)).toMatchObject({
      state: 'waiting',
      reason: /using the computer .*5 min idle/,
      share: 0,
    });
    expect(contribution(s({ whenActive: 'throttle' }), active)).toMatchObject({
      state: 'throttled',
      share: 0.75 / 4,
    });
    expect(contribution(s({ idleMinutes: 0 }), active).state).toBe('contributing');
    // Headless: no idle information, no idle rule.
    expect(contribution(s(), at('2026-12-02T12:00:00', { idleSeconds: undefined })).state).toBe('contributing');
  });

  it('on a GPU backend the GPU share is the duty cycle (0: the GPU may not be used), on a CPU backend the CPU cores', () => {
    const settings = s({ cpuCores: 0.5, gpuShare: 0.3 });
    const noon = '2026-12-02T12:00:00';
    expect(contribution(settings, at(noon))).toEqual({
      state: 'contributing',
      reason: 'training with 0.5 of a core: one thread, 50% of the time',
      share: 0.5,
      processor: 'cpu',
    });
    expect(contribution(settings, at(noon, { onGpu: true }))).toEqual({
      state: 'contributing',
      reason: 'training on the GPU 30% of the time',
      share: 0.3,
      processor: 'gpu',
    });
    const active = at(noon, { onGpu: true, idleSeconds: 30 });
    expect(contribution(s({ ...settings, whenActive: 'throttle' }), active)).toMatchObject({
      state: 'throttled',
      share: 0.3 / 4,
      processor: 'gpu',
    });
    expect(contribution(s({ gpuShare: 0 }), at(noon, { onGpu: true }))).toEqual({
      state: 'waiting',
      reason: 'the GPU share is 0 in Settings: the neuron trains on the GPU, which it may not use',
      share: 0,
      processor: 'gpu',
    });
    // A GPU share of 0 means nothing while the neuron trains on the CPU.
    expect(contribution(s({ gpuShare: 0 }), at(noon)).share).toBe(0.75);
    expect(contribution(s({ gpuShare: 0 }), at(noon, { onGpu: true, userPaused: true })).reason).toBe('paused by you');
  });

  it('waits when the hotter of the CPU and the GPU is at the limit, saying which', () => {
    const noon = '2026-12-02T12:00:00';
    const hot = (temperatureC: number | undefined, gpuTemperatureC: number | undefined) =>
      contribution(s({ temperatureLimitC: 80 }), at(noon, { temperatureC, gpuTemperatureC, onGpu: true }));
    expect(hot(60, 83.4)).toEqual({
      state: 'waiting',
      reason: 'too hot: the GPU is at 83 °C, the limit is 80 °C',
      share: 0,
      processor: 'gpu',
    });
    expect(hot(undefined, 80).reason).toBe('too hot: the GPU is at 80 °C, the limit is 80 °C');
    expect(hot(85, 81).reason).toBe('too hot: the CPU is at 85 °C, the limit is 80 °C');
    expect(hot(85, undefined).reason).toBe('too hot: the CPU is at 85 °C, the limit is 80 °C');
    expect(hot(79, 79.9).state).toBe('contributing');
    expect(hot(undefined, undefined).state).toBe('contributing');
    expect(contribution(s({ temperatureLimitC: null }), at(noon, { gpuTemperatureC: 99 })).state).toBe('contributing');
  });

  it('on the CPU spreads the cores allowed over the threads: ceil(cores) before the start, those running after', () => {
    const noon = '2026-12-02T12:00:00';
    expect(contribution(s({ cpuCores: 1.5 }), at(noon))).toEqual({
      state: 'contributing',
      reason: 'training with 1.5 cores: 2 threads, each 75% of the time',
      share: 0.75,
      processor: 'cpu',
    });
    expect(contribution(s({ cpuCores: 3 }), at(noon)).reason).toBe(
      'training with 3 cores: 3 threads, each all the time',
    );
    expect(contribution(s({ cpuCores: 1 }), at(noon)).reason).toBe('training with 1 core: one thread, all the time');
    // More than the machine has: all of its cores.
    expect(contribution(s({ cpuCores: 16 }), at(noon))).toMatchObject({ share: 1, reason: /with 4 cores: 4 threads/ });
    // Fewer cores than the running threads were started for: each thread rests longer, at once.
    expect(contribution(s({ cpuCores: 0.5 }), at(noon, { threads: 2 }))).toMatchObject({
      share: 0.25,
      reason: 'training with 0.5 of a core: 2 threads, each 25% of the time',
    });
    // More: the running threads train all the time; more threads only at the next start.
    expect(contribution(s({ cpuCores: 3 }), at(noon, { threads: 2 }))).toMatchObject({
      share: 1,
      reason: 'training with 2 cores: 2 threads, each all the time',
    });
    const active = at(noon, { idleSeconds: 30 });
    expect(contribution(s({ cpuCores: 1.5, whenActive: 'throttle' }), active)).toMatchObject({
      state: 'throttled',
      share: 0.75 / 4,
    });
    expect(cpuUse({ cpuCores: 2.5 }, { cores: 8, threads: undefined })).toEqual({ threads: 3, share: 2.5 / 3 });
    expect(cpuUse({ cpuCores: 2.5 }, { cores: 2, threads: undefined })).toEqual({ threads: 2, share: 1 });
    expect(cpuUse({ cpuCores: 0.1 }, { cores: 2, threads: 1 })).toEqual({ threads: 1, share: 0.1 });
    // At most eight threads (one row of the batch each), all the time.
    expect(cpuUse({ cpuCores: 12 }, { cores: 16, threads: undefined })).toEqual({ threads: 8, share: 1 });
  });

  it('follows the schedule, including windows past midnight', () => {
    const nights = [{ days: [1], start: '22:00', end: '06:00' }]; // Monday night into Tuesday
    expect(inSchedule(nights, new Date('2026-11-30T23:30:00'))).toBe(true); // Monday
    expect(inSchedule(nights, new Date('2026-12-01T05:59:00'))).toBe(true); // Tuesday morning
    expect(inSchedule(nights, new Date('2026-12-01T06:00:00'))).toBe(false);
    expect(inSchedule(nights, new Date('2026-12-01T23:00:00'))).toBe(false); // Tuesday night
    expect(inSchedule([], new Date())).toBe(true);
    const c = contribution(s({ schedule: nights }), at('2026-12-02T12:00:00'));
    expect(c).toMatchObject({ state: 'waiting', reason: 'outside the schedule (Mon 22:00-06:00)' });
  });
});
