/**
 * The one typed API between the host (Electron main or headless) and the dashboard, over Electron IPC or
 * HTTP + WebSocket. Pure types: the renderer sees snapshots only, never keys.
 */
import type { ContributionStateName } from './contribution-state.js';

export interface TrainingView {
  step: number;
  loss: number | null;
  lossSolo: number | null;
  lossStudent: number | null;
  tokensPerSecond: number | null;
  valLoss: number | null;
  valLossSolo: number | null;
  valLossStudent: number | null;
}

/** Everything the dashboard shows, pushed whenever it changes and on request. */
export interface MinerSnapshot {
  contribution: { state: ContributionStateName; reason: string; cpuShare: number };
  backend: { name: string; device: string };
  uid: number;
  hotkey: string;
  coldkey: string;
  ledger: string;
  peersConnected: number;
  training: TrainingView;
  peers: Array<{ uid: number; gate: number; importance: number; latencyMs: number | null }>;
  lastWeightsBlock: number | null;
}

/** The dashboard's calls (HTTP: GET /api/snapshot, POST /api/pause and /api/resume, GET and PUT /api/settings). */
export interface MinerApi {
  snapshot(): Promise<MinerSnapshot>;
  pause(): Promise<MinerSnapshot>;
  resume(): Promise<MinerSnapshot>;
  settings(): Promise<Record<string, unknown>>;
  updateSettings(change: Record<string, unknown>): Promise<Record<string, unknown>>;
}
