import { seededRandom } from '../../shared/random.js';
import type { WeightMap } from '../../shared/training.js';
import { tf } from './tf.js';

/**
 * Named trainable variables, created from a seed so that two models built with the same seed start equal
 * (the solo twin starts where the networked model starts). Names are the checkpoint keys.
 */
export class ParamSet {
  readonly variables: tf.Variable[] = [];
  /** Each variable's name within the set (its tfjs name is unique per process: several models may coexist). */
  readonly keys = new Map<tf.Variable, string>();
  private readonly random: () => number;
  private readonly tag: string;
  private static sets = 0;

  constructor(prefix: string, seed: number) {
    this.random = seededRandom(seed);
    this.tag = `${prefix}#${++ParamSet.sets}`;
  }

  /** Normal(0, scale) entries (Box-Muller on the seeded generator). */
  normal(name: string, shape: number[], scale: number): tf.Variable {
    return this.add(name, tf.tensor(normalValues(this.random, shape, scale), shape));
  }

  /** Glorot-style initialization for a [fanIn, fanOut] matrix. */
  matrix(name: string, fanIn: number, fanOut: number, gain = 1): tf.Variable {
    return this.normal(name, [fanIn, fanOut], gain / Math.sqrt(fanIn));
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  fromValues(name: string, values: Float32Array, shape: number[]): tf.Variable {
    return this.add(name, tf.tensor(values, shape));
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.tag}/${name}`);
    init.dispose();
    this.variables.push(v);
    this.keys.set(v, name);
    return v;
  }

  /** The values of every variable, by its name within the set (read asynchronously: WebGPU has no sync read). */
  async read(): Promise<Weights> {
    const values = await Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
    const out: Weights = {};
    this.variables.forEach((v, i) => (out[this.keys.get(v)!] = values[i]!));
    return out;
  }

  /** Assigns values by name; a missing name or a wrong length throws before anything is assigned. */
  write(weights: Weights): void {
    for (const v of this.variables) {
      const key = this.keys.get(v)!;
      const w = weights[key];
      if (!w) throw new Error(`the weights lack ${key}`);
      if (w.length !== v.size) throw new Error(`${key} holds ${w.length} values, expected ${v.size}`);
    }
    for (const v of this.variables) {
      const t = tf.tensor(weights[this.keys.get(v)!]!, v.shape);
      v.assign(t);
      t.dispose();
    }
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.variables.length = 0;
    this.keys.clear();
  }
}

/**
 * Normal(0, scale) values for a tensor of `shape`, drawn from `random` (Box-Muller, two values per pair of
 * draws): what ParamSet.normal() initializes a variable with, without creating one.
 */
export function normalValues(random: () => number, shape: readonly number[], scale: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) * scale;
    data[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) data[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return data;
}

/** The values of variables, by name: what checkpoints hold and what the serving copy receives. */
export type Weights = WeightMap;
