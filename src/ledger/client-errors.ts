import { UserError } from '../shared/errors.js';

/** Errors a LedgerClient raises, whatever transport it uses. */

/** The ledger could not be reached at all. */
export class LedgerUnreachableError extends UserError {
  override name = 'LedgerUnreachableError';
}

/** Something answered at the ledger's URL, but not JSON-RPC (another program, a proxy's error page). */
export class NotJsonRpcError extends LedgerUnreachableError {
  override name = 'NotJsonRpcError';
}

/**
 * The ledger refused a request before running it: the Host name this client reached it by, or its origin,
 * is not allowed there (HTTP 403), or the request was not JSON (415). The message says what the operator
 * can do.
 */
export class LedgerRefusedError extends UserError {
  override name = 'LedgerRefusedError';

  constructor(
    readonly status: number,
    url: string,
    reason: string,
  ) {
    super(`the ledger at ${url} refused the request (HTTP ${status}): ${reason}`);
  }
}

/** The ledger answered with something this client cannot read (another program, or an incompatible version). */
export class LedgerAnswerError extends UserError {
  override name = 'LedgerAnswerError';

  constructor(url: string, method: string, problem: string) {
    super(
      `the ledger at ${url} answered ${method} with something this miner cannot read (${problem}); is it a bittensor-miner ledger of this version?`,
    );
  }
}
