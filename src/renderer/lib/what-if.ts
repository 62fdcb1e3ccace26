import { csrFromRows } from '../../ledger/mechanism/sparse.js';
import { yumaEpoch, type YumaParams } from '../../ledger/mechanism/yuma.js';
import type { PeerRow } from '../../shared/api.js';

/** A change to try: one peer's weight on us (its row renormalized), and/or our stake, in tokens. */
export interface WhatIf {
  /** The peer whose weight on us changes, and the new weight in [0, 1] (share of its row). */
  weight?: { from: number; onUs: number };
  ourStake?: number;
}

/**
 * The incentive (and dividends) the mechanism would give us after `change`, computed in the page with the
 * ledger's own Yuma code over the metagraph as it is now (all neurons active; bonds only shape dividends, so
 * incentive is exact and dividends start from empty bonds).
 */
export function whatIf(
  peers: PeerRow[],
  us: number,
  params: Pick<YumaParams, 'rho' | 'kappa' | 'bondsAlpha'>,
  change: WhatIf = {},
): { incentive: number; dividends: number; emissionShare: number } {
  const n = peers.reduce((max, p) => Math.max(max, p.uid + 1), 0);
  const stake = new Float64Array(n);
  const rows: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (const p of peers) {
    stake[p.uid] = p.uid === us && change.ourStake !== undefined ? change.ourStake : Number(p.stake);
    rows[p.uid] = p.weights.map(([j, w]) => [j, w]);
  }
  const w = change.weight;
  if (w && w.from !== us && w.from < n) {
    const rest = (rows[w.from] ?? []).filter(([j]) => j !== us);
    const restSum = rest.reduce((s, [, v]) => s + v, 0);
    const scale = restSum > 0 ? (1 - w.onUs) / restSum : 0;
    rows[w.from] = [...rest.map(([j, v]): [number, number] => [j, v * scale]), [us, w.onUs]];
  }
  const result = yumaEpoch({ stake, weights: csrFromRows(rows, n) }, { ...params, trustThreshold: 0, emission: 1 });
  return {
    incentive: result.incentive[us] ?? 0,
    dividends: result.dividends[us] ?? 0,
    emissionShare: result.emissionShare[us] ?? 0,
  };
}
