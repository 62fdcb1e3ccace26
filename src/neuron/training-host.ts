import { oneLine } from '../shared/errors.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TypedEvents } from '../shared/events.js';
import { FailureLog } from '../shared/failure-log.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { RestartBackoff } from '../shared/restart-backoff.js';
import type {
  BackendReport,
  Checkpoint,
  CrossedError,
  EvaluationEvent,
  HostMessage,
  ServingSnapshot,
  StepEvent,
  TrainingConfig,
  TrainingData,
  WorkerMessage,
  WorkerReply,
} from '../shared/training.js';
import { CheckpointDamagedError, fileStore, type TrainingStore } from './training-store.js';
import { threadLink as threadLinkOf, type WorkerLink } from './worker-link.js';

export interface TrainingEvents extends Record<string, unknown> {
  'train:step': StepEvent;
  'gate:update': EvaluationEvent;
  serving: ServingSnapshot;
  /** Training parked after step `step` (paused: no step runs), or goes on from it. */
  idle: { idle: boolean; step: number };
  /** The worker died; another starts from the last checkpoint in `retryInMs` (the `attempt`th in a row). */
  crash: { message: string; attempt: number; retryInMs: number };
  /** A restarted worker is training again, from the checkpoint of step `resumedAt`. */
  recovered: { resumedAt: number };
  /** The worker failed too often in a row; training has stopped (serving goes on with the last copy). */
  error: Error;
}

/** The worker ended (or was restarted) before answering a request. */
export class WorkerGoneError extends Error {
  override name = 'WorkerGoneError';
}

/**
 * The training worker as TrainingHost drives it, whatever runs it: a worker_threads Worker (threadWorker, the
 * default: headless and tests) or, in the desktop app, an Electron utilityProcess behind the same few calls
 * (main/electron/training-process.ts). Messages are the worker protocol of shared/training.ts either way.
 */
export type TrainingWorkerLink = WorkerLink<HostMessage, WorkerMessage>;

/**
 * Starts the training worker whose compiled entry module is `entry` (see trainingWorkerEntry), for `config` (the
 * desktop app picks where it runs by config.backend).
 */
export type TrainingWorkerFactory = (entry: URL, config: TrainingConfig) => TrainingWorkerLink;

/** A worker_threads Worker behind the link TrainingHost drives. */
export const threadLink = (worker: Worker): TrainingWorkerLink => threadLinkOf<HostMessage, WorkerMessage>(worker);

/** The training worker in a worker_threads Worker. */
export const threadWorker: TrainingWorkerFactory = (entry) => threadLink(new Worker(entry));

/** How TrainingHost restarts a worker that died. */
export interface TrainingHostInit {
  /** Waits before each restart in a row, ms; the last one repeats. Default 1 s, 2 s, 5 s, 15 s, 30 s. */
  restartDelaysMs?: number[];
  /** Crashes in a row (without `stableMs` of training between them) after which training stops. Default 6. */
  maxRestarts?: number;
  /** A worker that has trained this long counts as recovered: the next crash starts the backoff again. Default 120 s. */
  stableMs?: number;
}

export interface TrainingHostComponents {
  /** Brings peers' answers to `batch` rows of `length` tokens, in the order of `uids`; null where a peer did not answer. */
  forward(uids: number[], inputs: Int32Array, batch: number, length: number): Promise<Array<Float32Array | null>>;
  /** Sends gradients of our loss with respect to each peer's answer back to it. */
  backward(uids: number[], inputs: Int32Array, grads: Float32Array[], batch: number, length: number): void;
  logger?: Logger;
  /** Starts the worker. Default: threadWorker. */
  spawnWorker?: TrainingWorkerFactory;
  /** Where the text and the checkpoints come from and go. Default: fileStore (the local disk). */
  store?: TrainingStore;
}

/** The training worker's entry (compiled JS): next to this module in dist/, or dist/ when running from sources. */
export function trainingWorkerEntry(): URL {
  const here = new URL('./worker/entry.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(fileURLToPath(here).replace(/\/src\/neuron\//, '/dist/neuron/'), 'file://');
}

/** What a started worker reports. */
export interface TrainingStart {
  serving: ServingSnapshot;
  backend: BackendReport;
  resumedAt: number;
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

/**
 * The host side of the training worker: starts it, relays its requests for peers' answers and its gradients to
 * the network, hands it the gradients peers send us, and turns its messages into typed events. Every request
 * (start, evaluate, stop) is settled by its own reply or rejected when the worker dies; a worker that dies
 * while training is started again from its last checkpoint with backoff, and gets the same peers, pause and
 * CPU share as before. The Electron host runs the same worker in a utilityProcess (components.spawnWorker).
 */
export class TrainingHost {
  readonly events: TypedEvents<TrainingEvents>;
  private worker: TrainingWorkerLink | undefined;
  private config: TrainingConfig | undefined;
  /** The tokenized text, read once: a restarted worker gets the same. */
  private data: Promise<TrainingData> | undefined;
  /** The checkpoint being written (each waits for the one before; a worker starts after the last). */
  private saving: Promise<void> = Promise.resolve();
  private readonly store: TrainingStore;
  private starting: Promise<TrainingStart> | undefined;
  private readonly log: Logger;
  private nextSeq = 1;
  private readonly pending = new Map<number, Pending>();
  /** What a restarted worker must be told again. */
  private state: { peers: number[]; paused: boolean; share: number } = { peers: [], paused: false, share: 1 };
  /** Requests for peers' answers that failed as a whole (that batch went on without peers). */
  readonly #forwardFailed: FailureLog;
  /** Checkpoints that could not be written (a full disk): each reason logged once per outage. */
  readonly #saveFailed: FailureLog;
  /** A worker has been ready once: a later death is a crash to restart from, not a failed start. */
  private wasReady = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private stopped = false;
  /** Set once the worker failed too often: training has stopped for good. */
  private gaveUp = false;
  /** When a worker that died is started again (its crashes in a row). */
  private readonly backoff: RestartBackoff;

  constructor(
    private readonly components: TrainingHostComponents,
    init: TrainingHostInit = {},
  ) {
    this.log = (components.logger ?? silentLogger).child('training');
    this.store = components.store ?? fileStore;
    this.events = new TypedEvents<TrainingEvents>(this.log);
    this.#forwardFailed = new FailureLog(
      (message, fields) => this.log.warn(message, fields),
      'peers could not be asked; steps go on without them',
    );
    this.#saveFailed = new FailureLog(
      (message, fields) => this.log.warn(message, fields),
      'cannot write the checkpoint; training goes on (the last one written stays whole)',
    );
    this.backoff = new RestartBackoff({
      delaysMs: init.restartDelaysMs?.length ? init.restartDelaysMs : [1000, 2000, 5000, 15_000, 30_000],
      max: init.maxRestarts ?? 6,
      stableMs: init.stableMs ?? 120_000,
    });
  }

  /** Requests for peers' answers that failed as a whole so far (each time, that batch went on without peers). */
  get forwardFailures(): number {
    return this.#forwardFailed.count;
  }

  /**
   * Starts the worker; resolves with the first serving snapshot once its data and model are ready. A second call
   * gets the first one's answer (one worker, whatever config it passes).
   */
  start(config: TrainingConfig): Promise<TrainingStart> {
    if (!this.starting) {
      this.config = config;
      this.starting = this.spawn();
    }
    return this.starting;
  }

  peers(uids: number[]): void {
    this.state.peers = uids;
    this.post({ type: 'peers', uids });
  }

  /** A gradient a peer sent for its request; `weight` in [0, 1] scales it (the sender's market weight). */
  gradient(inputs: Int32Array, grads: Float32Array, batch: number, length: number, weight: number): void {
    this.post({ type: 'gradient', inputs, grads, batch, length, weight });
  }

  pause(): void {
    this.state.paused = true;
    this.post({ type: 'pause' });
  }

  resume(): void {
    this.state.paused = false;
    this.post({ type: 'resume' });
  }

  /** Use about `share` of a core (0 < share <= 1). */
  throttle(share: number): void {
    this.state.share = share;
    this.post({ type: 'throttle', share });
  }

  /** A full evaluation on `batches` held-out batches with every known peer; rejects if the worker dies meanwhile. */
  async evaluate(batches: number): Promise<EvaluationEvent> {
    const seq = this.nextSeq++;
    const reply = await this.request(seq, { type: 'evaluate', seq, batches });
    return (reply as Extract<WorkerReply, { type: 'evaluation' }>).event;
  }

  /** Finishes the step in progress, checkpoints, and ends the worker. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.restarting?.catch(() => undefined);
    const worker = this.worker;
    if (worker) {
      const seq = this.nextSeq++;
      // The worker saves its checkpoint on stop; a worker that does not answer within a minute is ended anyway.
      // The timer is cleared, or it would keep the process alive for that minute.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.request(seq, { type: 'stop', seq }).catch(() => undefined),
        new Promise((r) => (timer = setTimeout(r, 60_000))),
      ]);
      clearTimeout(timer);
      await this.saving; // the checkpoint it sent before 'stopped'
      this.worker = undefined;
      await worker.terminate();
    }
    this.rejectPending(new WorkerGoneError('the training stopped'));
    this.events.removeAll();
  }

  /**
   * Starts a worker for the config with the text and the last checkpoint, and waits for its 'ready'; a worker
   * that fails to start is ended.
   */
  private async spawn(): Promise<TrainingStart> {
    const config = this.config!;
    this.data ??= this.store.data(config);
    const data = await this.data.catch((error: unknown) => {
      this.data = undefined; // a later start tries again
      throw error;
    });
    const checkpoint = await this.lastCheckpoint();
    if (this.stopped) throw new WorkerGoneError('the training stopped');
    const worker = (this.components.spawnWorker ?? threadWorker)(trainingWorkerEntry(), config);
    this.worker = worker;
    worker.listen({
      message: (m) => {
        if (this.worker === worker) this.onMessage(m);
      },
      error: (error) => {
        if (this.worker === worker) this.onCrash(error);
      },
      exit: (code) => {
        if (this.worker === worker && !this.stopped)
          this.onCrash(new Error(`the training worker exited (code ${code})`));
      },
    });
    // What a restarted worker must know before it trains: its peers, its CPU share, whether it is paused.
    const { peers, paused, share } = this.state;
    if (peers.length > 0) this.post({ type: 'peers', uids: peers });
    if (share !== 1) this.post({ type: 'throttle', share });
    if (paused) this.post({ type: 'pause' });
    const seq = this.nextSeq++;
    try {
      const ready = (await this.request(seq, { type: 'start', seq, config, data, checkpoint })) as Extract<
        WorkerReply,
        { type: 'ready' }
      >;
      this.wasReady = true;
      this.backoff.started();
      return { serving: ready.serving, backend: ready.backend, resumedAt: ready.resumedAt };
    } catch (error) {
      if (this.worker === worker) this.worker = undefined;
      await worker.terminate().catch(() => undefined);
      throw error;
    }
  }

  /** The checkpoint a (re)started worker resumes from, once the writes in progress are done; none if damaged. */
  private async lastCheckpoint(): Promise<Checkpoint | undefined> {
    const file = this.config!.checkpointFile;
    if (!file) return undefined;
    await this.saving;
    try {
      return await this.store.loadCheckpoint(file);
    } catch (error) {
      if (!(error instanceof CheckpointDamagedError)) throw error;
      this.log.warn(`${error.message}; training starts fresh`);
      return undefined;
    }
  }

  /** Writes a checkpoint the worker sent, after the ones before it. A full disk does not stop training. */
  private keep(checkpoint: Checkpoint): void {
    const file = this.config?.checkpointFile;
    if (!file) return;
    this.saving = this.saving
      .then(() => this.store.saveCheckpoint(file, checkpoint))
      .then(
        () => {
          const failures = this.#saveFailed.succeeded();
          if (failures > 0) this.log.info('checkpoints are written again', { failures });
        },
        // The previous checkpoint stays whole (atomic writes).
        (error: unknown) => this.#saveFailed.record(oneLine(error)),
      );
  }

  private request(seq: number, message: HostMessage): Promise<WorkerReply> {
    if (!this.worker) return Promise.reject(new WorkerGoneError('the training worker is not running (restarting)'));
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.post(message);
    });
  }

  private post(message: HostMessage): void {
    this.worker?.post(message);
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) {
      this.log.error('a reply to no pending request (a bug)', { type: reply.type, seq: reply.seq });
      return;
    }
    this.pending.delete(reply.seq);
    if (reply.type === 'failed') pending.reject(revived(reply.error));
    else pending.resolve(reply);
  }

  private rejectPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'ready':
      case 'evaluation':
      case 'stopped':
      case 'failed':
        this.settle(m);
        return;
      case 'forward':
        this.components.forward(m.uids, m.inputs, m.batch, m.length).then(
          (outputs) => this.post({ type: 'answers', seq: m.seq, outputs }),
          (error: unknown) => {
            // Once per distinct reason, with how often it happened so far: a broken network is not a flood of lines.
            this.#forwardFailed.record(oneLine(error));
            this.post({ type: 'answers', seq: m.seq, outputs: m.uids.map(() => null) });
          },
        );
        return;
      case 'backward':
        this.components.backward(m.uids, m.inputs, m.grads, m.batch, m.length);
        return;
      case 'serving':
        this.events.emit('serving', m.serving);
        return;
      case 'checkpoint':
        this.keep(m.checkpoint);
        return;
      case 'train:step':
        this.events.emit('train:step', m.event);
        return;
      case 'idle':
        this.events.emit('idle', { idle: m.idle, step: m.step });
        return;
      case 'gate:update':
        this.events.emit('gate:update', m.event);
        return;
      case 'log':
        this.log[m.level](m.message, m.fields);
        return;
      case 'error':
        this.onCrash(revived(m.error));
        return;
    }
  }

  /**
   * The worker died or cannot go on: reject what waits on it, end it, and start another from the checkpoint
   * after a backoff, unless it keeps failing (then training stops with 'error').
   */
  private onCrash(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rejectPending(new WorkerGoneError(`the training worker died: ${error.message}`));
    void worker?.terminate().catch(() => undefined);
    // A worker that never got ready fails its start() instead (the neuron does not start).
    if (this.stopped || this.gaveUp || !this.wasReady) return;
    const restart = this.backoff.failed();
    if (!restart) {
      this.gaveUp = true;
      const crashes = this.backoff.failures;
      this.log.error('training stopped: the worker keeps failing', { error: error.message, crashes });
      this.events.emit('error', error);
      return;
    }
    const { attempt, retryInMs } = restart;
    this.log.error('the training worker died; restarting it from the last checkpoint', {
      error: error.message,
      attempt,
      retryInMs,
    });
    this.events.emit('crash', { message: error.message, attempt, retryInMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, retryInMs);
  }

  private async restart(): Promise<void> {
    let started: TrainingStart;
    try {
      started = await this.spawn();
    } catch (error) {
      // A worker that died starting has been handled (another restart is due); one that refused to start has not.
      if (!this.stopped && !this.restartTimer) this.onCrash(error as Error);
      return;
    }
    if (this.stopped) return;
    this.events.emit('serving', started.serving);
    this.events.emit('recovered', { resumedAt: started.resumedAt });
    this.log.info('the training worker is back', { resumedAt: started.resumedAt });
  }
}

/** An error that crossed from the worker, with its name. */
function revived(crossed: CrossedError): Error {
  const error = new Error(crossed.message);
  error.name = crossed.name;
  return error;
}
