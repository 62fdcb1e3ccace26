import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { formatAmount, parseAmount } from '../shared/amount.js';
import { LedgerClient } from '../ledger/client.js';
import type { LoadedWallet } from '../ledger/wallet/index.js';
import type { HostPhase, MinerApi, MinerSnapshot, TrainingView, WalletView } from '../shared/api.js';
import { UserError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { Settings } from '../shared/settings.js';
import type { TrainingConfig } from '../shared/training.js';
import { startLearningNeuron, type LearningNeuron, type PeerView } from '../neuron/trained-neuron.js';
import type { TrainingWorkerFactory } from '../neuron/training-host.js';
import { ChainWatch } from './chain-watch.js';
import { contribution, type Contribution } from './contribution.js';
import { startEmbeddedNetwork, type EmbeddedNetwork } from './embedded-network.js';
import { MinerWallet } from './miner-wallet.js';
import { SettingsStore } from './settings.js';
import { alerts, earnings, localMidnight, peerRows, tokensNeeded } from './snapshot.js';

/** What the platform says about the user and the machine (Electron's powerMonitor; nothing when headless). */
export interface PowerSource {
  /** Seconds since the last mouse or keyboard input; undefined where the platform cannot tell. */
  idleSeconds(): number | undefined;
  onBattery(): boolean;
  /** CPU temperature, °C, where the platform reports one. */
  temperatureC(): number | undefined;
}

export interface HostInit {
  dataDir: string;
  /** The wallet's password (created with it on first start); without it the dashboard asks for it. */
  password?: string;
  /** Join this ledger instead of starting the embedded local network. */
  ledgerUrl?: string;
  bootstrap?: string[];
  /** Peer neurons of the embedded network (trained, then one junk). Default 3. */
  peers?: number;
  /**
   * Where the neuron listens on a joined network: all interfaces, this TCP port and UPnP port mapping (default:
   * the settings' neuronPort and upnp). The embedded network stays on 127.0.0.1.
   */
  listen?: { port?: number; upnp?: boolean };
  /** Idle time, battery and temperature for the contribution policy. Default: none (headless). */
  power?: PowerSource;
  /** How the training worker is started: a worker thread by default, Electron's utilityProcess in the app. */
  trainingWorker?: TrainingWorkerFactory;
  logger?: Logger;
}

/** A running host: the API the dashboard calls, the ledger URL, and stop(). */
export interface Host {
  readonly api: MinerApi;
  /** The ledger this host uses: the embedded one's, or the one it joined. */
  readonly ledgerUrl: string;
  /** Called with each new snapshot (the dashboard and the tray follow them); returns an unsubscribe function. */
  onSnapshot(listener: (s: MinerSnapshot) => void): () => void;
  /** Called after each settings change (the login item follows `startAtLogin`); returns an unsubscribe function. */
  onSettings(listener: (s: Settings) => void): () => void;
  /** Re-applies the contribution policy now (call on a power event). */
  reevaluate(): void;
  stop(): Promise<void>;
}

/** Stake (tokens) this node keeps on its hotkey. */
const OWN_STAKE = '100';

/**
 * The plain-TS host of the miner (the same in Electron's main process and headless): settings, the wallet,
 * the network (the embedded local network, or a ledger to join), this node's learning neuron, and the
 * contribution policy that pauses, resumes and throttles it. Without a password the host waits in 'setup'
 * (no wallet: the dashboard creates or imports one) or 'locked' (the dashboard asks for the password); with
 * one it resolves once the neuron runs, and throws when it cannot start.
 */
export async function startHost(init: HostInit): Promise<Host> {
  const log = (init.logger ?? silentLogger).child('host');
  await mkdir(init.dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(init.dataDir);
  await settings.load();
  if (settings.loadProblem) log.warn(settings.loadProblem);
  const wallet = new MinerWallet(join(init.dataDir, 'wallets'));
  const stops: Array<() => Promise<void>> = [];

  let network: EmbeddedNetwork | undefined;
  const joined = init.ledgerUrl ?? settings.value.ledgerUrl ?? undefined;
  if (!joined) {
    network = await startEmbeddedNetwork({ dir: join(init.dataDir, 'network'), peers: init.peers ?? 3, logger: log });
    stops.push(() => network!.stop());
  }
  const ledgerUrl = joined ?? network!.ledgerUrl;
  const client = new LedgerClient(ledgerUrl);
  const watch = new ChainWatch({ client, dataDir: init.dataDir, logger: log });
  await watch.start();
  stops.unshift(() => watch.stop());

  let phase: HostPhase = (await wallet.exists()) ? 'locked' : 'setup';
  let problem: string | null = null;
  let neuron: LearningNeuron | undefined;
  let neuronProblem: string | undefined;
  let stopped = false;
  const training: TrainingView = {
    step: 0,
    loss: null,
    lossSolo: null,
    lossStudent: null,
    tokensPerSecond: null,
    valLoss: null,
    valLossSolo: null,
    valLossStudent: null,
    restarts: 0,
    restarting: null,
  };
  let peerViews: PeerView[] = [];
  let lastWeightsBlock: number | null = null;
  let lastStepAt = Date.now();
  let contributingSince = Date.now();

  /** Starts the neuron with the opened wallet: funds it on the embedded network, registers, stakes, trains. */
  const launch = async (keys: LoadedWallet): Promise<void> => {
    phase = 'starting';
    problem = null;
    try {
      await network?.fund(keys.info.coldkey);
      await watch.follow({ coldkey: keys.info.coldkey, hotkey: keys.info.hotkey });
      await untilFunded(keys.info);
      if (stopped) return;
      const dim = (await client.info()).params.networkDim;
      const slices = network?.slices ?? 1;
      const config: TrainingConfig = {
        seed: 7,
        dim,
        slice: { index: slices - 1, count: slices },
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
      const started = await startLearningNeuron(
        { client, keys },
        {
          role: { kind: 'train', config },
          node: {
            ...(network
              ? { host: '127.0.0.1', port: 0, upnp: false }
              : {
                  host: '0.0.0.0',
                  port: init.listen?.port ?? settings.value.neuronPort,
                  upnp: init.listen?.upnp ?? settings.value.upnp,
                }),
            bootstrap: init.bootstrap ?? settings.value.bootstrap,
            logger: log,
          },
          stake: OWN_STAKE,
          ...(init.trainingWorker ? { trainingWorker: init.trainingWorker } : {}),
          logger: log,
        },
      );
      if (stopped) return void (await started.stop());
      neuron = started;
      neuron.events.on('train:step', (e) => {
        lastStepAt = Date.now();
        Object.assign(training, {
          step: e.step,
          loss: e.loss,
          lossSolo: e.lossSolo,
          lossStudent: e.lossStudent,
          tokensPerSecond: e.tokensPerSecond,
        });
      });
      neuron.events.on('gate:update', (e) => {
        peerViews = e.peerViews;
        Object.assign(training, { valLoss: e.valLoss, valLossSolo: e.valLossSolo, valLossStudent: e.valLossStudent });
      });
      neuron.events.on('weights:set', (e) => (lastWeightsBlock = e.block));
      neuron.events.on('train:crash', (e) => {
        training.restarts++;
        training.restarting =
          `the training worker stopped (${e.message}); restarting it from its last checkpoint ` +
          `in ${Math.round(e.retryInMs / 1000)} s (attempt ${e.attempt})`;
        void publish();
      });
      neuron.events.on('train:recovered', () => {
        training.restarting = null;
        lastStepAt = Date.now();
        void publish();
      });
      neuron.events.on('train:error', (e) => {
        training.restarting = null;
        neuronProblem = e.message;
        log.error('training stopped', { reason: e.message });
      });
      phase = 'running';
      current = undefined;
      apply();
      await watch.refresh();
      log.info('running', { uid: neuron.uid, hotkey: keys.info.hotkey });
    } catch (error) {
      phase = 'failed';
      problem = (error as Error).message.split('\n')[0] ?? 'the neuron could not start';
      log.error('the neuron could not start', { reason: problem });
      throw error;
    }
  };
  /**
   * On a joined network nobody funds a new wallet: wait (saying so) until the coldkey holds enough for the
   * registration burn and the stake, checking every few seconds.
   */
  const untilFunded = async (info: { coldkey: string; hotkey: string }): Promise<void> => {
    for (;;) {
      const [chain, balance, me] = await Promise.all([
        client.info(),
        client.balance(info.coldkey),
        client.neuron(info.hotkey),
      ]);
      const need = tokensNeeded({
        free: balance.free,
        registered: me !== null,
        staked: me?.stake ?? 0n,
        burn: chain.registrationBurn,
        stake: parseAmount(OWN_STAKE),
      });
      if (need === 0n || stopped) {
        fundingNote = undefined;
        return;
      }
      fundingNote =
        `waiting for tokens: send at least ${formatAmount(need)} to this wallet (${info.coldkey}) ` +
        `to pay the registration (${formatAmount(chain.registrationBurn)}) and the stake (${OWN_STAKE})`;
      waitingForFunds();
      await delay(3000);
    }
  };
  let fundingNote: string | undefined;
  let waitingForFunds: () => void = () => undefined;
  /** Starts the neuron without waiting (the dashboard follows the phase in its snapshots). */
  let launching: Promise<void> | undefined;
  const launchSoon = (keys: LoadedWallet) => void (launching = launch(keys)).catch(() => undefined);

  // The contribution policy, applied at once on a change and every few seconds.
  let userPaused = false;
  let current: Contribution | undefined;
  const apply = () => {
    const next = contribution(settings.value, {
      now: new Date(),
      idleSeconds: init.power?.idleSeconds(),
      onBattery: init.power?.onBattery() ?? false,
      temperatureC: init.power?.temperatureC(),
      userPaused,
    });
    if (neuron && (next.state !== current?.state || next.cpuShare !== current.cpuShare)) {
      if (next.cpuShare === 0) neuron.pause();
      else {
        neuron.throttle(next.cpuShare);
        neuron.resume();
      }
      if (next.cpuShare > 0 && !(current && current.cpuShare > 0)) {
        contributingSince = Date.now();
        lastStepAt = Date.now();
      }
      log.info('contribution', { state: next.state, reason: next.reason });
    }
    current = next;
  };
  apply();
  const policy = setInterval(apply, 5000);
  policy.unref();

  const walletView = (): WalletView => {
    const balance = watch.reading?.balance;
    return {
      coldkey: wallet.info?.coldkey ?? null,
      hotkey: wallet.info?.hotkey ?? null,
      free: balance ? formatAmount(balance.free) : null,
      staked: balance ? formatAmount(balance.staked) : null,
      unlocked: wallet.isUnlocked,
      registrationPrice: watch.reading ? formatAmount(watch.reading.info.registrationBurn) : null,
    };
  };
  const reasons: Record<HostPhase, string | undefined> = {
    setup: 'waiting for a wallet: create or import one in the Wallet view',
    locked: "waiting for the wallet's password: unlock it in the Wallet view",
    starting: 'starting the neuron (registering, loading the model)',
    failed: undefined,
    running: undefined,
  };
  const waitingReason = (): string | undefined =>
    phase === 'failed'
      ? `stopped: ${problem ?? 'the neuron could not start'}`
      : phase === 'starting' && fundingNote
        ? fundingNote
        : reasons[phase];

  const snapshot = async (): Promise<MinerSnapshot> => {
    const reading = watch.reading;
    const info = reading?.info;
    const params = info?.params;
    const waiting = waitingReason();
    const shown = waiting ? { state: 'waiting' as const, reason: waiting, cpuShare: 0 } : current!;
    const uid = neuron?.uid ?? -1;
    const peersConnected = neuron?.node.libp2p.getConnections().length ?? 0;
    const local = peerViews.map((p) => ({
      uid: p.uid,
      gate: p.gate,
      importance: p.importance,
      latencyMs: p.latencyMs ?? null,
    }));
    return {
      phase,
      problem: phase === 'running' ? null : (waiting ?? null),
      contribution: { state: shown.state, reason: shown.reason, cpuShare: shown.cpuShare },
      backend: neuron?.backend ?? { name: '-', device: '-' },
      uid,
      ledger: ledgerUrl,
      chain: info
        ? {
            height: info.height,
            epoch: info.epoch,
            tempo: info.params.tempo,
            emissionPerEpoch: formatAmount(info.params.emissionPerBlock * BigInt(info.params.tempo)),
            mechanism: { rho: info.params.rho, kappa: info.params.kappa, bondsAlpha: info.params.bondsAlpha },
          }
        : null,
      peersConnected,
      reachability: network
        ? {
            status: 'local',
            advice: 'the embedded network runs on this machine only; to earn from others, join a ledger in Settings',
          }
        : neuron
          ? (({ status, advice }) => ({ status, advice }))(neuron.node.reachability())
          : { status: 'private', advice: 'not listening yet: the neuron is starting' },
      training: { ...training },
      wallet: walletView(),
      peers: reading ? peerRows(reading.neurons, uid, local) : [],
      epochs: watch.epochs,
      earnings: earnings(watch.epochs, localMidnight(new Date()), params ? params.tempo * params.blockTimeMs : 0),
      lastWeightsBlock,
      alerts: alerts({
        running: phase === 'running',
        contributing: shown.cpuShare > 0,
        neuronProblem,
        trainingRestarting: training.restarting,
        ledgerProblem: watch.problem,
        settingsProblem: settings.loadProblem,
        contributingForMs: Date.now() - contributingSince,
        sinceLastStepMs: Date.now() - lastStepAt,
        peersConnected,
        tokensPerSecond: training.tokensPerSecond,
      }),
      dataDir: init.dataDir,
    };
  };
  const snapshotListeners = new Set<(s: MinerSnapshot) => void>();
  const settingsListeners = new Set<(s: Settings) => void>();
  /** Sends a fresh snapshot to every listener, and returns it. */
  const publish = async (): Promise<MinerSnapshot> => {
    const s = await snapshot();
    snapshotListeners.forEach((l) => l(s));
    return s;
  };
  const push = setInterval(() => void publish(), 2000);
  push.unref();

  const receipt = async (done: { block: number; tx: string }) => {
    await watch.refresh();
    return { ...done, wallet: walletView() };
  };
  const needsWallet = () => {
    if (!wallet.info || phase === 'setup') throw new UserError('there is no wallet yet: create or import one first');
  };
  const api: MinerApi = {
    snapshot,
    // The new state goes to every listener at once (the tray, other dashboards), not at the next push.
    async pause() {
      userPaused = true;
      apply();
      return publish();
    },
    async resume() {
      userPaused = false;
      apply();
      return publish();
    },
    async settings() {
      return settings.value;
    },
    async updateSettings(change) {
      const next = await settings.update(change);
      apply();
      settingsListeners.forEach((l) => l(next));
      return next;
    },
    async createWallet({ password }) {
      if (phase !== 'setup') throw new UserError('this miner has a wallet already');
      const { mnemonic, wallet: keys } = await wallet.create(password);
      launchSoon(keys);
      return { mnemonic, wallet: walletView() };
    },
    async importWallet({ mnemonic, password }) {
      if (phase !== 'setup') throw new UserError('this miner has a wallet already');
      launchSoon(await wallet.import(mnemonic, password));
      return walletView();
    },
    async unlock({ password }) {
      needsWallet();
      if (phase === 'locked' || phase === 'failed') launchSoon(await wallet.open(password));
      else await wallet.unlock(password);
      return walletView();
    },
    async lock() {
      wallet.lock();
      return walletView();
    },
    async backup({ password }) {
      needsWallet();
      return wallet.backup(password);
    },
    async transfer(request) {
      needsWallet();
      return receipt(await wallet.transfer(client, request));
    },
    async stake(request) {
      needsWallet();
      return receipt(await wallet.stake(client, request));
    },
    async unstake(request) {
      needsWallet();
      return receipt(await wallet.unstake(client, request));
    },
  };

  const host: Host = {
    api,
    ledgerUrl,
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    onSettings(listener) {
      settingsListeners.add(listener);
      return () => settingsListeners.delete(listener);
    },
    reevaluate() {
      apply();
      void publish();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(policy);
      clearInterval(push);
      // A neuron still starting finishes (or fails) first, so that nothing it started is left running.
      const started = Date.now();
      log.info('stopping');
      if (launching) await Promise.race([launching.catch(() => undefined), delay(30_000, undefined, { ref: false })]);
      await neuron?.stop();
      log.info('stopped the neuron', { ms: Date.now() - started });
      for (const stop of stops) await stop();
      log.info('stopped', { ms: Date.now() - started });
    },
  };

  if (init.password !== undefined) {
    try {
      const keys = phase === 'setup' ? (await wallet.create(init.password)).wallet : await wallet.open(init.password);
      // Ready once the neuron runs, or once it waits for tokens (the dashboard then says where to send them).
      const funds = new Promise<void>((resolve) => (waitingForFunds = resolve));
      await Promise.race([(launching = launch(keys)), funds]);
    } catch (error) {
      await host.stop();
      throw error;
    }
  }
  return host;
}
