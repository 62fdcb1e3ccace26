import type { SubscriptionTopic } from './rpc/protocol.js';
import type { SignedTx } from './tx.js';

/**
 * How a LedgerClient reaches one node: our own JSON-RPC (the embedded engine's server) or a CometBFT node's
 * RPC (abci_query, broadcast_tx_sync, its websocket). Both return the same answers, unchecked; the client
 * checks them. Errors: LedgerUnreachableError when the node cannot be reached (the client then tries the
 * next URL), RpcError when it refused the request.
 */
export interface LedgerTransport {
  readonly url: string;
  /** Runs a read method (`chain_info`, `account_balance`, ...) and returns its raw result. */
  call(method: string, params?: unknown): Promise<unknown>;
  /** Hands a signed transaction to the node's mempool; returns its hash. */
  submit(tx: SignedTx): Promise<string>;
  /**
   * Delivers each new block ({height, hash, txs, timestamp}) or finished epoch (the epoch record's JSON) to
   * `onEvent`, raw; resolves once subscribed, with a function that ends the subscription.
   */
  subscribe(
    topic: SubscriptionTopic,
    onEvent: (raw: unknown) => void,
    onProblem: (error: Error) => void,
  ): Promise<() => void>;
  close?(): void;
}
