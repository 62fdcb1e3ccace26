import type {
  CrossedError,
  EvaluationEvent,
  HostMessage,
  ServingSnapshot,
  TrainingConfig,
  WorkerMessage,
} from '../../shared/training.js';
import { chooseBackend } from '../ml/backend-ladder.js';
import { CheckpointDamagedError, loadCheckpoint, saveCheckpoint } from '../ml/checkpoint.js';
import { brownCorpus, sliceFor, textFolder } from '../ml/corpus.js';
import { BatchSampler, buildVocabulary, tokenizeSlice, validationBatches, type Batch } from '../ml/dataset.js';
import { CONV_DEFAULTS, inputTokensFor, type ConvEncoderConfig } from '../ml/encoders.js';
import { PeerScores } from '../ml/peer-scores.js';
import { Trainer, type PeerAnswers } from '../ml/trainer.js';
import { DataParallelTrainer } from './replicas.js';

/** How long the worker waits for the host to bring peers' answers before treating them as missing, ms. */
const ANSWER_TIMEOUT_MS = 30_000;

type Send = (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;

/**
 * The training side of a neuron, hosted in a worker thread (or Electron's utilityProcess) so that serving stays
 * responsive: loads its slice of text, trains the Trainer step after step with peers' answers brought by the
 * host, sends gradients back through it, refreshes the host's serving copy, evaluates, scores peers and
 * checkpoints. Transport-neutral: the entry file wires `handle` and `send` to the port it runs on.
 */
export class TrainingWorker {
  private trainer: Trainer | undefined;
  /** Data-parallel training over worker threads (config.threads > 1 on a CPU backend); steps go through it. */
  private parallel: DataParallelTrainer | undefined;
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

  constructor(private readonly send: Send) {}

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'start':
        this.start(message.seq, message.config).catch((error: unknown) =>
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

  private async start(seq: number, config: TrainingConfig): Promise<void> {
    this.config = config;
    const files = config.textDir ? await textFolder(config.textDir) : await brownCorpus();
    const slice = sliceFor(files, config.slice.index, config.slice.count);
    const tokens = tokenizeSlice(slice);
    const vocab = buildVocabulary(tokens.train, config.vocab);
    this.encoderConfig = {
      kind: 'conv',
      dim: config.dim,
      inputTokens: inputTokensFor(tokens.train),
      blocks: CONV_DEFAULTS.blocks,
      kernel: CONV_DEFAULTS.kernel,
      ffn: CONV_DEFAULTS.ffn,
      seed: config.seed,
    };
    const trainerInit = {
      vocab,
      encoder: this.encoderConfig,
      learningRate: config.learningRate,
      gate: { topK: config.topK, seed: config.seed },
      solo: config.solo,
      applyRemote: config.applyRemote,
    };
    const backend = await chooseBackend(
      config.backend ?? 'auto',
      { trainer: trainerInit, batch: new BatchSampler(tokens.train, config.batch, config.seq, 1).next() },
      { log: (message, fields) => this.log('info', message, fields) },
    );
    this.trainer = new Trainer(trainerInit);
    this.sampler = new BatchSampler(tokens.train, config.batch, config.seq, config.seed);
    this.validation = validationBatches(
      tokens.validation,
      config.batch,
      config.seq,
      Math.max(config.evaluateBatches, 12),
    );
    const resumedAt = await this.restore();
    const threads = config.threads ?? 1;
    if (threads > 1 && (backend.name === 'wasm' || backend.name === 'cpu')) {
      // After the restore: replicas start where the coordinator is.
      this.parallel = new DataParallelTrainer(
        {
          trainer: this.trainer,
          logger: {
            info: (message, fields) => this.log('info', message, fields),
            warn: (message, fields) => this.log('warn', message, fields),
          },
        },
        { threads, backend: backend.name, trainer: trainerInit },
      );
      await this.parallel.start();
    } else if (threads > 1) {
      this.log('info', `threads apply to the CPU backends: training on ${backend.name} runs on one thread`);
    }
    this.log('info', 'training ready', {
      backend: backend.name,
      threads: this.parallel?.threads ?? 1,
      genres: slice.genres,
      trainTokens: tokens.train.length,
      validationTokens: tokens.validation.length,
      resumedAt,
    });
    this.send({ type: 'ready', seq, backend, serving: await this.snapshot(), resumedAt });
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
      const r = await (this.parallel ?? trainer).step(batch, answers);
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
        },
      });
      if (r.step % config.servingEvery === 0) this.send({ type: 'serving', serving: await this.snapshot() });
      if (r.step % config.evaluateEvery === 0) {
        this.send({ type: 'gate:update', event: await this.evaluateNow(config.evaluateBatches) });
      }
      if (config.checkpointFile && r.step % config.checkpointEvery === 0) await this.checkpoint();
      // Let queued messages (gradients, pause, stop) in between steps; rest to keep to the CPU share.
      const rest = this.share < 1 ? seconds * 1000 * (1 / this.share - 1) : 0;
      await new Promise((resolve) => (rest > 0 ? setTimeout(resolve, rest) : setImmediate(resolve)));
    }
    await this.parallel?.stop();
    if (config.checkpointFile) await this.checkpoint();
    this.send({ type: 'stopped', seq: this.stopping.seq });
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

  private async checkpoint(): Promise<void> {
    const trainer = this.trainer!;
    try {
      const step = trainer.steps;
      const optimizer = await trainer.optimizerState();
      const weights = await trainer.readWeights();
      await saveCheckpoint(this.config!.checkpointFile!, {
        state: {
          step,
          batches: this.sampler!.batchesDrawn,
          importance: this.scores.entries(),
          slice: this.config!.slice,
          seed: this.config!.seed,
          optimizerShapes: optimizer.shapes,
        },
        groups: {
          ...weights,
          ...Object.fromEntries(Object.entries(optimizer.values).map(([k, v]) => [`optimizer:${k}`, v])),
        },
      });
    } catch (error) {
      // A full disk must not stop training: the previous checkpoint stays whole (atomic writes).
      this.log('warn', 'cannot write the checkpoint; training goes on', { error: (error as Error).message });
    }
  }

  /** Resumes from the checkpoint when there is a usable one; returns the step it resumed at (0: fresh). */
  private async restore(): Promise<number> {
    const file = this.config!.checkpointFile;
    if (!file) return 0;
    let saved;
    try {
      saved = await loadCheckpoint(file);
    } catch (error) {
      if (!(error instanceof CheckpointDamagedError)) throw error;
      this.log('warn', `${error.message}; training starts fresh`);
      return 0;
    }
    if (!saved) return 0;
    const state = saved.state as {
      step?: number;
      batches?: number;
      importance?: Array<[number, number]>;
      slice?: unknown;
      seed?: number;
      optimizerShapes?: Record<string, number[][]>;
    };
    if (JSON.stringify(state.slice) !== JSON.stringify(this.config!.slice) || state.seed !== this.config!.seed) {
      this.log('warn', `the checkpoint ${file} is for another slice or seed; training starts fresh`);
      return 0;
    }
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

function crossed(error: unknown): CrossedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message };
}
