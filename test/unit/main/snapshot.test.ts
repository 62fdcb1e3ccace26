import { describe, expect, it } from 'vitest';
import type { ChainInfo } from '../../../src/ledger/client.js';
import { DEFAULT_CHAIN_PARAMS } from '../../../src/ledger/params.js';
import { buildSnapshot, type SnapshotParts } from '../../../src/main/snapshot.js';
import { parseAmount } from '../../../src/shared/amount.js';
import { snapshotOf } from '../../support/snapshots.js';

const training = { ...snapshotOf().training, gradientsDropped: 0, forwardFailures: 0 };

const info: ChainInfo = {
  role: 'embedded',
  genesisHash: 'g',
  height: 120,
  headHash: 'h',
  epoch: 4,
  minWeights: 1,
  issuance: parseAmount('120'),
  burned: 0n,
  registrationBurn: parseAmount('1'),
  neurons: 4,
  params: { ...DEFAULT_CHAIN_PARAMS, tempo: 30, blockTimeMs: 1000 },
};

/** What the host's parts hold for a running miner, with the parts a test cares about overridden. */
const parts = (over: Partial<SnapshotParts> = {}): SnapshotParts => ({
  phase: 'running',
  waiting: undefined,
  contribution: {
    state: 'contributing',
    reason: 'training with 0.75 of a core: one thread, 75% of the time',
    share: 0.75,
    processor: 'cpu',
  },
  backend: { name: 'wasm', device: 'cpu' },
  uid: 3,
  ledgerUrl: 'http://127.0.0.1:9944',
  reading: { info, neurons: [], balance: undefined },
  peersConnected: 2,
  reachability: { status: 'local', advice: 'the embedded network runs on this machine only' },
  training: { ...training, step: 40 },
  wallet: { coldkey: 'c', hotkey: 'h', free: '1', staked: '10', unlocked: false, registrationPrice: '1' },
  peers: [],
  epochs: [],
  lastWeightsBlock: null,
  alerts: [],
  dataDir: '/data',
  temperatureC: undefined,
  cores: 6,
  gpu: undefined,
  listenerFailures: 0,
  midnight: 0,
  ...over,
});

describe('buildSnapshot (pure: the host parts in, the dashboard snapshot out)', () => {
  it("carries what was dropped: peers' gradients, failed requests to peers, failed listeners", () => {
    const s = buildSnapshot(
      parts({
        training: { ...training, step: 40, gradientsDropped: 7, forwardFailures: 3 },
        listenerFailures: 2,
      }),
    );
    expect(s.training).toMatchObject({ step: 40, gradientsDropped: 7, forwardFailures: 3 });
    expect(s.listenerFailures).toBe(2);
  });

  it('starts with nothing dropped', () => {
    const s = buildSnapshot(parts());
    expect(s.training).toMatchObject({ gradientsDropped: 0, forwardFailures: 0 });
    expect(s.listenerFailures).toBe(0);
  });

  it('reads the chain from the typed parameters, and says what a host not running waits for', () => {
    const running = buildSnapshot(parts());
    expect(running.chain).toEqual({
      height: 120,
      epoch: 4,
      tempo: 30,
      emissionPerEpoch: '30',
      mechanism: {
        rho: DEFAULT_CHAIN_PARAMS.rho,
        kappa: DEFAULT_CHAIN_PARAMS.kappa,
        bondsAlpha: DEFAULT_CHAIN_PARAMS.bondsAlpha,
      },
    });
    expect(running.problem).toBeNull();
    expect(running.machine).toEqual({ temperatureC: null, cores: 6 });
    const gpu = { name: 'NVIDIA H200', utilizationPct: 35, temperatureC: 61 };
    expect(buildSnapshot(parts({ temperatureC: 48.5, gpu })).machine).toEqual({ temperatureC: 48.5, cores: 6, gpu });

    const waiting = buildSnapshot(parts({ phase: 'locked', waiting: 'enter the password', reading: undefined }));
    expect(waiting.problem).toBe('enter the password');
    expect(waiting.contribution).toEqual({
      state: 'waiting',
      reason: 'enter the password',
      share: 0,
      processor: 'cpu',
    });
    expect(waiting.chain).toBeNull();
  });
});
