import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createWallet, readWalletInfo, WalletExistsError, type WalletInfo } from '../ledger/wallet/index.js';

/** The password in `file`, or a new random one written there (mode 0600): for a local network's own wallets. */
export async function ensurePasswordFile(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/** Wallet NAME in `dir`: created on first use, read (without decrypting) after that. */
export async function ensureWallet(dir: string, name: string, password: string): Promise<WalletInfo> {
  try {
    return (await createWallet(dir, name, password)).info;
  } catch (error) {
    if (error instanceof WalletExistsError) return readWalletInfo(dir, name);
    throw error;
  }
}
