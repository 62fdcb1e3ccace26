import { seededRandom } from '../../shared/random.js';

/** GPT-2's vocabulary size and its end-of-text token, which separates files in a token stream. */
export const GPT2_VOCAB = 50257;
export const END_OF_TEXT = 50256;

/**
 * A truncated vocabulary: the `size` most frequent GPT-2 tokens of a stream, each mapped to a class
 * 0..size-1, and every other token to the unknown class `size`. A softmax over all 50,257 tokens costs too
 * much on a CPU; the head predicts these size + 1 classes. `logPrior` is the log-frequency of each class
 * (the head's initial bias), smoothed so that none is -Infinity.
 */
export interface Vocabulary {
  readonly size: number;
  /** GPT-2 id -> class. */
  readonly classOf: Int32Array;
  /** class -> GPT-2 id (the unknown class has none: -1). */
  readonly tokenOf: Int32Array;
  readonly logPrior: Float32Array;
}

export function buildVocabulary(tokens: Int32Array, size: number): Vocabulary {
  const counts = new Float64Array(GPT2_VOCAB);
  for (const t of tokens) counts[t]!++;
  const order = Array.from({ length: GPT2_VOCAB }, (_, i) => i)
    .filter((i) => counts[i]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, size);
  const classOf = new Int32Array(GPT2_VOCAB).fill(size);
  const tokenOf = new Int32Array(size + 1).fill(-1);
  order.forEach((token, c) => {
    classOf[token] = c;
    tokenOf[c] = token;
  });
  const classCounts = new Float64Array(size + 1);
  for (const t of tokens) classCounts[classOf[t]!]!++;
  const total = tokens.length + size + 1;
  const logPrior = Float32Array.from(classCounts, (n) => Math.log((n + 1) / total));
  return { size, classOf, tokenOf, logPrior };
}

/** A batch: inputs [batch, seq] and the next token after each input position, both GPT-2 ids. */
export interface Batch {
  batch: number;
  seq: number;
  inputs: Int32Array;
  targets: Int32Array;
}

/** Windows of seq + 1 tokens from a stream: inputs are the first seq, targets the last seq. */
function window(stream: Int32Array, starts: number[], seq: number): Batch {
  const inputs = new Int32Array(starts.length * seq);
  const targets = new Int32Array(starts.length * seq);
  starts.forEach((s, b) => {
    inputs.set(stream.subarray(s, s + seq), b * seq);
    targets.set(stream.subarray(s + 1, s + seq + 1), b * seq);
  });
  return { batch: starts.length, seq, inputs, targets };
}

/** Random training batches from a stream, reproducible from the seed; `skip(n)` resumes after n batches. */
export class BatchSampler {
  private readonly random: () => number;
  private drawn = 0;

  constructor(
    private readonly stream: Int32Array,
    private readonly batch: number,
    private readonly seq: number,
    seed: number,
  ) {
    if (stream.length < seq + 2) throw new RangeError(`a stream of ${stream.length} tokens is shorter than a window`);
    this.random = seededRandom(seed);
  }

  next(): Batch {
    this.drawn++;
    const span = this.stream.length - this.seq - 1;
    const starts = Array.from({ length: this.batch }, () => Math.floor(this.random() * span));
    return window(this.stream, starts, this.seq);
  }

  /** Draws and drops n batches, so that a restarted trainer sees the batches it would have seen next. */
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.next();
  }

  get batchesDrawn(): number {
    return this.drawn;
  }
}

/** Up to `count` fixed, non-overlapping validation batches from the start of a stream. */
export function validationBatches(stream: Int32Array, batch: number, seq: number, count: number): Batch[] {
  const out: Batch[] = [];
  let at = 0;
  while (out.length < count && at + batch * (seq + 1) <= stream.length) {
    out.push(
      window(
        stream,
        Array.from({ length: batch }, (_, b) => at + b * (seq + 1)),
        seq,
      ),
    );
    at += batch * (seq + 1);
  }
  return out;
}
