import { describe, expect, it } from 'vitest';
import { chooseShape, describeShape, GPU_BATCH, LARGE, shapeOf } from '../../../../src/neuron/ml/presets.js';
import { smallConfig } from '../../../support/training.js';

describe('model presets', () => {
  const config = smallConfig('/text', { batch: 8, seq: 64, vocab: 2048 });

  it("small is the config's own batch, context and classes; large raises each to the GPU's", () => {
    expect(shapeOf('small', config)).toEqual({
      preset: 'small',
      blocks: 2,
      kernel: 4,
      ffn: 256,
      batch: 8,
      seq: 64,
      vocab: 2048,
    });
    expect(shapeOf('large', config)).toEqual({ preset: 'large', kernel: 4, ...LARGE });
    // On a GPU backend, more rows a step (a GPU step's cost is mostly fixed).
    expect(shapeOf('large', config, true)).toEqual({ preset: 'large', kernel: 4, ...LARGE, batch: GPU_BATCH });
    // The config's values where they are larger already.
    expect(shapeOf('large', { ...config, batch: 64, seq: 256 })).toMatchObject({ batch: 64, seq: 256 });
  });

  it('auto: large on a GPU backend, small otherwise; a named preset whatever the backend', () => {
    expect(chooseShape(config, 'webgpu', undefined).preset).toBe('large');
    expect(chooseShape(config, 'tensorflow-gpu', undefined).preset).toBe('large');
    expect(chooseShape(config, 'wasm', undefined).preset).toBe('small');
    expect(chooseShape({ ...config, preset: 'large' }, 'wasm', undefined).preset).toBe('large');
    expect(chooseShape({ ...config, preset: 'small' }, 'webgpu', undefined).preset).toBe('small');
    expect(chooseShape(config, 'webgpu', undefined).batch).toBe(64);
    expect(chooseShape({ ...config, preset: 'large' }, 'wasm', undefined).batch).toBe(32);
  });

  it("keeps the checkpoint's model (a resumed neuron), and ignores one that is not a model", () => {
    const saved = shapeOf('large', config);
    expect(chooseShape({ ...config, preset: 'small' }, 'wasm', saved)).toEqual(saved);
    for (const junk of [null, 3, {}, { ...saved, blocks: 0 }, { ...saved, preset: 'huge' }, { ...saved, seq: 1.5 }]) {
      expect(chooseShape(config, 'wasm', junk).preset).toBe('small');
    }
  });

  it('says what it is in words', () => {
    expect(describeShape(shapeOf('large', config))).toBe('large: 4 blocks of 1,024, 32 x 128 tokens, 8,193 classes');
  });
});
