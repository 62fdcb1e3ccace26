import { readFile } from 'node:fs/promises';
import { checkNewPassword } from '../ledger/wallet/index.js';
import { InvalidInputError } from '../shared/errors.js';

/**
 * Secrets given to the CLI as files (never as arguments, which other users can see in the process list).
 */

/** Reads a password file: its whole content less one trailing newline ("\n" or "\r\n"); refuses an empty one. */
export function readPasswordFile(file: string): Promise<string> {
  return readSecretFile(file, '--password-file', 'password');
}

/**
 * Reads the password file of a wallet being created or imported: as `readPasswordFile`, and the password must
 * have at least MIN_PASSWORD_LENGTH characters.
 */
export async function readNewPasswordFile(file: string): Promise<string> {
  const password = await readPasswordFile(file);
  checkNewPassword(password, '--password-file');
  return password;
}

/** Reads a mnemonic file, like `readPasswordFile` (the mnemonic itself is checked by the wallet). */
export function readMnemonicFile(file: string): Promise<string> {
  return readSecretFile(file, '--mnemonic-file', 'mnemonic');
}

async function readSecretFile(file: string, flag: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InvalidInputError(flag, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(flag, `${file} is not UTF-8 text`);
  } finally {
    bytes.fill(0);
  }
  const secret = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  if (secret.length === 0) throw new InvalidInputError(flag, `${file} is empty: put the ${what} in it`);
  return secret;
}
