import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine, UserError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { blockHash, genesisFromJson, genesisHash, type Genesis } from './block.js';
import { BlockRejectedError, Chain, ChainMismatchError } from './chain.js';
import {
  AUTHORITY_KEY_FILE,
  CHAIN_FOLDER,
  compareWithRecord,
  DataFolderDamagedError,
  inspectDataFolder,
  preserveFolder,
  writeHeadRecord,
  type DataFolderContents,
} from './data-folder.js';
import { LedgerClient } from './client.js';
import { Mempool } from './mempool.js';
import { PeriodicTask } from './periodic.js';
import type { LedgerService, TxStatus } from './rpc/methods.js';
import { RpcServer } from './rpc/server.js';
import { LevelChainStore, levelCode, MemoryChainStore, type ChainStore } from './storage.js';
import { parseSignedTx, txHash, type SignedTx } from './tx.js';
import type { Signer } from './wallet/keys.js';
import { authorityKey } from './authority-key.js';

export interface LedgerNodeInit {
  /** Data folder (LevelDB); in memory when undefined. */
  dataDir?: string | undefined;
  /** RPC listen address. Default 127.0.0.1, port 0 (any free port). */
  rpcHost?: string;
  rpcPort?: number;
  /** Host names the RPC answers to besides loopback (DNS-rebinding guard); '*' for any. */
  rpcAllowedHosts?: string[];
  logger?: Logger;
}

export interface AuthorityInit extends LedgerNodeInit {
  /** The genesis for a new chain; its authority must be `authority`'s address. Ignored when the data folder has a chain. */
  genesis: (authority: string) => Genesis;
  /** The block producer's key; default: the one kept in the data folder (created on first start). */
  authority?: Signer;
  /**
   * Called with the chain's genesis (the stored one, or the new one) before the RPC opens or any block is
   * made; throwing refuses the start (the store is closed, the error is rethrown).
   */
  checkGenesis?: (genesis: Genesis) => void;
}

export interface FollowerInit extends LedgerNodeInit {
  /** RPC URL of the authority to follow. */
  authorityUrl: string;
  /** How often to ask the authority for new blocks, ms. Default 250. */
  pollMs?: number;
}

/** A running ledger node (authority or follower). */
export interface LedgerNode {
  readonly chain: Chain;
  readonly role: 'authority' | 'follower';
  readonly rpcUrl: string;
  /** The follower's last refused block, if any. */
  readonly lastSyncError?: string | undefined;
  /**
   * Resolves with the reason when the node has stopped working on its own: a follower whose authority went
   * below its height or forked its chain. Never resolves for an authority.
   */
  readonly failed: Promise<UserError>;
  stop(): Promise<void>;
}

/** A follower's authority has less, or other, than the follower already verified. */
export class AuthorityRegressedError extends UserError {
  override name = 'AuthorityRegressedError';
}

const REJECTED_MEMORY = 4096;

/** Starts an authority: produces a block every blockTimeMs from its mempool and serves the RPC. */
export async function startAuthority(init: AuthorityInit): Promise<LedgerNode> {
  const log = (init.logger ?? silentLogger).child('authority');
  const advice =
    `nothing in it was changed. Rebuild it from a follower of this chain: bittensor-miner ledger recover ` +
    `--data ${init.dataDir} --from FOLLOWER_RPC_URL, or restore a backup`;
  const folder = init.dataDir === undefined ? undefined : await inspectDataFolder(init.dataDir);
  if (folder && !folder.hasAuthorityKey && !init.authority && holdsChain(folder)) {
    throw new DataFolderDamagedError(
      `the ledger data in ${init.dataDir} has lost its ${AUTHORITY_KEY_FILE}, without which the chain cannot go on; ` +
        'restore that file from a backup (nothing was changed)',
    );
  }
  const authority = init.authority ?? (await authorityKey(init.dataDir));
  const { store, chain } = await openChain(init.dataDir, folder, advice, log, (stored) =>
    stored ? undefined : init.genesis(authority.address),
  );
  try {
    init.checkGenesis?.(chain.genesis);
    if (chain.genesis.authority !== authority.address) {
      throw new ChainMismatchError('this data folder belongs to a chain with another authority key');
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const params = chain.genesis.params;
  const mempool = new Mempool({ perAccount: params.mempoolPerAccount, total: params.mempoolTotal });
  const rejected = new Map<string, string>();
  const writes = new WriteGate();

  const service: LedgerService = {
    chain,
    role: 'authority',
    settled: () => writes.settled(),
    async submit(value) {
      const tx = parseSignedTx(value, params.maxTransactionBytes);
      return mempool.add(tx, chain.state);
    },
    async txStatus(hash): Promise<TxStatus> {
      const height = await chain.store.txHeight(hash);
      if (height !== undefined) return { status: 'included', block: height };
      if (mempool.has(hash)) return { status: 'pending' };
      const reason = rejected.get(hash);
      return reason !== undefined ? { status: 'rejected', reason } : { status: 'unknown' };
    },
  };
  const rpc = await startRpc(init, service, store);

  const produce = async () => {
    const candidates = mempool.candidates(chain.state, params.maxBlockTransactions);
    try {
      const out = await writes.track(chain.produceBlock(candidates, authority));
      for (const { tx, reason } of out.rejected) {
        rejected.set(txHash(tx), reason);
        if (rejected.size > REJECTED_MEMORY) rejected.delete(rejected.keys().next().value as string);
      }
      mempool.prune(
        chain.state,
        out.rejected.map((r) => r.tx),
      );
      log.debug('block', { height: out.block.header.height, txs: out.included.length });
      if (out.epoch) log.info('epoch', { epoch: out.epoch.epoch, block: out.epoch.block, minted: out.epoch.minted });
    } catch (error) {
      log.error('block production failed; retrying at the next slot', { error: (error as Error).message });
    }
  };
  // One block per slot; a slow block shortens the wait before the next one instead of piling up.
  const producer = new PeriodicTask(produce, params.blockTimeMs);
  producer.start();
  log.info('authority started', { chain: chain.id, height: chain.height, rpc: rpc.url });

  return runningNode(chain, 'authority', rpc, producer, store, () => undefined, new Promise(() => undefined));
}

/** Starts a follower: syncs blocks from the authority, re-verifies each one, and serves the same read RPC. */
export async function startFollower(init: FollowerInit): Promise<LedgerNode> {
  const log = (init.logger ?? silentLogger).child('follower');
  const upstream = new LedgerClient(init.authorityUrl);
  const advice =
    'nothing in it was changed. Move it aside and follow into a new --data folder (the authority has every block)';
  const folder = init.dataDir === undefined ? undefined : await inspectDataFolder(init.dataDir);
  const remote = genesisFromJson(await upstream.genesis());
  const { store, chain } = await openChain(init.dataDir, folder, advice, log, (stored) => {
    if (stored && genesisHash(stored) !== genesisHash(remote)) {
      throw new ChainMismatchError('the authority runs another chain than the one in this data folder');
    }
    return remote;
  });

  let reportFailure: (error: UserError) => void = () => undefined;
  const failed = new Promise<UserError>((resolve) => (reportFailure = resolve));
  const fail = (error: AuthorityRegressedError) => {
    log.error('stopped following', { error: error.message });
    reportFailure(error);
    void syncer.stop();
  };
  const regressed = (what: string) =>
    new AuthorityRegressedError(
      `the authority at ${init.authorityUrl} ${what}: it has lost blocks this follower verified. Stopped following; ` +
        `rebuild the authority from this follower (bittensor-miner ledger recover --from ${rpcUrlOf()})`,
    );
  let rpcUrlOf = () => 'THIS_FOLLOWER_RPC_URL';

  let lastSyncError: string | undefined;
  const writes = new WriteGate();
  const service: LedgerService = {
    chain,
    role: 'follower',
    settled: () => writes.settled(),
    submit: (tx) => upstream.submit(tx as SignedTx),
    async txStatus(hash) {
      const height = await chain.store.txHeight(hash);
      return height !== undefined ? { status: 'included', block: height } : upstream.txStatus(hash);
    },
  };
  const rpc = await startRpc(init, service, store);
  rpcUrlOf = () => rpc.url;

  const syncer = new PeriodicTask(async () => {
    try {
      const head = (await upstream.info()).height;
      if (head < chain.height) {
        fail(regressed(`is at height ${head}, below this follower's ${chain.height}`));
        return;
      }
      while (syncer.active && chain.height < head) {
        const blocks = await upstream.blocks(chain.height + 1, Math.min(100, head - chain.height));
        if (blocks.length === 0) break;
        for (const block of blocks) await writes.track(chain.importBlock(block));
      }
      lastSyncError = undefined;
    } catch (error) {
      if (error instanceof BlockRejectedError && chain.height > 0) {
        // A block that does not link to ours may mean the authority sealed other blocks at our heights.
        const theirs = await upstream.block(chain.height).catch(() => undefined);
        if (theirs && blockHash(theirs.header) !== chain.hash) {
          fail(regressed(`has another block at height ${chain.height} than the one this follower verified (a fork)`));
          return;
        }
      }
      const message = (error as Error).message;
      if (message !== lastSyncError) {
        log[error instanceof BlockRejectedError ? 'error' : 'warn']('sync', { error: message });
      }
      lastSyncError = message;
    }
  }, init.pollMs ?? 250);
  syncer.start(true);
  log.info('follower started', { chain: chain.id, authority: init.authorityUrl, rpc: rpc.url });

  return runningNode(chain, 'follower', rpc, syncer, store, () => lastSyncError, failed);
}

/** The LedgerNode handle: stop() ends the periodic work, then the RPC, then closes the store. */
function runningNode(
  chain: Chain,
  role: LedgerNode['role'],
  rpc: RpcServer,
  work: PeriodicTask,
  store: ChainStore,
  syncError: () => string | undefined,
  failed: Promise<UserError>,
): LedgerNode {
  let stopped = false;
  return {
    chain,
    role,
    rpcUrl: rpc.url,
    failed,
    get lastSyncError() {
      return syncError();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await work.stop();
      await rpc.stop();
      chain.events.removeAll();
      await store.close();
    },
  };
}

/**
 * The block being written. Producing or importing a block changes the state at once and stores the block
 * after an await; readers that wait for `settled()` see only states that are on disk.
 */
class WriteGate {
  private current: Promise<unknown> = Promise.resolve();

  /** Call with the promise of produceBlock/importBlock right away: their state change happens synchronously. */
  track<T>(write: Promise<T>): Promise<T> {
    this.current = write.catch(() => undefined);
    return write;
  }

  async settled(): Promise<void> {
    // A write that starts while we wait (a follower imports blocks back to back) is waited for too.
    let seen: Promise<unknown>;
    do {
      seen = this.current;
      await seen;
    } while (seen !== this.current);
  }
}

/** Starts the node's RPC; when it cannot listen (a port in use), the store is closed before the error goes up. */
async function startRpc(init: LedgerNodeInit, service: LedgerService, store: ChainStore): Promise<RpcServer> {
  const rpc = new RpcServer(
    {
      host: init.rpcHost ?? '127.0.0.1',
      port: init.rpcPort ?? 0,
      ...(init.rpcAllowedHosts ? { allowedHosts: init.rpcAllowedHosts } : {}),
    },
    service,
  );
  try {
    await rpc.start();
  } catch (error) {
    await store.close();
    throw error;
  }
  return rpc;
}

/** Whether a data folder already holds (or held) a chain: then a new one must never be started in it. */
function holdsChain(folder: DataFolderContents): boolean {
  return folder.record !== undefined || folder.hasChainFiles;
}

/**
 * Opens the chain in a data folder (in memory without one) and checks it against the folder's head record:
 * a folder that is damaged, behind its record or from another chain is refused in one line with `advice`,
 * and nothing in it is changed. `genesisFor` gets the stored genesis (undefined in a new folder) and returns
 * the genesis to open with, or throws to refuse. A new chain starts only in an empty folder.
 */
async function openChain(
  dataDir: string | undefined,
  folder: DataFolderContents | undefined,
  advice: string,
  log: Logger,
  genesisFor: (stored: Genesis | undefined) => Genesis | undefined,
): Promise<{ store: ChainStore; chain: Chain }> {
  if (dataDir === undefined || folder === undefined) {
    const store = new MemoryChainStore();
    return { store, chain: await Chain.open(store, genesisFor(undefined), log) };
  }
  const damaged = (what: string) => new DataFolderDamagedError(`the ledger data in ${dataDir} ${what}; ${advice}`);
  const fresh = !holdsChain(folder);
  if (!fresh && !folder.hasCurrent) {
    throw damaged(
      folder.hasChainFiles ? "is damaged (LevelDB's CURRENT file is missing)" : `has lost its ${CHAIN_FOLDER} folder`,
    );
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, CHAIN_FOLDER);
  const store = new LevelChainStore(path, { createIfMissing: fresh, headRecordDir: dataDir });
  const preserved = fresh ? undefined : await preserveFolder(path);
  try {
    await store.open();
  } catch (error) {
    const code = levelCode(error);
    if (/LOCK|lock|EAGAIN|EBUSY/.test(code)) {
      // Another process has it open: its files are its own, never put back over them.
      await preserved?.discard();
      throw new UserError(`cannot open the ledger data in ${dataDir} (${code}); is another ledger using it?`);
    }
    await preserved?.restore();
    throw damaged(`cannot be opened (${code})`);
  }
  try {
    const stored = await store.getGenesis();
    if (!stored && !fresh) throw damaged('has lost its genesis');
    const chain = await Chain.open(store, genesisFor(stored), log);
    const record = folder.record;
    if (record) {
      const wrong = await compareWithRecord(
        chain,
        async (h) => {
          if (h === 0) return chain.id;
          const block = await store.getBlock(h);
          return block && blockHash(block.header);
        },
        record,
      );
      if (wrong) throw damaged(wrong);
    }
    if (!record || record.height !== chain.height) {
      // A folder from before head records, or a crash between a stored block and its record: start one here.
      await writeHeadRecord(dataDir, { chain: chain.id, height: chain.height, hash: chain.hash });
    }
    await preserved?.discard();
    return { store, chain };
  } catch (error) {
    await store.close();
    await preserved?.restore();
    if (error instanceof UserError) {
      if (error instanceof ChainMismatchError || error instanceof DataFolderDamagedError) throw error;
      throw damaged(`is damaged (${error.message})`);
    }
    throw damaged(`is damaged (${oneLine(error)})`);
  }
}
