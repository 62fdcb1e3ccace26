import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidInputError } from '../../shared/errors.js';
import { isAddress } from './address.js';
import { CorruptKeyfileError, UnsupportedKeyfileError, WrongPasswordError, type KeyKind } from './errors.js';
import { signerFromSeed } from './keys.js';

/**
 * Password-encrypted keyfiles: one 32-byte ed25519 seed per file, sealed with XChaCha20-Poly1305 under a key
 * from scrypt(password NFKC, salt). The additional data `${kind}:${address}` binds the plaintext header to
 * the ciphertext, so a header cannot be swapped onto another key's ciphertext.
 */

/** The JSON form of a keyfile (version 1). */
export interface Keyfile {
  version: 1;
  kind: KeyKind;
  address: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'xchacha20-poly1305'; nonce: string };
  ciphertext: string;
}

/** Options of `encryptKeyfile`. */
export interface KeyfileOptions {
  /** scrypt's cost N, a power of two from 2^10 to 2^17 (default 2^15, ~0.2 s here). Tests use 2^10. */
  scryptN?: number;
}

/** Where a keyfile came from, for error messages. */
export interface KeyfileContext {
  /** The file's path, named when it is corrupt (default "keyfile"). */
  file?: string;
  /** The wallet's name, named on a wrong password. */
  wallet?: string;
}

/** A decrypted keyfile. `seed` is secret: never log it, and zero it when done. */
export interface DecryptedKey {
  kind: KeyKind;
  address: string;
  seed: Uint8Array;
}

/** scrypt's default cost N. */
export const DEFAULT_SCRYPT_N = 2 ** 15;
/**
 * The scrypt parameters this program writes and so the only ones it reads: N a power of two from minN to maxN
 * (room above the default for a later, costlier default; maxN costs ~0.8 s and 128 MiB), r and p fixed. A
 * hostile file must not make scrypt run for seconds or exhaust memory before the password is found wrong.
 */
export const SCRYPT_LIMITS = { minN: 2 ** 10, maxN: 2 ** 17, r: 8, p: 1 } as const;

const SCRYPT_R = SCRYPT_LIMITS.r;
const SCRYPT_P = SCRYPT_LIMITS.p;
const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const SEED_BYTES = 32;
const TAG_BYTES = 16;
const KEYFILE_KEYS = ['version', 'kind', 'address', 'kdf', 'cipher', 'ciphertext'];

/** Encrypts a 32-byte seed into a keyfile object (write it as JSON). */
export async function encryptKeyfile(
  kind: KeyKind,
  seed: Uint8Array,
  password: string,
  options: KeyfileOptions = {},
): Promise<Keyfile> {
  if (seed.length !== SEED_BYTES) throw new RangeError('encryptKeyfile: a seed has 32 bytes');
  if (password.length === 0) throw new InvalidInputError('password', 'must not be empty');
  const N = options.scryptN ?? DEFAULT_SCRYPT_N;
  if (!isPowerOfTwoIn(N, SCRYPT_LIMITS.minN, SCRYPT_LIMITS.maxN)) {
    throw new InvalidInputError(
      'scryptN',
      `must be a power of two from ${SCRYPT_LIMITS.minN} to ${SCRYPT_LIMITS.maxN}`,
    );
  }
  const address = signerFromSeed(seed).address;
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const key = await deriveKey(password, salt, N, SCRYPT_R, SCRYPT_P);
  try {
    const ciphertext = xchacha20poly1305(key, nonce, additionalData(kind, address)).encrypt(seed);
    return {
      version: 1,
      kind,
      address,
      kdf: { name: 'scrypt', N, r: SCRYPT_R, p: SCRYPT_P, salt: bytesToHex(salt) },
      cipher: { name: 'xchacha20-poly1305', nonce: bytesToHex(nonce) },
      ciphertext: bytesToHex(ciphertext),
    };
  } finally {
    key.fill(0);
  }
}

/**
 * Checks a parsed keyfile's every field without decrypting it (so that reading a public header needs no
 * password). Throws CorruptKeyfileError naming `file` for anything malformed, UnsupportedKeyfileError for
 * scrypt parameters outside SCRYPT_LIMITS.
 */
export function parseKeyfile(json: unknown, file = 'keyfile'): Keyfile {
  const fail = (detail: string): never => {
    throw new CorruptKeyfileError(file, detail);
  };
  const top = objectWithKeys(json, KEYFILE_KEYS, 'the file', fail);
  if (top.version !== 1) {
    fail(typeof top.version === 'number' ? `version ${top.version} is not supported` : 'version must be 1');
  }
  if (top.kind !== 'coldkey' && top.kind !== 'hotkey') fail('kind must be "coldkey" or "hotkey"');
  if (!isAddress(top.address)) fail('address is not a valid address');

  const kdf = objectWithKeys(top.kdf, ['name', 'N', 'r', 'p', 'salt'], 'kdf', fail);
  if (kdf.name !== 'scrypt') fail('kdf.name must be "scrypt"');
  for (const key of ['N', 'r', 'p'] as const) {
    if (!isIntIn(kdf[key], 1, Number.MAX_SAFE_INTEGER)) fail(`kdf.${key} must be a positive integer`);
  }
  const [N, r, p] = [kdf.N as number, kdf.r as number, kdf.p as number];
  if (!isSupportedScrypt(N, r, p)) throw new UnsupportedKeyfileError(file, `N=${N}, r=${r}, p=${p}`);
  if (!isHexOf(kdf.salt, SALT_BYTES)) fail(`kdf.salt must be ${SALT_BYTES} bytes of hex`);

  const cipher = objectWithKeys(top.cipher, ['name', 'nonce'], 'cipher', fail);
  if (cipher.name !== 'xchacha20-poly1305') fail('cipher.name must be "xchacha20-poly1305"');
  if (!isHexOf(cipher.nonce, NONCE_BYTES)) fail(`cipher.nonce must be ${NONCE_BYTES} bytes of hex`);
  if (!isHexOf(top.ciphertext, SEED_BYTES + TAG_BYTES))
    fail(`ciphertext must be ${SEED_BYTES + TAG_BYTES} bytes of hex`);

  return {
    version: 1,
    kind: top.kind as KeyKind,
    address: top.address as string,
    kdf: { name: 'scrypt', N, r, p, salt: kdf.salt as string },
    cipher: { name: 'xchacha20-poly1305', nonce: cipher.nonce as string },
    ciphertext: top.ciphertext as string,
  };
}

/**
 * Decrypts a parsed keyfile. Throws CorruptKeyfileError for a malformed file or one whose key does not match
 * its address, WrongPasswordError when the authentication tag fails (a wrong password, or an altered file:
 * the two cannot be told apart).
 */
export async function decryptKeyfile(
  json: unknown,
  password: string,
  context: KeyfileContext = {},
): Promise<DecryptedKey> {
  const file = context.file ?? 'keyfile';
  const keyfile = parseKeyfile(json, file);
  const { N, r, p, salt } = keyfile.kdf;
  const key = await deriveKey(password, hexToBytes(salt), N, r, p);
  let seed: Uint8Array;
  try {
    const aead = xchacha20poly1305(
      key,
      hexToBytes(keyfile.cipher.nonce),
      additionalData(keyfile.kind, keyfile.address),
    );
    seed = aead.decrypt(hexToBytes(keyfile.ciphertext));
  } catch {
    throw new WrongPasswordError(keyfile.kind, context.wallet);
  } finally {
    key.fill(0);
  }
  if (signerFromSeed(seed).address !== keyfile.address) {
    seed.fill(0);
    throw new CorruptKeyfileError(file, 'its key does not match its address');
  }
  return { kind: keyfile.kind, address: keyfile.address, seed };
}

async function deriveKey(password: string, salt: Uint8Array, N: number, r: number, p: number): Promise<Uint8Array> {
  const secret = utf8ToBytes(password.normalize('NFKC'));
  try {
    return await scryptAsync(secret, salt, { N, r, p, dkLen: 32 });
  } finally {
    secret.fill(0);
  }
}

function isSupportedScrypt(N: number, r: number, p: number): boolean {
  const { minN, maxN } = SCRYPT_LIMITS;
  return isPowerOfTwoIn(N, minN, maxN) && r === SCRYPT_LIMITS.r && p === SCRYPT_LIMITS.p;
}

function additionalData(kind: KeyKind, address: string): Uint8Array {
  return utf8ToBytes(`${kind}:${address}`);
}

function objectWithKeys(
  value: unknown,
  keys: string[],
  what: string,
  fail: (detail: string) => never,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${what} must be a JSON object`);
  const record = value as Record<string, unknown>;
  const missing = keys.find((k) => !Object.hasOwn(record, k));
  if (missing !== undefined) fail(`${what === 'the file' ? '' : `${what}.`}${missing} is missing`);
  const extra = Object.keys(record).find((k) => !keys.includes(k));
  if (extra !== undefined) fail(`${what} has an unknown field ${JSON.stringify(extra.slice(0, 32))}`);
  return record;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isPowerOfTwoIn(value: unknown, min: number, max: number): value is number {
  return isIntIn(value, min, max) && (value & (value - 1)) === 0;
}

function isHexOf(value: unknown, bytes: number): value is string {
  return typeof value === 'string' && value.length === 2 * bytes && /^[0-9a-f]*$/iu.test(value);
}
