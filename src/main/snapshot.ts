import { formatAmount, parseAmount } from '../shared/amount.js';
import type { NeuronInfo } from '../ledger/client.js';
import type { Alert, EpochPoint, PeerRow } from '../shared/api.js';
import { scoresOf } from '../shared/neuron-scores.js';

/** Our view of one peer: the gate's share, the importance score and the latency, by uid. */
export interface LocalPeerView {
  uid: number;
  gate: number;
  importance: number;
  latencyMs: number | null;
}

/** A neuron's weights normalized to sum 1 (the ledger keeps them as u16). */
function normalized(weights: Array<[number, number]>): Array<[number, number]> {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  return total > 0 ? weights.map(([uid, w]) => [uid, w / total]) : [];
}

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
  if (a.settingsProblem) out.push({ id: 'settings', level: 'warning', message: a.settingsProblem });
  const stalled = a.running && a.contributing && a.contributingForMs > STALL_MS;
  if (stalled && a.peersConnected === 0) {
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
