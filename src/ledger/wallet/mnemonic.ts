import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { generateMnemonic as bip39Generate, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { InvalidInputError } from '../../shared/errors.js';

/**
 * The wallet's backup: one 24-word BIP39 (English) mnemonic. Both keys derive from it:
 * seed64 = BIP39 seed (empty passphrase); key seed = HKDF-SHA256(seed64, salt "bittensor-miner wallet",
 * info "coldkey" or "hotkey/default", 32 bytes).
 */

/** Words in a wallet mnemonic (256 bits of entropy). */
export const MNEMONIC_WORDS = 24;
const HKDF_SALT = utf8ToBytes('bittensor-miner wallet');
const COLDKEY_INFO = utf8ToBytes('coldkey');
const HOTKEY_INFO = utf8ToBytes('hotkey/default');
const ENGLISH = new Set(wordlist);

/** The 32-byte ed25519 seeds of a wallet's two keys. */
export interface KeySeeds {
  coldkey: Uint8Array;
  hotkey: Uint8Array;
}

/** A fresh random 24-word mnemonic. */
export function generateMnemonic(): string {
  return bip39Generate(wordlist, 256);
}

/**
 * The canonical form of a typed mnemonic: NFKD, lower case, single spaces. Throws InvalidInputError('mnemonic')
 * for a wrong word count, a word outside the English list or a bad checksum; the message names a word's
 * position, never the word (a near-miss would reveal part of the secret).
 */
export function normalizeMnemonic(mnemonic: string): string {
  const words = mnemonic.normalize('NFKD').toLowerCase().trim().split(/\s+/u).filter(Boolean);
  if (words.length !== MNEMONIC_WORDS) {
    throw new InvalidInputError('mnemonic', `expected ${MNEMONIC_WORDS} words, got ${words.length}`);
  }
  const unknown = words.findIndex((w) => !ENGLISH.has(w));
  if (unknown >= 0) {
    throw new InvalidInputError('mnemonic', `word ${unknown + 1} is not in the BIP39 English word list (a typo?)`);
  }
  const normalized = words.join(' ');
  if (!validateMnemonic(normalized, wordlist)) {
    throw new InvalidInputError('mnemonic', 'bad checksum: a word is wrong or out of order');
  }
  return normalized;
}

/** The coldkey and hotkey seeds that `mnemonic` backs up; throws InvalidInputError('mnemonic') when invalid. */
export function keySeedsFromMnemonic(mnemonic: string): KeySeeds {
  const seed64 = mnemonicToSeedSync(normalizeMnemonic(mnemonic), '');
  try {
    return {
      coldkey: hkdf(sha256, seed64, HKDF_SALT, COLDKEY_INFO, 32),
      hotkey: hkdf(sha256, seed64, HKDF_SALT, HOTKEY_INFO, 32),
    };
  } finally {
    seed64.fill(0);
  }
}
