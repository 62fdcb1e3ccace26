import { InvalidInputError, UserError } from '../shared/errors.js';
import { LedgerClient } from '../ledger/client.js';
import { RPC_ERRORS, RpcError } from '../ledger/rpc/protocol.js';
import type { Call } from '../ledger/tx.js';
import { loadWallet, type LoadedWallet } from '../ledger/wallet/index.js';
import { readPasswordFile } from './password.js';

/** Options every command that signs for a wallet takes. */
export interface WalletOptions {
  wallets: string;
  name: string;
  passwordFile: string;
  ledger: string;
}

/**
 * A client for --ledger: one URL (http or https), or several separated by commas (the client fails over
 * between them). Each is our embedded ledger's RPC or a CometBFT node's RPC.
 */
export function ledgerClient(url: string): LedgerClient {
  for (const one of url.split(',')) {
    let parsed: URL;
    try {
      parsed = new URL(one.trim());
    } catch {
      throw new InvalidInputError(
        '--ledger',
        `${JSON.stringify(one)} is not a URL (e.g. http://127.0.0.1:9944, or several separated by commas)`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new InvalidInputError('--ledger', 'must be an http:// or https:// URL');
    }
  }
  return new LedgerClient(url);
}

/** Opens the wallet with the password from --password-file. */
export async function openWallet(opts: WalletOptions): Promise<LoadedWallet> {
  return loadWallet(opts.wallets, opts.name, await readPasswordFile(opts.passwordFile));
}

/**
 * Signs `call` for `signer` (the wallet's coldkey or hotkey) with its next nonce, submits it, waits for
 * inclusion and returns {block, tx}. A refusal by the ledger becomes a one-line UserError.
 */
export async function submitAndWait(
  client: LedgerClient,
  wallet: LoadedWallet,
  as: 'coldkey' | 'hotkey',
  call: Call,
  cosignWithColdkey = false,
): Promise<{ block: number; tx: string }> {
  const signer = as === 'coldkey' ? wallet.coldkey : wallet.hotkey;
  try {
    return await client.signAndSubmit(signer, call, cosignWithColdkey ? wallet.coldkey : undefined);
  } catch (error) {
    if (error instanceof RpcError && (error.code === RPC_ERRORS.rejected || error.code === RPC_ERRORS.invalidParams)) {
      throw new UserError(`the ledger refused the transaction: ${error.message}`);
    }
    throw error;
  }
}
