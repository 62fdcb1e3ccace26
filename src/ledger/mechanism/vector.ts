/** Dense vector helpers over Float64Array. */

/** Sum of all entries. */
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/** x / sum(x), or all zeros when the sum is 0. */
export function normalize(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  const s = sum(x);
  if (s === 0) return out;
  for (let i = 0; i < x.length; i++) out[i] = x[i] / s;
  return out;
}

/** True when every entry is 0. */
export function isAllZero(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return false;
  return true;
}

/** Element-wise x * y. */
export function hadamard(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i];
  return out;
}

/** x + scale * y, as a new vector. */
export function addScaledVector(x: ArrayLike<number>, scale: number, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + scale * y[i];
  return out;
}

/** Each peer's share of the stake: normalize(stake), or uniform 1/n when nobody has stake. */
export function stakeShare(stake: ArrayLike<number>): Float64Array {
  const s = normalize(stake);
  if (s.length > 0 && isAllZero(s)) s.fill(1 / s.length);
  return s;
}
