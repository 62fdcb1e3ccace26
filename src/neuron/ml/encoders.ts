import { tf } from './tf.js';
import { buildVocabulary, GPT2_VOCAB, type Vocabulary } from './dataset.js';
import { delayedTaps, dense, embeddingLookup, layerNorm } from './ops.js';
import { ParamSet, type Weights } from './params.js';

/**
 * The function a neuron serves: GPT-2 token ids [batch, seq] -> representations [batch, seq, dim]. Plugins
 * behind one interface: a trainable causal conv encoder, a pretrained model served as it is, and junk.
 */
export interface Encoder {
  readonly kind: EncoderKind;
  readonly dim: number;
  /** Whether training (its own loss, and peers' gradients) changes it. */
  readonly trainable: boolean;
  /** ids: int32 [batch, seq]. Pure: call inside tf.tidy or a gradient tape. */
  apply(ids: tf.Tensor2D): tf.Tensor3D;
  readonly variables: readonly tf.Variable[];
  /** Its weights by name (empty when it has none): what the serving copy and checkpoints receive. */
  readWeights(): Promise<Weights>;
  writeWeights(weights: Weights): void;
  /** What rebuilds the same encoder elsewhere (the serving copy, a checkpoint); JSON-serializable. */
  config(): EncoderConfig;
  dispose(): void;
}

export type EncoderKind = 'conv' | 'junk' | 'pretrained';

export interface ConvEncoderConfig {
  kind: 'conv';
  dim: number;
  /** Input classes: the most frequent GPT-2 tokens of the neuron's text; the rest share one embedding. */
  inputTokens: number[];
  blocks: number;
  kernel: number;
  ffn: number;
  seed: number;
}
export interface JunkEncoderConfig {
  kind: 'junk';
  dim: number;
  seed: number;
}
export interface PretrainedEncoderConfig {
  kind: 'pretrained';
  dim: number;
  /** Folder of a TF.js layers model (model.json + weight files). */
  path: string;
}
export type EncoderConfig = ConvEncoderConfig | JunkEncoderConfig | PretrainedEncoderConfig;

/** Default conv encoder shape (the trials' ~0.8M-parameter model with 2,048 output classes). */
export const CONV_DEFAULTS = { blocks: 2, kernel: 4, ffn: 256, inputVocab: 8192 } as const;

/** The conv encoder's input vocabulary from the neuron's training stream. */
export function inputTokensFor(stream: Int32Array, size: number = CONV_DEFAULTS.inputVocab): number[] {
  const v: Vocabulary = buildVocabulary(stream, size);
  return Array.from(v.tokenOf.subarray(0, size)).filter((t) => t >= 0);
}

/**
 * Embedding, then blocks of a causal dilated convolution (its kernel taps as one matmul of delayed copies: wasm
 * has no Conv2D filter gradient) with ReLU, a feed-forward layer, a residual connection and LayerNorm. Dilations
 * grow 1, 4, 16, ... so that two blocks see 16 tokens back.
 */
export class ConvEncoder implements Encoder {
  readonly kind = 'conv';
  readonly trainable = true;
  readonly dim: number;
  private readonly params: ParamSet;
  private readonly classOf: tf.Tensor1D;
  private readonly embedding: tf.Variable;
  private readonly blocks: Array<{
    taps: tf.Variable[];
    w1: tf.Variable;
    b1: tf.Variable;
    w2: tf.Variable;
    gain: tf.Variable;
    bias: tf.Variable;
    dilation: number;
  }>;

  constructor(
    private readonly cfg: ConvEncoderConfig,
    prefix = 'encoder',
  ) {
    this.dim = cfg.dim;
    const classes = new Int32Array(GPT2_VOCAB).fill(cfg.inputTokens.length);
    cfg.inputTokens.forEach((t, i) => (classes[t] = i));
    this.classOf = tf.tensor1d(classes, 'int32');
    this.params = new ParamSet(prefix, cfg.seed);
    const p = this.params;
    const d = cfg.dim;
    this.embedding = p.normal('embedding', [cfg.inputTokens.length + 1, d], 1);
    this.blocks = Array.from({ length: cfg.blocks }, (_, b) => ({
      taps: Array.from({ length: cfg.kernel }, (_, k) =>
        p.normal(`block${b}/tap${k}`, [d, d], 1.4 / Math.sqrt(d * cfg.kernel)),
      ),
      w1: p.matrix(`block${b}/w1`, d, cfg.ffn, 1.4),
      b1: p.constant(`block${b}/b1`, [cfg.ffn], 0),
      w2: p.matrix(`block${b}/w2`, cfg.ffn, d),
      gain: p.constant(`block${b}/gain`, [d], 1),
      bias: p.constant(`block${b}/bias`, [d], 0),
      dilation: cfg.kernel ** b,
    }));
  }

  get variables(): readonly tf.Variable[] {
    return this.params.variables;
  }

  /** Each variable's name within the encoder (readWeights' keys; its tfjs name is unique per process). */
  get variableKeys(): ReadonlyMap<tf.Variable, string> {
    return this.params.keys;
  }

  readWeights(): Promise<Weights> {
    return this.params.read();
  }

  writeWeights(weights: Weights): void {
    this.params.write(weights);
  }

  apply(ids: tf.Tensor2D): tf.Tensor3D {
    const [b, s] = ids.shape;
    const d = this.dim;
    const classes = tf.gather(this.classOf, tf.reshape(ids, [-1]));
    let h = tf.reshape(embeddingLookup(this.embedding as tf.Tensor2D, classes as tf.Tensor1D), [
      b,
      s,
      d,
    ]) as tf.Tensor3D;
    for (const block of this.blocks) {
      // Every tap in one matmul: the delayed copies side by side against the taps stacked.
      const stacked = block.taps.length === 1 ? block.taps[0]! : tf.concat(block.taps, 0);
      const conv = dense(delayedTaps(h, block.taps.length, block.dilation), stacked as tf.Tensor2D);
      const mixed = tf.relu(conv);
      const hidden = tf.relu(tf.add(dense(mixed, block.w1 as tf.Tensor2D), block.b1)) as tf.Tensor2D;
      const out = dense(hidden, block.w2 as tf.Tensor2D);
      h = layerNorm(
        tf.add(h, tf.reshape(out, [b, s, d])),
        block.gain as tf.Tensor1D,
        block.bias as tf.Tensor1D,
      ) as tf.Tensor3D;
    }
    return h;
  }

  config(): ConvEncoderConfig {
    return this.cfg;
  }

  dispose(): void {
    this.params.dispose();
    this.classOf.dispose();
  }
}

/**
 * A peer that adds nothing: answers N(0, 1) noise that does not depend on its input, fresh for every
 * request. For experiments and tests of the incentive mechanism.
 */
export class JunkEncoder implements Encoder {
  readonly kind = 'junk';
  readonly trainable = false;
  readonly variables: readonly tf.Variable[] = [];
  private calls = 0;

  constructor(private readonly cfg: JunkEncoderConfig) {}

  get dim(): number {
    return this.cfg.dim;
  }

  apply(ids: tf.Tensor2D): tf.Tensor3D {
    const [b, s] = ids.shape;
    return tf.randomNormal([b, s, this.dim], 0, 1, 'float32', this.cfg.seed * 7919 + this.calls++);
  }

  readWeights(): Promise<Weights> {
    return Promise.resolve({});
  }

  writeWeights(): void {}

  config(): JunkEncoderConfig {
    return this.cfg;
  }

  dispose(): void {}
}
