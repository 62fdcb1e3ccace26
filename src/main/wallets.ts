import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileDurable } from '../ledger/durable-file.js';
import { createWallet, readWalletInfo, WalletExistsError, type WalletInfo } from '../ledger/wallet/index.js';

/**
 * The password in `file`, or a new random one written there (mode 0600, whole or not at all): for a local
 * network's own wallets. An empty file (an older write cut short by a full disk, before any wallet could use
 * it) gets a new one too.
 */
export async function ensurePasswordFile(file: string): Promise<string> {
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      // One that is there but cannot be read may be what the wallets were made with: never replaced.
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
  if (stored) return stored;
  const password = randomBytes(18).toString('base64url');
  await writeFileDurable(file, `${password}\n`, 0o600);
  return password;
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
