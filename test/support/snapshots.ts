import type { MinerSnapshot, PeerRow } from '../../src/shared/api.js';

/** A neuron of the metagraph as the dashboard receives it, with the parts a test cares about overridden. */
export const peer = (uid: number, over: Partial<PeerRow> = {}): PeerRow => ({
  uid,
  hotkey: `5Hot${uid}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
  coldkey: `5Cold${uid}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
  stake: '100',
  rank: 0.1 * uid,
  trust: 0.5,
  consensus: 0.5,
  incentive: 0.2,
  dividends: 0.1,
  emission: '1',
  weights: [],
  gate: null,
  importance: null,
  ourWeight: null,
  latencyMs: null,
  isUs: false,
  ...over,
});

/** A snapshot of a running miner, with the parts a test cares about overridden. */
export function snapshotOf(over: Partial<MinerSnapshot> = {}): MinerSnapshot {
  return {
    phase: 'running',
    problem: null,
    contribution: { state: 'contributing', reason: 'training with 75% of a core', cpuShare: 0.75 },
    backend: { name: 'wasm', device: 'cpu' },
    uid: 3,
    ledger: 'http://127.0.0.1:9944',
    chain: {
      height: 120,
      epoch: 4,
      tempo: 30,
      emissionPerEpoch: '1',
      mechanism: { rho: 10, kappa: 0.5, bondsAlpha: 0.1 },
    },
    peersConnected: 3,
    reachability: { status: 'local', advice: 'open port 4001' },
    training: {
      step: 10,
      loss: 5,
      lossSolo: 5.2,
      lossStudent: 5.4,
      tokensPerSecond: 900,
      valLoss: null,
      valLossSolo: null,
      valLossStudent: null,
      restarts: 0,
      restarting: null,
      gradientsDropped: 0,
      parkedAt: null,
    },
    wallet: {
      coldkey: 'cold',
      hotkey: 'hot',
      free: '10',
      staked: '100',
      unlocked: false,
      registrationPrice: '1',
    },
    peers: [],
    epochs: [],
    earnings: { today: '0.5', perDay: '2' },
    lastWeightsBlock: null,
    alerts: [],
    dataDir: '/home/miner/.bittensor-miner',
    machine: { temperatureC: null },
    ...over,
  };
}
