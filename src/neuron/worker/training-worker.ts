import {
  crossed,
  deviceWithThreads,
  type Checkpoint,
  type EvaluationEvent,
  type HostMessage,
  type ServingSnapshot,
  type TrainingConfig,
  type TrainingData,
  type WorkerMessage,
} from '../../shared/training.js';
import { chooseBackend } from '../ml/backend-ladder.js';
import { BatchSampler, buildVocabulary, validationBatches, type Batch } from '../ml/dataset.js';
import { inputTokensFor, type ConvEncoderConfig } from '../ml/encoders.js';
import { chooseShape, describeShape, shapeOf, type ModelShape } from '../ml/presets.js';
import { PeerScores } from '../ml/peer-scores.js';
import type { BackendLoader } from '../ml/tf.js';
import { Trainer, type OptimizerState, type PeerAnswers, type StepResult, type TrainerInit } from '../ml/trainer.js';

/** How long the worker waits for the host to bring peers' answers before treating them as missing, ms. */
const ANSWER_TIMEOUT_MS = 30_000;
/** The longest a training step may take before the worker gives up on it (see withinStepTime), ms. */
const STEP_TIMEOUT_MS = 10 * 60_000;

/** A training step did not finish in time: the worker cannot go on. */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

export interface TrainingWorkerInit {
  /** The longest a training step may take, ms. Default 10 minutes (a large model on a slow GPU takes seconds). */
  stepTimeoutMs?: number;
}

type Send = (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;

/** Training on several threads at once, as a runtime that has threads to start does it (Node: replicas.ts). */
export interface ParallelTraining {
  /** Threads that train now (1 once it has fallen back to the coordinator alone). */
  readonly threads: number;
  start(): Promise<void>;
  step(batch: Batch, answers: PeerAnswers): Promise<StepResult>;
  /** Adam's state of every variable (the threads may each hold a share of it). */
  optimizerState(): Promise<OptimizerState>;
  /** Ends the other threads; the coordinator's trainer then holds the whole state again. */
  stop(): Promise<void>;
}

/** Starts data-parallel training around `trainer` on a CPU backend. */
export type ParallelFactory = (
  trainer: Trainer,
  init: { threads: number; backend: 'wasm' | 'cpu'; trainer: TrainerInit; probeSteps: number },
) => ParallelTraining;

/**
 * Steps timed on the threads, then on one, when data-parallel training starts (DataParallelInit.probeSteps):
 * threads that do not make a step faster are not kept busy.
 */
const THREADS_PROBE_STEPS = 5;

/** What the worker uses of its runtime. */
export interface TrainingWorkerComponents {
  /** Sends a message to the host, with the buffers it may transfer. */
  send: Send;
  /** Loads a backend here: Node's loader (ml/backend.ts) or a browser Worker's (browser/backend.ts). */
  loadBackend: BackendLoader;
  /**
   * Data-parallel training over threads (config.threads > 1 on a CPU backend), where the runtime starts threads
   * itself (Node). Absent in a browser Worker, whose WebAssembly backend runs threads of its own.
   */
  parallel?: ParallelFactory;
}

/**
 * The training side of a neuron, hosted in a worker thread, an Electron utilityProcess or a browser Worker, so
 * that serving stays responsive: builds the model on the tokens the host gives it, trains the Trainer step after
 * step with peers' answers brought by the host, sends gradients back through it, refreshes the host's serving
 * copy, evaluates, scores peers and sends checkpoints for the host to keep. Runtime-neutral: it touches no file
 * and no Node API; the entry file wires `handle` and the components to the runtime it runs in.
 */
export class TrainingWorker {
  private trainer: Trainer | undefined;
  /** Data-parallel training (config.threads > 1 on a CPU backend, where the runtime has it); steps go through it. */
  private parallel: ParallelTraining | undefined;
  private config: TrainingConfig | undefined;
  private sampler: BatchSampler | undefined;
  private validation: Batch[] = [];
  private peers: number[] = [];
  private paused = false;
  private share = 1;
  private stopping: { seq: number } | undefined;
  private wake: (() => void) | undefined;
  private nextSeq = 1;
  private readonly waiting = new Map<number, (outputs: Array<Float32Array | null>) => void>();
  private readonly scores = new PeerScores();
  private encoderConfig: ConvEncoderConfig | undefined;
  /** The model trained (stored in the checkpoint). */
  private shape: ModelShape | undefined;

  private readonly send: Send;

  constructor(
    private readonly components: TrainingWorkerComponents,
    private readonly init: TrainingWorkerInit = {},
  ) {
    this.send = components.send;
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'start':
        this.start(message.seq, message.config, message.data, message.checkpoint).catch((error: unknown) =>
          this.trainer ? this.fail(error) : this.refuse(message.seq, error),
        );
        return;
      case 'answers':
        this.waiting.get(message.seq)?.(message.outputs);
        this.waiting.delete(message.seq);
        return;
      case 'gradient':
        this.trainer?.receiveGradient(message);
        return;
      case 'peers':
        this.peers = message.uids.filter((u) => Number.isInteger(u) && u >= 0);
        return;
      case 'pause':
        this.paused = true;
        return;
      case 'resume':
        this.paused = false;
        this.wake?.();
        return;
      case 'throttle':
        this.share = Math.min(1, Math.max(0.01, message.share));
        return;
      case 'evaluate':
        this.evaluateNow(message.batches).then(
          (event) => this.send({ type: 'evaluation', seq: message.seq, event }),
          (error: unknown) => this.refuse(message.seq, error),
        );
        return;
      case 'stop':
        this.stopping = { seq: message.seq };
        this.wake?.();
        if (!this.trainer) this.send({ type: 'stopped', seq: message.seq });
        return;
    }
  }

  private async start(
    seq: number,
    config: TrainingConfig,
    tokens: TrainingData,
    checkpoint: Checkpoint | undefined,
  ): Promise<void> {
    this.config = config;
    // The self-test runs the small model: what the ladder compares is the backends, not the sizes.
    const small = shapeOf('small', config);
    const smallInit = this.trainerInit(small, tokens, config);
    const backend = await chooseBackend(
      config.backend ?? 'auto',
      { trainer: smallInit, batch: new BatchSampler(tokens.train, small.batch, small.seq, 1).next() },
      { load: this.components.loadBackend, log: (message, fields) => this.log('info', message, fields) },
    );
    const usable = checkpoint && this.sameRun(checkpoint) ? checkpoint : undefined;
    // Checkpoints from before presets hold the small model.
    const saved = usable ? ((usable.state as { model?: unknown }).model ?? small) : undefined;
    const shape = chooseShape(config, backend.name, saved);
    this.shape = shape;
    const trainerInit =
      JSON.stringify(shape) === JSON.stringify(small) ? smallInit : this.trainerInit(shape, tokens, config);
    this.encoderConfig = trainerInit.encoder;
    this.trainer = new Trainer(trainerInit);
    this.sampler = new BatchSampler(tokens.train, shape.batch, shape.seq, config.seed);
    this.validation = validationBatches(
      tokens.validation,
      shape.batch,
      shape.seq,
      Math.max(config.evaluateBatches, 12),
    );
    const resumedAt = await this.restore(usable);
    const threads = config.threads ?? 1;
    const parallel = this.components.parallel;
    if (parallel && threads > 1 && (backend.name === 'wasm' || backend.name === 'cpu')) {
      // After the restore: replicas start where the coordinator is.
      this.parallel = parallel(this.trainer, {
        threads,
        backend: backend.name,
        trainer: trainerInit,
        probeSteps: THREADS_PROBE_STEPS,
      });
      await this.parallel.start();
    } else if (parallel && threads > 1) {
      this.log('info', `threads apply to the CPU backends: training on ${backend.name} runs on one thread`);
    }
    this.log('info', 'training ready', {
      backend: backend.name,
      threads: this.parallel?.threads ?? 1,
      model: shape,
      genres: tokens.genres,
      trainTokens: tokens.train.length,
      validationTokens: tokens.validation.length,
      resumedAt,
    });
    this.send({
      type: 'ready',
      seq,
      backend: {
        ...backend,
        // "CPU, WebAssembly SIMD, 2 threads", as a browser Worker's thread pool says it.
        ...(this.parallel ? { device: deviceWithThreads(backend.device, this.parallel.threads) } : {}),
        model: describeShape(shape),
        threads: this.parallel?.threads ?? backend.threads ?? 1,
      },
      serving: await this.snapshot(),
      resumedAt,
    });
    await this.loop();
  }

  private async loop(): Promise<void> {
    const config = this.config!;
    const trainer = this.trainer!;
    while (!this.stopping) {
      if (this.paused) {
        this.send({ type: 'idle', idle: true, step: trainer.steps });
        await new Promise<void>((resolve) => (this.wake = resolve));
        if (!this.paused) this.send({ type: 'idle', idle: false, step: trainer.steps });
        continue;
      }
      const started = performance.now();
      const batch = this.sampler!.next();
      const uids = trainer.gate.choose(this.peers);
      const answers = await this.ask(uids, batch);
      const r = await this.withinStepTime((this.parallel ?? trainer).step(batch, answers));
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.lossStudent)) {
        // The update already made is lost with this worker: nothing of the step is sent or checkpointed, and the
        // host starts another worker from the last checkpoint, as after any failure.
        throw new Error(`the loss is not finite at step ${r.step} (${r.loss}); going back to the last checkpoint`);
      }
      const answeredUids: number[] = [];
      const grads: Float32Array[] = [];
      r.peerGrads.forEach((g, i) => {
        if (g) {
          answeredUids.push(uids[i]!);
          grads.push(g);
        }
      });
      if (grads.length > 0) {
        this.send({
          type: 'backward',
          uids: answeredUids,
          inputs: batch.inputs,
          grads,
          batch: batch.batch,
          length: batch.seq,
        });
      }
      const seconds = (performance.now() - started) / 1000;
      this.send({
        type: 'train:step',
        event: {
          step: r.step,
          loss: r.loss,
          lossStudent: r.lossStudent,
          lossSolo: r.lossSolo ?? null,
          tokensPerSecond: (batch.batch * batch.seq) / seconds,
          asked: uids.length,
          answered: grads.length,
          remoteApplied: r.remoteApplied,
          remoteDropped: trainer.remoteDropped,
          ...(this.parallel ? { threads: this.parallel.threads } : {}),
        },
      });
      if (r.step % config.servingEvery === 0) this.send({ type: 'serving', serving: await this.snapshot() });
      if (r.step % config.evaluateEvery === 0) {
        this.send({ type: 'gate:update', event: await this.evaluateNow(config.evaluateBatches) });
      }
      if (config.checkpointFile && r.step % config.checkpointEvery === 0) await this.checkpoint();
      // Let queued messages (gradients, pause, stop) in between steps; rest to keep to the CPU share.
      const rest = this.share < 1 ? seconds * 1000 * (1 / this.share - 1) : 0;
      await new Promise((resolve) => setTimeout(resolve, rest));
    }
    await this.parallel?.stop();
    if (config.checkpointFile) await this.checkpoint();
    this.send({ type: 'stopped', seq: this.stopping.seq });
  }

  /**
   * A step that has not finished in stepTimeoutMs (a lost or stalled GPU, a hung replica) fails the loop: the host
   * ends this worker and starts another from the checkpoint, as for any failure. Nothing else can cancel it.
   */
  private withinStepTime<T>(step: Promise<T>): Promise<T> {
    const limit = this.init.stepTimeoutMs ?? STEP_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StepTimeoutError(`a training step took more than ${limit / 1000} s`)), limit);
    });
    return Promise.race([step, late]).finally(() => clearTimeout(timer));
  }

  /** Evaluates on held-out batches with every known peer, and folds the ablation into the importance. */
  private async evaluateNow(count: number): Promise<EvaluationEvent> {
    const trainer = this.trainer;
    if (!trainer) throw new Error('evaluate before start');
    const uids = this.peers.filter((u) => u < trainer.gate.capacity);
    const batches = [];
    for (const batch of this.validation.slice(0, Math.max(1, count))) {
      batches.push({ batch, answers: await this.ask(uids, batch) });
    }
    const e = await trainer.evaluate(batches);
    this.scores.update(uids, e.ablation);
    const shares = trainer.gate.shares();
    return {
      step: trainer.steps,
      valLoss: e.loss,
      valLossStudent: e.lossStudent,
      valLossSolo: e.lossSolo ?? null,
      peers: uids.map((uid) => ({ uid, gate: shares.get(uid) ?? 0, importance: this.scores.of(uid) })),
    };
  }

  /** Asks the host for peers' answers to a batch; a peer the host could not reach is missing. */
  private ask(uids: number[], batch: Batch): Promise<PeerAnswers> {
    if (uids.length === 0) return Promise.resolve({ uids, outputs: [] });
    const seq = this.nextSeq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        resolve({ uids, outputs: uids.map(() => undefined) });
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(seq, (outputs) => {
        clearTimeout(timer);
        resolve({ uids, outputs: outputs.map((o) => o ?? undefined) });
      });
      this.send({ type: 'forward', seq, uids, inputs: batch.inputs, batch: batch.batch, length: batch.seq });
    });
  }

  /** The serving copy's weights, read asynchronously (the only read WebGPU has). */
  private async snapshot(): Promise<ServingSnapshot> {
    const trainer = this.trainer!;
    const step = trainer.steps;
    return { config: this.encoderConfig, weights: await trainer.encoder.readWeights(), step };
  }

  /** Sends the host a checkpoint to keep: the weights, Adam's moments, the sampler's position and the scores. */
  private async checkpoint(): Promise<void> {
    const trainer = this.trainer!;
    const step = trainer.steps;
    const optimizer = await (this.parallel ?? trainer).optimizerState();
    const weights = await trainer.readWeights();
    const checkpoint: Checkpoint = {
      state: {
        step,
        batches: this.sampler!.batchesDrawn,
        importance: this.scores.entries(),
        slice: this.config!.slice,
        seed: this.config!.seed,
        model: this.shape,
        optimizerShapes: optimizer.shapes,
      },
      groups: {
        ...weights,
        ...Object.fromEntries(Object.entries(optimizer.values).map(([k, v]) => [`optimizer:${k}`, v])),
      },
    };
    // Copied, not transferred: on the cpu backend a tensor's read may be its own storage.
    this.send({ type: 'checkpoint', checkpoint });
  }

  /** Whether a checkpoint is of this neuron's run (its slice and seed); says so when it is not. */
  private sameRun(saved: Checkpoint): boolean {
    const state = saved.state as { slice?: unknown; seed?: number };
    if (JSON.stringify(state.slice) === JSON.stringify(this.config!.slice) && state.seed === this.config!.seed) {
      return true;
    }
    const file = this.config!.checkpointFile ?? 'the checkpoint';
    this.log('warn', `the checkpoint ${file} is for another slice or seed; training starts fresh`);
    return false;
  }

  /** What the trainer is built from for a model shape (the same in every replica and runtime). */
  private trainerInit(shape: ModelShape, tokens: TrainingData, config: TrainingConfig): TrainerInit {
    return {
      vocab: buildVocabulary(tokens.train, shape.vocab),
      encoder: {
        kind: 'conv',
        dim: config.dim,
        inputTokens: inputTokensFor(tokens.train),
        blocks: shape.blocks,
        kernel: shape.kernel,
        ffn: shape.ffn,
        seed: config.seed,
      },
      learningRate: config.learningRate,
      gate: { topK: config.topK, seed: config.seed },
      solo: config.solo,
      applyRemote: config.applyRemote,
    };
  }

  /** Resumes from the host's checkpoint when it fits this model; returns the step it resumed at (0: fresh). */
  private async restore(saved: Checkpoint | undefined): Promise<number> {
    if (!saved) return 0;
    const file = this.config!.checkpointFile ?? 'the checkpoint';
    const state = saved.state as {
      step?: number;
      batches?: number;
      importance?: Array<[number, number]>;
      optimizerShapes?: Record<string, number[][]>;
    };
    try {
      this.trainer!.writeWeights(saved.groups);
      const optimizer = Object.fromEntries(
        Object.entries(saved.groups)
          .filter(([k]) => k.startsWith('optimizer:'))
          .map(([k, v]) => [k.slice('optimizer:'.length), v]),
      );
      await this.trainer!.restoreOptimizer(optimizer, state.optimizerShapes ?? {});
    } catch (error) {
      this.log(
        'warn',
        `the checkpoint ${file} does not fit this model (${(error as Error).message}); training starts fresh`,
      );
      return 0;
    }
    this.trainer!.steps = state.step ?? 0;
    this.sampler!.skip(state.batches ?? 0);
    this.scores.restore(state.importance ?? []);
    return this.trainer!.steps;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.send({ type: 'log', level, message, ...(fields ? { fields } : {}) });
  }

  /** The training loop cannot go on: the host ends this worker (and starts another from the checkpoint). */
  private fail(error: unknown): void {
    this.send({ type: 'error', error: crossed(error) });
  }

  /** Request `seq` failed; the worker goes on. */
  private refuse(seq: number, error: unknown): void {
    this.send({ type: 'failed', seq, error: crossed(error) });
  }
}
