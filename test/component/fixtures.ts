import type { ApiMethod, MinerSnapshot, PeerRow } from '../../src/shared/api.js';
import type { DashboardTransport } from '../../src/renderer/lib/api.js';

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

export function snapshotOf(over: Partial<MinerSnapshot> = {}): MinerSnapshot {
  return {
    phase: 'running',
    problem: null,
    contribution: { state: 'contributing', reason: 'training with 75% of a core', cpuShare: 0.75 },
    backend: { name: 'wasm', device: 'cpu' },
    uid: 1,
    ledger: 'http://127.0.0.1:1',
    chain: {
      height: 30,
      epoch: 3,
      tempo: 10,
      emissionPerEpoch: '10',
      mechanism: { rho: 10, kappa: 0.5, bondsAlpha: 0.1 },
    },
    peersConnected: 2,
    reachability: { status: 'local', advice: 'local only' },
    training: {
      step: 12,
      loss: 5.1,
      lossSolo: 5.2,
      lossStudent: 5.15,
      tokensPerSecond: 400,
      valLoss: null,
      valLossSolo: null,
      valLossStudent: null,
    },
    wallet: {
      coldkey: '5Mine',
      hotkey: '5MyHot',
      free: '900',
      staked: '100',
      unlocked: false,
      registrationPrice: '1',
    },
    peers: [],
    epochs: [],
    earnings: { today: '7.5', perDay: '21600' },
    lastWeightsBlock: 30,
    alerts: [],
    ...over,
  };
}

/** A transport whose calls are answered by `answer` (the host is out of scope here; browser tests drive the real one). */
export function fakeTransport(
  snapshot: MinerSnapshot,
  answer: (method: ApiMethod, argument: unknown) => unknown = () => snapshot,
): DashboardTransport & { calls: Array<[ApiMethod, unknown]> } {
  const calls: Array<[ApiMethod, unknown]> = [];
  return {
    calls,
    async call(method, argument) {
      calls.push([method, argument]);
      return (await answer(method, argument)) as never;
    },
    subscribe(listener) {
      listener(snapshot);
      return () => undefined;
    },
  };
}
