import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeGenesis } from '../ledger/block.js';
import { LedgerClient } from '../ledger/client.js';
import { startAuthority, type LedgerNode } from '../ledger/node.js';
import { loadWallet, type LoadedWallet } from '../ledger/wallet/index.js';
import type { MinerApi, MinerSnapshot, TrainingView } from '../shared/api.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { TrainingConfig } from '../shared/training.js';
import { startLearningNeuron, type LearningNeuron } from '../neuron/trained-neuron.js';
import { Child } from './children.js';
import { contribution, type Contribution } from './contribution.js';
import { SettingsStore } from './settings.js';
import { ensurePasswordFile, ensureWallet } from './wallets.js';

export interface HostInit {
  dataDir: string;
  /** The wallet's password (created with it on first start). */
  password: string;
  /** Join this ledger instead of starting the embedded local network. */
  ledgerUrl?: string;
  bootstrap?: string[];
  /** Peer neurons of the embedded network (trained, then one junk). Default 3. */
  peers?: number;
  logger?: Logger;
}

/** A running host: the API the dashboard calls, the ledger URL, and stop(). */
export interface Host {
  readonly api: MinerApi;
  readonly ledgerUrl: string;
  /** Called with each new snapshot (the dashboard pushes them). */
  onSnapshot(listener: (s: MinerSnapshot) => void): void;
  stop(): Promise<void>;
}

const FUNDS = 1000n * 10n ** 9n;

/**
 * The plain-TS host of the miner (the same in Electron's main process and headless): settings, the wallet
 * (created on first start), the network (the embedded local network, or a ledger to join), this node's
 * learning neuron, and the contribution policy that pauses, resumes and throttles it.
 */
export async function startHost(init: HostInit): Promise<Host> {
  const log = (init.logger ?? silentLogger).child('host');
  await mkdir(init.dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(init.dataDir);
  await settings.load();
  if (settings.loadProblem) log.warn(settings.loadProblem);
  const wallets = join(init.dataDir, 'wallets');
  await ensureWallet(wallets, 'miner', init.password);
  const wallet = await loadWallet(wallets, 'miner', init.password);

  const stops: Array<() => Promise<void>> = [];
  let ledgerUrl = init.ledgerUrl ?? settings.value.ledgerUrl ?? undefined;
  const peerCount = init.peers ?? 3;
  if (!ledgerUrl) {
    const network = await startEmbeddedNetwork(init.dataDir, wallet, peerCount, log);
    stops.push(network.stop);
    ledgerUrl = network.ledgerUrl;
  }
  const client = new LedgerClient(ledgerUrl);
  const dim = Number((await client.info()).params['networkDim'] ?? 128);
  const trained = Math.max(1, peerCount); // our slice: the last share, after the embedded peers' ones
  const config: TrainingConfig = {
    seed: 7,
    dim,
    slice: { index: trained - 1, count: trained },
    batch: 8,
    seq: 64,
    vocab: 2048,
    topK: 4,
    learningRate: 0.002,
    applyRemote: true,
    solo: true,
    servingEvery: 5,
    evaluateEvery: 25,
    evaluateBatches: 4,
    checkpointEvery: 50,
    checkpointFile: join(init.dataDir, 'neuron', 'checkpoint.bin'),
  };
  const neuron: LearningNeuron = await startLearningNeuron(
    { client, keys: wallet },
    {
      role: { kind: 'train', config },
      node: { host: '127.0.0.1', port: 0, bootstrap: init.bootstrap ?? settings.value.bootstrap, logger: log },
      stake: '100',
      logger: log,
    },
  );
  stops.unshift(() => neuron.stop());

  const training: TrainingView = {
    step: 0,
    loss: null,
    lossSolo: null,
    lossStudent: null,
    tokensPerSecond: null,
    valLoss: null,
    valLossSolo: null,
    valLossStudent: null,
  };
  let lastWeightsBlock: number | null = null;
  neuron.events.on('train:step', (e) => {
    Object.assign(training, {
      step: e.step,
      loss: e.loss,
      lossSolo: e.lossSolo,
      lossStudent: e.lossStudent,
      tokensPerSecond: e.tokensPerSecond,
    });
  });
  neuron.events.on('gate:update', (e) =>
    Object.assign(training, { valLoss: e.valLoss, valLossSolo: e.valLossSolo, valLossStudent: e.valLossStudent }),
  );
  neuron.events.on('weights:set', (e) => (lastWeightsBlock = e.block));

  // The contribution policy, applied at once on a change and every few seconds.
  let userPaused = false;
  let current: Contribution | undefined;
  const apply = () => {
    const next = contribution(settings.value, {
      now: new Date(),
      idleSeconds: undefined, // headless: no user input to watch (Electron's powerMonitor gives it)
      onBattery: false,
      temperatureC: undefined,
      userPaused,
    });
    if (next.state !== current?.state || next.cpuShare !== current.cpuShare) {
      if (next.cpuShare === 0) neuron.pause();
      else {
        neuron.throttle(next.cpuShare);
        neuron.resume();
      }
      log.info('contribution', { state: next.state, reason: next.reason });
    }
    current = next;
  };
  apply();
  const policy = setInterval(apply, 5000);
  policy.unref();

  const listeners: Array<(s: MinerSnapshot) => void> = [];
  const snapshot = async (): Promise<MinerSnapshot> => ({
    contribution: current!,
    backend: neuron.backend,
    uid: neuron.uid,
    hotkey: wallet.hotkey.address,
    coldkey: wallet.coldkey.address,
    ledger: ledgerUrl!,
    peersConnected: neuron.node.libp2p.getConnections().length,
    training: { ...training },
    peers: (neuron.lastEvaluation()?.peers ?? []).map((p) => ({ ...p, latencyMs: null })),
    lastWeightsBlock,
  });
  const push = setInterval(() => {
    void snapshot().then((s) => listeners.forEach((l) => l(s)));
  }, 2000);
  push.unref();

  const api: MinerApi = {
    snapshot,
    async pause() {
      userPaused = true;
      apply();
      return snapshot();
    },
    async resume() {
      userPaused = false;
      apply();
      return snapshot();
    },
    async settings() {
      return settings.value;
    },
    async updateSettings(change) {
      const next = await settings.update(change);
      apply();
      return next;
    },
  };
  let stopped = false;
  return {
    api,
    ledgerUrl,
    onSnapshot: (l) => listeners.push(l),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(policy);
      clearInterval(push);
      for (const stop of stops) await stop();
    },
  };
}

/** The embedded local network: an in-process ledger and peer neurons as child processes, kept in dataDir/network. */
async function startEmbeddedNetwork(
  dataDir: string,
  own: LoadedWallet,
  peers: number,
  log: Logger,
): Promise<{ ledgerUrl: string; stop: () => Promise<void> }> {
  const dir = join(dataDir, 'network');
  await mkdir(join(dir, 'logs'), { recursive: true });
  const passwordFile = join(dir, 'password');
  const password = await ensurePasswordFile(passwordFile);
  const names = Array.from({ length: peers }, (_, i) => `peer${i + 1}`);
  const infos: Array<{ coldkey: string }> = [];
  for (const name of names) infos.push(await ensureWallet(join(dir, 'wallets'), name, password));
  const ledger: LedgerNode = await startAuthority({
    dataDir: join(dir, 'chain'),
    genesis: (a) =>
      makeGenesis(
        a,
        [own.info, ...infos].map((w) => [w.coldkey, FUNDS]),
        { blockTimeMs: 1000, tempo: 10 },
      ),
    logger: log.child('ledger'),
  });
  const junk = peers >= 3 ? 1 : 0;
  const trained = peers - junk + 1; // the peers' slices, and ours (the last)
  const children = names.map(
    (name, i) =>
      new Child(
        name,
        [
          'neuron',
          'train',
          '--ledger',
          ledger.rpcUrl,
          '--wallets',
          join(dir, 'wallets'),
          '--name',
          name,
          '--password-file',
          passwordFile,
          '--host',
          '127.0.0.1',
          '--stake',
          '100',
          '--seed',
          String(100 + i),
          '--data',
          join(dir, name),
          ...(i >= peers - junk ? ['--junk'] : ['--slice', `${i + 1}/${trained}`]),
        ],
        join(dir, 'logs', `${name}.log`),
        () => undefined,
      ),
  );
  return {
    ledgerUrl: ledger.rpcUrl,
    async stop() {
      await Promise.all(children.map((c) => c.stop()));
      await ledger.stop();
    },
  };
}
