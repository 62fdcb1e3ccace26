import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { canonicalJson, sha256Hex, utf8 } from './canonical.js';
import { chainParamsJson, DEFAULT_CHAIN_PARAMS, unitsJson, type ChainParams } from './params.js';
import { SignedTxSchema, txHash, type SignedTx } from './tx.js';
import { decodeAddress, isAddress } from './wallet/address.js';
import { verifySignature, type Signer } from './wallet/keys.js';

/** What fixes a chain: its parameters, its authority and its first balances. Its hash is the chain id. */
export interface Genesis {
  /**
   * Address of the only block producer of an embedded chain. A chain run by CometBFT validators has none
   * (its blocks are agreed by BFT consensus, not sealed by one key).
   */
  authority?: string;
  /** CometBFT's chain_id, for a chain its validators run (part of the hash, so no transaction replays across networks). */
  chainId?: string;
  /** Milliseconds since the epoch, at creation. */
  timestamp: number;
  params: ChainParams;
  /** [address, base units] credited at genesis. */
  accounts: Array<[string, bigint]>;
}

/** The signed part of a block. */
export interface BlockHeader {
  height: number;
  parentHash: string;
  timestamp: number;
  /** sha256 over the transactions' hashes, in order. */
  txRoot: string;
  /** The state root after applying the transactions (and the epoch, at epoch heights). */
  stateRoot: string;
}

export interface Block {
  header: BlockHeader;
  txs: SignedTx[];
  /** The authority's signature of the header hash; empty on a CometBFT chain, whose commits are its validators'. */
  signature: string;
}

const GENESIS_DOMAIN = 'bittensor-miner/genesis/v1\n';
const HEADER_DOMAIN = 'bittensor-miner/block/v1\n';

/** The genesis hash: the chain id every transaction names. */
export function genesisHash(genesis: Genesis): string {
  return sha256Hex(GENESIS_DOMAIN + canonicalJson(genesis));
}

/** A header's hash (the block hash). */
export function blockHash(header: BlockHeader): string {
  return sha256Hex(HEADER_DOMAIN + canonicalJson(header));
}

export function txRoot(txs: readonly SignedTx[]): string {
  return sha256Hex(txs.map(txHash).join(''));
}

/** Signs a header as the authority. */
export function sealBlock(header: BlockHeader, txs: SignedTx[], authority: Signer): Block {
  return { header, txs, signature: bytesToHex(authority.sign(utf8(blockHash(header)))) };
}

const BlockSchema = z.strictObject({
  header: z.strictObject({
    height: z.int().min(1),
    parentHash: z.string().regex(/^[0-9a-f]{64}$/),
    timestamp: z.int().min(0),
    txRoot: z.string().regex(/^[0-9a-f]{64}$/),
    stateRoot: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  txs: z.array(SignedTxSchema),
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});

/**
 * Checks a received block's shape, its link to the parent, its transaction root and the authority's
 * signature. (Transactions and the state root are checked by executing it.) Throws InvalidInputError.
 */
export function verifyBlockEnvelope(
  value: unknown,
  parentHash: string,
  height: number,
  authority: string | undefined,
): Block {
  if (authority === undefined) throw new InvalidInputError('block', 'this chain has no authority to follow');
  const block = parseWith(BlockSchema, value, 'block') as Block;
  if (block.header.height !== height) throw new InvalidInputError('block.header.height', `expected ${height}`);
  if (block.header.parentHash !== parentHash)
    throw new InvalidInputError('block.header.parentHash', 'does not extend our chain');
  if (block.header.txRoot !== txRoot(block.txs))
    throw new InvalidInputError('block.header.txRoot', 'does not match the transactions');
  const hash = blockHash(block.header);
  if (!verifySignature(decodeAddress(authority), utf8(hash), hexToBytes(block.signature))) {
    throw new InvalidInputError('block.signature', "is not the authority's");
  }
  return block;
}

/** A genesis for a new local chain. */
export function makeGenesis(
  authority: string,
  accounts: Array<[string, bigint]>,
  params: Partial<ChainParams> = {},
): Genesis {
  if (!isAddress(authority)) throw new InvalidInputError('authority', 'must be an address');
  return { authority, timestamp: Date.now(), params: { ...DEFAULT_CHAIN_PARAMS, ...params }, accounts };
}

/** Genesis in its JSON form (amounts as strings) and back. */
export function genesisToJson(g: Genesis): unknown {
  return JSON.parse(canonicalJson(g));
}

const genesisJson = z.object({
  authority: z.string().refine(isAddress, 'must be an address').optional(),
  chainId: z.string().min(1).max(50).optional(),
  timestamp: z.int().min(0),
  params: chainParamsJson,
  accounts: z.array(z.tuple([z.string().refine(isAddress, 'must be an address'), unitsJson])),
});

/** A genesis read from JSON (a file, storage, another node), validated; throws InvalidInputError naming the field. */
export function genesisFromJson(value: unknown): Genesis {
  return parseWith(genesisJson, value, 'genesis');
}
