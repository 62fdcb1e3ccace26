import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingHost } from '../../src/neuron/training-host.js';
import { runCli } from '../support/cli.js';
import { createLogger } from '../../src/shared/logger.js';
import type { StepEvent } from '../../src/shared/training.js';
import { smallConfig, smallCorpus } from '../support/training.js';

let dir: string;
let textDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-threads-'));
  textDir = await smallCorpus(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the training worker on several threads', () => {
  it('threads: 2 on wasm trains data-parallel (a replica in a thread of its own), resumes so, and stops', async () => {
    const checkpointFile = join(dir, 'checkpoint.bin');
    const run = async (steps: number) => {
      const lines: Array<{ level: string; message: string; threads?: number }> = [];
      const logger = createLogger('test', (line) => lines.push(JSON.parse(line) as (typeof lines)[number]));
      const host = new TrainingHost({
        forward: async (uids) => uids.map(() => null),
        backward: () => undefined,
        logger,
      });
      const seen: StepEvent[] = [];
      host.events.on('train:step', (e) => seen.push(e));
      const started = await host.start(smallConfig(textDir, { threads: 2, checkpointEvery: 3, checkpointFile }));
      await expect.poll(() => seen.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(steps);
      await host.stop();
      return { started, seen, lines };
    };
    // Past the probe: 2 warm-up and 5 timed steps on both threads, 5 timed on one (then it decides).
    const first = await run(14);
    expect(first.lines).toContainEqual(expect.objectContaining({ message: 'data-parallel training', threads: 2 }));
    expect(first.lines).toContainEqual(expect.objectContaining({ message: 'training ready', threads: 2 }));
    // What the app shows and spreads the cores allowed over.
    expect(first.started.backend).toMatchObject({ threads: 2, device: expect.stringMatching(/^CPU, .*, 2 threads$/) });
    expect(first.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(first.seen.every((e) => Number.isFinite(e.loss))).toBe(true);
    // Each step says the threads there are after it: two, one from the last step timed on two (the replica
    // ends then) through the steps timed on one, then what the probe chose (either, by this machine's timing:
    // the log line says which and why).
    const threads = first.seen.map((e) => e.threads);
    expect(threads.slice(0, 6)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(threads.slice(6, 11)).toEqual([1, 1, 1, 1, 1]);
    const kept = first.lines.some((l) => l.message.startsWith('data-parallel threads pay here'));
    const dropped = first.lines.some((l) => /^2 threads were not 1.1x faster than one here/.test(l.message));
    expect(kept !== dropped).toBe(true);
    expect(threads.slice(11)).toEqual(threads.slice(11).map(() => (kept ? 2 : 1)));
    // Resumed from the checkpoint, the replica starts where the coordinator is (its weights and Adam's state).
    const second = await run(2);
    expect(second.started.resumedAt).toBeGreaterThan(0);
    expect(second.lines).toContainEqual(expect.objectContaining({ message: 'data-parallel training', threads: 2 }));
    expect(second.seen[0]!.step).toBe(second.started.resumedAt + 1);
    expect(second.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  }, 120_000);
});

describe('neuron train --threads', () => {
  it.each(['0', '65', '1.5', 'two'])(
    '--threads %s is refused in one line with the range, before anything starts',
    async (n) => {
      const wallets = join(dir, `wallets-${n}`);
      const r = await runCli([
        'neuron',
        'train',
        '--ledger',
        'none',
        '--wallets',
        wallets,
        '--name',
        'x',
        '--password-file',
        'x',
        '--threads',
        n,
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toBe(`error: --threads: expected an integer from 1 to 64, got ${JSON.stringify(n)}`);
      await expect(readdir(wallets)).rejects.toThrow(/ENOENT/);
    },
  );

  it('--help documents it', async () => {
    const help = await runCli(['neuron', 'train', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(
      /--threads <n> threads that train on a CPU backend .*\(default: "1"\)/,
    );
  });
});
