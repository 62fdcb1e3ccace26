/** Byte order helpers: the ledger's hashes and the wire's tensors are little-endian on every machine. */

/** True on little-endian machines (nearly all), where typed arrays already hold little-endian bytes. */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

type NumericArray = Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** The bytes of a typed array in little-endian order: a view on little-endian machines, a swapped copy otherwise. */
export function littleEndianBytes(a: NumericArray): Uint8Array<ArrayBuffer> {
  const view = new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return view;
  const out = Uint8Array.from(view);
  for (let i = 0; i < out.length; i += a.BYTES_PER_ELEMENT) out.subarray(i, i + a.BYTES_PER_ELEMENT).reverse();
  return out;
}
