/** The result codes our application gives CometBFT (0 is success; the rest are ours, documented here). */
export const ABCI_CODES = {
  ok: 0,
  /** Not a transaction: not canonical JSON, a wrong shape, a bad signature, too large. */
  malformed: 1,
  /** Well-formed, but does not apply to the state: a used nonce, too little balance, a rule broken. */
  rejected: 2,
  /** Signed for another chain (its genesis hash differs). */
  wrongChain: 3,
  /** A query for a path the application does not serve, or with params it cannot read. */
  badQuery: 4,
  /** Refused because the application has no chain yet (before InitChain). */
  notReady: 5,
} as const;
