import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/logger.js';
import { median } from '../../shared/median.js';
import type { CrossedError, WeightMap } from '../../shared/training.js';
import { tf } from '../ml/tf.js';
import type { Batch } from '../ml/dataset.js';
import { joinKeyed, keyedState, ownKeys, slotState, type GroupKeys, type KeyedState } from '../ml/adam-shards.js';
import {
  assignOwners,
  combineGradients,
  combineStepValues,
  computeShard,
  packGradients,
  pickGradients,
  shardOf,
  shardRanges,
  updateFrom,
  type PackedGradients,
  type ShardResult,
} from '../ml/data-parallel.js';
import {
  releaseUpdate,
  type OptimizerState,
  type PeerAnswers,
  type RemoteGradient,
  type StepResult,
  type Trainer,
  type TrainerInit,
} from '../ml/trainer.js';
import type { ReplicaBackend, ReplicaMessage, ReplicaReply, ReplicaRequest, ReplicaState } from './replica-protocol.js';
import { threadLink, type WorkerLink } from '../worker-link.js';

/** A replica as the coordinator drives it, whatever runs it (a worker thread by default; tests wrap one). */
export type ReplicaLink = WorkerLink<ReplicaRequest, ReplicaMessage>;

/** Starts a replica whose compiled entry module is `entry` (see replicaEntry). */
export type ReplicaFactory = (entry: URL) => ReplicaLink;

/** A worker_threads Worker behind the link the coordinator drives. */
export const threadReplica = (worker: Worker): ReplicaLink => threadLink<ReplicaRequest, ReplicaMessage>(worker);

/** The replica's entry (compiled JS): next to this module in dist/, or dist/ when running from sources. */
export function replicaEntry(): URL {
  const here = new URL('./replica-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(fileURLToPath(here).replace(/\/src\/neuron\//, '/dist/neuron/'), 'file://');
}

/** A replica ended, failed a request, or could not apply an update: data-parallel training cannot go on. */
export class ReplicaFailedError extends Error {
  override name = 'ReplicaFailedError';
}

export interface DataParallelInit {
  /** Threads that train, the coordinator's own included; 1: no replicas (plain Trainer.step). */
  threads: number;
  /** The backend every replica loads: the coordinator's, one of the CPU backends. */
  backend: ReplicaBackend;
  /** What the coordinator's trainer was built from: every replica builds the same (ParamSet is seeded in JS). */
  trainer: TrainerInit;
  /**
   * Steps between the coordinator's copies of every thread's Adam moments, which it goes on with should a
   * replica fail (a checkpoint takes one too). Default 50.
   */
  momentsEvery?: number;
  /**
   * Keep the threads only where they pay, measured: after start, `probeSteps` steps are timed on every thread
   * (after PROBE_WARM_UP untimed ones), then the replicas end (their moments taken back) and `probeSteps` are
   * timed on the coordinator alone; the replicas start again only when the threads' median step was at least
   * PROBE_GAIN times faster, else training goes on on one thread, logged with both times. 0 (default): no probe.
   */
  probeSteps?: number;
}

/** How much faster the threads' step must be than one thread's for a probe to keep them. */
export const PROBE_GAIN = 1.1;
/** Steps on every thread a probe does not time (the replicas' first steps compile and warm up). */
export const PROBE_WARM_UP = 2;

export interface DataParallelComponents {
  /** The coordinator's own replica: evaluation, checkpoints and serving read it; peers' gradients queue on it. */
  trainer: Trainer;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Starts a replica. Default: a worker thread. */
  spawnReplica?: ReplicaFactory;
  /** The clock a probe times steps by, ms. Default performance.now. */
  now?: () => number;
}

/** A probe in progress (DataParallelInit.probeSteps): the steps timed on every thread, then on one. */
interface Probe {
  phase: 'threads' | 'alone';
  threads: number[];
  alone: number[];
  /** The threads the probe compares with one. */
  count: number;
}

interface Pending {
  resolve(reply: ReplicaReply): void;
  reject(error: Error): void;
}

interface Replica {
  link: ReplicaLink;
  pending: Map<number, Pending>;
}

/**
 * Data-parallel training on the CPU (in Node, where tfjs runs WebAssembly on one thread): the coordinator's
 * trainer and `threads - 1` replicas in worker threads, each with a copy of the model. A step splits the batch
 * by rows into one shard per thread (with the matching rows of each peer's answer); each thread computes its
 * shard's gradients, of the embeddings only the nonzero rows (packRows). Each variable has one owner thread
 * (assignOwners, ZeRO-1 style): it combines every shard's gradients of its variables (weighted by rows: the
 * whole batch's mean loss gradient), adds the peers' gradients the coordinator sums, steps them with its share
 * of Adam's moments, and sends their new values to the others, so each thread runs Adam on about 1/threads of
 * the weights and all copies keep the same weights, bit for bit. The result equals one thread's step on the
 * whole batch within float tolerance.
 *
 * The coordinator gathers every thread's moments for a checkpoint (optimizerState) and when it stops, and keeps
 * that copy. A replica that exits or fails rejects the step it was in; the coordinator then ends the others,
 * logs why and goes on alone with every moment (its own, the others' from its last copy): a step the
 * coordinator had not applied yet is taken again on one thread; one it had applied stays applied, but the
 * variables the failed threads update miss it.
 */
export class DataParallelTrainer {
  private replicas: Replica[] = [];
  private nextSeq = 1;
  /** Why the replicas are no longer used (set once one failed). */
  private failure: Error | undefined;
  private stopped = false;
  private readonly trainer: Trainer;
  /** Every variable's key per group, in the order of Adam's slots. */
  private keys: GroupKeys = { net: [], solo: [] };
  /** The thread that updates each variable (0: the coordinator). */
  private owners = new Map<string, number>();
  /** Whether the coordinator's Adam holds its own variables' moments only (while replicas run). */
  private sharded = false;
  /** Every thread's moments as last gathered, and the step then. */
  private moments: { state: KeyedState; step: number } = { state: {}, step: 0 };
  /** The probe in progress (until it has decided), when the init asks for one; one probe per trainer. */
  private probe: Probe | undefined;
  private probed = false;

  constructor(
    private readonly components: DataParallelComponents,
    private readonly init: DataParallelInit,
  ) {
    this.trainer = components.trainer;
  }

  /** Threads training now (1 after a replica failed). */
  get threads(): number {
    return this.replicas.length + 1;
  }

  /**
   * Starts the replicas where the coordinator's trainer is (its weights and Adam's state when it has taken
   * steps, as after a resumed checkpoint). A replica that cannot start leaves training on one thread, logged.
   */
  async start(): Promise<void> {
    const count = Math.max(0, Math.floor(this.init.threads) - 1);
    if (count === 0 || this.replicas.length > 0 || this.stopped) return;
    const trainer = this.trainer;
    const keys = trainer.gradientKeys();
    const size = (key: string) => trainer.variableShape(key).reduce((a, b) => a * b, 1);
    const owners = assignOwners([...keys.net, ...keys.solo], size, count + 1);
    let state: ReplicaState | undefined;
    if (trainer.steps > 0) {
      const [weights, optimizer] = await Promise.all([trainer.readWeights(), trainer.optimizerState()]);
      state = { weights, optimizer, steps: trainer.steps };
    }
    const spawn = this.components.spawnReplica ?? ((entry) => threadReplica(new Worker(entry)));
    try {
      for (let i = 0; i < count; i++) this.replicas.push(this.connect(spawn(replicaEntry())));
      await Promise.all(
        this.replicas.map((r, i) => {
          const seq = this.nextSeq++;
          return this.request(r, {
            type: 'start',
            seq,
            backend: this.init.backend,
            trainer: this.init.trainer,
            index: i + 1,
            owners: Object.fromEntries(owners),
            ...(state ? { state } : {}),
          });
        }),
      );
    } catch (error) {
      await this.fallBack(error as Error);
      return;
    }
    this.keys = keys;
    this.owners = owners;
    this.moments = { state: state ? keyedState(state.optimizer, keys) : {}, step: trainer.steps };
    // The coordinator keeps its own variables' moments. Restoring Adam computes its beta powers anew (not as the
    // product over the steps taken), as every replica's restore does: all hold the very same.
    await this.restoreMoments(this.moments.state, this.ownKeys(0));
    this.sharded = true;
    const probeSteps = Math.floor(this.init.probeSteps ?? 0);
    if (probeSteps > 0 && !this.probed) this.probe = { phase: 'threads', threads: [], alone: [], count: this.threads };
    this.probed = true;
    this.components.logger?.info('data-parallel training', { threads: this.threads, backend: this.init.backend });
  }

  /**
   * One training step on the whole batch, as Trainer.step on one thread gives it (within float tolerance); on
   * one thread when there are no replicas (or no longer).
   */
  async step(batch: Batch, answers: PeerAnswers): Promise<StepResult> {
    if (!this.probe) return this.stepOnThreads(batch, answers);
    const now = this.components.now ?? (() => performance.now());
    const started = now();
    const result = await this.stepOnThreads(batch, answers);
    await this.timed(now() - started);
    return result;
  }

  /**
   * A probe's step took `ms` (DataParallelInit.probeSteps): once enough are timed on every thread, the replicas
   * end; once as many are timed alone, they start again if the threads were PROBE_GAIN times faster.
   */
  private async timed(ms: number): Promise<void> {
    const probe = this.probe!;
    const steps = Math.floor(this.init.probeSteps ?? 0);
    if (probe.phase === 'threads') {
      // A replica that failed has left one thread: nothing to compare.
      if (this.replicas.length === 0) return void (this.probe = undefined);
      probe.threads.push(ms);
      if (probe.threads.length < PROBE_WARM_UP + steps) return;
      await this.shrink();
      probe.phase = 'alone';
      return;
    }
    probe.alone.push(ms);
    if (probe.alone.length < steps) return;
    this.probe = undefined;
    const threadsMs = median(probe.threads.slice(PROBE_WARM_UP));
    const aloneMs = median(probe.alone);
    const fields = { threads: probe.count, threadsMs: Math.round(threadsMs), aloneMs: Math.round(aloneMs) };
    if (threadsMs * PROBE_GAIN <= aloneMs) {
      this.components.logger?.info('data-parallel threads pay here: training goes on on all of them', fields);
      await this.start();
    } else {
      this.components.logger?.info(
        `${probe.count} threads were not ${PROBE_GAIN}x faster than one here: training goes on on one thread`,
        fields,
      );
    }
  }

  private async stepOnThreads(batch: Batch, answers: PeerAnswers): Promise<StepResult> {
    if (this.failure && this.replicas.length > 0) await this.fallBack(this.failure);
    if (this.replicas.length > 0 && this.trainer.steps - this.moments.step >= (this.init.momentsEvery ?? 50)) {
      await this.optimizerState(); // keeps the copy the coordinator would go on with alone
    }
    if (this.replicas.length === 0) return this.trainer.step(batch, answers);
    try {
      return await this.parallelStep(batch, answers);
    } catch (error) {
      if (!(error instanceof ReplicaFailedError)) throw error;
      await this.fallBack(error);
      return this.trainer.step(batch, answers);
    }
  }

  /**
   * Adam's state of every variable, as one thread's optimizerState gives it (a checkpoint's): the coordinator's
   * own moments and every replica's, gathered. Kept as the copy to go on with should a replica fail.
   */
  async optimizerState(): Promise<OptimizerState> {
    const trainer = this.trainer;
    if (!this.sharded) return trainer.optimizerState();
    try {
      const replies = await Promise.all(
        this.replicas.map((r) => {
          const seq = this.nextSeq++;
          return this.request(r, { type: 'optimizer', seq });
        }),
      );
      const parts = [await this.ownMoments()];
      replies.forEach((reply, i) => {
        if (reply.type !== 'optimizer') throw new ReplicaFailedError(`a ${reply.type} reply to an optimizer request`);
        parts.push(keyedState(reply.state, this.ownKeys(i + 1)));
      });
      this.moments = { state: joinKeyed(parts), step: trainer.steps };
      return slotState(this.moments.state, this.keys, (key) => trainer.variableShape(key));
    } catch (error) {
      if (!(error instanceof ReplicaFailedError)) throw error;
      await this.fallBack(error);
      return trainer.optimizerState();
    }
  }

  /** Every replica's weights and step count (not the coordinator's): they equal the coordinator's. */
  async replicaWeights(): Promise<Array<{ weights: Record<string, WeightMap>; steps: number }>> {
    const replies = await Promise.all(
      this.replicas.map((r) => {
        const seq = this.nextSeq++;
        return this.request(r, { type: 'weights', seq });
      }),
    );
    return replies.map((reply) => {
      if (reply.type !== 'weights') throw new Error(`a ${reply.type} reply to a weights request`);
      return { weights: reply.weights, steps: reply.steps };
    });
  }

  /**
   * Takes every replica's moments back (the coordinator's Adam is whole again, for the last checkpoint) and ends
   * the replicas (the coordinator's trainer is the caller's). Safe to call twice.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.probe = undefined;
    await this.shrink();
    this.stopped = true;
  }

  /** Takes every replica's moments back (the coordinator's Adam is whole again) and ends the replicas. */
  private async shrink(): Promise<void> {
    if (this.sharded && this.replicas.length > 0) {
      try {
        const whole = await this.optimizerState();
        if (this.sharded) {
          await this.trainer.restoreOptimizer(whole.values, whole.shapes, { resize: true });
          this.sharded = false;
        }
      } catch (error) {
        this.components.logger?.warn("the replicas' Adam moments could not be taken back", {
          error: (error as Error).message,
        });
      }
    }
    await this.endReplicas(new ReplicaFailedError('data-parallel training stopped'));
  }

  /**
   * Every thread computes its shard; each is then sent every other shard's gradients of the variables it owns
   * (as soon as those shards are there), updates them and sends their new values to the coordinator, which
   * writes them and passes them on to the other replicas (and sends its own to every replica).
   */
  private async parallelStep(batch: Batch, answers: PeerAnswers): Promise<StepResult> {
    const trainer = this.trainer;
    const ranges = shardRanges(batch.batch, this.threads);
    const shards = ranges.map((range) => shardOf(batch, answers, range, trainer.dim));
    const results: Array<ShardResult | undefined> = ranges.map(() => undefined);
    // The peers' gradients this step applies, summed (set with the coordinator's own shard).
    const remote: { grads?: PackedGradients } = {};
    const updates: Array<Promise<ReplicaReply> | undefined> = this.replicas.map(() => undefined);
    // Replica i is thread i + 1: it computes shard i + 1 (when the batch has that many rows) and is sent the
    // others' gradients of its own variables as soon as they are all there.
    const sendReady = () => {
      this.replicas.forEach((r, i) => {
        const thread = i + 1;
        if (updates[i] || results.some((s, k) => k !== thread && s === undefined)) return;
        const owns = this.owns(thread);
        const parts = results.map((s, k) =>
          k === thread ? null : { rows: s!.rows, grads: pickGradients(s!.grads, owns) },
        );
        const seq = this.nextSeq++;
        const update = this.request(r, {
          type: 'reduce',
          seq,
          shards: parts,
          ...(remote.grads ? { remote: pickGradients(remote.grads, owns) } : {}),
        });
        update.catch(() => undefined); // awaited below; a failure may come first
        updates[i] = update;
      });
    };
    // The replicas' shards first, so that they compute while the coordinator computes its own.
    const theirs = shards.slice(1).map(async (shard, i) => {
      const seq = this.nextSeq++;
      const reply = await this.request(this.replicas[i]!, { type: 'compute', seq, ...shard });
      if (reply.type !== 'computed') throw new ReplicaFailedError(`a ${reply.type} reply to a compute request`);
      results[i + 1] = reply.shard;
      sendReady();
    });
    // Marked handled now: a replica may fail while the coordinator computes, before Promise.all below awaits it.
    for (const p of theirs) p.catch(() => undefined);
    const own = await computeShard(trainer, shards[0]!.batch, shards[0]!.answers);
    const peers = await this.remoteGradients();
    remote.grads = peers.grads;
    // Only now: no replica is sent an update without the coordinator's shard and the peers' gradients.
    results[0] = own;
    sendReady();
    await Promise.all(theirs);
    const values = combineStepValues(results as ShardResult[]);
    const owns = this.owns(0);
    const mine = results.map((s) => ({ rows: s!.rows, grads: pickGradients(s!.grads, owns) }));
    const gradients = updateFrom(combineGradients(mine), remote.grads && pickGradients(remote.grads, owns));
    const update = trainer.gradientTensors(gradients);
    try {
      trainer.applyUpdate(update);
    } finally {
      releaseUpdate(update);
    }
    trainer.consumeRemote(peers.applied);
    trainer.observeGate(answers, values.gate);
    const result: StepResult = { step: trainer.steps, ...values, remoteApplied: peers.applied.length };
    try {
      const mineNow = await trainer.readVariables([
        ...Object.keys(gradients.net),
        ...Object.keys(gradients.solo ?? {}),
      ]);
      for (const r of this.replicas) r.link.post({ type: 'assign', weights: mineNow });
      await Promise.all(
        updates.map(async (pending, i) => {
          const reply = await pending;
          if (reply?.type !== 'updated')
            throw new ReplicaFailedError(`a ${reply?.type ?? 'missing'} reply to a reduce request`);
          trainer.writeVariables(reply.weights);
          this.replicas.forEach((r, j) => j !== i && r.link.post({ type: 'assign', weights: reply.weights }));
        }),
      );
    } catch (error) {
      if (!(error instanceof ReplicaFailedError)) throw error;
      // The coordinator's variables took this step; the failed threads' did not, and will not.
      await this.fallBack(error, trainer.steps);
    }
    return result;
  }

  /** The keys thread `thread` updates, per group. */
  private ownKeys(thread: number): GroupKeys {
    return ownKeys(this.keys, this.owns(thread));
  }

  private owns(thread: number): (key: string) => boolean {
    return (key) => this.owners.get(key) === thread;
  }

  /** The moments the coordinator's Adam holds now (its own variables' while sharded), by variable. */
  private async ownMoments(): Promise<KeyedState> {
    return keyedState(await this.trainer.optimizerState(), this.ownKeys(0));
  }

  /** Restores the coordinator's Adam to the moments of `keys` in `state` (zeros for those it lacks). */
  private async restoreMoments(state: KeyedState, keys: GroupKeys): Promise<void> {
    const trainer = this.trainer;
    const slots = slotState(state, keys, (key) => trainer.variableShape(key));
    await trainer.restoreOptimizer(slots.values, slots.shapes, { resize: true });
  }

  /**
   * The queued peers' gradients this step applies, summed (on the coordinator only: every thread adds the same
   * values); they stay queued until the step is applied, so a step retried on one thread still has them.
   */
  private async remoteGradients(): Promise<{ applied: RemoteGradient[]; grads: PackedGradients | undefined }> {
    const trainer = this.trainer;
    const applied = trainer.pendingRemote();
    if (applied.length === 0) return { applied, grads: undefined };
    const named: Record<string, tf.Tensor> = {};
    try {
      tf.tidy(() => {
        trainer.sumRemoteGradients(applied, named);
        Object.values(named).forEach((t) => tf.keep(t));
      });
      const values = await trainer.readGradients({ net: named, solo: undefined });
      return { applied, grads: packGradients(values, (key) => trainer.variableShape(key)) };
    } catch (error) {
      trainer.consumeRemote(applied); // not tried again
      throw error;
    } finally {
      tf.dispose(Object.values(named));
    }
  }

  private connect(link: ReplicaLink): Replica {
    const replica: Replica = { link, pending: new Map() };
    link.listen({
      message: (m) => this.onMessage(replica, m),
      error: (error) => this.onFailure(replica, new ReplicaFailedError(`a training replica failed: ${error.message}`)),
      exit: (code) => this.onFailure(replica, new ReplicaFailedError(`a training replica exited (code ${code})`)),
    });
    return replica;
  }

  private request(replica: Replica, message: Extract<ReplicaRequest, { seq: number }>): Promise<ReplicaReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      replica.pending.set(message.seq, { resolve, reject });
      replica.link.post(message);
    });
  }

  private onMessage(replica: Replica, m: ReplicaMessage): void {
    if (m.type === 'error') {
      this.onFailure(replica, new ReplicaFailedError(`a training replica cannot go on: ${revived(m.error).message}`));
      return;
    }
    const pending = replica.pending.get(m.seq);
    if (!pending) {
      this.components.logger?.warn('a replica replied to no pending request (a bug)', { type: m.type, seq: m.seq });
      return;
    }
    replica.pending.delete(m.seq);
    if (m.type === 'failed') pending.reject(new ReplicaFailedError(`a training replica failed: ${m.error.message}`));
    else pending.resolve(m);
  }

  /** A replica is gone or unusable: everything waiting on any replica is rejected (the step cannot finish). */
  private onFailure(replica: Replica, error: ReplicaFailedError): void {
    if (!this.replicas.includes(replica)) return;
    this.failure ??= error;
    for (const r of this.replicas) rejectAll(r, this.failure);
  }

  /**
   * Ends every replica and goes on alone with every variable's moments (its own, the others' from its last
   * copy), saying why; `missed`: the step the failed threads' variables missed.
   */
  private async fallBack(error: Error, missed?: number): Promise<void> {
    const threads = this.threads;
    await this.endReplicas(error);
    let from: number | undefined;
    if (this.sharded) {
      await this.restoreMoments(joinKeyed([await this.ownMoments(), this.moments.state]), this.keys);
      this.sharded = false;
      from = this.moments.step;
    }
    if (!this.stopped) {
      this.components.logger?.warn('data-parallel training stopped; training goes on on one thread', {
        error: error.message,
        threads,
        ...(from !== undefined ? { momentsFromStep: from } : {}),
        ...(missed !== undefined ? { missedStep: missed } : {}),
      });
    }
  }

  private async endReplicas(error: Error): Promise<void> {
    const replicas = this.replicas;
    this.replicas = [];
    this.failure = undefined;
    for (const r of replicas) rejectAll(r, error);
    await Promise.all(replicas.map((r) => r.link.terminate().catch(() => undefined)));
  }
}

function rejectAll(replica: Replica, error: Error): void {
  const all = [...replica.pending.values()];
  replica.pending.clear();
  for (const p of all) p.reject(error);
}

function revived(crossed: CrossedError): Error {
  const error = new Error(crossed.message);
  error.name = crossed.name;
  return error;
}
