import { describe, expect, it } from 'vitest';
import { TrainingHost } from '../../src/neuron/training-host.js';
import type { StepEvent } from '../../src/shared/training.js';
import { until } from '../support/poll.js';
import { memoryStore, smallConfig } from '../support/training.js';

describe('model presets in the training worker', () => {
  it("trains the preset's model, stores it in the checkpoint, and a resumed neuron keeps it whatever it is told", async () => {
    const { store, saved } = memoryStore();
    const config = smallConfig('/unused', { preset: 'large', checkpointFile: '/data/checkpoint.bin' });
    const noPeers = { forward: async () => [], backward: () => undefined, store };

    const first = new TrainingHost(noPeers);
    const steps: StepEvent[] = [];
    first.events.on('train:step', (e) => steps.push(e));
    const started = await first.start(config);
    expect(started.backend.model).toBe('large: 4 blocks of 1,024, 32 x 128 tokens, 8,193 classes');
    expect(started.serving.config).toMatchObject({ blocks: 4, ffn: 1024 });
    await until(() => steps.length >= 1, 'a step of the large model');
    await first.stop();
    const state = saved.get('/data/checkpoint.bin')!.state as { model: { preset: string; batch: number } };
    expect(state.model).toMatchObject({ preset: 'large', batch: 32 });

    // Told `small` now (another backend, another setting): the checkpoint's model goes on training.
    const second = new TrainingHost(noPeers);
    const resumed = await second.start({ ...config, preset: 'small' });
    expect(resumed.resumedAt).toBeGreaterThanOrEqual(1);
    expect(resumed.backend.model).toMatch(/^large: /);
    expect(resumed.serving.config).toMatchObject({ blocks: 4, ffn: 1024 });
    await second.stop();

    // Without a checkpoint, `small` is the config's own model.
    const fresh = new TrainingHost({ ...noPeers, store: memoryStore().store });
    const small = await fresh.start({ ...config, preset: 'small' });
    expect(small.backend.model).toBe('small: 2 blocks of 256, 2 x 8 tokens, 129 classes');
    await fresh.stop();
  }, 120_000);
});
