import { UserError } from '../shared/errors.js';
import type { LedgerState } from './state.js';
import { checkChain, checkTx } from './transition.js';
import { txHash, type SignedTx } from './tx.js';

/** The mempool is full, for this account or in total. */
export class MempoolFullError extends UserError {
  override name = 'MempoolFullError';
}

export interface MempoolLimits {
  /** Pending transactions per signing account. */
  perAccount: number;
  /** Pending transactions in total. */
  total: number;
}

/**
 * Verified transactions waiting for a block, per account in nonce order. A transaction enters only when
 * its nonce is still ahead (no replays), it is not already known, it fits the limits, and, when it is the
 * account's next one, it applies to the current state.
 */
export class Mempool {
  private readonly byAccount = new Map<string, Map<number, { tx: SignedTx; hash: string }>>();
  private readonly hashes = new Set<string>();

  constructor(private readonly limits: MempoolLimits) {}

  get size(): number {
    return this.hashes.size;
  }

  has(hash: string): boolean {
    return this.hashes.has(hash);
  }

  /** Admits a transaction (already parsed and signature-checked); returns its hash. Throws a UserError. */
  add(tx: SignedTx, state: LedgerState): string {
    const hash = txHash(tx);
    if (this.hashes.has(hash)) throw new UserError(`transaction ${hash} is already pending`);
    const { signer, nonce } = tx.body;
    checkChain(state, tx);
    const next = state.account(signer).nonce;
    if (nonce < next) throw new UserError(`tx.body.nonce: already used (next is ${next})`);
    const pending = this.byAccount.get(signer);
    if (pending?.has(nonce)) throw new UserError(`tx.body.nonce: ${nonce} is already pending for this account`);
    if (nonce >= next + this.limits.perAccount || (pending?.size ?? 0) >= this.limits.perAccount) {
      throw new MempoolFullError(
        `too many pending transactions for this account (limit ${this.limits.perAccount}); wait for a block`,
      );
    }
    if (this.hashes.size >= this.limits.total)
      throw new MempoolFullError('the mempool is full; try again after the next block');
    if (nonce === next) checkTx(state, tx, state.height + 1);
    const map = pending ?? new Map<number, { tx: SignedTx; hash: string }>();
    map.set(nonce, { tx, hash });
    this.byAccount.set(signer, map);
    this.hashes.add(hash);
    return hash;
  }

  /**
   * Up to `max` transactions for the next block: each account's run of consecutive nonces from its current
   * nonce, accounts taken round-robin so that one busy account cannot fill a block alone.
   */
  candidates(state: LedgerState, max: number): SignedTx[] {
    const runs: SignedTx[][] = [];
    for (const [signer, map] of this.byAccount) {
      const run: SignedTx[] = [];
      for (let nonce = state.account(signer).nonce; map.has(nonce); nonce++) run.push(map.get(nonce)!.tx);
      if (run.length > 0) runs.push(run);
    }
    const out: SignedTx[] = [];
    for (let i = 0; out.length < max; i++) {
      let any = false;
      for (const run of runs) {
        if (i < run.length && out.length < max) {
          out.push(run[i]!);
          any = true;
        }
      }
      if (!any) break;
    }
    return out;
  }

  /** Drops what a new block settled: transactions whose nonce is now used, and those a block rejected. */
  prune(state: LedgerState, dropped: readonly SignedTx[] = []): void {
    for (const tx of dropped) this.remove(tx.body.signer, tx.body.nonce);
    for (const [signer, map] of [...this.byAccount]) {
      const next = state.account(signer).nonce;
      for (const nonce of [...map.keys()]) if (nonce < next) this.remove(signer, nonce);
    }
  }

  private remove(signer: string, nonce: number): void {
    const map = this.byAccount.get(signer);
    const entry = map?.get(nonce);
    if (!map || !entry) return;
    map.delete(nonce);
    this.hashes.delete(entry.hash);
    if (map.size === 0) this.byAccount.delete(signer);
  }
}
