/**
 * The one typed API between the host (Electron main or headless) and the dashboard, over Electron IPC or
 * HTTP + WebSocket. Pure types: the renderer sees snapshots only, never keys. Amounts are decimal token
 * strings ("12.5"); 1 token = 10^9 base units on the ledger.
 */
import type { ContributionStateName } from './contribution-state.js';
import type { NeuronScores } from './neuron-scores.js';
import type { Settings } from './settings.js';
import type { SnapshotPush } from './snapshot-delta.js';
import type { BackendReport } from './training.js';

export type { Settings } from './settings.js';

export interface TrainingView {
  step: number;
  loss: number | null;
  lossSolo: number | null;
  lossStudent: number | null;
  tokensPerSecond: number | null;
  valLoss: number | null;
  valLossSolo: number | null;
  valLossStudent: number | null;
  /** Times the training worker died and was started again from its checkpoint. */
  restarts: number;
  /** Set while a dead worker waits to be started again: what happened and when it restarts. */
  restarting: string | null;
  /** Peers' gradients dropped so far because more arrived than training could apply. */
  gradientsDropped: number;
  /** Requests for peers' answers that failed as a whole so far: each time, that batch went on without peers. */
  forwardFailures: number;
  /** The step after which training is parked (paused: no step runs); null while it trains. */
  parkedAt: number | null;
}

/**
 * Where the host is: 'setup' (no wallet yet: create or import one), 'locked' (a wallet, no password yet),
 * 'starting' (joining the network), 'running', or 'failed' (the reason is in `problem`).
 */
export type HostPhase = 'setup' | 'locked' | 'starting' | 'running' | 'failed';

/** The miner's wallet as the page may see it: addresses and balances, never a key. */
export interface WalletView {
  coldkey: string | null;
  hotkey: string | null;
  /** Tokens the coldkey holds, free to spend. */
  free: string | null;
  /** Tokens the coldkey has staked on its hotkey. */
  staked: string | null;
  /** True while the coldkey is held in memory after "Unlock" (spending then needs no password). */
  unlocked: boolean;
  /** Tokens burned to register a hotkey now. */
  registrationPrice: string | null;
}

/** One neuron of the metagraph, with what this node thinks of it. */
export interface PeerRow extends NeuronScores {
  uid: number;
  hotkey: string;
  coldkey: string;
  stake: string;
  /** Tokens it earned in the last epoch. */
  emission: string;
  /** Its weights, as [uid, weight] with weights normalized to sum 1. */
  weights: Array<[number, number]>;
  /** This node's gate share for it (null: not in our gate). */
  gate: number | null;
  /** This node's importance score for it (loss rise without it). */
  importance: number | null;
  /** This node's on-chain weight on it, normalized. */
  ourWeight: number | null;
  /** Median round trip of our requests to it, ms. */
  latencyMs: number | null;
  isUs: boolean;
}

/** One finished epoch as this node saw it, with our scores in it. */
export interface EpochPoint extends NeuronScores {
  epoch: number;
  block: number;
  /** Milliseconds since 1970 when the host saw it. */
  time: number;
  /** Tokens minted to us this epoch. */
  emission: string;
  /** Free + staked tokens after it. */
  balance: string;
}

/** A GPU's readings as its driver reports them; a field the driver leaves out ("[N/A]") is absent. */
export interface GpuReading {
  /** The GPU's product name ("NVIDIA H200", "AMD GPU (card0)"). */
  name: string;
  /** Share of the last sampling period the GPU was busy, %. */
  utilizationPct?: number;
  temperatureC?: number;
  memoryUsedMiB?: number;
  memoryTotalMiB?: number;
}

/** Something the user should know: contributing stopped, peers unreachable, nothing earned. */
export interface Alert {
  id:
    | 'neuron-died'
    | 'training-restarting'
    | 'peers-unreachable'
    | 'no-progress'
    | 'ledger-unreachable'
    | 'network'
    | 'settings';
  level: 'warning' | 'error';
  message: string;
}

/** Everything the dashboard shows, pushed whenever it changes and on request. */
export interface MinerSnapshot {
  phase: HostPhase;
  /** Why the host is 'failed', or what 'setup' / 'locked' waits for. */
  problem: string | null;
  /**
   * Whether and how much the machine trains, and why: `share` is the duty cycle training is held to (0 when not
   * contributing), from the GPU share when it trains on a GPU (`processor` 'gpu'), else each training thread's
   * part of the CPU cores allowed.
   */
  contribution: { state: ContributionStateName; reason: string; share: number; processor: 'cpu' | 'gpu' };
  backend: BackendReport;
  /** Our uid (-1 before registration). */
  uid: number;
  ledger: string | null;
  chain: {
    height: number;
    epoch: number;
    tempo: number;
    emissionPerEpoch: string;
    /** The mechanism's parameters (Yuma), for the page's what-if. */
    mechanism: { rho: number; kappa: number; bondsAlpha: number };
  } | null;
  peersConnected: number;
  /**
   * Whether peers can dial us, and what to do when they cannot: 'local' on the embedded network; on a joined one
   * 'public' (confirmed by AutoNAT or UPnP), 'unconfirmed' (a public address not confirmed yet) or 'private'.
   */
  reachability: { status: 'public' | 'unconfirmed' | 'private' | 'local'; advice: string };
  training: TrainingView;
  wallet: WalletView;
  /** The metagraph with our view of every neuron. */
  peers: PeerRow[];
  /** Finished epochs, oldest first (the last 500). */
  epochs: EpochPoint[];
  /** Tokens earned since local midnight, and per day at the rate of the last epochs. */
  earnings: { today: string; perDay: string | null };
  lastWeightsBlock: number | null;
  alerts: Alert[];
  /** The data folder: wallet, settings, checkpoints, history. */
  dataDir: string;
  /**
   * What the machine reports: the CPU temperature in °C, null where the platform exposes none; its logical CPU
   * cores (the most the CPU cores setting counts); the training GPU's readings while the neuron trains on one and
   * the platform reports them (nvidia-smi, Linux hwmon), else absent.
   */
  machine: { temperatureC: number | null; cores: number; gpu?: GpuReading };
  /**
   * Event listeners in the host and the neuron that threw so far (a bug: each distinct failure is in the log). The
   * event went on to its other listeners; what the failed one should have done did not happen.
   */
  listenerFailures: number;
}

/** What a spending call signs: the host signs it after the user pressed Confirm. */
export interface SpendRequest {
  /** Decimal tokens, > 0, at most 9 decimals. */
  amount: string;
  /** The wallet's password, needed unless the wallet is unlocked. */
  password?: string;
}

export interface TransferRequest extends SpendRequest {
  to: string;
}

/** An included transaction, and the wallet after it. */
export interface TxReceipt {
  tx: string;
  block: number;
  wallet: WalletView;
}

/** An encrypted backup of the wallet's keyfiles; restoring it needs the wallet's password. */
export interface WalletBackup {
  fileName: string;
  /** JSON text: the keyfiles as written on disk (encrypted). */
  content: string;
}

/**
 * The dashboard's calls (over HTTP at API_ROUTES). A refused call throws an Error whose message is one line
 * for the form.
 */
export interface MinerApi {
  snapshot(): Promise<MinerSnapshot>;
  pause(): Promise<MinerSnapshot>;
  resume(): Promise<MinerSnapshot>;
  settings(): Promise<Settings>;
  updateSettings(change: Partial<Settings>): Promise<Settings>;
  /** First start without a wallet: create one; the mnemonic is shown once and never kept by the host. */
  createWallet(request: { password: string }): Promise<{ mnemonic: string; wallet: WalletView }>;
  /** First start without a wallet: restore one from its 24-word mnemonic. */
  importWallet(request: { mnemonic: string; password: string }): Promise<WalletView>;
  /** Opens the wallet: at start it lets the miner run; later it keeps the coldkey for 15 minutes of spending. */
  unlock(request: { password: string }): Promise<WalletView>;
  lock(): Promise<WalletView>;
  backup(request: { password: string }): Promise<WalletBackup>;
  transfer(request: TransferRequest): Promise<TxReceipt>;
  stake(request: SpendRequest): Promise<TxReceipt>;
  unstake(request: SpendRequest): Promise<TxReceipt>;
}

/** The method names of MinerApi, for transports that route by name (IPC channels, HTTP paths). */
export const API_METHODS = [
  'snapshot',
  'pause',
  'resume',
  'settings',
  'updateSettings',
  'createWallet',
  'importWallet',
  'unlock',
  'lock',
  'backup',
  'transfer',
  'stake',
  'unstake',
] as const satisfies ReadonlyArray<keyof MinerApi>;
export type ApiMethod = (typeof API_METHODS)[number];

/** The API over HTTP: each call's method and path under the dashboard's origin; the argument is the JSON body. */
export const API_ROUTES: Record<ApiMethod, { method: 'GET' | 'POST' | 'PUT'; path: string }> = {
  snapshot: { method: 'GET', path: '/api/snapshot' },
  pause: { method: 'POST', path: '/api/pause' },
  resume: { method: 'POST', path: '/api/resume' },
  settings: { method: 'GET', path: '/api/settings' },
  updateSettings: { method: 'PUT', path: '/api/settings' },
  createWallet: { method: 'POST', path: '/api/wallet/create' },
  importWallet: { method: 'POST', path: '/api/wallet/import' },
  unlock: { method: 'POST', path: '/api/wallet/unlock' },
  lock: { method: 'POST', path: '/api/wallet/lock' },
  backup: { method: 'POST', path: '/api/wallet/backup' },
  transfer: { method: 'POST', path: '/api/wallet/transfer' },
  stake: { method: 'POST', path: '/api/wallet/stake' },
  unstake: { method: 'POST', path: '/api/wallet/unstake' },
};

/** A call's outcome as it crosses Electron IPC (thrown errors would arrive wrapped in Electron's own text). */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * What Electron's preload exposes to the page as `window.minerBridge`: the API's calls by name and the stream
 * of snapshots. Nothing else of Electron or Node reaches the page.
 */
export interface MinerBridge {
  call<M extends ApiMethod>(
    method: M,
    argument?: Parameters<MinerApi[M]>[0],
  ): Promise<BridgeResult<Awaited<ReturnType<MinerApi[M]>>>>;
  /** The host's pushes: a whole snapshot, or what changed since the last (shared/snapshot-delta.ts). */
  onPush(listener: (push: SnapshotPush) => void): () => void;
}

/** Whether a backend name (MinerSnapshot.backend.name) trains on a GPU. */
export const isGpuBackend = (name: string): boolean => name === 'tensorflow-gpu' || name === 'webgpu';
