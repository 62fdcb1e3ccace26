import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TypedEvents } from '../shared/events.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type {
  EvaluationEvent,
  HostMessage,
  ServingSnapshot,
  StepEvent,
  TrainingConfig,
  WorkerMessage,
} from '../shared/training.js';

export interface TrainingEvents extends Record<string, unknown> {
  'train:step': StepEvent;
  'gate:update': EvaluationEvent;
  serving: ServingSnapshot;
  /** The worker failed; training has stopped (serving goes on with the last copy). */
  error: Error;
}

/**
 * The training worker as TrainingHost drives it, whatever runs it: a worker_threads Worker (threadWorker, the
 * default: headless and tests) or, in the desktop app, an Electron utilityProcess behind the same few calls
 * (main/electron/training-process.ts). Messages are the worker protocol of shared/training.ts either way.
 */
export interface TrainingWorkerLink {
  post(message: HostMessage): void;
  /** Delivers the worker's messages, its failure, and its exit (code) to the host. Called once. */
  listen(handlers: { message(m: WorkerMessage): void; error(e: Error): void; exit(code: number): void }): void;
  /** Ends the worker now. */
  terminate(): Promise<void>;
}

/** Starts the training worker whose compiled entry module is `entry` (see trainingWorkerEntry). */
export type TrainingWorkerFactory = (entry: URL) => TrainingWorkerLink;

/** The training worker in a worker_threads Worker. */
export const threadWorker: TrainingWorkerFactory = (entry) => {
  const worker = new Worker(entry);
  return {
    post: (message) => worker.postMessage(message),
    listen(handlers) {
      worker.on('message', (m: WorkerMessage) => handlers.message(m));
      worker.on('error', (error) => handlers.error(error));
      worker.on('exit', (code) => handlers.exit(code));
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
};

export interface TrainingHostComponents {
  /** Brings peers' answers to a batch, in the order of `uids`; null for a peer that did not answer. */
  forward(uids: number[], inputs: Int32Array, batch: number, seq: number): Promise<Array<Float32Array | null>>;
  /** Sends gradients of our loss with respect to each peer's answer back to it. */
  backward(uids: number[], inputs: Int32Array, grads: Float32Array[], batch: number, seq: number): void;
  logger?: Logger;
  /** Starts the worker. Default: threadWorker. */
  spawnWorker?: TrainingWorkerFactory;
}

/** The training worker's entry (compiled JS): next to this module in dist/, or dist/ when running from sources. */
export function trainingWorkerEntry(): URL {
  const here = new URL('./worker/entry.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(fileURLToPath(here).replace(/\/src\/neuron\//, '/dist/neuron/'), 'file://');
}

/**
 * The host side of the training worker (worker_threads): starts it, relays its requests for peers'
 * answers and its gradients to the network, hands it the gradients peers send us, and turns its messages
 * into typed events. The Electron host runs the same worker in a utilityProcess (components.spawnWorker).
 */
export class TrainingHost {
  readonly events = new TypedEvents<TrainingEvents>();
  private worker: TrainingWorkerLink | undefined;
  private readonly log: Logger;
  private nextSeq = 1;
  private readonly replies = new Map<number, (m: WorkerMessage) => void>();
  private ready: ((m: Extract<WorkerMessage, { type: 'ready' }>) => void) | undefined;
  private failed: ((e: Error) => void) | undefined;
  private stopped = false;

  constructor(private readonly components: TrainingHostComponents) {
    this.log = (components.logger ?? silentLogger).child('training');
  }

  /** Starts the worker; resolves with the first serving snapshot once its data and model are ready. */
  async start(
    config: TrainingConfig,
  ): Promise<{ serving: ServingSnapshot; backend: { name: string; device: string }; resumedAt: number }> {
    const worker = (this.components.spawnWorker ?? threadWorker)(trainingWorkerEntry());
    this.worker = worker;
    worker.listen({
      message: (m) => this.onMessage(m),
      error: (error) => this.onFailure(error),
      exit: (code) => {
        if (!this.stopped) this.onFailure(new Error(`the training worker exited (code ${code})`));
      },
    });
    const ready = new Promise<Extract<WorkerMessage, { type: 'ready' }>>((resolve, reject) => {
      this.ready = resolve;
      this.failed = reject;
    });
    this.post({ type: 'start', config });
    const r = await ready;
    return { serving: r.serving, backend: r.backend, resumedAt: r.resumedAt };
  }

  peers(uids: number[]): void {
    this.post({ type: 'peers', uids });
  }

  /** A gradient a peer sent for its request; `weight` in [0, 1] scales it (the sender's market weight). */
  gradient(inputs: Int32Array, grads: Float32Array, batch: number, seq: number, weight: number): void {
    this.post({ type: 'gradient', inputs, grads, batch, seq, weight });
  }

  pause(): void {
    this.post({ type: 'pause' });
  }

  resume(): void {
    this.post({ type: 'resume' });
  }

  /** Use about `share` of a core (0 < share <= 1). */
  throttle(share: number): void {
    this.post({ type: 'throttle', share });
  }

  /** A full evaluation on `batches` held-out batches with every known peer. */
  async evaluate(batches: number): Promise<EvaluationEvent> {
    const seq = this.nextSeq++;
    const reply = await this.request(seq, { type: 'evaluate', seq, batches });
    return (reply as Extract<WorkerMessage, { type: 'evaluation' }>).event;
  }

  /** Finishes the step in progress, checkpoints, and ends the worker. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped || !this.worker) return;
    this.stopped = true;
    const seq = this.nextSeq++;
    // The worker saves its checkpoint on stop; a worker that does not answer within a minute is ended anyway.
    // The timer is cleared, or it would keep the process alive for that minute.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.request(seq, { type: 'stop', seq }), new Promise((r) => (timer = setTimeout(r, 60_000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
    this.events.removeAll();
  }

  private request(seq: number, message: HostMessage): Promise<WorkerMessage> {
    return new Promise((resolve) => {
      this.replies.set(seq, resolve);
      this.post(message);
    });
  }

  private post(message: HostMessage): void {
    this.worker?.post(message);
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'ready':
        this.ready?.(m);
        return;
      case 'forward':
        this.components.forward(m.uids, m.inputs, m.batch, m.length).then(
          (outputs) => this.post({ type: 'answers', seq: m.seq, outputs }),
          () => this.post({ type: 'answers', seq: m.seq, outputs: m.uids.map(() => null) }),
        );
        return;
      case 'backward':
        this.components.backward(m.uids, m.inputs, m.grads, m.batch, m.length);
        return;
      case 'serving':
        this.events.emit('serving', m.serving);
        return;
      case 'train:step':
        this.events.emit('train:step', m.event);
        return;
      case 'gate:update':
        this.events.emit('gate:update', m.event);
        return;
      case 'evaluation':
      case 'stopped':
        this.replies.get(m.seq)?.(m);
        this.replies.delete(m.seq);
        return;
      case 'log':
        this.log[m.level](m.message, m.fields);
        return;
      case 'error': {
        const error = new Error(m.error.message);
        error.name = m.error.name;
        this.onFailure(error);
        return;
      }
    }
  }

  private onFailure(error: Error): void {
    this.log.error('training stopped', { error: error.message });
    this.failed?.(error);
    this.events.emit('error', error);
  }
}
