/**
 * The function a neuron serves: a trained encoder (ml/serving.ts), a pretrained one, junk, or the deterministic
 * HashingModel below, which `neuron serve` runs without a model and the network tests use.
 */
export interface NeuronModel {
  /** Output width (the network dimension). */
  readonly dim: number;
  /** Token ids [batch, seq] (row-major) to representations [batch, seq, dim]. */
  forward(tokens: Int32Array, batch: number, seq: number): Float32Array;
  /**
   * Gradients [batch, seq, dim] for the outputs of `tokens`, already checked (shape, finite, bounded);
   * a trainable model applies them. `caller` is the sender's PeerId string, so that it can be weighted.
   */
  backward(tokens: Int32Array, grads: Float32Array, batch: number, seq: number, caller?: string): void;
}

/** A deterministic model: out[b, s, d] depends only on (token, s, d); it learns nothing from gradients. */
export class HashingModel implements NeuronModel {
  constructor(readonly dim: number) {}

  forward(tokens: Int32Array, batch: number, seq: number): Float32Array {
    const dim = this.dim;
    const out = new Float32Array(batch * seq * dim);
    for (let i = 0; i < batch * seq; i++) {
      const token = tokens[i];
      const position = i % seq;
      let h = (Math.imul(token + 1, 0x9e3779b1) ^ Math.imul(position + 1, 0x85ebca6b)) >>> 0;
      const base = i * dim;
      for (let d = 0; d < dim; d++) {
        h ^= h << 13;
        h ^= h >>> 17;
        h ^= h << 5;
        out[base + d] = (h >>> 0) / 4294967296 - 0.5;
      }
    }
    return out;
  }

  backward(_tokens: Int32Array, _grads: Float32Array): void {
    // Nothing to learn: the answers stay the same whatever gradients arrive.
  }
}
