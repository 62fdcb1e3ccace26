import { z } from 'zod';
import { parseWith } from '../shared/validate.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { chainParamsJson, DEFAULT_CHAIN_PARAMS, unitsJson, type ChainParams } from './params.js';
import { txHash, type SignedTx } from './tx.js';
import { isAddress } from './wallet/address.js';

/** What fixes a chain: its parameters, its authority and its first balances. Its hash is the chain id. */
export interface Genesis {
  /**
   * The block producer's address, in chains made before the ledger became an ABCI application (it stays in
   * their genesis hash); new chains have none.
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
  /** Empty: blocks are the ledger application's record (older chains kept their authority's signature here). */
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

/** A genesis for a new embedded chain. */
export function makeGenesis(accounts: Array<[string, bigint]>, params: Partial<ChainParams> = {}): Genesis {
  return { timestamp: Date.now(), params: { ...DEFAULT_CHAIN_PARAMS, ...params }, accounts };
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
