/**
 * A deliberately plain, dense (n x n) transcription of the Yuma epoch as the spec writes it, step by step,
 * sharing no code with src/. Property tests compare the sparse implementation against it.
 */
export interface DenseParams {
  rho: number;
  kappa: number;
  bondsAlpha: number;
  trustThreshold: number;
  emission: number;
}

export interface DenseResult {
  rank: number[];
  trust: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  emissionShare: number[];
  emission: number[];
  bonds: number[][];
  loss: number;
}

const total = (x: number[]) => x.reduce((a, b) => a + b, 0);
const norm = (x: number[]) => {
  const s = total(x);
  return x.map((v) => (s === 0 ? 0 : v / s));
};
const colNorm = (m: number[][]) => {
  const n = m.length;
  const sums = Array.from({ length: n }, (_, j) => total(m.map((row) => row[j]!)));
  return m.map((row) => row.map((v, j) => (sums[j] === 0 ? 0 : v / sums[j]!)));
};

export function denseYuma(
  stake: number[],
  weights: number[][],
  bonds: number[][] | undefined,
  active: boolean[] | undefined,
  p: DenseParams,
): DenseResult {
  const n = stake.length;
  let s = norm(stake);
  if (total(s) === 0) s = stake.map(() => 1 / n);
  const a = norm(s.map((v, i) => (active === undefined || active[i] ? v : 0)));
  const w = weights.map((row, i) => norm(row.map((v, j) => (i === j ? 0 : v))));
  const rank = norm(Array.from({ length: n }, (_, j) => total(w.map((row, i) => row[j]! * a[i]!))));
  const trust = Array.from({ length: n }, (_, j) => total(w.map((row, i) => (row[j]! > p.trustThreshold ? a[i]! : 0))));
  const consensus = trust.map((t) => 1 / (1 + Math.exp(-p.rho * (t - p.kappa))));
  const incentive = norm(rank.map((r, j) => r * consensus[j]!));
  // No bonds are bought until active voters with kappa of all stake have set any weight.
  const voted = total(w.map((row, i) => (a[i]! > 0 && row.some((v) => v > 0) ? s[i]! : 0)));
  const dB = colNorm(w.map((row, i) => row.map((v) => (voted >= p.kappa ? v * a[i]! : 0))));
  const prev = colNorm(bonds ?? weights.map((row) => row.map(() => 0)));
  const newBonds = colNorm(dB.map((row, i) => row.map((v, j) => p.bondsAlpha * v + (1 - p.bondsAlpha) * prev[i]![j]!)));
  const dividends = norm(newBonds.map((row) => total(row.map((v, j) => v * incentive[j]!))));
  let emissionShare = norm(incentive.map((v, i) => v + dividends[i]!));
  if (total(emissionShare) === 0) emissionShare = total(a) === 0 ? s : a;
  const loss = -total(rank.map((r, j) => r * (consensus[j]! - 0.5)));
  return {
    rank,
    trust,
    consensus,
    incentive,
    dividends,
    emissionShare,
    emission: emissionShare.map((v) => v * p.emission),
    bonds: newBonds,
    loss,
  };
}
