import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../shared/errors.js';
import { AUTHORITY_KEY_FILE } from './data-folder.js';
import { randomSeed, signerFromSeed, type Signer } from './wallet/keys.js';

/** The authority's block-signing key from its data folder (hex seed, mode 0600). */
export async function readAuthorityKey(dataDir: string): Promise<Signer> {
  const file = join(dataDir, AUTHORITY_KEY_FILE);
  let hex: string;
  try {
    hex = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new UserError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError(`${file} is damaged: expected 64 hex characters`);
  return signerFromSeed(Uint8Array.from(Buffer.from(hex, 'hex')));
}

/** The authority's key: the one kept in the data folder, or a new one written there (a new chain only). */
export async function authorityKey(dataDir: string | undefined): Promise<Signer> {
  if (dataDir === undefined) return signerFromSeed(randomSeed());
  const file = join(dataDir, AUTHORITY_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const seed = randomSeed();
  try {
    await writeFile(file, `${Buffer.from(seed).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return signerFromSeed(seed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readAuthorityKey(dataDir);
  }
}
