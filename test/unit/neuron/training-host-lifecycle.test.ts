import { describe, expect, it } from 'vitest';
import {
  TrainingHost,
  type TrainingWorkerFactory,
  type TrainingWorkerLink,
} from '../../../src/neuron/training-host.js';
import type { Checkpoint, HostMessage, WorkerMessage } from '../../../src/shared/training.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { memoryStore, smallConfig } from '../../support/training.js';

/**
 * An in-memory training worker: answers 'start' with 'ready' (when the test lets it) and 'stop' with 'stopped',
 * recording what it was sent and whether it was ended.
 */
function memoryWorkers(checkpointOnStop?: Checkpoint) {
  const spawned: Array<{ sent: HostMessage[]; terminated: number; ready(): void; send(m: WorkerMessage): void }> = [];
  const spawnWorker: TrainingWorkerFactory = (): TrainingWorkerLink => {
    let deliver: (m: WorkerMessage) => void = () => undefined;
    let startSeq: number | undefined;
    let letReady = false;
    const worker = {
      sent: [] as HostMessage[],
      terminated: 0,
      ready() {
        letReady = true;
        if (startSeq !== undefined) answerStart(startSeq);
      },
      /** A message from the worker, as if it sent one. */
      send(m: WorkerMessage) {
        deliver(m);
      },
    };
    const answerStart = (seq: number) =>
      queueMicrotask(() =>
        deliver({
          type: 'ready',
          seq,
          backend: { name: 'memory', device: 'none' },
          serving: { config: {}, weights: {}, step: 0 },
          resumedAt: 0,
        }),
      );
    spawned.push(worker);
    return {
      post(message) {
        worker.sent.push(message);
        if (message.type === 'start') {
          startSeq = message.seq;
          if (letReady) answerStart(message.seq);
        }
        if (message.type === 'stop') {
          queueMicrotask(() => {
            if (checkpointOnStop) deliver({ type: 'checkpoint', checkpoint: checkpointOnStop });
            deliver({ type: 'stopped', seq: message.seq });
          });
        }
      },
      listen(handlers) {
        deliver = handlers.message;
      },
      terminate: async () => {
        worker.terminated++;
      },
    };
  };
  return { spawned, spawnWorker };
}

describe('TrainingHost start()/stop()', () => {
  it('two starts at once make one worker and get the same answer; stop() ends it once, and twice is safe', async () => {
    const { spawned, spawnWorker } = memoryWorkers();
    const { store } = memoryStore();
    const host = new TrainingHost({ forward: async () => [], backward: () => undefined, spawnWorker, store });
    const first = host.start(smallConfig('/nowhere'));
    const second = host.start(smallConfig('/elsewhere', { seed: 9 }));
    expect(second).toBe(first);
    await expect.poll(() => spawned.length).toBe(1);
    spawned[0]!.ready();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.backend).toEqual({ name: 'memory', device: 'none' });
    // The first call's config is the one the worker got.
    expect(spawned[0]!.sent.filter((m) => m.type === 'start')).toEqual([
      expect.objectContaining({ config: expect.objectContaining({ textDir: '/nowhere', seed: 3 }) }),
    ]);
    await host.start(smallConfig('/nowhere'));
    expect(spawned).toHaveLength(1);

    await host.stop();
    await host.stop();
    expect(spawned[0]!.sent.filter((m) => m.type === 'stop')).toHaveLength(1);
    expect(spawned[0]!.terminated).toBe(1);
    expect(spawned).toHaveLength(1);
  });

  it('keeps the checkpoint the worker sends: stop() waits for its write, the next worker starts from it', async () => {
    const checkpoint: Checkpoint = { state: { step: 7 }, groups: { encoder: { w: Float32Array.of(1, 2, 3) } } };
    const { spawned, spawnWorker } = memoryWorkers(checkpoint);
    const { store, saved, control } = memoryStore();
    const config = smallConfig('/nowhere', { checkpointFile: '/data/checkpoint.bin' });
    const first = new TrainingHost({ forward: async () => [], backward: () => undefined, spawnWorker, store });
    const started = first.start(config);
    await expect.poll(() => spawned.length).toBe(1);
    spawned[0]!.ready();
    await started;
    let release!: () => void;
    control.saveGate = new Promise((resolve) => (release = resolve));
    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await expect.poll(() => control.writesBegun).toBe(1);
    // The worker answered 'stopped', but stop() has not returned: the checkpoint is still being written.
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(spawned[0]!.terminated).toBe(1);
    expect(saved.get('/data/checkpoint.bin')).toEqual(checkpoint);

    const second = new TrainingHost({ forward: async () => [], backward: () => undefined, spawnWorker, store });
    const again = second.start(config);
    await expect.poll(() => spawned.length).toBe(2);
    spawned[1]!.ready();
    await again;
    const start = spawned[1]!.sent.find((m) => m.type === 'start');
    expect(start).toEqual(expect.objectContaining({ checkpoint, data: expect.objectContaining({ genres: [] }) }));
    // A write that fails (a full disk) is logged; stop() still returns.
    control.saveGate = undefined;
    control.failSaves = true;
    await second.stop();
    expect(saved.get('/data/checkpoint.bin')).toEqual(checkpoint);
  });

  it('a checkpoint that cannot be written (a full disk) is one line per outage, and one when writes work again', async () => {
    const { spawned, spawnWorker } = memoryWorkers();
    const { store, saved, control } = memoryStore();
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger = {
      ...silentLogger,
      child: () => logger,
      warn: (m: string, f?: Record<string, unknown>) => void lines.push(['warn', m, f]),
      info: (m: string, f?: Record<string, unknown>) => void lines.push(['info', m, f]),
    };
    const host = new TrainingHost({ forward: async () => [], backward: () => undefined, spawnWorker, store, logger });
    const started = host.start(smallConfig('/text', { checkpointFile: '/data/checkpoint.bin' }));
    await expect.poll(() => spawned.length).toBe(1);
    spawned[0]!.ready();
    await started;
    const checkpoint = (step: number) => ({ step }) as unknown as Checkpoint;
    control.failSaves = true;
    for (const step of [10, 20, 30]) spawned[0]!.send({ type: 'checkpoint', checkpoint: checkpoint(step) });
    await expect.poll(() => control.writesBegun).toBe(3);
    control.failSaves = false;
    spawned[0]!.send({ type: 'checkpoint', checkpoint: checkpoint(40) });
    await expect.poll(() => saved.get('/data/checkpoint.bin')).toEqual(checkpoint(40));
    await host.stop();
    const about = lines.filter(([, m]) => /checkpoint/.test(m));
    expect(about).toEqual([
      [
        'warn',
        'cannot write the checkpoint; training goes on (the last one written stays whole)',
        { error: 'ENOSPC: no space left on device', failures: 1 },
      ],
      ['info', 'checkpoints are written again', { failures: 3 }],
    ]);
  });
});
