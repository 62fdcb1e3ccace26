import { isGpuBackend } from '../../shared/api.js';
import type { ModelPreset, TrainingConfig } from '../../shared/training.js';
import { CONV_DEFAULTS } from './encoders.js';

/**
 * The model a neuron trains: its encoder's depth and width and what it trains on at a time. The served
 * representation keeps the network's shape ([batch, seq, dim]) whatever the size: peers see no difference but
 * its quality. Stored in the checkpoint (state.model), so that a resumed neuron keeps its model.
 */
export interface ModelShape {
  preset: Exclude<ModelPreset, 'auto'>;
  /** Convolution blocks (each sees 4x further back: 2 blocks 16 tokens, 4 blocks 256). */
  blocks: number;
  kernel: number;
  /** The feed-forward width of each block (the residual stream stays at the network's dim). */
  ffn: number;
  /** Rows and tokens per training batch. */
  batch: number;
  seq: number;
  /** Output classes (the most frequent tokens of the slice, plus one unknown class). */
  vocab: number;
}

/**
 * `large`, for a GPU: 4 blocks with feed-forward width 1,024 (the blocks' parameters 0.26M -> 1.31M; they see
 * 256 tokens back instead of 16), 32 x 128 tokens a step (8x the CPU's 8 x 64; GPU_BATCH rows on a GPU) over
 * 8,192 + 1 classes; the config's own values where they are larger. About 34x the arithmetic of a `small` step
 * at 32 rows (8x the tokens, ~4x per token, mostly the output layer's 4x classes).
 */
export const LARGE = { blocks: 4, ffn: 1024, batch: 32, seq: 128, vocab: 8192 } as const;

/**
 * The rows a `large` step takes on a GPU backend: 64 x 128 tokens. On WebGPU a step of 32 rows and one of 64 cost
 * nearly the same (633 and 648 ms on an NVIDIA H200 behind a slow host: bench:gpu, README), so twice the rows is
 * nearly twice the tokens/s. 64 is also the most rows a peer's axon takes in one request by default. On a CPU
 * backend `large` keeps 32 rows (WebAssembly's memory).
 */
export const GPU_BATCH = 64;

/**
 * The shape of a preset for a config: `small` is the config's own batch, context and classes; `large` on a GPU
 * backend (`gpu`) takes GPU_BATCH rows.
 */
export function shapeOf(preset: Exclude<ModelPreset, 'auto'>, config: TrainingConfig, gpu = false): ModelShape {
  const small: ModelShape = {
    preset: 'small',
    blocks: CONV_DEFAULTS.blocks,
    kernel: CONV_DEFAULTS.kernel,
    ffn: CONV_DEFAULTS.ffn,
    batch: config.batch,
    seq: config.seq,
    vocab: config.vocab,
  };
  if (preset === 'small') return small;
  return {
    preset: 'large',
    blocks: Math.max(small.blocks, LARGE.blocks),
    kernel: small.kernel,
    ffn: Math.max(small.ffn, LARGE.ffn),
    batch: Math.max(small.batch, gpu ? GPU_BATCH : LARGE.batch),
    seq: Math.max(small.seq, LARGE.seq),
    vocab: Math.max(small.vocab, LARGE.vocab),
  };
}

/**
 * The model to train: the checkpoint's when it has one (a resumed neuron keeps its model), else the config's
 * preset, where `auto` is `large` on a GPU backend and `small` otherwise.
 */
export function chooseShape(config: TrainingConfig, backend: string, saved: unknown): ModelShape {
  if (isModelShape(saved)) return saved;
  const preset = config.preset ?? 'auto';
  const gpu = isGpuBackend(backend);
  return shapeOf(preset === 'auto' ? (gpu ? 'large' : 'small') : preset, config, gpu);
}

function isModelShape(v: unknown): v is ModelShape {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const whole = (k: string) => Number.isInteger(m[k]) && (m[k] as number) > 0;
  return (
    (m['preset'] === 'small' || m['preset'] === 'large') &&
    ['blocks', 'kernel', 'ffn', 'batch', 'seq', 'vocab'].every(whole)
  );
}

/** The model in words, as the Overview shows it: "large: 4 blocks of 1,024, 32 x 128 tokens, 8,193 classes". */
export function describeShape(m: ModelShape): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${m.preset}: ${m.blocks} blocks of ${n(m.ffn)}, ${m.batch} x ${m.seq} tokens, ${n(m.vocab + 1)} classes`;
}
