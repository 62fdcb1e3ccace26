/**
 * The protocol between the training worker (the coordinator of data-parallel training) and its replicas, each
 * a worker thread with its own copy of the model. As the worker protocol (shared/training.ts): tagged-union
 * messages; a request that expects a reply carries `seq` and its reply the same `seq`, which resolves it or
 * rejects it ('failed', the error as {name, message}); 'error' outside any request means the replica cannot go
 * on. The coordinator rejects everything pending on a replica when it exits.
 */
import type { CrossedError, WeightMap } from '../../shared/training.js';
import type { Batch } from '../ml/dataset.js';
import type { PackedGradients, ShardGradients, ShardResult } from '../ml/data-parallel.js';
import type { OptimizerState, PeerAnswers, TrainerInit } from '../ml/trainer.js';

/** The backends a replica can train on: those that run on the CPU, where tfjs runs one thread per engine. */
export type ReplicaBackend = 'wasm' | 'cpu';

/** A trainer's state, for a replica that must start where the coordinator is (a resumed checkpoint). */
export interface ReplicaState {
  weights: Record<string, WeightMap>;
  optimizer: OptimizerState;
  steps: number;
}

/** Coordinator -> replica. */
export type ReplicaRequest =
  /**
   * Load the backend and build the trainer (from the same init and seed as the coordinator's), reply 'ready'.
   * `index`: the replica's thread (the coordinator is 0); `owners`: the thread that updates each variable.
   */
  | {
      type: 'start';
      seq: number;
      backend: ReplicaBackend;
      trainer: TrainerInit;
      index: number;
      owners: Record<string, number>;
      state?: ReplicaState;
    }
  /**
   * Gradients of a shard (its rows of the batch and of each peer's answer), changing nothing; reply 'computed'
   * with those of the variables other threads update (the replica keeps its own until 'reduce').
   */
  | { type: 'compute'; seq: number; batch: Batch; answers: PeerAnswers }
  /**
   * Update the replica's own variables: combine every shard's gradients of them (in row order; null: the
   * replica's own, from its last 'compute'), add the peers' gradients (`remote`), step its Adam; reply 'updated'.
   */
  | { type: 'reduce'; seq: number; shards: Array<ShardGradients | null>; remote?: PackedGradients }
  /** Other threads' variables after their update, to write before the next step. */
  | { type: 'assign'; weights: WeightMap }
  /** Adam's state of the replica's own variables, replied with 'optimizer'. */
  | { type: 'optimizer'; seq: number }
  /** Every weight and the step count, replied with 'weights' (to check that replicas stay identical). */
  | { type: 'weights'; seq: number };

/** Replica -> coordinator. */
export type ReplicaMessage =
  | { type: 'ready'; seq: number }
  | { type: 'computed'; seq: number; shard: ShardResult }
  /** The new values of the variables the replica updated in this step. */
  | { type: 'updated'; seq: number; weights: WeightMap }
  | { type: 'optimizer'; seq: number; state: OptimizerState }
  | { type: 'weights'; seq: number; weights: Record<string, WeightMap>; steps: number }
  /** The request `seq` failed. */
  | { type: 'failed'; seq: number; error: CrossedError }
  /** The replica cannot go on (an update failed, so its weights are no longer the coordinator's). */
  | { type: 'error'; error: CrossedError };

/** The replies that settle a request, by the request's seq. */
export type ReplicaReply = Extract<ReplicaMessage, { seq: number }>;
