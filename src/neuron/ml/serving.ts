import type { ServingSnapshot } from '../../shared/training.js';
import type { NeuronModel } from '../model.js';
import { tf } from './tf.js';
import { readOut } from './ops.js';
import { ConvEncoder, JunkEncoder, type Encoder, type EncoderConfig } from './encoders.js';
import { PretrainedEncoder } from './pretrained.js';

/** Builds the encoder a config describes (a pretrained one is loaded from its folder). */
export async function createEncoder(config: EncoderConfig, prefix = 'serve/encoder'): Promise<Encoder> {
  switch (config.kind) {
    case 'conv':
      return new ConvEncoder(config, prefix);
    case 'junk':
      return new JunkEncoder(config);
    case 'pretrained':
      return PretrainedEncoder.load(config.path);
  }
}

/** Where a gradient a peer sent goes (the training worker), with the sender's PeerId. */
export type GradientSink = (
  tokens: Int32Array,
  grads: Float32Array,
  batch: number,
  seq: number,
  caller?: string,
) => void;

/**
 * The function the axon serves: a copy of the encoder, refreshed from the trainer every few steps, so that
 * answering peers never waits on a training step. Every forward runs inside tf.tidy (nothing leaks while
 * serving); gradients go to the sink, which hands them to the trainer.
 */
export class ServingModel implements NeuronModel {
  /** The trainer's step of the weights being served. */
  step = 0;

  constructor(
    private readonly encoder: Encoder,
    private readonly sink?: GradientSink,
  ) {}

  get dim(): number {
    return this.encoder.dim;
  }

  get kind(): Encoder['kind'] {
    return this.encoder.kind;
  }

  /** Takes new weights from the trainer. */
  update(snapshot: ServingSnapshot): void {
    this.encoder.writeWeights(snapshot.weights);
    this.step = snapshot.step;
  }

  forward(tokens: Int32Array, batch: number, seq: number): Float32Array {
    return readOut(() => this.encoder.apply(tf.tensor2d(tokens, [batch, seq], 'int32')));
  }

  backward(tokens: Int32Array, grads: Float32Array, batch: number, seq: number, caller?: string): void {
    if (this.encoder.trainable) this.sink?.(tokens, grads, batch, seq, caller);
  }

  dispose(): void {
    this.encoder.dispose();
  }
}
