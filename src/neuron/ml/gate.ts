import { seededRandom } from '../../shared/random.js';
import { tf } from './tf.js';
import { dense } from './ops.js';
import type { ParamSet } from './params.js';

export interface GateInit {
  /** Peers queried per step. Default 4. */
  topK?: number;
  /** Chance per step that the weakest chosen peer is swapped for a random other one, so new peers get tried. Default 0.1. */
  explore?: number;
  /** Share of the gate spread evenly over the peers that answered, so none is shut out of learning. Default 0.05. */
  floor?: number;
  /** Highest uid the gate has a column for, plus one. Default 1024. */
  capacity?: number;
  seed?: number;
}

/**
 * The sparse gate over peers. Per token position, a logit for every peer from the local encoding (a learned
 * column per uid); the k peers queried are chosen from running scores (each peer's mean gate weight when
 * it was queried, so the choice never looks at the batch's future tokens), with exploration; their answers
 * are joined by a softmax over the k logits, peers that did not answer masked out and the rest renormalized.
 */
export class Gate {
  readonly topK: number;
  private readonly explore: number;
  private readonly floor: number;
  readonly capacity: number;
  private readonly random: () => number;
  private readonly weights: tf.Variable;
  private readonly bias: tf.Variable;
  /** Running mean gate weight per uid while queried (undefined: never tried). */
  private readonly scores = new Map<number, number>();

  constructor(params: ParamSet, dim: number, init: GateInit = {}) {
    this.topK = init.topK ?? 4;
    this.explore = init.explore ?? 0.1;
    this.floor = init.floor ?? 0.05;
    this.capacity = init.capacity ?? 1024;
    this.random = seededRandom(init.seed ?? 1);
    this.weights = params.normal('gate/weights', [dim, this.capacity], 0.01);
    this.bias = params.constant('gate/bias', [this.capacity], 0);
  }

  get variables(): tf.Variable[] {
    return [this.weights, this.bias];
  }

  /** The peers to query this step, from the candidates (uids other than ours that can be reached). */
  choose(candidates: readonly number[]): number[] {
    const valid = candidates.filter((u) => Number.isInteger(u) && u >= 0 && u < this.capacity);
    if (valid.length <= this.topK) return [...valid];
    // Untried peers first (score +Infinity), then by running score.
    const score = (u: number) => this.scores.get(u) ?? Number.POSITIVE_INFINITY;
    const ranked = [...valid].sort((a, b) => {
      const d = score(b) - score(a);
      return Number.isNaN(d) || d === 0 ? a - b : d;
    });
    const chosen = ranked.slice(0, this.topK);
    if (this.random() < this.explore) {
      const others = ranked.slice(this.topK);
      chosen[chosen.length - 1] = others[Math.floor(this.random() * others.length)]!;
    }
    return chosen;
  }

  /**
   * Gate weights [n, k] for local encodings h [n, dim] over the chosen uids; mask[i] false for a peer
   * that did not answer. Rows sum to 1 over the answered peers (all zeros when none answered).
   */
  mix(h: tf.Tensor2D, uids: readonly number[], mask: readonly boolean[]): tf.Tensor2D {
    const answered = mask.filter(Boolean).length;
    if (answered === 0) return tf.zeros([h.shape[0], uids.length]);
    // The chosen columns by a one-hot matmul: gather's gradient needs a kernel the wasm backend lacks.
    const pick = tf.oneHot(tf.tensor1d(Int32Array.from(uids), 'int32'), this.capacity).transpose() as tf.Tensor2D;
    const w = tf.matMul(this.weights as tf.Tensor2D, tf.cast(pick, 'float32')) as tf.Tensor2D;
    const b = tf.matMul(tf.reshape(this.bias, [1, this.capacity]), tf.cast(pick, 'float32'));
    const logits = tf.add(dense(h, w), b) as tf.Tensor2D;
    const blocked = tf.tensor1d(mask.map((m) => (m ? 0 : -1e9)));
    const soft = tf.softmax(tf.add(logits, blocked) as tf.Tensor2D);
    const even = tf.tensor1d(mask.map((m) => (m ? this.floor / answered : 0)));
    return tf.add(tf.mul(soft, 1 - this.floor), even) as tf.Tensor2D;
  }

  /** Records the mean gate weight each queried peer got (for the next choices and the dashboard). */
  observe(uids: readonly number[], meanWeight: readonly number[]): void {
    uids.forEach((u, i) => {
      const w = meanWeight[i]!;
      const old = this.scores.get(u);
      this.scores.set(u, old === undefined ? w : old * 0.9 + w * 0.1);
    });
  }

  /** Running mean gate weight per uid. */
  shares(): Map<number, number> {
    return new Map(this.scores);
  }
}

/** The context joined from peers' answers [n, dim] by gate weights g [n, k]; missing answers are undefined. */
export function joinAnswers(g: tf.Tensor2D, answers: ReadonlyArray<tf.Tensor2D | undefined>, dim: number): tf.Tensor2D {
  let ctx: tf.Tensor2D = tf.zeros([g.shape[0], dim]);
  answers.forEach((a, i) => {
    if (!a) return;
    const column = tf.slice(g, [0, i], [-1, 1]);
    ctx = tf.add(ctx, tf.mul(column, a)) as tf.Tensor2D;
  });
  return ctx;
}
