import { blake2b } from '@noble/hashes/blake2.js';
import { base58 } from '@scure/base';
import { InvalidInputError } from '../../shared/errors.js';

/**
 * Printable account addresses: SS58 (the Substrate format Bittensor uses) over an ed25519 public key,
 * network prefix 42, two checksum bytes. They start with "5" and have 48 characters.
 */
export const ADDRESS_PREFIX = 42;
const CHECKSUM_CONTEXT = new TextEncoder().encode('SS58PRE');

function checksum(payload: Uint8Array): Uint8Array {
  const input = new Uint8Array(CHECKSUM_CONTEXT.length + payload.length);
  input.set(CHECKSUM_CONTEXT);
  input.set(payload, CHECKSUM_CONTEXT.length);
  return blake2b(input, { dkLen: 64 }).subarray(0, 2);
}

/** The address of a 32-byte ed25519 public key. */
export function encodeAddress(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('encodeAddress: a public key has 32 bytes');
  const payload = new Uint8Array(33);
  payload[0] = ADDRESS_PREFIX;
  payload.set(publicKey, 1);
  const out = new Uint8Array(35);
  out.set(payload);
  out.set(checksum(payload), 33);
  return base58.encode(out);
}

/** The public key inside an address; throws InvalidInputError (naming `field`) for anything malformed. */
export function decodeAddress(address: unknown, field = 'address'): Uint8Array {
  if (typeof address !== 'string') throw new InvalidInputError(field, 'must be an address string');
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(address);
  } catch {
    throw new InvalidInputError(
      field,
      `${JSON.stringify(address.slice(0, 64))} is not a valid address (bad characters)`,
    );
  }
  if (bytes.length !== 35 || bytes[0] !== ADDRESS_PREFIX) {
    throw new InvalidInputError(field, `${JSON.stringify(address.slice(0, 64))} is not a valid address`);
  }
  const sum = checksum(bytes.subarray(0, 33));
  if (sum[0] !== bytes[33] || sum[1] !== bytes[34]) {
    throw new InvalidInputError(field, `${JSON.stringify(address)} has a bad checksum (a typo?)`);
  }
  return bytes.slice(1, 33);
}

/** True when `address` decodes. */
export function isAddress(address: unknown): address is string {
  try {
    decodeAddress(address);
    return true;
  } catch {
    return false;
  }
}
