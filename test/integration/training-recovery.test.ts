import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  threadLink,
  TrainingHost,
  WorkerGoneError,
  type TrainingHostInit,
  type TrainingWorkerFactory,
} from '../../src/neuron/training-host.js';
import type { StepEvent } from '../../src/shared/training.js';
import { smallConfig, smallCorpus } from '../support/training.js';

let dir: string;
let textDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-recovery-'));
  textDir = await smallCorpus(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A training host over worker threads that the test can kill, recording what it reports. */
function killableHost(init: TrainingHostInit = { restartDelaysMs: [20, 40] }) {
  const workers: Worker[] = [];
  const spawnWorker: TrainingWorkerFactory = (entry) => {
    const worker = new Worker(entry);
    workers.push(worker);
    return threadLink(worker);
  };
  const host = new TrainingHost(
    { forward: async (uids) => uids.map(() => null), backward: () => undefined, spawnWorker },
    init,
  );
  const seen = { steps: [] as StepEvent[], crashes: [] as string[], recovered: [] as number[], errors: [] as Error[] };
  host.events.on('train:step', (e) => seen.steps.push(e));
  host.events.on('crash', (e) => seen.crashes.push(e.message));
  host.events.on('recovered', (e) => seen.recovered.push(e.resumedAt));
  host.events.on('error', (e) => seen.errors.push(e));
  return { host, workers, seen, kill: () => workers.at(-1)!.terminate() };
}

describe('the training worker dies: nothing hangs, training resumes from the checkpoint', () => {
  it('killed mid-step: the crash is reported, a new worker resumes at the last checkpoint and trains on', async () => {
    const checkpointFile = join(dir, 'mid-step', 'checkpoint.bin');
    const { host, workers, seen, kill } = killableHost();
    const started = await host.start(smallConfig(textDir, { checkpointEvery: 4, checkpointFile }));
    expect(started.resumedAt).toBe(0);
    await expect.poll(() => seen.steps.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(9);
    const before = seen.steps.at(-1)!.step;
    await kill();
    await expect.poll(() => seen.recovered.length, { timeout: 60_000 }).toBe(1);
    expect(seen.crashes).toEqual([expect.stringMatching(/^the training worker exited \(code \d+\)$/)]);
    expect(workers).toHaveLength(2);
    // Resumed from a checkpoint (every 4 steps), at most 4 steps behind where it died.
    const resumedAt = seen.recovered[0]!;
    expect(resumedAt % 4).toBe(0);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeGreaterThan(before - 4 - 1);
    const after = seen.steps.length;
    await expect.poll(() => seen.steps.length, { timeout: 60_000 }).toBeGreaterThan(after + 2);
    expect(seen.steps.at(-1)!.step).toBeGreaterThan(resumedAt);
    expect(seen.errors).toEqual([]);
    await host.stop();
  }, 120_000);

  it('killed mid-evaluation: evaluate() rejects instead of waiting forever, and the next one is answered', async () => {
    const { host, seen, kill } = killableHost();
    await host.start(smallConfig(textDir, { evaluateBatches: 12 }));
    const evaluation = host.evaluate(12);
    await kill();
    await expect(evaluation).rejects.toBeInstanceOf(WorkerGoneError);
    // While no worker runs, a request is refused at once.
    await expect(host.evaluate(1)).rejects.toThrow(/not running/);
    await expect.poll(() => seen.recovered.length, { timeout: 60_000 }).toBe(1);
    const again = await host.evaluate(1);
    expect(again.valLoss).toBeGreaterThan(0);
    await host.stop();
  }, 120_000);

  it('a worker that keeps dying stops training after the restarts allowed, and stop() still returns', async () => {
    const { host, seen, kill } = killableHost({ restartDelaysMs: [10], maxRestarts: 2 });
    await host.start(smallConfig(textDir));
    for (let crash = 1; crash <= 3; crash++) {
      await kill();
      if (crash <= 2) await expect.poll(() => seen.recovered.length, { timeout: 60_000 }).toBe(crash);
    }
    await expect.poll(() => seen.errors.length, { timeout: 60_000 }).toBe(1);
    expect(seen.crashes).toHaveLength(2);
    await expect(host.evaluate(1)).rejects.toBeInstanceOf(WorkerGoneError);
    await host.stop();
  }, 120_000);

  it('a step whose loss is not finite (a diverged model) is neither reported nor checkpointed: the worker goes back to the checkpoint', async () => {
    const checkpointFile = join(dir, 'diverged', 'checkpoint.bin');
    const { host, seen } = killableHost({ restartDelaysMs: [10], maxRestarts: 2 });
    // A learning rate of 1e30: the first update leaves weights near ±1e30, and the next forward overflows.
    await host.start(smallConfig(textDir, { learningRate: 1e30, checkpointEvery: 1, checkpointFile }));
    await expect.poll(() => seen.errors.length, { timeout: 60_000 }).toBe(1);
    expect(seen.errors[0]!.message).toMatch(/the loss is not finite at step \d+/);
    expect(seen.crashes).toEqual([
      expect.stringMatching(/loss is not finite/),
      expect.stringMatching(/loss is not finite/),
    ]);
    expect(seen.steps.length).toBeGreaterThan(0);
    expect(seen.steps.every((e) => Number.isFinite(e.loss))).toBe(true);
    await host.stop();
  }, 120_000);
});
