import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { genesisFromJson, genesisHash, type Genesis } from './block.js';
import { BlockRejectedError, Chain, ChainMismatchError } from './chain.js';
import { LedgerClient } from './client.js';
import { Mempool } from './mempool.js';
import { PeriodicTask } from './periodic.js';
import type { LedgerService, TxStatus } from './rpc/methods.js';
import { RpcServer } from './rpc/server.js';
import { LevelChainStore, MemoryChainStore, type ChainStore } from './storage.js';
import { parseSignedTx, txHash, type SignedTx } from './tx.js';
import { randomSeed, signerFromSeed, type Signer } from './wallet/keys.js';

export interface LedgerNodeInit {
  /** Data folder (LevelDB); in memory when undefined. */
  dataDir?: string | undefined;
  /** RPC listen address. Default 127.0.0.1, port 0 (any free port). */
  rpcHost?: string;
  rpcPort?: number;
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
  stop(): Promise<void>;
}

const REJECTED_MEMORY = 4096;

/** Starts an authority: produces a block every blockTimeMs from its mempool and serves the RPC. */
export async function startAuthority(init: AuthorityInit): Promise<LedgerNode> {
  const log = (init.logger ?? silentLogger).child('authority');
  const authority = init.authority ?? (await authorityKey(init.dataDir));
  const store = await openStore(init.dataDir);
  let chain: Chain;
  try {
    const stored = await store.getGenesis();
    chain = await Chain.open(store, stored ?? init.genesis(authority.address));
    init.checkGenesis?.(chain.genesis);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (chain.genesis.authority !== authority.address) {
    await store.close();
    throw new ChainMismatchError('this data folder belongs to a chain with another authority key');
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
  const rpc = new RpcServer({ host: init.rpcHost ?? '127.0.0.1', port: init.rpcPort ?? 0 }, service);
  await rpc.start();

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

  return runningNode(chain, 'authority', rpc, producer, store, () => undefined);
}

/** Starts a follower: syncs blocks from the authority, re-verifies each one, and serves the same read RPC. */
export async function startFollower(init: FollowerInit): Promise<LedgerNode> {
  const log = (init.logger ?? silentLogger).child('follower');
  const upstream = new LedgerClient(init.authorityUrl);
  const store = await openStore(init.dataDir);
  let chain: Chain;
  try {
    const remote = genesisFromJson(await upstream.genesis());
    const stored = await store.getGenesis();
    if (stored && genesisHash(stored) !== genesisHash(remote)) {
      throw new ChainMismatchError('the authority runs another chain than the one in this data folder');
    }
    chain = await Chain.open(store, remote);
  } catch (error) {
    await store.close();
    throw error;
  }

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
  const rpc = new RpcServer({ host: init.rpcHost ?? '127.0.0.1', port: init.rpcPort ?? 0 }, service);
  await rpc.start();

  const syncer = new PeriodicTask(async () => {
    try {
      const head = (await upstream.info()).height;
      while (syncer.active && chain.height < head) {
        const blocks = await upstream.blocks(chain.height + 1, Math.min(100, head - chain.height));
        if (blocks.length === 0) break;
        for (const block of blocks) await writes.track(chain.importBlock(block));
      }
      lastSyncError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== lastSyncError) {
        log[error instanceof BlockRejectedError ? 'error' : 'warn']('sync', { error: message });
      }
      lastSyncError = message;
    }
  }, init.pollMs ?? 250);
  syncer.start(true);
  log.info('follower started', { chain: chain.id, authority: init.authorityUrl, rpc: rpc.url });

  return runningNode(chain, 'follower', rpc, syncer, store, () => lastSyncError);
}

/** The LedgerNode handle: stop() ends the periodic work, then the RPC, then closes the store. */
function runningNode(
  chain: Chain,
  role: LedgerNode['role'],
  rpc: RpcServer,
  work: PeriodicTask,
  store: ChainStore,
  syncError: () => string | undefined,
): LedgerNode {
  let stopped = false;
  return {
    chain,
    role,
    rpcUrl: rpc.url,
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

async function openStore(dataDir: string | undefined): Promise<ChainStore> {
  const store: ChainStore =
    dataDir === undefined ? new MemoryChainStore() : new LevelChainStore(join(dataDir, 'chain'));
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await store.open();
  } catch (error) {
    const code =
      (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    throw new UserError(
      `cannot open the ledger data in ${dataDir} (${code ?? (error as Error).message}); is another ledger using it?`,
    );
  }
  return store;
}

/** The authority's block-signing key, kept in the data folder (mode 0600); created on first start. */
async function authorityKey(dataDir: string | undefined): Promise<Signer> {
  if (dataDir === undefined) return signerFromSeed(randomSeed());
  const file = join(dataDir, 'authority.key');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError(`${file} is damaged: expected 64 hex characters`);
    return signerFromSeed(Uint8Array.from(Buffer.from(hex, 'hex')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const seed = randomSeed();
    await writeFile(file, `${Buffer.from(seed).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return signerFromSeed(seed);
  }
}
