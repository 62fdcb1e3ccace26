import { crossed } from '../../shared/training.js';
import { loadBackend } from '../ml/backend.js';
import { combineGradients, computeShard, updateFrom, type ShardGradients } from '../ml/data-parallel.js';
import { releaseUpdate, Trainer } from '../ml/trainer.js';
import type { ReplicaMessage, ReplicaRequest } from './replica-protocol.js';

type Send = (message: ReplicaMessage) => void;

/**
 * One replica of the model in data-parallel training: computes the gradients of the shards it is given and
 * applies the combined gradients the coordinator sends, so its weights stay the coordinator's. Requests run one
 * after the other in the order they came (an update before the next shard). Transport-neutral: the entry file
 * wires `handle` and `send` to its port.
 */
export class TrainerReplica {
  private trainer: Trainer | undefined;
  /** The gradients of the shard it computed last, until the step's 'apply' uses them. */
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
          if (message.state) {
            trainer.writeWeights(message.state.weights);
            await trainer.restoreOptimizer(message.state.optimizer.values, message.state.optimizer.shapes);
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
          this.own = { rows: shard.rows, grads: shard.grads };
          this.send({ type: 'computed', seq: message.seq, shard });
        } catch (error) {
          this.send({ type: 'failed', seq: message.seq, error: crossed(error) });
        }
        return;
      case 'apply':
        try {
          const trainer = this.started();
          const own = this.own;
          this.own = undefined;
          const shards = message.shards.map((s) => {
            if (s) return s;
            if (!own) throw new Error('an update that needs a shard this replica did not compute');
            return own;
          });
          const update = trainer.gradientTensors(updateFrom(combineGradients(shards), message.remote));
          try {
            trainer.applyUpdate(update);
          } finally {
            releaseUpdate(update);
          }
        } catch (error) {
          this.send({ type: 'error', error: crossed(error) });
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
