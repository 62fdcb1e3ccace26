import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import type { LedgerClient } from '../ledger/client.js';
import type { LoadedWallet } from '../ledger/wallet/index.js';
import type { MetagraphSource } from '../neuron/discovery.js';
import { startLearningNeuron, type LearningNeuron, type PeerView } from '../neuron/trained-neuron.js';
import type { TrainingWorkerFactory } from '../neuron/training-host.js';
import { formatAmount, parseAmount } from '../shared/amount.js';
import type { HostPhase, MinerSnapshot, TrainingView } from '../shared/api.js';
import { oneLine } from '../shared/errors.js';
import { TypedEvents } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import { MAX_TRAINING_THREADS } from '../shared/settings.js';
import { deviceWithThreads, type BackendChoice, type TrainingConfig } from '../shared/training.js';
import type { TrainingControl } from './contribution-controller.js';
import { tokensNeeded } from './snapshot.js';

/** The backends on which TrainingConfig.threads train data-parallel; the others train on one thread. */
const DATA_PARALLEL_BACKENDS = new Set(['wasm', 'cpu']);

/** What the neuron's training looks like before its first step. */
export const NO_TRAINING: TrainingView = {
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
  gradientsDropped: 0,
  forwardFailures: 0,
  parkedAt: null,
};

export interface NeuronSupervisorInit {
  dataDir: string;
  /** Stake (tokens) the neuron keeps on its hotkey. */
  ownStake: string;
  /** Where the neuron listens: 127.0.0.1 on the embedded network, every interface on a joined one. */
  listen: { host: string; port: number; upnp: boolean };
  bootstrap: string[];
  /** Slices of the training text (the embedded network's peers take the first ones, this node the last). */
  slices: number;
  /** How the training worker is started (a worker thread by default, Electron's utilityProcess in the app). */
  trainingWorker?: TrainingWorkerFactory;
  /** The backend to train on, asked at each start of the neuron (a changed setting applies at the next). Default auto. */
  backend?: () => BackendChoice;
  /**
   * Threads to train with on a CPU backend (data-parallel; ownTrainingConfig caps them), asked at each start of the
   * neuron (a changed setting applies at the next). Default 1.
   */
  threads?: () => number;
  /** How often to look at the balance while waiting for tokens, ms. Default 3000. */
  fundingPollMs?: number;
}

export interface NeuronSupervisorComponents {
  client: LedgerClient;
  /** The metagraph the host already follows (the neuron's discovery then polls nothing). */
  metagraph: MetagraphSource;
  /** Pays a new wallet on the embedded network; absent on a joined one. */
  fund?: (coldkey: string) => Promise<void>;
  logger: Logger;
}

export interface SupervisorEvents extends Record<string, unknown> {
  /** The phase, its problem or the funding note changed. */
  phase: HostPhase;
  /** Training moved on (a step, an evaluation, a crash or recovery of its worker). */
  training: TrainingView;
  /** The neuron set its weights at this block. */
  weights: number;
  /** The neuron runs: the contribution policy may drive it. */
  running: TrainingControl;
}

/**
 * What this node's neuron trains and how: a small model on the last of `slices` slices of the text, its checkpoint
 * in the data folder, on `backend` with `threads` threads (1 to MAX_TRAINING_THREADS, the batch's rows).
 */
export function ownTrainingConfig(o: {
  dim: number;
  slices: number;
  dataDir: string;
  backend: BackendChoice;
  threads: number;
}): TrainingConfig {
  const batch = MAX_TRAINING_THREADS;
  return {
    seed: 7,
    dim: o.dim,
    slice: { index: o.slices - 1, count: o.slices },
    batch,
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
    checkpointFile: join(o.dataDir, 'neuron', 'checkpoint.bin'),
    backend: o.backend,
    threads: Math.max(1, Math.min(batch, Math.floor(o.threads))),
  };
}

/**
 * This node's learning neuron through its life: funded (on the embedded network) or waiting for tokens (on a
 * joined one, saying how many to send where), registered, staked, started, then followed (training, scores,
 * weights, worker crashes) until stopped. 'starting', 'running' or 'failed' with its one-line problem.
 */
export class NeuronSupervisor {
  readonly events: TypedEvents<SupervisorEvents>;
  phase: Extract<HostPhase, 'starting' | 'running' | 'failed'> | undefined;
  problem: string | null = null;
  /** While waiting for tokens: how many to send where. */
  fundingNote: string | undefined;
  training: TrainingView = { ...NO_TRAINING };
  /** Our view of each peer (gate share, importance, latency), from the last evaluation (a new array each time). */
  peerViews: PeerView[] = [];
  lastWeightsBlock: number | null = null;
  /** When the last training step finished (ms since 1970). */
  lastStepAt = Date.now();
  /** Why training stopped for good (its worker kept failing), if it did. */
  neuronProblem: string | undefined;
  private neuron: LearningNeuron | undefined;
  /** The threads the running neuron was started with. */
  private startedThreads = 1;
  /** The threads it trains on after its last data-parallel step (StepEvent.threads), if it trains so. */
  private stepThreads: number | undefined;
  /** The run in progress or done (settled, never rejecting), for stop() to wait on. */
  private launching: Promise<void> | undefined;
  /** What launch() answered: a second call gets it. */
  private launched: Promise<void> | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    private readonly components: NeuronSupervisorComponents,
    private readonly init: NeuronSupervisorInit,
  ) {
    this.log = components.logger.child('neuron');
    this.events = new TypedEvents<SupervisorEvents>(this.log);
  }

  /** The neuron's uid (-1 before it runs). */
  get uid(): number {
    return this.neuron?.uid ?? -1;
  }

  get backend(): MinerSnapshot['backend'] {
    const backend = this.neuron?.backend;
    if (!backend) return { name: '-', device: '-' };
    const threads = this.stepThreads;
    if (threads === undefined || threads === backend.threads) return backend;
    return { ...backend, threads, device: deviceWithThreads(backend.device, threads) };
  }

  /**
   * The threads the running neuron trains on (undefined before it runs): as its training reported them once
   * started; until then those it was started with on a CPU backend (wasm, cpu), else one.
   */
  get threads(): number | undefined {
    if (!this.neuron) return undefined;
    const { name, threads } = this.neuron.backend;
    return this.stepThreads ?? threads ?? (DATA_PARALLEL_BACKENDS.has(name) ? this.startedThreads : 1);
  }

  /** Listener calls that threw so far, on the supervisor's events and the running neuron's. */
  listenerFailures(): number {
    return this.events.failures + (this.neuron?.failures().listeners ?? 0);
  }

  /** Peers our libp2p node is connected to now. */
  peersConnected(): number {
    return this.neuron?.peersConnected() ?? 0;
  }

  /** Whether peers can dial us (undefined before the neuron listens). */
  reachability(): MinerSnapshot['reachability'] | undefined {
    if (!this.neuron) return undefined;
    const { status, advice } = this.neuron.reachability();
    return { status, advice };
  }

  /**
   * Starts the neuron with the opened wallet, without waiting (the phase says how it goes). Resolves once it
   * runs or waits for tokens; rejects when it cannot start. Once only: a call while one is starting or running
   * gets the first call's promise (one neuron, whatever keys it passes); after a failed start it tries again.
   */
  launch(keys: LoadedWallet): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the neuron supervisor is stopped'));
    if (this.launched && this.phase !== 'failed') return this.launched;
    const waiting = new Promise<void>((resolve) => (this.onWaiting = resolve));
    const run = this.run(keys);
    this.launching = run.catch(() => undefined);
    this.launched = Promise.race([run, waiting]);
    return this.launched;
  }

  /** Stops the neuron (waiting for one still starting, so that nothing it started is left). Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const started = Date.now();
    if (this.launching) await Promise.race([this.launching, delay(30_000, undefined, { ref: false })]);
    await this.neuron?.stop();
    this.neuron = undefined;
    this.log.info('stopped the neuron', { ms: Date.now() - started });
  }

  private onWaiting: () => void = () => undefined;

  private setPhase(phase: NonNullable<NeuronSupervisor['phase']>, problem: string | null = null): void {
    this.phase = phase;
    this.problem = problem;
    this.events.emit('phase', phase);
  }

  private async run(keys: LoadedWallet): Promise<void> {
    const { client } = this.components;
    this.setPhase('starting');
    try {
      await this.components.fund?.(keys.info.coldkey);
      await this.untilFunded(keys.info);
      if (this.stopped) return;
      const config = ownTrainingConfig({
        dim: (await client.info()).params.networkDim,
        slices: this.init.slices,
        dataDir: this.init.dataDir,
        backend: this.init.backend?.() ?? 'auto',
        threads: this.init.threads?.() ?? 1,
      });
      const neuron = await startLearningNeuron(
        { client, keys, metagraph: this.components.metagraph, logger: this.log },
        {
          role: { kind: 'train', config },
          node: { ...this.init.listen, bootstrap: this.init.bootstrap },
          stake: this.init.ownStake,
          ...(this.init.trainingWorker ? { trainingWorker: this.init.trainingWorker } : {}),
        },
      );
      if (this.stopped) return void (await neuron.stop());
      this.startedThreads = config.threads ?? 1;
      this.stepThreads = undefined;
      this.neuron = neuron;
      this.follow(neuron);
      this.setPhase('running');
      this.events.emit('running', neuron);
      this.log.info('running', { uid: neuron.uid, hotkey: keys.info.hotkey, threads: this.threads });
    } catch (error) {
      const problem = oneLine(error);
      this.setPhase('failed', problem);
      this.log.error('the neuron could not start', { reason: problem });
      throw error;
    }
  }

  /** Keeps the training view, our peer views and the last weights in step with the neuron's events. */
  private follow(neuron: LearningNeuron): void {
    const changed = () => this.events.emit('training', this.training);
    neuron.events.on('train:step', (e) => {
      this.lastStepAt = Date.now();
      this.stepThreads = e.threads;
      this.training = {
        ...this.training,
        step: e.step,
        loss: e.loss,
        lossSolo: e.lossSolo,
        lossStudent: e.lossStudent,
        tokensPerSecond: e.tokensPerSecond,
        gradientsDropped: e.remoteDropped,
        forwardFailures: neuron.failures().forward,
      };
      changed();
    });
    neuron.events.on('gate:update', (e) => {
      this.peerViews = e.peerViews;
      this.training = {
        ...this.training,
        valLoss: e.valLoss,
        valLossSolo: e.valLossSolo,
        valLossStudent: e.valLossStudent,
      };
      changed();
    });
    neuron.events.on('weights:set', (e) => {
      this.lastWeightsBlock = e.block;
      this.events.emit('weights', e.block);
    });
    neuron.events.on('train:crash', (e) => {
      this.training = {
        ...this.training,
        restarts: this.training.restarts + 1,
        restarting:
          `the training worker stopped (${e.message}); restarting it from its last checkpoint ` +
          `in ${Math.round(e.retryInMs / 1000)} s (attempt ${e.attempt})`,
      };
      changed();
    });
    neuron.events.on('train:idle', (e) => {
      this.training = { ...this.training, parkedAt: e.idle ? e.step : null };
      changed();
    });
    neuron.events.on('train:recovered', () => {
      this.lastStepAt = Date.now();
      this.training = { ...this.training, restarting: null };
      changed();
    });
    neuron.events.on('train:error', (e) => {
      this.training = { ...this.training, restarting: null };
      this.neuronProblem = e.message;
      this.log.error('training stopped', { reason: e.message });
      changed();
    });
  }

  /**
   * On a joined network nobody funds a new wallet: wait (saying so) until the coldkey holds enough for the
   * registration burn and the stake.
   */
  private async untilFunded(info: { coldkey: string; hotkey: string }): Promise<void> {
    const { client } = this.components;
    const stake = parseAmount(this.init.ownStake);
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
        stake,
      });
      if (need === 0n || this.stopped) {
        if (this.fundingNote) {
          this.fundingNote = undefined;
          this.events.emit('phase', 'starting');
        }
        return;
      }
      const note =
        `waiting for tokens: send at least ${formatAmount(need)} to this wallet (${info.coldkey}) ` +
        `to pay the registration (${formatAmount(chain.registrationBurn)}) and the stake (${this.init.ownStake})`;
      if (note !== this.fundingNote) {
        this.fundingNote = note;
        this.events.emit('phase', 'starting');
      }
      this.onWaiting();
      await delay(this.init.fundingPollMs ?? 3000);
    }
  }
}
