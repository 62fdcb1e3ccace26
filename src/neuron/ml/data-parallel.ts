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
 * Data-parallel training, the arithmetic: a batch split by rows into shards, each shard's gradients computed
 * by one replica of the model, and the shards' results combined into what one step on the whole batch gives.
 * Every loss is a mean over its batch's tokens, so the whole batch's gradient is the shards' gradients
 * weighted by their rows; the same holds for the losses and the mean gate weights. A peer's answer gradient is
 * per row already, only scaled by the shard's share of the rows. Float32 sums in another order: the result
 * equals one step on the whole batch within float tolerance, not bitwise.
 */

/** What one replica computed for its shard (flat arrays: they cross between threads). */
export interface ShardResult extends StepValues {
  /** Rows (sequences) of the shard. */
  rows: number;
  grads: GradientValues;
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
    const grads = await trainer.readGradients(computed.update);
    return { rows: computed.rows, grads, ...(await readStepValues(computed)) };
  } finally {
    releaseGradients(computed);
  }
}

/**
 * The whole batch's result from its shards' in row order: gradients, losses and gate means weighted by rows,
 * peers' answer gradients joined in row order. All shards come from replicas of one model on one batch's
 * answers: the same variables and the same peers answered.
 */
export function combineShards(shards: readonly ShardResult[]): ShardResult {
  const first = shards[0];
  if (!first) throw new Error('no shards to combine');
  if (shards.length === 1) return first;
  const rows = shards.reduce((sum, s) => sum + s.rows, 0);
  const weights = shards.map((s) => s.rows / rows);
  const mean = (value: (s: ShardResult) => number) => shards.reduce((sum, s, k) => sum + weights[k]! * value(s), 0);
  const meanArrays = (arrays: ReadonlyArray<Float32Array | undefined>, key: string): Float32Array => {
    const parts = arrays.map((a) => {
      if (!a || a.length !== arrays[0]!.length) throw new Error(`shards disagree on the gradient of ${key}`);
      return a;
    });
    const out = new Float32Array(parts[0]!.length);
    if (parts.length === 2) {
      // Two threads, the common case, in one flat loop (about 5x faster than indexing the shards per element);
      // the same sum in the same order, so the same result.
      const [a, b] = parts as [Float32Array, Float32Array];
      const [wa, wb] = weights as [number, number];
      for (let i = 0; i < out.length; i++) out[i] = wa * a[i]! + wb * b[i]!;
      return out;
    }
    for (let i = 0; i < out.length; i++) {
      let sum = 0;
      for (let k = 0; k < parts.length; k++) sum += weights[k]! * parts[k]![i]!;
      out[i] = sum;
    }
    return out;
  };
  const meanGroup = (group: (s: ShardResult) => Record<string, Float32Array> | undefined) => {
    const own = group(first);
    if (!own) return undefined;
    return Object.fromEntries(
      Object.keys(own).map((key) => [
        key,
        meanArrays(
          shards.map((s) => group(s)?.[key]),
          key,
        ),
      ]),
    );
  };
  const peerGrads = first.peerGrads.map((g, peer) => {
    if (!g) return undefined;
    const parts = shards.map((s) => s.peerGrads[peer]);
    const out = new Float32Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
    let at = 0;
    parts.forEach((p, k) => {
      if (!p) throw new Error(`shards disagree on whether peer ${peer} answered`);
      for (let i = 0; i < p.length; i++) out[at + i] = weights[k]! * p[i]!;
      at += p.length;
    });
    return out;
  });
  return {
    rows,
    grads: { net: meanGroup((s) => s.grads.net)!, solo: meanGroup((s) => s.grads.solo) },
    loss: mean((s) => s.loss),
    lossStudent: mean((s) => s.lossStudent),
    lossSolo: first.lossSolo === undefined ? undefined : mean((s) => s.lossSolo!),
    gate: first.gate.map((_, i) => mean((s) => s.gate[i]!)),
    peerGrads,
  };
}
