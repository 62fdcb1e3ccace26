import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { createWallet, loadWallet, type LoadedWallet } from '../../src/ledger/wallet/index.js';
import { parseAmount } from '../../src/shared/amount.js';
import { createLogger } from '../../src/shared/logger.js';
import type { StepEvent, TrainingConfig } from '../../src/shared/training.js';
import { TrainingHost } from '../../src/neuron/training-host.js';
import { startLearningNeuron, type LearningNeuron } from '../../src/neuron/trained-neuron.js';
import { until } from '../support/poll.js';

const DIM = 32;
const PASSWORD = 'a long passphrase';
const config = (index: number, count: number, extra: Partial<TrainingConfig> = {}): TrainingConfig => ({
  seed: 10 + index,
  dim: DIM,
  slice: { index, count },
  batch: 4,
  seq: 16,
  vocab: 256,
  topK: 4,
  learningRate: 0.002,
  applyRemote: true,
  solo: true,
  servingEvery: 2,
  evaluateEvery: 5,
  evaluateBatches: 1,
  checkpointEvery: 3,
  backend: 'wasm',
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-learning-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('three neurons on 127.0.0.1 with a real ledger', () => {
  let authority: LedgerNode;
  const neurons: LearningNeuron[] = [];
  afterAll(async () => {
    await Promise.all(neurons.map((n) => n.stop()));
    await authority?.stop();
  });

  it('train with each other, send and apply gradients, and set weights that the ledger holds', async () => {
    const wallets: LoadedWallet[] = [];
    for (const name of ['a', 'b', 'junk']) {
      await createWallet(join(dir, 'wallets'), name, PASSWORD, { scryptN: 1024 });
      wallets.push(await loadWallet(join(dir, 'wallets'), name, PASSWORD));
    }
    authority = await startLedger({
      genesis: () =>
        makeGenesis(
          wallets.map((w) => [w.coldkey.address, 1000n * 10n ** 9n]),
          { blockTimeMs: 200, tempo: 5, networkDim: DIM, weightsRateLimit: 2 },
        ),
    });
    const client = new LedgerClient(authority.rpcUrl);
    const steps = new Map<number, StepEvent[]>();
    const weightsSet = new Set<number>();
    const roles = [
      { kind: 'train' as const, config: config(0, 2) },
      { kind: 'train' as const, config: config(1, 2) },
      { kind: 'junk' as const, seed: 3, dim: DIM },
    ];
    neurons.push(
      ...(await Promise.all(
        roles.map((role, i) =>
          startLearningNeuron(
            { client, keys: wallets[i]! },
            {
              role,
              node: { host: '127.0.0.1', port: 0, dht: false, autonat: false },
              stake: '10',
              weightsEveryMs: 1500,
            },
          ),
        ),
      )),
    );
    for (const n of neurons) {
      n.events.on('train:step', (e) => steps.set(n.uid, [...(steps.get(n.uid) ?? []), e]));
      n.events.on('weights:set', () => weightsSet.add(n.uid));
    }
    const [a, b, junk] = neurons as [LearningNeuron, LearningNeuron, LearningNeuron];
    const answered = (n: LearningNeuron) => (steps.get(n.uid) ?? []).filter((e) => e.answered >= 2).length;
    await until(() => answered(a) >= 8 && answered(b) >= 8, 'eight steps with both peers answering');
    await until(
      () => [a, b].every((n) => (steps.get(n.uid) ?? []).some((e) => e.remoteApplied > 0)),
      'gradients applied',
    );
    await until(() => weightsSet.size === 3, 'weights from all three');

    for (const e of [...steps.get(a.uid)!, ...steps.get(b.uid)!]) {
      expect(Number.isFinite(e.loss) && Number.isFinite(e.lossStudent) && Number.isFinite(e.lossSolo!)).toBe(true);
    }
    // The serving copies follow training: the trained neurons serve weights from step 2 on.
    expect(a.serving.step).toBeGreaterThanOrEqual(2);
    expect(junk.lastEvaluation()).toBeUndefined();
    // A neuron that set weights before it knew both others sets them again (every 1.5 s): wait for those.
    await until(async () => (await client.neurons()).every((row) => row.weights.length >= 2), 'weights on both others');
    const listed = await client.neurons();
    for (const n of neurons) {
      const row = listed.find((x) => x.uid === n.uid)!;
      expect(row.weights.length).toBeGreaterThanOrEqual(2);
      expect(row.weights.some(([u]) => u === n.uid)).toBe(false);
      expect(row.stake).toBeGreaterThanOrEqual(parseAmount('10'));
    }
    const evaluation = a.lastEvaluation();
    expect(evaluation?.peers.map((p) => p.uid).sort()).toEqual([b.uid, junk.uid].sort());
  }, 150_000);
});

describe('checkpoints of the training worker', () => {
  it('a restart resumes where it stopped; a corrupt checkpoint is one line and training starts fresh', async () => {
    const text = join(dir, 'text');
    await (await import('node:fs/promises')).mkdir(text, { recursive: true });
    for (let i = 0; i < 12; i++) {
      await writeFile(
        join(text, `f${i}.txt`),
        `File ${i}. `.repeat(40) + 'The quick brown fox jumps over the lazy dog. '.repeat(30),
      );
    }
    const file = join(dir, 'ck', 'checkpoint.bin');
    const cfg = config(0, 1, { textDir: text, checkpointFile: file, evaluateEvery: 1000 });
    const logs: string[] = [];
    const logger = createLogger('test', (l) => logs.push(l), 'info');
    const noPeers = { forward: async () => [], backward: () => undefined, logger };

    const first = new TrainingHost(noPeers);
    let last = 0;
    first.events.on('train:step', (e) => (last = e.step));
    expect((await first.start(cfg)).resumedAt).toBe(0);
    await until(() => last >= 6, 'six steps');
    await first.stop();

    const second = new TrainingHost(noPeers);
    const resumed = await second.start(cfg);
    expect(resumed.resumedAt).toBeGreaterThanOrEqual(6);
    await second.stop();

    const bytes = await readFile(file);
    bytes[bytes.length - 100]! ^= 0xff;
    await writeFile(file, bytes);
    const third = new TrainingHost(noPeers);
    expect((await third.start(cfg)).resumedAt).toBe(0);
    await third.stop();
    const warning = logs.find((l) => l.includes('damaged'));
    expect(warning).toMatch(/checkpoint .* is damaged \(its checksum does not match\); training starts fresh/);
  }, 120_000);
});
