/**
 * Transcendental functions for block execution, built only from IEEE-754 addition, subtraction,
 * multiplication and division, which every conforming engine rounds exactly the same way on every CPU
 * (JavaScript never fuses a*b+c). `Math.exp` and friends are "implementation-approximated" in the
 * ECMAScript specification: V8 happens to use a port of fdlibm today, but no rule keeps two engines, or two
 * versions of one, bit-identical. Validators on different Node versions must agree on every bit of the state
 * root, so the mechanism calls these instead.
 */

// ln 2 split so that k * LN2_HI is exact for |k| < 2^11 (the low 32 bits of LN2_HI are zero).
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;

/** 2^k for an integer k in [-1022, 1023], exactly (built from its bits). */
function pow2(k: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/**
 * e^x to within about 2 ulp, bit-identical everywhere. Range reduction x = k ln2 + r with |r| <= ln2/2,
 * a degree-13 Taylor polynomial for e^r (its remainder is below 2^-60 there), then scaling by 2^k in two
 * exact steps so that subnormal results keep their bits.
 */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2); // Math.round is exact: it only picks an integer
  const r = x - k * LN2_HI - k * LN2_LO;
  let p = 1 / 6227020800; // 1/13!
  for (const c of EXP_TAYLOR) p = p * r + c;
  const er = p * r + 1;
  const k1 = k >> 1;
  return er * pow2(k1) * pow2(k - k1);
}

// 1/12!, 1/11!, ..., 1/1! for Horner's rule (each the double nearest the exact reciprocal).
const EXP_TAYLOR = [
  1 / 479001600,
  1 / 39916800,
  1 / 3628800,
  1 / 362880,
  1 / 40320,
  1 / 5040,
  1 / 720,
  1 / 120,
  1 / 24,
  1 / 6,
  1 / 2,
  1,
];
