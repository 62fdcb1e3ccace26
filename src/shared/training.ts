/**
 * The training worker's protocol and the events the app shows. Pure types: the host (Node main thread,
 * Electron main, or a test) and the worker (worker_threads, Electron utilityProcess, a browser Worker) share them.
 * The worker touches no file: the host gives it the tokenized text and the last checkpoint with 'start', and
 * writes the checkpoints it sends; so the same trainer runs in Node and in a browser.
 *
 * As in Signal-Desktop's SQL worker: tagged-union messages; a request that expects a reply carries `seq`
 * and its reply the same `seq`, which resolves it ('ready', 'evaluation', 'stopped') or rejects it ('failed',
 * the error as {name, message}); an error outside any request ('error') means the worker cannot go on; logs
 * cross as messages. The host rejects every pending request when the worker exits.
 */

/** The TensorFlow.js backends, the ladder's order: GPUs first, then CPUs (neuron/ml/backend.ts loads them). */
export const BACKENDS = ['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** What a user may ask for: one backend, or `auto` (the fastest that passes its self-test). */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * The model's size. `small`: the encoder and batch the config names (a CPU's). `large`: for a GPU, the same wire
 * shape ([batch, seq, dim]) from a deeper, wider encoder trained on longer, larger batches (neuron/ml/presets.ts
 * has the numbers). `auto` (default): large on a GPU backend, small otherwise. A checkpoint keeps the model it
 * was trained with: a resumed neuron trains the same model whatever the preset or the backend now.
 */
export const MODEL_PRESETS = ['auto', 'small', 'large'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

/** The backend a neuron trains on, as the app shows it. */
export interface BackendReport {
  /** A BackendName, or '-' before there is one. */
  name: string;
  /** What it runs on, in words ("WebGPU, NVIDIA H200 (Vulkan)", "CPU, WebAssembly SIMD"). */
  device: string;
  /** One training step of the real model in the self-test, ms (when one ran). */
  stepMs?: number;
  /** The model it trains, in words ("small: 2 blocks of 256, 8 x 64 tokens, 2,049 classes"). */
  model?: string;
  /**
   * The CPU threads training runs on, as started (data-parallel replicas in Node, the WebAssembly thread pool
   * in a browser Worker; 1 on a GPU). Data-parallel training's steps say how many took them (StepEvent.threads).
   */
  threads?: number;
  /** Why each other rung of the ladder was not used. */
  passedOver?: string[];
}

/** An error as it crosses between threads or processes. */
export interface CrossedError {
  name: string;
  message: string;
}

/** Any thrown value as a CrossedError (its name and message). */
export function crossed(error: unknown): CrossedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message };
}

/** Weights by name, as flat float arrays (structured-cloned or transferred between threads). */
export type WeightMap = Record<string, Float32Array>;

/** A checkpoint as it crosses: named groups of weights and a JSON state (step, sampler position, scores). */
export interface Checkpoint {
  state: Record<string, unknown>;
  groups: Record<string, WeightMap>;
}

/** The text a neuron trains on, tokenized by the host (GPT-2 ids): its slice's training and validation streams. */
export interface TrainingData {
  train: Int32Array;
  validation: Int32Array;
  /** The slice's genres (for the log). */
  genres: string[];
}

/** What the worker trains and how; JSON-serializable. */
export interface TrainingConfig {
  /** Seed for initialization and batch order. */
  seed: number;
  /** Network dimension of the served representation. */
  dim: number;
  /** Which share of the text this neuron takes (0-based) among `count` trained neurons. */
  slice: { index: number; count: number };
  /** A folder of .txt files instead of the bundled Brown corpus (the host reads it). */
  textDir?: string;
  batch: number;
  seq: number;
  /** Output classes: the most frequent tokens of the slice (plus one unknown class). */
  vocab: number;
  topK: number;
  learningRate: number;
  /** Apply gradients from peers. */
  applyRemote: boolean;
  /** Train the solo twin alongside (the baseline for the app and the localnet report). */
  solo: boolean;
  /** Steps between refreshes of the serving copy of the encoder. */
  servingEvery: number;
  /** Steps between evaluations on held-out batches (losses and peer ablation), and how many batches each uses. */
  evaluateEvery: number;
  evaluateBatches: number;
  /** Steps between checkpoints. */
  checkpointEvery: number;
  /** Where the host keeps the checkpoint (atomic writes); the worker sends none when undefined. */
  checkpointFile?: string;
  /** Backend to train on: one by name, or `auto` (default: the fastest that passes its self-test). */
  backend?: BackendChoice;
  /** The model's size: see ModelPreset. Default auto. */
  preset?: ModelPreset;
  /**
   * Threads that train on a CPU backend (wasm, cpu), data-parallel: one model replica each, the batch split
   * between them by rows and their gradients averaged every step. Default 1; ignored on a GPU backend.
   */
  threads?: number;
}

/** The encoder the host serves: its config (see neuron/ml/encoders.ts) and current weights. */
export interface ServingSnapshot {
  config: unknown;
  weights: WeightMap;
  step: number;
}

export interface StepEvent {
  step: number;
  loss: number;
  lossStudent: number;
  lossSolo: number | null;
  tokensPerSecond: number;
  /** Peers asked and how many answered. */
  asked: number;
  answered: number;
  remoteApplied: number;
  /** Peers' gradients dropped so far because too many waited (the oldest go first). */
  remoteDropped: number;
  /**
   * The CPU threads training runs on after this step, where it is data-parallel (a probe may have gone back to
   * one, a failed replica leaves one); absent otherwise (BackendReport.threads holds).
   */
  threads?: number;
}

/**
 * A CPU backend's device in words with the threads that train on it ("CPU, WebAssembly SIMD, 2 threads"); one
 * thread adds nothing. A count already there is replaced.
 */
export function deviceWithThreads(device: string, threads: number): string {
  const base = device.replace(/, \d+ threads?$/, '');
  return threads > 1 ? `${base}, ${threads} threads` : base;
}

export interface PeerGateInfo {
  uid: number;
  /** Running mean gate weight while queried. */
  gate: number;
  /** Running importance: the validation loss rise when the peer is masked out (nats/token). */
  importance: number;
}

export interface EvaluationEvent {
  step: number;
  valLoss: number;
  valLossStudent: number;
  valLossSolo: number | null;
  peers: PeerGateInfo[];
}

/** Host -> worker. */
export type HostMessage =
  /** Build the model on this data (resuming from the checkpoint when it fits), reply 'ready', then train. */
  | { type: 'start'; seq: number; config: TrainingConfig; data: TrainingData; checkpoint?: Checkpoint }
  | { type: 'answers'; seq: number; outputs: Array<Float32Array | null> }
  /** A peer's gradient for an answer we gave it: `batch` rows of `length` tokens. */
  | { type: 'gradient'; inputs: Int32Array; grads: Float32Array; batch: number; length: number; weight: number }
  | { type: 'peers'; uids: number[] }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Each training thread's share of the time (0 < share <= 1): the worker rests between steps. */
  | { type: 'throttle'; share: number }
  /** A full evaluation now (at the end of a run); replied to with 'evaluation' and the same seq. */
  | { type: 'evaluate'; seq: number; batches: number }
  /** Finish the step in progress, write a checkpoint, reply 'stopped'. */
  | { type: 'stop'; seq: number };

/** Worker -> host. */
export type WorkerMessage =
  | {
      type: 'ready';
      seq: number;
      backend: BackendReport;
      serving: ServingSnapshot;
      resumedAt: number;
    }
  /** Ask peers for their answers to a batch; the host replies with 'answers' and the same seq. */
  | { type: 'forward'; seq: number; uids: number[]; inputs: Int32Array; batch: number; length: number }
  | { type: 'backward'; uids: number[]; inputs: Int32Array; grads: Float32Array[]; batch: number; length: number }
  | { type: 'serving'; serving: ServingSnapshot }
  /** Every config.checkpointEvery steps and on stop (before 'stopped'): the host writes it to checkpointFile. */
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  | { type: 'train:step'; event: StepEvent }
  /** The loop parked (paused: no step runs until resumed) or goes on, after finishing step `step`. */
  | { type: 'idle'; idle: boolean; step: number }
  | { type: 'gate:update'; event: EvaluationEvent }
  | { type: 'evaluation'; seq: number; event: EvaluationEvent }
  | { type: 'stopped'; seq: number }
  /** The request `seq` failed; the worker goes on. */
  | { type: 'failed'; seq: number; error: CrossedError }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
  /** The worker cannot go on (its training loop failed). */
  | { type: 'error'; error: CrossedError };

/** The replies that settle a request, by the request's seq. */
export type WorkerReply = Extract<WorkerMessage, { type: 'ready' | 'evaluation' | 'stopped' | 'failed' }>;
