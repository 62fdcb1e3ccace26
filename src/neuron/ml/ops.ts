/**
 * Differentiable building blocks with gradients written for speed on the WebAssembly backend, where some of
 * tfjs' own gradients are slow or missing: gather's needs UnsortedSegmentSum (absent in wasm), matMul's use
 * transpose flags (~12x slower there than transposing first), and logSoftmax is ~9x slower than a fused
 * softmax cross-entropy. Each also frees its temporaries at once: a custom gradient's and a tape's otherwise live
 * until the whole step ends, and the [tokens, classes] ones are what a step's memory peaks on. Every function here is pure: call it inside tf.tidy or a gradient tape.
 */
import { tf } from './tf.js';
import { wasmMatMulActive } from './wasm-matmul.js';

/**
 * The gradients of x [n, a] · w [a, b] for dy [n, b]. On WebGPU and with our WebAssembly matmul the product reads
 * its operands transposed itself (webgpu-matmul.ts and tfjs's programs; wasm-matmul.ts), which saves a kernel
 * each; elsewhere (tfjs's WebAssembly matmul: ~12x slower transposed) the operands are transposed first.
 */
function denseGradients(dy: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  if (tf.getBackend() === 'webgpu' || wasmMatMulActive())
    return [tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false)];
  return [tf.matMul(dy, tf.transpose(w)), tf.matMul(tf.transpose(x), dy)];
}

/**
 * x [n, a] · w [a, b] (denseGradients). The gradient's temporaries are freed as soon as it is made (a custom
 * gradient's otherwise live until the whole backward pass ends).
 */
export const dense = tf.customGrad((x, w, save) => {
  const [a, b] = [x as tf.Tensor2D, w as tf.Tensor2D];
  (save as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, saved) => tf.tidy(() => denseGradients(dy as tf.Tensor2D, ...(saved as [tf.Tensor2D, tf.Tensor2D]))),
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
 * Mean cross-entropies of logits z [n, c] against target distributions [n, c] (one-hot rows for the true next
 * token, soft rows for distillation), one value per target: mean(logsumexp(z) - Σ p·z); and softmax(z), the one
 * [n, c] tensor their gradient needs (crossEntropyGradient).
 */
function crossEntropyForward(
  z: tf.Tensor2D,
  targets: readonly tf.Tensor2D[],
): { values: tf.Tensor1D; softmax: tf.Tensor2D } {
  // Each [n, c] temporary is freed as soon as it is used: they are what a step's memory peaks on.
  const max = tf.max(z, 1, true);
  const exp = tf.tidy(() => tf.exp(tf.sub(z, max)));
  const sum = tf.sum(exp, 1, true);
  const logSumExp = tf.squeeze(tf.add(max, tf.log(sum)), [1]);
  const each = targets.map((p) => tf.tidy(() => tf.mean(tf.sub(logSumExp, tf.sum(tf.mul(p, z), 1)))));
  const softmax = tf.div(exp, sum) as tf.Tensor2D;
  exp.dispose();
  return { values: tf.stack(each) as tf.Tensor1D, softmax };
}

/**
 * d/dz of Σ_j dy_j CE(z, p_j): Σ_j dy_j (softmax(z) - p_j) / n, the targets held fixed. Written for few kernels
 * (on a GPU each is a dispatch the host pays for): three for one target.
 */
function crossEntropyGradient(softmax: tf.Tensor2D, targets: readonly tf.Tensor2D[], dy: tf.Tensor): tf.Tensor2D {
  const scale = tf.div(dy, softmax.shape[0]); // [k]: broadcast over the rows and classes
  if (targets.length === 1) return tf.tidy(() => tf.mul(tf.sub(softmax, targets[0]!), scale));
  const weights = tf.split(scale, targets.length);
  let g: tf.Tensor2D | undefined;
  targets.forEach((p, j) => {
    const term = tf.tidy(() => tf.mul(tf.sub(softmax, p), weights[j]!) as tf.Tensor2D);
    if (!g) g = term;
    else {
      const sum = tf.add(g, term) as tf.Tensor2D;
      tf.dispose([g, term]);
      g = sum;
    }
  });
  return g!;
}

/** What headCrossEntropies gives: a loss per target, and the head's softmax when asked for. */
export interface HeadLosses {
  losses: tf.Tensor1D;
  /** softmax(x · w + b) [n, c], with keepSoftmax: the caller's to dispose (outside any tidy scope). */
  softmax?: tf.Tensor2D;
}

/**
 * An output layer and its mean cross-entropies in one op: one value per target distribution [n, c] (one-hot rows
 * for the true next token, soft rows for distillation), on one softmax. The logits x [n, k] · w [k, c] + b exist
 * only inside it, so neither they nor their gradient are kept for the backward pass (the [n, c] tensors that
 * dominate a step's memory: 4.2 MB each for 512 tokens and 2,049 classes, 268 MB for the GPU preset's 8,192
 * tokens and 8,193 classes). Kept: x, w and the softmax. Gradients into x, w and b; the targets are detached (no
 * gradient, not even zeros, is made for them, whatever they were computed from). `keepSoftmax` also hands the
 * softmax out, e.g. as another loss's detached target.
 */
export function headCrossEntropies(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  targets: readonly tf.Tensor2D[],
  keepSoftmax = false,
): HeadLosses {
  let kept: tf.Tensor2D | undefined;
  const loss = tf.customGrad((xs, ws, bs, save) => {
    const [input, weights] = [xs as tf.Tensor2D, ws as tf.Tensor2D];
    const z = tf.tidy(() => tf.add(tf.matMul(input, weights), bs as tf.Tensor1D) as tf.Tensor2D);
    const { values, softmax } = crossEntropyForward(z, targets);
    z.dispose();
    if (keepSoftmax) kept = tf.keep(softmax);
    (save as tf.GradSaveFunc)([input, weights, softmax, ...targets]);
    return {
      value: values,
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [xSaved, wSaved, sm, ...ps] = saved as tf.Tensor2D[];
          const dz = crossEntropyGradient(sm!, ps, dy);
          return [...denseGradients(dz, xSaved!, wSaved!), tf.sum(dz, 0)];
        }),
    };
  });
  const losses = loss(x, w, b) as tf.Tensor1D;
  return kept ? { losses, softmax: kept } : { losses };
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

/**
 * Layer normalization over the last axis with gain and bias: (x - mean) / sqrt(variance + 1e-5) · gain + bias.
 * Its gradient is written out (dx = rstd · (dn - mean(dn) - n · mean(dn · n)) with n the normalized x and
 * dn = dy · gain; the gain's and bias's gradients are sums over the leading axes), 11 kernels where tfjs's
 * gradient of the composite took about twice that: a kernel is a dispatch the host records on a GPU.
 */
export const layerNorm = tf.customGrad((x, gain, bias, save) => {
  const g = gain as tf.Tensor1D;
  const [normed, rstd] = tf.tidy(() => {
    const centered = tf.sub(x as tf.Tensor, tf.mean(x as tf.Tensor, -1, true));
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), 1e-5));
    return [tf.mul(centered, r), r];
  });
  (save as tf.GradSaveFunc)([normed!, rstd!, g]);
  return {
    value: tf.add(tf.mul(normed!, g), bias as tf.Tensor1D),
    gradFunc: (dy, saved) =>
      tf.tidy(() => {
        const [n, r, gg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D];
        const d = dy as tf.Tensor;
        const dn = tf.mul(d, gg);
        const centeredDn = tf.sub(dn, tf.mean(dn, -1, true));
        const dx = tf.mul(tf.sub(centeredDn, tf.mul(n, tf.mean(tf.mul(dn, n), -1, true))), r);
        const leading = d.shape.slice(0, -1).map((_, i) => i);
        return [dx, tf.sum(tf.mul(d, n), leading), tf.sum(d, leading)];
      }),
  };
}) as (x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D) => tf.Tensor;

/**
 * x [b, s, d] delayed by 0, step, 2·step, ... positions along s (`count` of them; zeros where a delay reaches
 * before the start), side by side: [b·s, count·d], row t holding what position t sees of t, t - step, ...
 * causally. A causal dilated convolution is then one matmul against its taps stacked [count·d, d]. The copies
 * are one gather of rows of x padded with zeros in front (its gradient one scatter: embeddingLookup's), where a
 * delayed copy and a matmul per tap took several kernels each (the host's cost on a GPU) and smaller matmuls.
 */
export function delayedTaps(x: tf.Tensor3D, count: number, step: number): tf.Tensor2D {
  const [b, s, d] = x.shape;
  const span = (count - 1) * step;
  if (span === 0) return tf.reshape(x, [b * s, d]);
  const padded = tf.pad(x, [
    [0, 0],
    [span, 0],
    [0, 0],
  ]);
  // Row (q, t, k) of the result's [b·s·count, d] is row t - k·step of sequence q, span rows later when padded.
  const rows = new Int32Array(b * s * count);
  for (let q = 0, at = 0; q < b; q++)
    for (let t = 0; t < s; t++) for (let k = 0; k < count; k++) rows[at++] = q * (s + span) + span + t - k * step;
  const taps = embeddingLookup(tf.reshape(padded, [b * (s + span), d]) as tf.Tensor2D, tf.tensor1d(rows, 'int32'));
  return tf.reshape(taps, [b * s, count * d]);
}
