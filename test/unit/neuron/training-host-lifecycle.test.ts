import { describe, expect, it } from 'vitest';
import {
  TrainingHost,
  type TrainingWorkerFactory,
  type TrainingWorkerLink,
} from '../../../src/neuron/training-host.js';
import type { HostMessage, WorkerMessage } from '../../../src/shared/training.js';
import { smallConfig } from '../../support/training.js';

/**
 * An in-memory training worker: answers 'start' with 'ready' (when the test lets it) and 'stop' with 'stopped',
 * recording what it was sent and whether it was ended.
 */
function memoryWorkers() {
  const spawned: Array<{ sent: HostMessage[]; terminated: number; ready(): void }> = [];
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
        if (message.type === 'stop') queueMicrotask(() => deliver({ type: 'stopped', seq: message.seq }));
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
    const host = new TrainingHost({ forward: async () => [], backward: () => undefined, spawnWorker });
    const first = host.start(smallConfig('/nowhere'));
    const second = host.start(smallConfig('/elsewhere', { seed: 9 }));
    expect(second).toBe(first);
    expect(spawned).toHaveLength(1);
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
});
