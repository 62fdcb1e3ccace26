import { describe, expect, it } from 'vitest';
import { ContributionController, type PowerSource } from '../../../src/main/contribution-controller.js';
import { SnapshotPublisher } from '../../../src/main/snapshot-publisher.js';
import type { MinerSnapshot } from '../../../src/shared/api.js';
import { createLogger, type Logger } from '../../../src/shared/logger.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings.js';
import type { SnapshotPush } from '../../../src/shared/snapshot-delta.js';
import { snapshotOf } from '../../support/snapshots.js';

/** A logger that keeps its lines, for tests that check what was logged. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('test', (l) => lines.push(l), 'debug'), lines };
}

describe('ContributionController', () => {
  const machine = (over: Partial<{ idle: number | undefined; battery: boolean; temperature: number }> = {}) => {
    const state = { idle: undefined as number | undefined, battery: false, temperature: 50, ...over };
    const power: PowerSource = {
      idleSeconds: () => state.idle,
      onBattery: () => state.battery,
      temperatureC: () => state.temperature,
    };
    return { state, power };
  };
  const training = () => {
    const calls: string[] = [];
    return {
      calls,
      target: {
        pause: () => calls.push('pause'),
        resume: () => calls.push('resume'),
        throttle: (s: number) => calls.push(`throttle ${s}`),
      },
    };
  };

  it('drives the training on each change of decision, and only then', () => {
    const { state, power } = machine();
    const settings: { value: Settings } = { value: { ...DEFAULT_SETTINGS, cpuCores: 0.5, temperatureLimitC: 80 } };
    const c = new ContributionController({ settings, power, logger: recordingLogger().logger });
    const { calls, target } = training();
    c.drive(target);
    expect(calls).toEqual(['throttle 0.5', 'resume']);
    c.apply();
    expect(calls).toHaveLength(2); // nothing changed, nothing sent
    state.battery = true;
    expect(c.apply()).toMatchObject({ state: 'waiting', reason: expect.stringMatching(/^on battery/) });
    state.battery = false;
    state.temperature = 85;
    expect(c.apply().reason).toMatch(/too hot: the CPU is at 85 °C/);
    state.temperature = 50;
    c.setUserPaused(true);
    expect(c.current).toMatchObject({ state: 'paused', reason: 'paused by you' });
    c.setUserPaused(false);
    // Waiting on battery, then too hot, then paused by the user: one pause; back to work: one resume.
    expect(calls).toEqual(['throttle 0.5', 'resume', 'pause', 'throttle 0.5', 'resume']);
  });

  it('throttles to the GPU share once the neuron trains on a GPU, and pauses when the GPU is too hot', () => {
    const { power } = machine();
    const settings: { value: Settings } = {
      value: { ...DEFAULT_SETTINGS, cpuCores: 0.5, gpuShare: 0.2, temperatureLimitC: 80 },
    };
    let backend = '-';
    let gpuTemperature: number | undefined;
    const c = new ContributionController({
      settings,
      power,
      logger: recordingLogger().logger,
      backend: () => backend,
      gpuTemperatureC: () => gpuTemperature,
    });
    const changes: string[] = [];
    c.events.on('change', (next) => changes.push(`${next.processor} ${next.share}`));
    expect(c.current).toMatchObject({ share: 0.5, processor: 'cpu' });
    // The backend is known once the neuron runs: drive() decides again before it drives.
    backend = 'webgpu';
    const { calls, target } = training();
    c.drive(target);
    expect(calls).toEqual(['throttle 0.2', 'resume']);
    expect(c.current).toMatchObject({ state: 'contributing', share: 0.2, processor: 'gpu' });
    expect(changes).toEqual(['gpu 0.2']);
    gpuTemperature = 86;
    expect(c.apply()).toMatchObject({ state: 'waiting', reason: 'too hot: the GPU is at 86 °C, the limit is 80 °C' });
    gpuTemperature = 70;
    c.apply();
    // A restarted neuron on the CPU backend: the CPU cores again.
    backend = 'wasm';
    c.drive(target);
    expect(calls).toEqual(['throttle 0.2', 'resume', 'pause', 'throttle 0.2', 'resume', 'throttle 0.5', 'resume']);
    expect(c.current).toMatchObject({ share: 0.5, processor: 'cpu' });
  });

  it('spreads the CPU cores over the threads the training runs on, and follows a change of cores at once', () => {
    const { power } = machine();
    const settings: { value: Settings } = { value: { ...DEFAULT_SETTINGS, cpuCores: 1.5 } };
    const running: { threads: number | undefined } = { threads: undefined };
    const c = new ContributionController({
      settings,
      power,
      logger: recordingLogger().logger,
      cores: 4,
      threads: () => running.threads,
    });
    // Before the start: 1.5 cores are two threads at 75% each.
    expect(c.current).toMatchObject({
      share: 0.75,
      reason: 'training with 1.5 cores: 2 threads, each 75% of the time',
    });
    running.threads = 2;
    const { calls, target } = training();
    c.drive(target);
    expect(calls).toEqual(['throttle 0.75', 'resume']);
    settings.value = { ...settings.value, cpuCores: 0.5 };
    expect(c.apply().share).toBe(0.25);
    // More cores than the machine's four, on the two threads running: each all the time.
    settings.value = { ...settings.value, cpuCores: 8 };
    expect(c.apply()).toMatchObject({ share: 1, reason: 'training with 2 cores: 2 threads, each all the time' });
    expect(calls).toEqual(['throttle 0.75', 'resume', 'throttle 0.25', 'resume', 'throttle 1', 'resume']);
  });

  it('counts contributing time from when it started (injected clock), and start()/stop() are safe twice', () => {
    let now = new Date('2026-12-02T10:00:00');
    const { power } = machine();
    const c = new ContributionController({
      settings: { value: DEFAULT_SETTINGS },
      power,
      logger: recordingLogger().logger,
      now: () => now,
    });
    c.start();
    c.start();
    c.setUserPaused(true);
    now = new Date('2026-12-02T10:05:00');
    c.setUserPaused(false);
    expect(c.contributingSince).toBe(now.getTime());
    c.stop();
    c.stop();
  });
});

describe('SnapshotPublisher', () => {
  const publisherOf = (build: () => MinerSnapshot, logger = recordingLogger().logger) =>
    new SnapshotPublisher({ build, logger }, { minIntervalMs: 0 });

  it('pushes the whole snapshot first, then only what changed, and nothing when nothing did', () => {
    let current = snapshotOf();
    const p = publisherOf(() => current);
    const pushes: SnapshotPush[] = [];
    p.onPush((push) => pushes.push(push));
    p.publishNow();
    expect(pushes.map((x) => x.type)).toEqual(['snapshot']);
    p.publishNow();
    expect(pushes).toHaveLength(1);
    current = { ...current, peersConnected: current.peersConnected + 1 };
    p.publishNow();
    expect(pushes[1]).toEqual({
      type: 'delta',
      delta: { changed: { peersConnected: current.peersConnected }, newEpochs: [] },
    });
    expect(pushes).toHaveLength(2);
  });

  it('latest() publishes a change still waiting, so a new dashboard starts from the newest state', async () => {
    let current = snapshotOf({ uid: 1 });
    const p = new SnapshotPublisher(
      { build: () => current, logger: recordingLogger().logger },
      { minIntervalMs: 60_000 },
    );
    p.publishNow();
    current = { ...current, uid: 2 };
    p.changed(); // waits a minute
    expect(p.latest().uid).toBe(2);
    p.stop();
    p.stop();
  });

  it('logs a listener that throws, and still reaches the others', () => {
    const { logger, lines } = recordingLogger();
    const p = publisherOf(() => snapshotOf(), logger);
    let reached = 0;
    p.onPush(() => {
      throw new Error('the window is gone');
    });
    p.onPush(() => reached++);
    p.publishNow();
    expect(reached).toBe(1);
    expect(lines.join('\n')).toMatch(/a snapshot listener failed.*the window is gone/);
  });
});
