import { Uint8ArrayList } from 'uint8arraylist';
import { LITTLE_ENDIAN, littleEndianBytes } from '../../shared/bytes.js';
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
 * FLOAT32 and INT32 data come back as a view of `t.data` where it is 4-byte aligned on a little-endian
 * machine (no copy of a large tensor), else as an aligned copy; FLOAT16 values always in new memory.
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
  // A view of the message bytes where they sit aligned on a little-endian machine (as the wire is); else an
  // aligned copy, its bytes swapped on a big-endian machine.
  let bytes = t.data;
  if (!LITTLE_ENDIAN || bytes.byteOffset % size !== 0) {
    bytes = new Uint8Array(bytes); // a copy (a Node Buffer's slice() would be a view)
    if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  switch (t.dtype) {
    case Tensor.DType.INT32:
      return { kind: 'int', shape, data: new Int32Array(bytes.buffer, bytes.byteOffset, n) };
    case Tensor.DType.FLOAT16:
      return { kind: 'float', shape, data: float16ToFloat32(new Uint16Array(bytes.buffer, bytes.byteOffset, n)) };
    default:
      return { kind: 'float', shape, data: new Float32Array(bytes.buffer, bytes.byteOffset, n) };
  }
}

// --- Large messages without copies ----------------------------------------------------------------------

const LENGTH_DELIMITED = 2;
const TENSOR_DATA_FIELD = 3;
const NO_BYTES = new Uint8Array(0);

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * A protobuf message whose last field, `field`, is a tensor: `head` (the message's other fields, encoded)
 * followed by the tensor, the same bytes as the generated encoder writes, as a list whose last chunk is the
 * tensor's data itself. The generated encoder copies that data into one buffer: for a 0.5 MiB answer, a
 * copy and an allocation per request that this saves.
 */
export function encodeWithTensor(head: Uint8Array, field: number, tensor: Tensor): Uint8ArrayList {
  const tensorHead = Tensor.encode({ dtype: tensor.dtype, shape: tensor.shape, data: NO_BYTES });
  const size = tensor.data.byteLength;
  const dataKey = size > 0 ? [(TENSOR_DATA_FIELD << 3) | LENGTH_DELIMITED, ...varint(size)] : [];
  const key = [(field << 3) | LENGTH_DELIMITED, ...varint(tensorHead.length + dataKey.length + size)];
  const prefix = new Uint8Array(head.length + key.length + tensorHead.length + dataKey.length);
  prefix.set(head);
  prefix.set(key, head.length);
  prefix.set(tensorHead, head.length + key.length);
  prefix.set(dataKey, head.length + key.length + tensorHead.length);
  return size > 0 ? new Uint8ArrayList(prefix, tensor.data) : new Uint8ArrayList(prefix);
}

/**
 * A received message in one piece, placed so that the data of the tensor in its field `field` starts
 * 4-byte aligned, where decodeTensor views it without a copy: the chunks a large message arrives in are
 * copied once, not twice. A message whose tensor is not found (absent, or malformed) is joined as it is,
 * for the decoder to judge.
 */
export function joinAligned(message: Uint8ArrayList, field: number): Uint8Array {
  const at = tensorDataOffset(message, field);
  const chunks = [...message];
  if (chunks.length === 1) {
    const only = chunks[0]!;
    if (at < 0 || (only.byteOffset + at) % 4 === 0) return only;
  }
  const pad = at < 0 ? 0 : (4 - (at % 4)) % 4;
  const out = new Uint8Array(new ArrayBuffer(message.byteLength + pad), pad, message.byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Offset of the first byte of tensor data in the message's field `field`, or -1 when not found. */
function tensorDataOffset(message: Uint8ArrayList, field: number): number {
  let pos = 0;
  let end = message.byteLength;
  const readVarint = (): number => {
    let value = 0;
    for (let shift = 1; pos < end && shift < 2 ** 35; shift *= 0x80) {
      const b = message.get(pos++);
      value += (b & 0x7f) * shift;
      if (b < 0x80) return value;
    }
    return -1;
  };
  for (const wanted of [field, TENSOR_DATA_FIELD]) {
    for (;;) {
      if (pos >= end) return -1;
      const key = readVarint();
      if (key < 0) return -1;
      const wire = key % 8;
      if (wire === LENGTH_DELIMITED) {
        const length = readVarint();
        if (length < 0 || pos + length > end) return -1;
        if (Math.floor(key / 8) === wanted) {
          end = pos + length;
          break;
        }
        pos += length;
      } else if (wire === 0) {
        if (readVarint() < 0) return -1;
      } else if (wire === 1 || wire === 5) {
        pos += wire === 1 ? 8 : 4;
      } else {
        return -1;
      }
    }
  }
  return pos;
}

/**
 * The first value that is not finite or lies outside ±bound (a NaN fails both comparisons), or undefined: how
 * a tensor from a peer (an answer, gradients) is checked before it reaches training.
 */
export function firstOutOfBound(values: Float32Array, bound: number): number | undefined {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v <= bound && v >= -bound)) return v;
  }
  return undefined;
}
