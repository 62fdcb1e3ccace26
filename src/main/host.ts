import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { LedgerClient } from '../ledger/client.js';
import type { LoadedWallet } from '../ledger/wallet/index.js';
import type { TrainingWorkerFactory } from '../neuron/training-host.js';
import type { HostPhase, MinerApi, MinerSnapshot, WalletView } from '../shared/api.js';
import { formatAmount } from '../shared/amount.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { Settings } from '../shared/settings.js';
import type { BackendChoice } from '../shared/training.js';
import { ChainFeed } from './chain-feed.js';
import { cpuUse } from './contribution.js';
import { ContributionController, type PowerSource } from './contribution-controller.js';
import { startEmbeddedNetwork, type EmbeddedNetwork } from './embedded-network.js';
import { GpuStats, type GpuStatsInit } from './gpu-stats.js';
import { createMinerApi } from './miner-api.js';
import { MinerWallet } from './miner-wallet.js';
import { NeuronSupervisor } from './neuron-supervisor.js';
import { SettingsStore } from './settings.js';
import { alerts, buildSnapshot, localMidnight, PeerRowsCache } from './snapshot.js';
import { SnapshotPublisher, type PushListener } from './snapshot-publisher.js';
import { platformTemperatureC } from './thermal.js';

export type { PowerSource } from './contribution-controller.js';

export interface HostInit {
  dataDir: string;
  /** The wallet's password (created with it on first start); without it the dashboard asks for it. */
  password?: string;
  /** Join this ledger instead of starting the embedded local network. */
  ledgerUrl?: string;
  /** Peers to dial at start (default: the settings'). */
  bootstrap?: string[];
  /** Peer neurons of the embedded network (trained, then one junk). Default 3. */
  peers?: number;
  /**
   * Where the neuron listens on a joined network: all interfaces, this TCP port and UPnP port mapping (default:
   * the settings' neuronPort and upnp). The embedded network stays on 127.0.0.1.
   */
  listen?: { port?: number; upnp?: boolean };
  /**
   * The backend every neuron of this node trains on (its own, and the embedded network's peers), overriding the
   * settings' (which the own neuron reads at each start, the peers when the network starts).
   */
  backend?: BackendChoice;
  /**
   * CPU cores the own neuron's training may use, 0.1 up to the machine's (start --cpu-cores), overriding the
   * settings' cpuCores for this run.
   */
  cpuCores?: number;
  /** The machine's logical CPU cores (tests pass their own). Default: os.availableParallelism(). */
  machineCores?: number;
  /** Idle time, battery and temperature for the contribution policy. Default: headlessPower. */
  power?: PowerSource;
  /** How the training worker is started: a worker thread by default, Electron's utilityProcess in the app. */
  trainingWorker?: TrainingWorkerFactory;
  /** How the training GPU is read (nvidia-smi, Linux sysfs) while the neuron trains on one. Default: GpuStats'. */
  gpu?: GpuStatsInit;
}

export interface HostComponents {
  /** Where the host and every part of it log. Default: silent. */
  logger?: Logger;
}

/** A running host: the API the dashboard calls, what it pushes to dashboards, and stop(). */
export interface Host {
  readonly api: MinerApi;
  /** The ledger this host uses: the embedded one's, or the one it joined. */
  readonly ledgerUrl: string;
  /** Called with each push and the snapshot it leads to (dashboards and the tray); returns an unsubscribe. */
  onPush(listener: PushListener): () => void;
  /** The latest published snapshot: a new dashboard's first, which the pushes that follow extend. */
  latest(): MinerSnapshot;
  /** Called after each settings change (the login item follows `startAtLogin`); returns an unsubscribe function. */
  onSettings(listener: (s: Settings) => void): () => void;
  /** Re-applies the contribution policy now (call on a power event). */
  reevaluate(): void;
  stop(): Promise<void>;
}

/** A machine without a desktop session (headless): no idle time or battery, the CPU temperature where Linux has one. */
export const headlessPower: PowerSource = {
  idleSeconds: () => undefined,
  onBattery: () => false,
  temperatureC: platformTemperatureC,
};

/** Stake (tokens) this node keeps on its hotkey. */
const OWN_STAKE = '100';

const WAITING: Partial<Record<HostPhase, string>> = {
  setup: 'waiting for a wallet: create or import one in the Wallet view',
  locked: "waiting for the wallet's password: unlock it in the Wallet view",
  starting: 'starting the neuron (registering, loading the model)',
};

/**
 * The miner's host, the same in Electron's main process and headless: the composition root of its parts:
 * settings, the wallet, the network (the embedded local network, or a ledger to join), the chain feed, the
 * neuron supervisor, the contribution controller, the snapshot publisher and the API facade. Without a password
 * it waits in 'setup' (no wallet: the dashboard creates or imports one) or 'locked' (the dashboard asks for the
 * password); with one it resolves once the neuron runs (or waits for tokens), and throws when it cannot start.
 */
export async function startHost(init: HostInit, components: HostComponents = {}): Promise<Host> {
  const log = (components.logger ?? silentLogger).child('host');
  await mkdir(init.dataDir, { recursive: true, mode: 0o700 });
  const cores = init.machineCores ?? availableParallelism();
  const settings = new SettingsStore(init.dataDir, { cores });
  await settings.load();
  if (settings.loadProblem) log.warn(settings.loadProblem);
  const wallet = new MinerWallet(join(init.dataDir, 'wallets'));
  const power = init.power ?? headlessPower;
  // What is started, stopped in reverse by stop() (and by a failed start).
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };

  // The settings as the neuron and the contribution policy follow them: with --cpu-cores' override, if any.
  const override = init.cpuCores;
  const policySettings: { readonly value: Settings } =
    override === undefined
      ? settings
      : {
          get value(): Settings {
            return { ...settings.value, cpuCores: override };
          },
        };

  try {
    let network: EmbeddedNetwork | undefined;
    const joined = init.ledgerUrl ?? settings.value.ledgerUrl ?? undefined;
    if (!joined) {
      network = await startEmbeddedNetwork(
        { dir: join(init.dataDir, 'network'), peers: init.peers ?? 3, backend: init.backend ?? settings.value.backend },
        { logger: log },
      );
      stops.push(() => network!.stop());
    }
    const ledgerUrl = joined ?? network!.ledgerUrl;
    const client = new LedgerClient(ledgerUrl);
    const chain = new ChainFeed({ client, logger: log }, { dataDir: init.dataDir });
    await chain.start();
    stops.push(() => chain.stop());

    const supervisor = new NeuronSupervisor(
      { client, metagraph: chain.metagraph, ...(network ? { fund: (c: string) => network.fund(c) } : {}), logger: log },
      {
        dataDir: init.dataDir,
        ownStake: OWN_STAKE,
        listen: network
          ? { host: '127.0.0.1', port: 0, upnp: false }
          : {
              host: '0.0.0.0',
              port: init.listen?.port ?? settings.value.neuronPort,
              upnp: init.listen?.upnp ?? settings.value.upnp,
            },
        bootstrap: init.bootstrap ?? settings.value.bootstrap,
        slices: network?.slices ?? 1,
        backend: () => init.backend ?? settings.value.backend,
        threads: () => cpuUse(policySettings.value, { cores, threads: undefined }).threads,
        ...(init.trainingWorker ? { trainingWorker: init.trainingWorker } : {}),
      },
    );
    stops.push(() => supervisor.stop());
    const gpu = new GpuStats({ backend: () => supervisor.backend, logger: log }, init.gpu);
    gpu.start();
    stops.push(() => gpu.stop());
    const contribution = new ContributionController({
      settings: policySettings,
      cores,
      threads: () => supervisor.threads,
      power,
      logger: log,
      backend: () => supervisor.backend.name,
      gpuTemperatureC: () => gpu.reading?.temperatureC,
    });
    contribution.start();
    stops.push(() => contribution.stop());

    let walletPhase: HostPhase = (await wallet.exists()) ? 'locked' : 'setup';
    const phase = (): HostPhase => supervisor.phase ?? walletPhase;
    const waiting = (): string | undefined => {
      const now = phase();
      if (now === 'failed') return `stopped: ${supervisor.problem ?? 'the neuron could not start'}`;
      if (now === 'starting' && supervisor.fundingNote) return supervisor.fundingNote;
      return WAITING[now];
    };
    const walletView = (): WalletView => {
      const reading = chain.reading;
      return {
        coldkey: wallet.info?.coldkey ?? null,
        hotkey: wallet.info?.hotkey ?? null,
        free: reading?.balance ? formatAmount(reading.balance.free) : null,
        staked: reading?.balance ? formatAmount(reading.balance.staked) : null,
        unlocked: wallet.isUnlocked,
        registrationPrice: reading ? formatAmount(reading.info.registrationBurn) : null,
      };
    };
    const rows = new PeerRowsCache();
    const build = (): MinerSnapshot => {
      const now = Date.now();
      const running = phase() === 'running';
      const current = contribution.current;
      const peersConnected = supervisor.peersConnected();
      return buildSnapshot({
        phase: phase(),
        waiting: waiting(),
        contribution: current,
        backend: supervisor.backend,
        uid: supervisor.uid,
        ledgerUrl,
        reading: chain.reading,
        peersConnected,
        reachability: network
          ? {
              status: 'local',
              advice: 'the embedded network runs on this machine only; to earn from others, join a ledger in Settings',
            }
          : (supervisor.reachability() ?? { status: 'private', advice: 'not listening yet: the neuron is starting' }),
        training: supervisor.training,
        wallet: walletView(),
        peers: chain.reading ? rows.rows(chain.reading.neurons, supervisor.uid, supervisor.peerViews) : [],
        epochs: chain.epochs,
        lastWeightsBlock: supervisor.lastWeightsBlock,
        alerts: alerts({
          running,
          contributing: !waiting() && current.share > 0,
          neuronProblem: supervisor.neuronProblem,
          trainingRestarting: supervisor.training.restarting,
          ledgerProblem: chain.problem,
          networkProblem: network?.problem,
          settingsProblem: settings.loadProblem,
          contributingForMs: now - contribution.contributingSince,
          sinceLastStepMs: now - supervisor.lastStepAt,
          peersConnected,
          tokensPerSecond: supervisor.training.tokensPerSecond,
        }),
        dataDir: init.dataDir,
        temperatureC: power.temperatureC(),
        cores,
        gpu: gpu.reading,
        listenerFailures:
          supervisor.listenerFailures() + chain.events.failures + contribution.events.failures + gpu.events.failures,
        midnight: localMidnight(new Date(now)),
      });
    };
    const publisher = new SnapshotPublisher({ build, logger: log });
    stops.push(() => publisher.stop());
    // Data flows once, when it changes: each part says so, the publisher pushes what changed.
    const changed = () => publisher.changed();
    for (const off of [
      chain.events.on('block', changed),
      chain.events.on('reading', changed),
      chain.events.on('epoch', changed),
      chain.events.on('problem', changed),
      supervisor.events.on('phase', changed),
      supervisor.events.on('training', changed),
      // Our own transactions (registering, staking, weights) change the metagraph: read it again.
      supervisor.events.on('weights', () => void chain.refresh().then(changed)),
      supervisor.events.on('running', (neuron) => {
        contribution.drive(neuron);
        void gpu.sample();
        void chain.refresh().then(changed);
      }),
      contribution.events.on('change', changed),
      // A GPU reading can cross the temperature limit: decide again at once.
      gpu.events.on('reading', () => {
        contribution.apply();
        changed();
      }),
    ]) {
      stops.push(off);
    }
    // The stall alerts and the contribution policy depend on time passing: look again every few seconds.
    const tick = setInterval(changed, 5000);
    tick.unref();
    stops.push(() => clearInterval(tick));

    const settingsListeners = new Set<(s: Settings) => void>();
    /** Starts the neuron without waiting (the dashboard follows the phase in its snapshots). */
    const launch = (keys: LoadedWallet): Promise<void> => {
      walletPhase = 'starting';
      const started = chain
        .follow({ coldkey: keys.info.coldkey, hotkey: keys.info.hotkey })
        .then(() => supervisor.launch(keys));
      started.catch(() => undefined).finally(changed);
      changed();
      return started;
    };
    const api = createMinerApi({
      wallet,
      settings,
      contribution,
      chain,
      client,
      phase,
      launch: (keys) => void launch(keys).catch(() => undefined),
      publish: () => publisher.publishNow(),
      walletView,
      settingsChanged: (s) => settingsListeners.forEach((l) => l(s)),
    });

    let stopped: Promise<void> | undefined;
    const host: Host = {
      api,
      ledgerUrl,
      onPush: (listener) => publisher.onPush(listener),
      latest: () => publisher.latest(),
      onSettings(listener) {
        settingsListeners.add(listener);
        return () => settingsListeners.delete(listener);
      },
      reevaluate() {
        contribution.apply();
        changed();
      },
      stop() {
        stopped ??= (async () => {
          const started = Date.now();
          log.info('stopping');
          await stopAll();
          log.info('stopped', { ms: Date.now() - started });
        })();
        return stopped;
      },
    };

    if (init.password !== undefined) {
      const keys =
        walletPhase === 'setup' ? (await wallet.create(init.password)).wallet : await wallet.open(init.password);
      // Ready once the neuron runs, or once it waits for tokens (the dashboard then says where to send them).
      await launch(keys);
    }
    return host;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
