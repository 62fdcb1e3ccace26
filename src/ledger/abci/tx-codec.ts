import { canonicalJson, sha256Hex } from '../canonical.js';
import { InvalidInputError } from '../../shared/errors.js';
import { parseSignedTx, type SignedTx } from '../tx.js';

/**
 * Transactions on a CometBFT chain are the UTF-8 bytes of their canonical JSON, so that CometBFT's own
 * transaction hash (sha256 of the bytes, which `/tx?hash=` looks up) is our `txHash`. Any other encoding of
 * the same transaction is refused: one transaction, one byte string, one hash.
 */
export function encodeTx(tx: SignedTx): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson(tx));
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes and verifies (shape, signatures, size) a transaction's bytes; throws InvalidInputError. */
export function decodeTx(bytes: Uint8Array, maxBytes: number): SignedTx {
  if (bytes.length > maxBytes)
    throw new InvalidInputError('tx', `${bytes.length} bytes, more than the ${maxBytes} allowed`);
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError('tx', 'is not UTF-8 JSON');
  }
  const tx = parseSignedTx(value, maxBytes);
  if (canonicalJson(tx) !== text)
    throw new InvalidInputError('tx', 'is not in canonical JSON (sorted keys, no spaces)');
  return tx;
}

/** Verified transactions by the sha256 of their bytes: CheckTx, ProcessProposal and FinalizeBlock verify once. */
export class VerifiedTxCache {
  private readonly map = new Map<string, SignedTx>();

  constructor(
    private readonly maxBytes: number,
    private readonly capacity = 65_536,
  ) {}

  /** The decoded transaction, from the cache or verified now; throws InvalidInputError. */
  decode(bytes: Uint8Array): { tx: SignedTx; hash: string } {
    if (bytes.length > this.maxBytes) decodeTx(bytes, this.maxBytes); // throws before hashing 10 MB
    const hash = sha256Hex(bytes);
    let tx = this.map.get(hash);
    if (!tx) {
      tx = decodeTx(bytes, this.maxBytes);
      if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as string);
      this.map.set(hash, tx);
    }
    return { tx, hash };
  }
}
