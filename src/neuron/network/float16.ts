/**
 * IEEE 754 half-precision conversion for tensors on the wire. Node 20 has no Float16Array, and the
 * polyfill (@petamoriken/float16, a Proxy per element) needs ~20 ms for one [16, 64, 128] answer, about ten
 * round trips' worth on loopback. To half precision, normal numbers (nearly all of a tensor) take a few
 * integer operations on the bits (4x faster than testing each field); zeros, subnormals, Infinity and NaN
 * take the careful path. Tests check every one of the 65,536 half values and random floats against that
 * polyfill.
 */

/** Half-precision bits of the magnitude `a` (float32 bits without the sign) outside the normal half range. */
function rareHalf(a: number): number {
  const exp = a >>> 23;
  const mant = a & 0x7fffff;
  if (exp === 0xff) return 0x7c00 | (mant !== 0 ? 0x200 : 0); // Infinity, NaN (kept quiet)
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 0x1f) return 0x7c00; // too large: Infinity
  if (e < -10) return 0; // below half the smallest subnormal: zero
  // A subnormal half (or the smallest normal, when rounding carries into the exponent).
  const m = mant | 0x800000;
  const shift = 14 - e;
  let half = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
  return half;
}

/** Half-precision bits of each value, rounded to nearest even (overflow to ±Infinity, NaN kept NaN). */
export function float32ToFloat16(input: Float32Array): Uint16Array {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  const n = bits.length;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const a = b & 0x7fffffff;
    const sign = (b >>> 16) & 0x8000;
    // Float32 exponents 113..142 are normal halves: rebias the exponent, add the rounding bias (half an ulp,
    // less one unless the kept mantissa is odd: ties to even) and keep the top bits. A carry out of the
    // mantissa moves into the exponent, as it should, up to Infinity.
    if (a >= 0x38800000 && a < 0x47800000) out[i] = sign | ((a - 0x37fff001 + ((a >>> 13) & 1)) >>> 13);
    else out[i] = sign | rareHalf(a);
  }
  return out;
}

let toFloat32Table: Float32Array | undefined;

/** Float32 value of each of the 65,536 half-precision bit patterns, built on first use. */
function table(): Float32Array {
  if (toFloat32Table) return toFloat32Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) t[h] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) t[h] = mant === 0 ? sign * Infinity : NaN;
    else t[h] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  toFloat32Table = t;
  return t;
}

/** Float32 values of half-precision bits (a table look-up each: faster here than moving the bits). */
export function float16ToFloat32(input: Uint16Array): Float32Array {
  const t = table();
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = t[input[i]];
  return out;
}
