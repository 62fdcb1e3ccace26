/**
 * IEEE 754 half-precision conversion for tensors on the wire. Node 20 has no Float16Array, and the
 * polyfill (@petamoriken/float16, a Proxy per element) needs ~20 ms for one [16, 64, 128] answer, about ten
 * round trips' worth on loopback; these loops take well under a millisecond. Tests check every one of the
 * 65,536 half values and random floats against that polyfill.
 */

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

/** Half-precision bits of each value, rounded to nearest even (overflow to ±Infinity, NaN kept NaN). */
export function float32ToFloat16(input: Float32Array): Uint16Array {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  const out = new Uint16Array(input.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    const sign = (b >>> 16) & 0x8000;
    const exp = (b >>> 23) & 0xff;
    const mant = b & 0x7fffff;
    let half: number;
    if (exp === 0xff) {
      half = 0x7c00 | (mant !== 0 ? 0x200 : 0);
    } else {
      const e = exp - 112; // rebias 127 -> 15
      if (e >= 0x1f) {
        half = 0x7c00;
      } else if (e <= 0) {
        if (e < -10) {
          half = 0;
        } else {
          const m = mant | 0x800000;
          const shift = 14 - e;
          half = m >>> shift;
          const rest = m & ((1 << shift) - 1);
          const halfway = 1 << (shift - 1);
          if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
        }
      } else {
        half = (e << 10) | (mant >>> 13);
        const rest = mant & 0x1fff;
        // A carry out of the mantissa moves into the exponent, as it should (up to Infinity).
        if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
      }
    }
    out[i] = sign | half;
  }
  return out;
}

/** Float32 values of half-precision bits. */
export function float16ToFloat32(input: Uint16Array): Float32Array {
  const t = table();
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = t[input[i]];
  return out;
}
