import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { encodeAddress } from './address.js';

/**
 * ed25519 keys. Signing and verification run in Node's crypto (OpenSSL), about 15x faster than a pure-JS
 * verifier on these machines (npm run bench:ledger prints both); keys are 32-byte seeds as in RFC 8032,
 * so @noble/curves or any other ed25519 implementation derives the same keys and signatures.
 */

/** A key that can sign: a coldkey or a hotkey. */
export interface Signer {
  readonly publicKey: Uint8Array;
  readonly address: string;
  sign(message: Uint8Array): Uint8Array;
}

// DER prefixes for a raw 32-byte ed25519 seed (PKCS#8) and public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** 32 random bytes: a fresh secret key. */
export function randomSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** The signer for a 32-byte secret seed. */
export function signerFromSeed(seed: Uint8Array): Signer {
  if (seed.length !== 32) throw new RangeError('signerFromSeed: a seed has 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  return {
    publicKey,
    address: encodeAddress(publicKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 4096;

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  let key = keyCache.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(id, key);
  }
  return key;
}

/** True when `signature` is `publicKey`'s ed25519 signature of `message`. Never throws on malformed input. */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
