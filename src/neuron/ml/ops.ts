/**
 * Differentiable building blocks with gradients written for speed on the WebAssembly backend, where some of
 * tfjs' own gradients are slow or missing: gather's needs UnsortedSegmentSum (absent in wasm), matMul's use
 * transpose flags (~12x slower there than transposing first), and logSoftmax is ~9x slower than a fused
 * softmax cross-entropy. Every function here is pure: call it inside tf.tidy or a gradient tape.
 */
import { tf } from './tf.js';

/**
 * x [n, a] · w [a, b]. The gradient's transposes: explicit ones on CPU backends; on WebGPU the matmul reads its
 * operands transposed itself (webgpu-matmul.ts, and tfjs's programs), which saves a kernel each.
 */
export const dense = tf.customGrad((x, w, save) => {
  const [a, b] = [x as tf.Tensor2D, w as tf.Tensor2D];
  (save as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      if (tf.getBackend() === 'webgpu') return [tf.matMul(g, ws, false, true), tf.matMul(xs, g, true, false)];
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Rows of `table` [v, d] for `ids` [n] (int32); the gradient is scattered back with scatterND (sums repeats). */
export const embeddingLookup = tf.customGrad((table, ids, save) => {
  const t = table as tf.Tensor2D;
  (save as tf.GradSaveFunc)([ids as tf.Tensor]);
  return {
    value: tf.gather(t, ids as tf.Tensor1D),
    gradFunc: (dy, saved) => {
      const [i] = saved as [tf.Tensor1D];
      return [tf.scatterND(tf.expandDims(i, 1), dy, t.shape), tf.zerosLike(i)];
    },
  };
}) as (table: tf.Tensor2D, ids: tf.Tensor1D) => tf.Tensor2D;

/**
 * Mean cross-entropy of logits z [n, c] against target distributions p [n, c] (one-hot rows for the true
 * next token, soft rows for distillation): mean(logsumexp(z) - Σ p·z). One pass for the value and the
 * gradient (softmax(z) - p) / n; no gradient flows into p (a detached target).
 */
export const softmaxCrossEntropy = tf.customGrad((z, p, save) => {
  const logits = z as tf.Tensor2D;
  const target = p as tf.Tensor2D;
  const max = tf.max(logits, 1, true);
  const exp = tf.exp(tf.sub(logits, max));
  const sum = tf.sum(exp, 1, true);
  const logSumExp = tf.squeeze(tf.add(max, tf.log(sum)), [1]);
  const value = tf.mean(tf.sub(logSumExp, tf.sum(tf.mul(target, logits), 1))) as tf.Scalar;
  (save as tf.GradSaveFunc)([tf.div(exp, sum), target]);
  return {
    value,
    gradFunc: (dy, saved) => {
      const [softmax, t] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.mul(tf.sub(softmax, t), tf.div(dy, softmax.shape[0])), tf.zerosLike(t)];
    },
  };
}) as (z: tf.Tensor2D, p: tf.Tensor2D) => tf.Scalar;

/**
 * The values of the tensor `f` makes, with every intermediate tensor freed. Never return a typed array from
 * tf.tidy itself: tidy walks its result looking for tensors to keep, one element at a time (~80 ms for a
 * 512 x 512 array).
 */
export function readOut(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

/**
 * The values of the tensor `f` makes, read asynchronously (the only read WebGPU has), with every intermediate
 * tensor freed.
 */
export async function readOutAsync(f: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(f);
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/**
 * Softmax of logits [n, c] with no gradient into z (zeros): the detached target of distillation, computed and
 * kept on the backend (no read back).
 */
export const detachedSoftmax = tf.customGrad((z) => ({
  value: tf.softmax(z as tf.Tensor2D),
  gradFunc: (dy) => tf.zerosLike(dy),
})) as (z: tf.Tensor2D) => tf.Tensor2D;

/** Layer normalization over the last axis with gain and bias. */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gain), bias);
}

/** x [b, s, d] delayed by k positions along s (zeros first): what position t sees of t - k, causally. */
export function delay(x: tf.Tensor3D, k: number): tf.Tensor3D {
  if (k === 0) return x;
  const [b, s, d] = x.shape;
  if (k >= s) return tf.zerosLike(x);
  return tf.concat([tf.zeros([b, k, d]), tf.slice(x, [0, 0, 0], [b, s - k, d])], 1);
}
