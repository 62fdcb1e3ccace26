import type { Batch } from './dataset.js';
import {
  readStepValues,
  releaseGradients,
  type GradientValues,
  type PeerAnswers,
  type StepValues,
  type Trainer,
} from './trainer.js';

/**
 * A gradient as it crosses between threads: every value, or only the rows (along its first axis) that are not
 * all zero. An embedding's gradient is nonzero only in the rows of the tokens its batch holds: a few hundred of
 * 8,193 here, and the two embeddings are more than half the model's parameters.
 */
export type PackedGradient = Float32Array | SparseRows;

export interface SparseRows {
  /** Rows and values per row of the whole gradient. */
  shape: [number, number];
  /** The rows kept, ascending. */
  rows: Int32Array;
  /** Their values, row after row ([rows.length * cols]). */
  values: Float32Array;
}

/** GradientValues with each gradient packed (packGradients). */
export interface PackedGradients {
  net: Record<string, PackedGradient>;
  solo: Record<string, PackedGradient> | undefined;
}

/**
 * Data-parallel training, the arithmetic: a batch split by rows into shards, each shard's gradients computed
 * by one replica of the model, and the shards' results combined into what one step on the whole batch gives.
 * Every loss is a mean over its batch's tokens, so the whole batch's gradient is the shards' gradients
 * weighted by their rows; the same holds for the losses and the mean gate weights. A peer's answer gradient is
 * per row already, only scaled by the shard's share of the rows. Float32 sums in another order: the result
 * equals one step on the whole batch within float tolerance, not bitwise.
 */

/** What one replica computed for its shard (flat arrays: they cross between threads). */
export interface ShardResult extends ShardValues {
  grads: PackedGradients;
}

/** What a shard's step reports besides its gradients, and its rows (sequences). */
export type ShardValues = StepValues & { rows: number };

/**
 * `values` (a gradient of `shape`) as its nonzero rows when at most half its rows are nonzero, else as it is.
 * Exact: the rows left out are all zeros (of either sign).
 */
export function packRows(values: Float32Array, shape: readonly number[]): PackedGradient {
  const rowCount = shape.length > 1 ? shape[0]! : 1;
  if (rowCount < 2 || values.length % rowCount !== 0) return values;
  const cols = values.length / rowCount;
  const kept: number[] = [];
  for (let r = 0, at = 0; r < rowCount; r++, at += cols) {
    for (let i = at; i < at + cols; i++) {
      if (values[i] !== 0) {
        kept.push(r);
        break;
      }
    }
    if (kept.length * 2 > rowCount) return values;
  }
  const rows = Int32Array.from(kept);
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, k) => out.set(values.subarray(r * cols, (r + 1) * cols), k * cols));
  return { shape: [rowCount, cols], rows, values: out };
}

/** Every value of a packed gradient (the zeros restored); a dense one as it is. */
export function unpackRows(p: PackedGradient): Float32Array {
  if (p instanceof Float32Array) return p;
  const [rowCount, cols] = p.shape;
  const out = new Float32Array(rowCount * cols);
  p.rows.forEach((r, k) => out.set(p.values.subarray(k * cols, (k + 1) * cols), r * cols));
  return out;
}

/** Packs every gradient (packRows); `shape` gives each one's shape by its key. */
export function packGradients(values: GradientValues, shape: (key: string) => readonly number[]): PackedGradients {
  const pack = (group: Record<string, Float32Array>) =>
    Object.fromEntries(Object.entries(group).map(([key, v]) => [key, packRows(v, shape(key))]));
  return { net: pack(values.net), solo: values.solo && pack(values.solo) };
}

/** Every value of every packed gradient. */
export function unpackGradients(packed: PackedGradients): GradientValues {
  const unpack = (group: Record<string, PackedGradient>) =>
    Object.fromEntries(Object.entries(group).map(([key, p]) => [key, unpackRows(p)]));
  return { net: unpack(packed.net), solo: packed.solo && unpack(packed.solo) };
}

/** Rows [start, end) of a batch. */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * Splits `rows` rows into at most `parts` contiguous ranges as equal as can be (the first ones a row longer);
 * never an empty range, so fewer ranges than parts when there are fewer rows.
 */
export function shardRanges(rows: number, parts: number): RowRange[] {
  const count = Math.max(1, Math.min(parts, rows));
  const base = Math.floor(rows / count);
  const extra = rows % count;
  const ranges: RowRange[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

/** The rows `range` of a batch, and of each peer's answer to it ([rows * seq * dim]); copies, not views. */
export function shardOf(
  batch: Batch,
  answers: PeerAnswers,
  range: RowRange,
  dim: number,
): { batch: Batch; answers: PeerAnswers } {
  const tokens = (r: number) => r * batch.seq;
  return {
    batch: {
      batch: range.end - range.start,
      seq: batch.seq,
      inputs: batch.inputs.slice(tokens(range.start), tokens(range.end)),
      targets: batch.targets.slice(tokens(range.start), tokens(range.end)),
    },
    answers: {
      uids: answers.uids,
      outputs: answers.outputs.map((o) => o?.slice(tokens(range.start) * dim, tokens(range.end) * dim)),
    },
  };
}

/** One shard's gradients and step values, computed on `trainer` (nothing changes in it) and read back. */
export async function computeShard(trainer: Trainer, batch: Batch, answers: PeerAnswers): Promise<ShardResult> {
  const computed = trainer.computeGradients(batch, answers);
  try {
    const grads = packGradients(await trainer.readGradients(computed.update), (key) => trainer.variableShape(key));
    return { rows: computed.rows, grads, ...(await readStepValues(computed)) };
  } finally {
    releaseGradients(computed);
  }
}

/** A shard's gradients and the rows they are the mean over: what each thread needs of the others' shards. */
export interface ShardGradients {
  rows: number;
  grads: PackedGradients;
}

/**
 * The whole batch's gradients from its shards' in row order, weighted by rows (each shard's are a mean over its
 * rows). Every thread that combines the same shards gets the same values, bit for bit.
 */
export function combineGradients(shards: readonly ShardGradients[]): PackedGradients {
  const first = shards[0];
  if (!first) throw new Error('no shards to combine');
  if (shards.length === 1) return first.grads;
  const rows = shards.reduce((sum, s) => sum + s.rows, 0);
  const weights = shards.map((s) => s.rows / rows);
  const meanGroup = (group: (s: ShardGradients) => Record<string, PackedGradient> | undefined) => {
    const own = group(first);
    if (!own) return undefined;
    return Object.fromEntries(
      Object.keys(own).map((key) => {
        const parts = shards.map((s) => group(s)?.[key]);
        if (parts.some((p) => p === undefined)) throw new Error(`shards disagree on the gradient of ${key}`);
        return [key, meanGradients(parts as PackedGradient[], weights, key)];
      }),
    );
  };
  return { net: meanGroup((s) => s.grads.net)!, solo: meanGroup((s) => s.grads.solo) };
}

/**
 * The update a step applies: the combined gradients with the peers' gradients (`remote`, the net's only) added,
 * every value given. A new array wherever it adds; the same on every thread for the same arguments.
 */
export function updateFrom(grads: PackedGradients, remote: PackedGradients | undefined): GradientValues {
  const { net, solo } = unpackGradients(grads);
  for (const [key, packed] of Object.entries(remote?.net ?? {})) {
    const own = net[key];
    if (!own) throw new Error(`a peer's gradient for ${key}, which this step does not update`);
    const r = unpackRows(packed);
    if (r.length !== own.length) throw new Error(`a peer's gradient for ${key} does not fit`);
    const sum = new Float32Array(own.length);
    for (let i = 0; i < sum.length; i++) sum[i] = own[i]! + r[i]!;
    net[key] = sum;
  }
  return { net, solo };
}

/**
 * The whole batch's losses, gate means (weighted by rows) and peers' answer gradients (joined in row order) from
 * its shards', in row order. All shards come from replicas of one model on one batch's answers: the same peers
 * answered.
 */
export function combineStepValues(shards: readonly ShardValues[]): ShardValues {
  const first = shards[0];
  if (!first) throw new Error('no shards to combine');
  const rows = shards.reduce((sum, s) => sum + s.rows, 0);
  const weights = shards.map((s) => s.rows / rows);
  const mean = (value: (s: ShardValues) => number) => shards.reduce((sum, s, k) => sum + weights[k]! * value(s), 0);
  const peerGrads = first.peerGrads.map((g, peer) => {
    if (!g) return undefined;
    const parts = shards.map((s) => s.peerGrads[peer]);
    const out = new Float32Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
    let at = 0;
    parts.forEach((p, k) => {
      if (!p) throw new Error(`shards disagree on whether peer ${peer} answered`);
      scaleInto(out, at, p, weights[k]!);
      at += p.length;
    });
    return out;
  });
  return {
    rows,
    loss: mean((s) => s.loss),
    lossStudent: mean((s) => s.lossStudent),
    lossSolo: first.lossSolo === undefined ? undefined : mean((s) => s.lossSolo!),
    gate: first.gate.map((_, i) => mean((s) => s.gate[i]!)),
    peerGrads,
  };
}

/** out[at + i] = w * p[i] (its own function: a loop the JIT optimizes once, not per call site). */
function scaleInto(out: Float32Array, at: number, p: Float32Array, w: number): void {
  for (let i = 0; i < p.length; i++) out[at + i] = w * p[i]!;
}

/**
 * Which thread updates each variable (ZeRO-1 style: each thread keeps Adam's moments for its own variables
 * only, updates them, and sends the others their new values): keys by size, largest first, each to the
 * thread with the fewest values so far (the lowest index on a tie). The same on every thread for the same keys.
 */
export function assignOwners(
  keys: readonly string[],
  size: (key: string) => number,
  threads: number,
): Map<string, number> {
  const load = new Array<number>(Math.max(1, threads)).fill(0);
  const owners = new Map<string, number>();
  const bySize = keys.map((key, i) => ({ key, i, n: size(key) })).sort((a, b) => b.n - a.n || a.i - b.i);
  for (const { key, n } of bySize) {
    const least = load.indexOf(Math.min(...load));
    owners.set(key, least);
    load[least]! += n;
  }
  return owners;
}

/** The gradients of the variables `keep` accepts, in their order (the arrays shared, not copied). */
export function pickGradients(grads: PackedGradients, keep: (key: string) => boolean): PackedGradients {
  const pick = (group: Record<string, PackedGradient>) =>
    Object.fromEntries(Object.entries(group).filter(([key]) => keep(key)));
  return { net: pick(grads.net), solo: grads.solo && pick(grads.solo) };
}

/**
 * sum_k weights[k] * parts[k], each element summed in the same order whether the parts are dense or sparse (a
 * row a shard left out adds an exact zero), so the result is the same either way. Sparse when every part is.
 */
function meanGradients(parts: readonly PackedGradient[], weights: readonly number[], key: string): PackedGradient {
  if (parts.every((p): p is SparseRows => !(p instanceof Float32Array))) return meanSparse(parts, weights, key);
  const arrays = parts.map(unpackRows);
  const length = arrays[0]!.length;
  if (arrays.some((a) => a.length !== length)) throw new Error(`shards disagree on the gradient of ${key}`);
  const out = new Float32Array(length);
  if (arrays.length === 2) {
    // Two threads, the common case, in one flat loop (about 5x faster than indexing the shards per element).
    const [a, b] = arrays as [Float32Array, Float32Array];
    const [wa, wb] = weights as [number, number];
    for (let i = 0; i < length; i++) out[i] = wa * a[i]! + wb * b[i]!;
    return out;
  }
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (let k = 0; k < arrays.length; k++) sum += weights[k]! * arrays[k]![i]!;
    out[i] = sum;
  }
  return out;
}

function meanSparse(parts: readonly SparseRows[], weights: readonly number[], key: string): SparseRows {
  const [rowCount, cols] = parts[0]!.shape;
  if (parts.some((p) => p.shape[0] !== rowCount || p.shape[1] !== cols))
    throw new Error(`shards disagree on the gradient of ${key}`);
  // Where each row is in each part (-1: not there), and the union of rows, ascending.
  const at = parts.map((p) => {
    const index = new Int32Array(rowCount).fill(-1);
    p.rows.forEach((r, k) => (index[r] = k * cols));
    return index;
  });
  const rows: number[] = [];
  for (let r = 0; r < rowCount; r++) if (at.some((index) => index[r]! >= 0)) rows.push(r);
  const values = new Float32Array(rows.length * cols);
  rows.forEach((r, j) => {
    for (let i = 0; i < cols; i++) {
      let sum = 0;
      for (let k = 0; k < parts.length; k++) {
        const start = at[k]![r]!;
        if (start >= 0) sum += weights[k]! * parts[k]!.values[start + i]!;
      }
      values[j * cols + i] = sum;
    }
  });
  return { shape: [rowCount, cols], rows: Int32Array.from(rows), values };
}
