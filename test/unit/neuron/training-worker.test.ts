import { describe, expect, it } from 'vitest';
import { loadBackend } from '../../../src/neuron/ml/backend.js';
import { TrainingWorker, type ParallelTraining } from '../../../src/neuron/worker/training-worker.js';
import type { WorkerMessage } from '../../../src/shared/training.js';
import { memoryStore, smallConfig } from '../../support/training.js';

describe('TrainingWorker', () => {
  it('gives up on a step that does not finish (a hung replica, a stalled GPU): one error, so the host restarts it', async () => {
    const sent: WorkerMessage[] = [];
    // Data-parallel training whose step never settles, as a replica that hangs without exiting would leave it.
    const hung: ParallelTraining = {
      threads: 2,
      start: async () => undefined,
      step: () => new Promise(() => undefined),
      optimizerState: () => new Promise(() => undefined),
      stop: async () => undefined,
    };
    const worker = new TrainingWorker(
      { send: (m) => sent.push(m), loadBackend, parallel: () => hung },
      { stepTimeoutMs: 200 },
    );
    const data = await memoryStore().store.data(smallConfig('/unused'));
    worker.handle({ type: 'start', seq: 1, config: smallConfig('/unused', { threads: 2 }), data });
    await expect
      .poll(() => sent.find((m) => m.type === 'error'), { timeout: 30_000 })
      .toEqual({
        type: 'error',
        error: { name: 'StepTimeoutError', message: 'a training step took more than 0.2 s' },
      });
    expect(sent.some((m) => m.type === 'ready')).toBe(true);
    expect(sent.some((m) => m.type === 'train:step')).toBe(false);
  });
});
