import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingHost, type TrainingWorkerFactory } from '../../../src/neuron/training-host.js';
import type { StepEvent } from '../../../src/shared/training.js';
import { smallConfig, smallCorpus } from '../../support/training.js';

/**
 * The desktop app runs training in an Electron utilityProcess (src/main/electron/training-process.ts), which
 * cannot start here. This runs the same compiled worker entry in a child process whose `process.parentPort`
 * behaves like a utilityProcess's (messages arrive as { data }, structured-cloned), driven by TrainingHost
 * through an injected spawnWorker: the entry's utility-port branch and the host's factory seam, for real.
 * The stand-in also reports every timer the worker sets (its rests between steps), beside the protocol.
 */
let dir: string;
let loader: string;
let textDir: string;
const children: ChildProcess[] = [];
/** The delays, ms, of the timers the workers set, in order. */
const timersMs: number[] = [];
const isTimerReport = (m: unknown): m is { testTimerMs: number } =>
  typeof m === 'object' && m !== null && 'testTimerMs' in m;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-utility-'));
  loader = join(dir, 'utility-port.mjs');
  await writeFile(
    loader,
    [
      "import { EventEmitter } from 'node:events';",
      "import { promisify } from 'node:util';",
      'const setTimer = globalThis.setTimeout;',
      'globalThis.setTimeout = Object.assign((fn, ms, ...args) => {',
      '  if (ms > 0) process.send({ testTimerMs: ms });',
      '  return setTimer(fn, ms, ...args);',
      '}, { [promisify.custom]: setTimer[promisify.custom] });',
      'const port = new EventEmitter();',
      'port.postMessage = (message) => process.send(message);',
      // As Electron's parentPort: messages wait until a handler is registered.
      'const queued = [];',
      "process.on('message', (message) => port.listenerCount('message') > 0 ? port.emit('message', { data: message }) : queued.push(message));",
      "port.on('newListener', (event) => event === 'message' && setImmediate(() => queued.splice(0).forEach((m) => port.emit('message', { data: m }))));",
      'process.parentPort = port;',
      'await import(process.argv[2]);',
    ].join('\n'),
  );
  textDir = await smallCorpus(dir);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** A child process standing in for a utilityProcess, behind the same TrainingWorkerLink the adapter returns. */
const processWorker: TrainingWorkerFactory = (entry) => {
  const child = fork(loader, [entry.href], { serialization: 'advanced', stdio: 'inherit' });
  children.push(child);
  return {
    post: (message) => {
      if (!gone(child)) child.send(message);
    },
    listen(handlers) {
      child.on('message', (m) => {
        if (isTimerReport(m)) timersMs.push(m.testTimerMs);
        else handlers.message(m as Parameters<typeof handlers.message>[0]);
      });
      child.on('error', (e) => handlers.error(e));
      child.on('exit', (code) => handlers.exit(code ?? 1));
    },
    terminate: async () => {
      if (gone(child)) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
};

const config = () => smallConfig(textDir);

describe('the training worker behind a utility-process port', () => {
  it('starts, trains, serves and stops over the same protocol', async () => {
    const host = new TrainingHost({
      forward: async (uids) => uids.map(() => null),
      backward: () => undefined,
      spawnWorker: processWorker,
    });
    const steps: number[] = [];
    const events: StepEvent[] = [];
    const idle: Array<{ idle: boolean; step: number }> = [];
    host.events.on('train:step', (e) => (steps.push(e.step), events.push(e)));
    host.events.on('idle', (e) => idle.push(e));
    const started = await host.start(config());
    expect(started.backend.name).toBe('wasm');
    expect(started.serving.config).toBeDefined();
    await expect.poll(() => steps.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    host.pause();
    await expect.poll(() => idle.length, { timeout: 60_000 }).toBe(1);
    const parked = idle[0]!;
    expect(parked.idle).toBe(true);
    expect(steps.at(-1)).toBe(parked.step); // the step in progress finished, no other started
    // At half a core the worker rests after each step as long as the step took (its time, from tokensPerSecond).
    const { batch, seq } = config();
    const restedAfter = (e: StepEvent) =>
      timersMs.some((ms) => Math.abs((ms * e.tokensPerSecond) / (1000 * batch * seq) - 1) < 1e-9);
    expect(events.filter(restedAfter)).toEqual([]); // at a full core: no rest
    host.throttle(0.5);
    host.resume();
    const resumedAt = steps.length;
    await expect.poll(() => steps.length, { timeout: 60_000 }).toBeGreaterThan(resumedAt + 1);
    // Resumed from the very step it parked at: no step ran while paused.
    expect(idle[1]).toEqual({ idle: false, step: parked.step });
    expect(steps[resumedAt]).toBe(parked.step + 1);
    // Each step since, but the last (whose rest may still be on its way), was followed by its rest.
    expect(events.slice(resumedAt, -1).every(restedAfter)).toBe(true);
    const child = children.at(-1)!;
    await host.stop();
    expect(gone(child)).toBe(true);
  }, 90_000);

  it("reports the process's death and starts another process", async () => {
    const host = new TrainingHost(
      { forward: async () => [], backward: () => undefined, spawnWorker: processWorker },
      { restartDelaysMs: [10] },
    );
    const crashes: string[] = [];
    let recovered = 0;
    host.events.on('crash', (e) => crashes.push(e.message));
    host.events.on('recovered', () => recovered++);
    await host.start(config());
    const first = children.at(-1)!;
    first.kill('SIGKILL');
    await expect.poll(() => recovered, { timeout: 60_000 }).toBe(1);
    expect(crashes).toEqual([expect.stringMatching(/^the training worker exited \(code \d+\)$/)]);
    expect(children.at(-1)).not.toBe(first);
    await host.stop();
    expect(gone(children.at(-1)!)).toBe(true);
  }, 90_000);
});
