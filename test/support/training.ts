import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingStore } from '../../src/neuron/training-store.js';
import type { Checkpoint, TrainingConfig } from '../../src/shared/training.js';

/** A folder of eight small text files under `dir`: enough for a tiny model to train on in a test. */
export async function smallCorpus(dir: string): Promise<string> {
  const text = join(dir, 'text');
  await mkdir(text, { recursive: true });
  for (let i = 0; i < 8; i++) {
    await writeFile(join(text, `f${i}.txt`), `Text ${i}. `.repeat(40) + 'A small corpus for a test. '.repeat(30));
  }
  return text;
}

/** A tiny model on the wasm backend over `textDir` (steps take milliseconds), with `over` changed. */
export const smallConfig = (textDir: string, over: Partial<TrainingConfig> = {}): TrainingConfig => ({
  seed: 3,
  dim: 16,
  slice: { index: 0, count: 1 },
  batch: 2,
  seq: 8,
  vocab: 128,
  topK: 2,
  learningRate: 0.002,
  applyRemote: true,
  solo: false,
  servingEvery: 2,
  evaluateEvery: 1000,
  evaluateBatches: 1,
  checkpointEvery: 1000,
  backend: 'wasm',
  textDir,
  ...over,
});

/**
 * A TrainingStore in memory: a few tokens of text, and checkpoints in a map (`saved`). `saveGate`, when set,
 * holds every write until it resolves; `failSaves` makes writes fail as a full disk would; `writesBegun` counts.
 */
export function memoryStore(): {
  store: TrainingStore;
  saved: Map<string, Checkpoint>;
  control: { saveGate?: Promise<void>; failSaves?: boolean; writesBegun: number };
} {
  const saved = new Map<string, Checkpoint>();
  const control: { saveGate?: Promise<void>; failSaves?: boolean; writesBegun: number } = { writesBegun: 0 };
  const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 50);
  const store: TrainingStore = {
    data: async () => ({ train: tokens, validation: tokens.slice(0, 100), genres: [] }),
    loadCheckpoint: async (file) => saved.get(file),
    async saveCheckpoint(file, checkpoint) {
      control.writesBegun++;
      await control.saveGate;
      if (control.failSaves) throw new Error('ENOSPC: no space left on device');
      saved.set(file, checkpoint);
    },
  };
  return { store, saved, control };
}
