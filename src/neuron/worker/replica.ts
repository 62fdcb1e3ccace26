import { crossed } from '../../shared/training.js';
import { loadBackend } from '../ml/backend.js';
import { keyedState, ownKeys, slotState } from '../ml/adam-shards.js';
import { combineGradients, computeShard, pickGradients, updateFrom, type ShardGradients } from '../ml/data-parallel.js';
import { releaseUpdate, Trainer } from '../ml/trainer.js';
import type { ReplicaMessage, ReplicaRequest } from './replica-protocol.js';

type Send = (message: ReplicaMessage) => void;

/**
 * One replica of the model in data-parallel training: computes the gradients of the shards it is given, updates
 * the variables it owns from every shard's gradients of them (with its share of Adam's moments), and writes the
 * other threads' updates, so its weights stay the coordinator's. Requests run one after the other in the order
 * they came (an update before the next shard). Transport-neutral: the entry file wires `handle` and `send` to
 * its port.
 */
export class TrainerReplica {
  private trainer: Trainer | undefined;
  /** Whether this replica updates a variable (by key). */
  private owns: (key: string) => boolean = () => false;
  /** Its own variables' gradients of the shard it computed last, until the step's 'reduce' uses them. */
  private own: ShardGradients | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly send: Send) {}

  handle(message: ReplicaRequest): void {
    this.queue = this.queue.then(() => this.run(message));
  }

  private async run(message: ReplicaRequest): Promise<void> {
    switch (message.type) {
      case 'start':
        try {
          await loadBackend(message.backend);
          const trainer = new Trainer(message.trainer);
          const keys = trainer.gradientKeys();
          const owners = message.owners;
          this.owns = (key) => owners[key] === message.index;
          if (message.state) {
            trainer.writeWeights(message.state.weights);
            const owned = ownKeys(keys, this.owns);
            const share = slotState(keyedState(message.state.optimizer, keys), owned, (k) => trainer.variableShape(k));
            await trainer.restoreOptimizer(share.values, share.shapes, { resize: true });
            trainer.steps = message.state.steps;
          }
          this.trainer = trainer;
          this.send({ type: 'ready', seq: message.seq });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
      case 'compute':
        try {
          const shard = await computeShard(this.started(), message.batch, message.answers);
          this.own = { rows: shard.rows, grads: pickGradients(shard.grads, this.owns) };
          const grads = pickGradients(shard.grads, (key) => !this.owns(key));
          this.send({ type: 'computed', seq: message.seq, shard: { ...shard, grads } });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
      case 'reduce':
        try {
          const trainer = this.started();
          const own = this.own;
          this.own = undefined;
          const shards = message.shards.map((s) => {
            if (s) return s;
            if (!own) throw new Error('an update that needs a shard this replica did not compute');
            return own;
          });
          const values = updateFrom(combineGradients(shards), message.remote);
          const update = trainer.gradientTensors(values);
          try {
            trainer.applyUpdate(update);
          } finally {
            releaseUpdate(update);
          }
          const keys = [...Object.keys(values.net), ...Object.keys(values.solo ?? {})];
          this.send({ type: 'updated', seq: message.seq, weights: await trainer.readVariables(keys) });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
      case 'assign':
        try {
          this.started().writeVariables(message.weights);
        } catch (error) {
          this.send({ type: 'error', error: crossed(error) });
        }
        return;
      case 'optimizer':
        try {
          this.send({ type: 'optimizer', seq: message.seq, state: await this.started().optimizerState() });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
      case 'weights':
        try {
          const trainer = this.started();
          this.send({ type: 'weights', seq: message.seq, weights: await trainer.readWeights(), steps: trainer.steps });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
    }
  }

  private started(): Trainer {
    if (!this.trainer) throw new Error('the replica has not started');
    return this.trainer;
  }
}
