/** The ledger stores each weight as a u16; set_weights is normalized there. */
const U16_MAX = 65535;

export interface WeightPolicy {
  /**
   * Share of the vote spread evenly over every known peer (exploration: a peer not measured yet, or
   * measured as useless, still gets a little, and the count of non-zero weights meets the ledger's minimum).
   * Default 0.05.
   */
  floor?: number;
  /** Most peers weighted (the ledger's maxAllowedWeights). Default 64. */
  maxEntries?: number;
}

/**
 * Turns peer scores (the importance: the validation loss rise when the peer is masked out) into set_weights
 * pairs: negative and missing scores count as zero, the rest normalized, a floor spread over every known
 * peer, the largest entries kept, scaled so that the largest is 65535 and every kept one at least 1.
 */
export function weightsFromScores(
  scores: ReadonlyMap<number, number>,
  peers: readonly number[],
  policy: WeightPolicy = {},
): Array<[number, number]> {
  const floor = policy.floor ?? 0.05;
  const known = [...new Set(peers)].filter((u) => Number.isInteger(u) && u >= 0);
  if (known.length === 0) return [];
  const positive = known.map((u) => Math.max(0, scores.get(u) ?? 0));
  const total = positive.reduce((a, b) => a + b, 0);
  const share = known.map((u, i) => ({
    uid: u,
    w: (1 - floor) * (total > 0 ? positive[i]! / total : 1 / known.length) + floor / known.length,
  }));
  share.sort((a, b) => b.w - a.w || a.uid - b.uid);
  const kept = share.slice(0, policy.maxEntries ?? 64);
  const max = kept[0]!.w;
  return kept
    .map(({ uid, w }): [number, number] => [uid, Math.max(1, Math.round((w / max) * U16_MAX))])
    .sort((a, b) => a[0] - b[0]);
}
