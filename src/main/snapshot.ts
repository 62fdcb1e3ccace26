import type { NeuronInfo } from '../ledger/client.js';
import { formatAmount, parseAmount } from '../shared/amount.js';
import type {
  Alert,
  EpochPoint,
  GpuReading,
  HostPhase,
  MinerSnapshot,
  PeerRow,
  TrainingView,
  WalletView,
} from '../shared/api.js';
import { scoresOf } from '../shared/neuron-scores.js';
import type { ChainReading } from './chain-feed.js';
import type { Contribution } from './contribution.js';

/** Our view of one peer: the gate's share, the importance score and the latency, by uid. */
export interface LocalPeerView {
  uid: number;
  gate: number;
  importance: number;
  latencyMs?: number | null | undefined;
}

/**
 * A neuron's weights normalized to sum 1 (the ledger keeps them as u16), to 4 significant digits: what the trust
 * graph and the what-if need, in a third of the bytes a dashboard receives.
 */
function normalized(weights: Array<[number, number]>): Array<[number, number]> {
  let out = normalizedOf.get(weights);
  if (!out) {
    const total = weights.reduce((sum, [, w]) => sum + w, 0);
    out = total > 0 ? weights.map(([uid, w]) => [uid, Number((w / total).toPrecision(4))]) : [];
    normalizedOf.set(weights, out);
  }
  return out;
}
/**
 * normalized() of a weights list the metagraph still holds: a row whose weights did not change keeps its list
 * between reads (the ledger sends only changed rows whole), so an epoch, which changes every row's scores,
 * does not normalize every row's weights again. Pure memo: the lists are never mutated.
 */
const normalizedOf = new WeakMap<Array<[number, number]>, Array<[number, number]>>();

/** The metagraph as the Peers view and the trust graph show it: each neuron with our view of it. */
export function peerRows(neurons: NeuronInfo[], ourUid: number, local: LocalPeerView[]): PeerRow[] {
  const byUid = new Map(local.map((p) => [p.uid, p]));
  const ours = new Map(normalized(neurons.find((n) => n.uid === ourUid)?.weights ?? []));
  return neurons.map((n) => {
    const view = byUid.get(n.uid);
    return {
      uid: n.uid,
      hotkey: n.hotkey,
      coldkey: n.coldkey,
      stake: formatAmount(n.stake),
      ...scoresOf(n),
      emission: formatAmount(n.emission),
      weights: normalized(n.weights),
      gate: view?.gate ?? null,
      importance: view?.importance ?? null,
      ourWeight: ours.get(n.uid) ?? null,
      latencyMs: view?.latencyMs ?? null,
      isUs: n.uid === ourUid,
    };
  });
}

/**
 * Tokens earned since `midnight` (ms), and per day at the mean rate of the last ten epochs (null before
 * two epochs, or when an epoch's length is unknown).
 */
export function earnings(
  epochs: EpochPoint[],
  midnight: number,
  epochMs: number,
): { today: string; perDay: string | null } {
  const today = epochs.filter((e) => e.time >= midnight).reduce((sum, e) => sum + parseAmount(e.emission), 0n);
  const recent = epochs.slice(-10);
  if (recent.length < 2 || !(epochMs > 0)) return { today: formatAmount(today), perDay: null };
  const mean = recent.reduce((sum, e) => sum + parseAmount(e.emission), 0n) / BigInt(recent.length);
  return {
    today: formatAmount(today),
    perDay: formatAmount(mean * BigInt(Math.round(86_400_000 / epochMs))),
  };
}

/** Local midnight before `now`. */
export function localMidnight(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** What the host knows when it decides which alerts to raise. */
export interface AlertInputs {
  running: boolean;
  contributing: boolean;
  /** The neuron stopped with this reason (its worker kept dying, its start failed). */
  neuronProblem: string | undefined;
  /** The training worker died and waits to be started again (what happened, when it restarts). */
  trainingRestarting: string | null;
  ledgerProblem: string | undefined;
  /** The embedded network cannot work as it should (EmbeddedNetwork.problem). */
  networkProblem: string | undefined;
  settingsProblem: string | undefined;
  /** Milliseconds since contributing started and since the last training step. */
  contributingForMs: number;
  sinceLastStepMs: number;
  peersConnected: number;
  tokensPerSecond: number | null;
}

/** Alerts after this long without a step (or a connected peer) while contributing. */
export const STALL_MS = 90_000;

/** The alerts to show: contributing stopped unexpectedly (the neuron died, no peers, no progress), and problems. */
export function alerts(a: AlertInputs): Alert[] {
  const out: Alert[] = [];
  if (a.neuronProblem) {
    out.push({ id: 'neuron-died', level: 'error', message: `the neuron stopped: ${a.neuronProblem}` });
  }
  if (a.trainingRestarting) {
    out.push({ id: 'training-restarting', level: 'warning', message: a.trainingRestarting });
  }
  if (a.ledgerProblem) out.push({ id: 'ledger-unreachable', level: 'warning', message: a.ledgerProblem });
  if (a.networkProblem) out.push({ id: 'network', level: 'error', message: a.networkProblem });
  if (a.settingsProblem) out.push({ id: 'settings', level: 'warning', message: a.settingsProblem });
  const stalled = a.running && a.contributing && a.contributingForMs > STALL_MS;
  // With the embedded network's problem said, its advice is the one to follow (no bootstrap address is at fault).
  if (stalled && a.peersConnected === 0 && !a.networkProblem) {
    out.push({
      id: 'peers-unreachable',
      level: 'warning',
      message: 'no peer is connected: check the bootstrap addresses in Settings and your internet connection',
    });
  }
  if (stalled && (a.sinceLastStepMs > STALL_MS || a.tokensPerSecond === 0)) {
    out.push({
      id: 'no-progress',
      level: 'warning',
      message: `no training step for ${Math.round(a.sinceLastStepMs / 1000)} s while contributing (0 tokens/s): see the log`,
    });
  }
  return out;
}

/**
 * Base units this node's coldkey still needs before the neuron can start: the registration burn (when not
 * registered) plus the stake it keeps on its hotkey, less what is free. 0 when it can start now.
 */
export function tokensNeeded(a: {
  free: bigint;
  registered: boolean;
  staked: bigint;
  burn: bigint;
  stake: bigint;
}): bigint {
  const need = (a.registered ? 0n : a.burn) + (a.stake > a.staked ? a.stake - a.staked : 0n) - a.free;
  return need > 0n ? need : 0n;
}

/**
 * peerRows, computed again only when the metagraph, our uid or our view of the peers changed (each is a new
 * array then): the same array otherwise, so that a snapshot's diff skips the metagraph at no cost.
 */
export class PeerRowsCache {
  private last: { neurons: NeuronInfo[]; uid: number; local: readonly LocalPeerView[]; rows: PeerRow[] } | undefined;

  rows(neurons: NeuronInfo[], uid: number, local: readonly LocalPeerView[]): PeerRow[] {
    const last = this.last;
    if (last && last.neurons === neurons && last.uid === uid && last.local === local) return last.rows;
    const rows = peerRows(neurons, uid, [...local]);
    this.last = { neurons, uid, local, rows };
    return rows;
  }
}

/** Everything a snapshot is made of, as the host's parts hold it. */
export interface SnapshotParts {
  phase: HostPhase;
  /** Why the host is not running (what it waits for, or why it failed); undefined when it runs. */
  waiting: string | undefined;
  contribution: Contribution;
  backend: MinerSnapshot['backend'];
  uid: number;
  ledgerUrl: string;
  reading: ChainReading | undefined;
  peersConnected: number;
  reachability: MinerSnapshot['reachability'];
  training: TrainingView;
  wallet: WalletView;
  peers: PeerRow[];
  epochs: EpochPoint[];
  lastWeightsBlock: number | null;
  alerts: Alert[];
  dataDir: string;
  temperatureC: number | undefined;
  /** The machine's logical CPU cores. */
  cores: number;
  /** The training GPU's readings, while it trains on one that reports them. */
  gpu: GpuReading | undefined;
  /** Event listeners in the host's parts and the neuron that threw so far. */
  listenerFailures: number;
  /** Local midnight before now, ms (for the earnings of today). */
  midnight: number;
}

/** The snapshot the dashboard shows, from the host's parts. Pure. */
export function buildSnapshot(p: SnapshotParts): MinerSnapshot {
  const info = p.reading?.info;
  const params = info?.params;
  const shown = p.waiting
    ? { ...p.contribution, state: 'waiting' as const, reason: p.waiting, share: 0 }
    : p.contribution;
  return {
    phase: p.phase,
    problem: p.phase === 'running' ? null : (p.waiting ?? null),
    contribution: { state: shown.state, reason: shown.reason, share: shown.share, processor: shown.processor },
    backend: p.backend,
    uid: p.uid,
    ledger: p.ledgerUrl,
    chain:
      info && params
        ? {
            height: info.height,
            epoch: info.epoch,
            tempo: params.tempo,
            emissionPerEpoch: formatAmount(params.emissionPerBlock * BigInt(params.tempo)),
            mechanism: { rho: params.rho, kappa: params.kappa, bondsAlpha: params.bondsAlpha },
          }
        : null,
    peersConnected: p.peersConnected,
    reachability: p.reachability,
    training: p.training,
    wallet: p.wallet,
    peers: p.peers,
    epochs: p.epochs,
    earnings: earnings(p.epochs, p.midnight, params ? params.tempo * params.blockTimeMs : 0),
    lastWeightsBlock: p.lastWeightsBlock,
    alerts: p.alerts,
    dataDir: p.dataDir,
    machine: { temperatureC: p.temperatureC ?? null, cores: p.cores, ...(p.gpu ? { gpu: p.gpu } : {}) },
    listenerFailures: p.listenerFailures,
  };
}
