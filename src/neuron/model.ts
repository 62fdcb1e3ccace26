/**
 * The function a neuron serves. Until the learning loop lands, the default is a deterministic stand-in:
 * each token id maps to a fixed pseudo-random vector, mixed with its position.
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

/** The deterministic stand-in model: out[b, s, d] depends only on (token, s, d). */
export class HashingModel implements NeuronModel {
  /** Sum of squared gradient entries received, so that tests can see backward calls arrive. */
  gradientEnergy = 0;
  backwardCalls = 0;

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

  backward(_tokens: Int32Array, grads: Float32Array): void {
    let e = 0;
    for (let i = 0; i < grads.length; i++) e += grads[i] * grads[i];
    this.gradientEnergy += e;
    this.backwardCalls++;
  }
}
