/**
 * Differentiable building blocks with gradients written for speed on the WebAssembly backend, where some of
 * tfjs' own gradients are slow or missing: gather's needs UnsortedSegmentSum (absent in wasm), matMul's use
 * transpose flags (~12x slower there than transposing first), and logSoftmax is ~9x slower than a fused
 * softmax cross-entropy. Every function here is pure: call it inside tf.tidy or a gradient tape.
 */
import { tf } from './tf.js';

/**
 * x [n, a] · w [a, b]. The gradient's transposes: explicit ones on CPU backends; on WebGPU the matmul reads its
 * operands transposed itself (webgpu-matmul.ts, and tfjs's programs), which saves a kernel each. The gradient's
 * transposes are freed as soon as it is made (a custom gradient's temporaries otherwise live until the whole
 * backward pass ends).
 */
export const dense = tf.customGrad((x, w, save) => {
  const [a, b] = [x as tf.Tensor2D, w as tf.Tensor2D];
  (save as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, saved) =>
      tf.tidy(() => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        if (tf.getBackend() === 'webgpu') return [tf.matMul(g, ws, false, true), tf.matMul(xs, g, true, false)];
        return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
      }),
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Rows of `table` [v, d] for `ids` [n] (int32); the gradient is scattered back with scatterND (sums repeats). */
export const embeddingLookup = tf.customGrad((table, ids, save) => {
  const t = table as tf.Tensor2D;
  (save as tf.GradSaveFunc)([ids as tf.Tensor]);
  return {
    value: tf.gather(t, ids as tf.Tensor1D),
    gradFunc: (dy, saved) =>
      tf.tidy(() => {
        const [i] = saved as [tf.Tensor1D];
        return [tf.scatterND(tf.expandDims(i, 1), dy, t.shape), tf.zerosLike(i)];
      }),
  };
}) as (table: tf.Tensor2D, ids: tf.Tensor1D) => tf.Tensor2D;

/**
 * Mean cross-entropies of logits z [n, c] against target distributions [n, c] each (one-hot rows for the true
 * next token, soft rows for distillation), one value per target: mean(logsumexp(z) - Σ p·z). One softmax for
 * all of them, the only [n, c] tensor kept for the gradient, which is Σ_j dy_j (softmax(z) - p_j) / n and
 * flows into z alone: the targets are detached (no gradient, not even zeros, is made for them).
 */
export function softmaxCrossEntropies(z: tf.Tensor2D, targets: readonly tf.Tensor2D[]): tf.Tensor1D {
  const loss = tf.customGrad((x, save) => {
    const logits = x as tf.Tensor2D;
    const max = tf.max(logits, 1, true);
    const exp = tf.exp(tf.sub(logits, max));
    const sum = tf.sum(exp, 1, true);
    const logSumExp = tf.squeeze(tf.add(max, tf.log(sum)), [1]);
    const each = targets.map((p) => tf.mean(tf.sub(logSumExp, tf.sum(tf.mul(p, logits), 1))));
    (save as tf.GradSaveFunc)([tf.div(exp, sum), ...targets]);
    return {
      value: tf.stack(each) as tf.Tensor1D,
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [softmax, ...ps] = saved as tf.Tensor2D[];
          const scale = tf.div(dy, softmax!.shape[0]);
          const weights = tf.unstack(scale);
          let g = tf.mul(softmax!, tf.sum(scale));
          ps.forEach((p, j) => (g = tf.sub(g, tf.mul(p, weights[j]!))));
          return [g];
        }),
    };
  });
  return loss(z) as tf.Tensor1D;
}

/** The mean cross-entropy of logits z [n, c] against one target p [n, c] (softmaxCrossEntropies). */
export function softmaxCrossEntropy(z: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  return tf.reshape(softmaxCrossEntropies(z, [p]), []) as tf.Scalar;
}

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
