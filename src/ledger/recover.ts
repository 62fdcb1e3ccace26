import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../shared/errors.js';
import { blockHash, genesisFromJson, genesisHash } from './block.js';
import { Chain } from './chain.js';
import { LedgerClient } from './client.js';
import {
  AUTHORITY_KEY_FILE,
  CHAIN_FOLDER,
  DataFolderDamagedError,
  inspectDataFolder,
  readHeadRecord,
  writeHeadRecord,
  type HeadRecord,
} from './data-folder.js';
import { LevelChainStore } from './storage.js';
import { readAuthorityKey } from './authority-key.js';

export interface RecoverInit {
  /** The authority's data folder (its authority.key must be there). */
  dataDir: string;
  /** RPC URL of a node (a follower) holding this chain's blocks. */
  fromUrl: string;
  /** Called after each batch of verified blocks. */
  onProgress?: (height: number, target: number) => void;
}

export interface RecoverResult {
  height: number;
  hash: string;
  /** Where the damaged LevelDB folder was moved to (nothing is deleted), if there was one. */
  movedAside: string | undefined;
}

/** Blocks asked for at once. */
const BATCH = 100;

/**
 * Rebuilds an authority's chain store from a node that follows the chain: every block is fetched and
 * re-verified (the authority's signature, every transaction, the state root) into a new folder, which
 * replaces the damaged one only once it holds at least what the head record says was confirmed. The
 * damaged folder is kept beside it, renamed.
 */
export async function recoverFromFollower(init: RecoverInit): Promise<RecoverResult> {
  const { dataDir } = init;
  const folder = await inspectDataFolder(dataDir);
  if (!folder.hasAuthorityKey) {
    throw new UserError(
      `${join(dataDir, AUTHORITY_KEY_FILE)} is missing: only the authority's own folder can be recovered`,
    );
  }
  const authority = await readAuthorityKey(dataDir);
  // A damaged record cannot say what was confirmed; the follower's chain is then taken as it is.
  const record: HeadRecord | undefined = await readHeadRecord(dataDir).catch((error: unknown) => {
    if (error instanceof DataFolderDamagedError) return undefined;
    throw error;
  });
  const source = new LedgerClient(init.fromUrl, { timeoutMs: 30_000 });
  const genesis = genesisFromJson(await source.genesis());
  if (genesis.authority !== authority.address) {
    throw new UserError(`${init.fromUrl} follows a chain with another authority than the key in ${dataDir}`);
  }
  const id = genesisHash(genesis);
  if (record && record.chain !== id) {
    throw new UserError(`${init.fromUrl} follows another chain (${id.slice(0, 16)}...) than ${dataDir} held`);
  }
  const target = (await source.info()).height;
  if (record && target < record.height) {
    throw new UserError(
      `${init.fromUrl} has ${target} blocks, but this authority had confirmed ${record.height}; ` +
        'recover from a follower that is up to date',
    );
  }

  const building = join(dataDir, `${CHAIN_FOLDER}.recovering`);
  await rm(building, { recursive: true, force: true }); // ours: left by an interrupted recovery
  const store = new LevelChainStore(building);
  await store.open();
  let chain: Chain;
  try {
    chain = await Chain.open(store, genesis);
    while (chain.height < target) {
      const blocks = await source.blocks(chain.height + 1, Math.min(BATCH, target - chain.height));
      if (blocks.length === 0) throw new UserError(`${init.fromUrl} stopped sending blocks at ${chain.height}`);
      for (const block of blocks) await chain.importBlock(block);
      init.onProgress?.(chain.height, target);
    }
    if (record && record.height > 0) {
      const block = await store.getBlock(record.height);
      if (!block || blockHash(block.header) !== record.hash) {
        throw new UserError(
          `${init.fromUrl} holds another block ${record.height} than this authority had confirmed; it is not a follower of this chain`,
        );
      }
    }
  } finally {
    await store.close();
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = folder.hasChainFiles ? join(dataDir, `${CHAIN_FOLDER}.damaged-${stamp}`) : undefined;
  if (aside) await rename(join(dataDir, CHAIN_FOLDER), aside);
  await rename(building, join(dataDir, CHAIN_FOLDER));
  await writeHeadRecord(dataDir, { chain: id, height: chain.height, hash: chain.hash });
  return { height: chain.height, hash: chain.hash, movedAside: aside };
}
