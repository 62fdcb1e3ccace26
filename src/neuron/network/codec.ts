import { InvalidInputError } from '../../shared/errors.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import { Tensor } from './proto/bittensor.js';

/** A decoded tensor: float tensors (FLOAT32 or FLOAT16 on the wire) as Float32Array, INT32 as Int32Array. */
export type TensorData =
  { kind: 'float'; shape: number[]; data: Float32Array } | { kind: 'int'; shape: number[]; data: Int32Array };

const BYTES: Record<Tensor.DType, number> = {
  [Tensor.DType.FLOAT32]: 4,
  [Tensor.DType.FLOAT16]: 2,
  [Tensor.DType.INT32]: 4,
};

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes of a typed array in little-endian order (a view when the machine is little-endian). */
function littleEndianBytes(a: Float32Array | Int32Array | Uint16Array): Uint8Array<ArrayBuffer> {
  const view = new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return view;
  const out = Uint8Array.from(view);
  for (let i = 0; i < out.length; i += a.BYTES_PER_ELEMENT) out.subarray(i, i + a.BYTES_PER_ELEMENT).reverse();
  return out;
}

/** A float tensor for the wire, as FLOAT32 or (half the bytes) FLOAT16. */
export function encodeFloatTensor(data: Float32Array, shape: number[], half = false): Tensor {
  checkShape(shape, data.length);
  return half
    ? { dtype: Tensor.DType.FLOAT16, shape, data: littleEndianBytes(float32ToFloat16(data)) }
    : { dtype: Tensor.DType.FLOAT32, shape, data: littleEndianBytes(data) };
}

/** An INT32 tensor for the wire (token ids). */
export function encodeIntTensor(data: Int32Array, shape: number[]): Tensor {
  checkShape(shape, data.length);
  return { dtype: Tensor.DType.INT32, shape, data: littleEndianBytes(data) };
}

function checkShape(shape: number[], length: number): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== length) throw new RangeError(`tensor shape [${shape.join(', ')}] holds ${n} values, data has ${length}`);
}

export interface DecodeLimits {
  /** Most values a tensor may hold. */
  maxElements: number;
  /** Most dimensions. Default 4. */
  maxRank?: number;
}

/**
 * Validates and decodes a tensor from the wire: a known dtype, a non-empty shape of positive sizes within
 * the limits, and exactly product(shape) * size(dtype) bytes. Throws InvalidInputError naming `field`.
 */
export function decodeTensor(t: Tensor | undefined, field: string, limits: DecodeLimits): TensorData {
  if (!t) throw new InvalidInputError(field, 'is missing');
  const size = BYTES[t.dtype];
  if (size === undefined) throw new InvalidInputError(`${field}.dtype`, 'is not FLOAT32, FLOAT16 or INT32');
  const maxRank = limits.maxRank ?? 4;
  if (t.shape.length === 0 || t.shape.length > maxRank) {
    throw new InvalidInputError(`${field}.shape`, `must have 1 to ${maxRank} dimensions`);
  }
  let n = 1;
  for (const d of t.shape) {
    if (!Number.isInteger(d) || d < 1) throw new InvalidInputError(`${field}.shape`, 'sizes must be >= 1');
    n *= d;
    if (n > limits.maxElements) throw new InvalidInputError(`${field}.shape`, `more than ${limits.maxElements} values`);
  }
  if (t.data.length !== n * size) {
    throw new InvalidInputError(`${field}.data`, `has ${t.data.length} bytes; shape and dtype need ${n * size}`);
  }
  const shape = [...t.shape];
  // Copy into an aligned buffer (protobuf bytes may sit at any offset), swapping bytes on big-endian machines.
  const bytes = Uint8Array.from(t.data);
  if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  switch (t.dtype) {
    case Tensor.DType.INT32:
      return { kind: 'int', shape, data: new Int32Array(bytes.buffer) };
    case Tensor.DType.FLOAT16:
      return { kind: 'float', shape, data: float16ToFloat32(new Uint16Array(bytes.buffer)) };
    default:
      return { kind: 'float', shape, data: new Float32Array(bytes.buffer) };
  }
}
