import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { canonicalJson, sha256Hex, utf8 } from './canonical.js';
import { decodeAddress, isAddress } from './wallet/address.js';
import { verifySignature, type Signer } from './wallet/keys.js';

/**
 * Transactions: a body (chain id, signer, per-account nonce, call) signed by the signer's ed25519 key.
 * The chain id is the genesis hash, so a transaction is valid on one chain only; the nonce makes it valid once.
 */

const address = z.string().refine(isAddress, 'must be a valid address');
const units = z.string().regex(/^\d{1,30}$/, 'must be base units as a decimal string');
const multiaddrs = z.array(z.string().min(1).max(256).startsWith('/', 'must be a multiaddr')).max(8);

const isPair = (p: unknown): boolean =>
  Array.isArray(p) &&
  p.length === 2 &&
  Number.isInteger(p[0]) &&
  p[0] >= 0 &&
  p[0] <= 1 << 30 &&
  Number.isInteger(p[1]) &&
  p[1] >= 0 &&
  p[1] <= 65535;

/**
 * [uid, weight] pairs (uid an integer up to 2^30, weight 0..65535), at most 65536. Checked in one pass: a
 * schema per pair cost as much as the signature check on a 64-weight transaction.
 */
const weightPairs = z.custom<Array<[number, number]>>(
  (v) => Array.isArray(v) && v.length <= 65536 && v.every(isPair),
  'must be at most 65536 [uid, weight] pairs of integers (uid <= 2^30, weight <= 65535)',
);

export const CallSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('transfer'), to: address, amount: units }),
  z.strictObject({ type: z.literal('register'), coldkey: address, multiaddrs, maxBurn: units }),
  z.strictObject({ type: z.literal('update_multiaddrs'), multiaddrs }),
  z.strictObject({ type: z.literal('add_stake'), hotkey: address, amount: units }),
  z.strictObject({ type: z.literal('remove_stake'), hotkey: address, amount: units }),
  z.strictObject({ type: z.literal('set_weights'), weights: weightPairs }),
]);
export type Call = z.infer<typeof CallSchema>;
export type CallType = Call['type'];

export const TxBodySchema = z.strictObject({
  chain: z.string().regex(/^[0-9a-f]{64}$/, 'must be a genesis hash'),
  nonce: z.int().min(0),
  signer: address,
  call: CallSchema,
});
export type TxBody = z.infer<typeof TxBodySchema>;

const signature = z.string().regex(/^[0-9a-f]{128}$/, 'must be a 64-byte hex signature');
export const SignedTxSchema = z.strictObject({ body: TxBodySchema, signature, coldkeySignature: signature.optional() });
export type SignedTx = z.infer<typeof SignedTxSchema>;

const SIGNING_DOMAIN = 'bittensor-miner/tx/v1\n';

/** The bytes a transaction's signatures cover. */
export function signingBytes(body: TxBody): Uint8Array {
  return utf8(SIGNING_DOMAIN + canonicalJson(body));
}

/** The transaction's id: sha256 of its canonical JSON, signatures included. */
export function txHash(tx: SignedTx): string {
  return sha256Hex(canonicalJson(tx));
}

/** Signs a body; a registration also needs the owning coldkey's consent to the burn. */
export function signTx(body: TxBody, signer: Signer, coldkey?: Signer): SignedTx {
  const bytes = signingBytes(body);
  const tx: SignedTx = { body, signature: bytesToHex(signer.sign(bytes)) };
  if (coldkey) tx.coldkeySignature = bytesToHex(coldkey.sign(bytes));
  return tx;
}

/**
 * Checks a transaction's shape and signatures (not its effect on state). Throws InvalidInputError with the
 * offending field. `maxBytes` bounds its canonical size.
 */
export function parseSignedTx(value: unknown, maxBytes: number): SignedTx {
  // Size first, before any deeper work on what may be a hostile payload.
  const size = JSON.stringify(value ?? null).length;
  if (size > maxBytes) throw new InvalidInputError('tx', `larger than ${maxBytes} bytes`);
  const tx = parseWith(SignedTxSchema, value, 'tx');
  const bytes = signingBytes(tx.body);
  if (!verifySignature(decodeAddress(tx.body.signer), bytes, hexToBytes(tx.signature))) {
    throw new InvalidInputError('tx.signature', "does not match the signer's key");
  }
  if (tx.body.call.type === 'register') {
    if (tx.coldkeySignature === undefined)
      throw new InvalidInputError('tx.coldkeySignature', 'registration needs the coldkey to sign too');
    if (!verifySignature(decodeAddress(tx.body.call.coldkey), bytes, hexToBytes(tx.coldkeySignature))) {
      throw new InvalidInputError('tx.coldkeySignature', "does not match the coldkey's key");
    }
  } else if (tx.coldkeySignature !== undefined) {
    throw new InvalidInputError('tx.coldkeySignature', 'only a registration carries a coldkey signature');
  }
  return tx;
}
