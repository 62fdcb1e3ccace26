import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDiskFull, oneLine, UserError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { LedgerApp } from './abci/app.js';
import { blockHash, type Genesis } from './block.js';
import { Chain, ChainMismatchError } from './chain.js';
import {
  CHAIN_FOLDER,
  compareWithRecord,
  DataFolderDamagedError,
  inspectDataFolder,
  preserveFolder,
  writeHeadRecord,
  type DataFolderContents,
} from './data-folder.js';
import { EmbeddedEngine } from './engine.js';
import type { LedgerService } from './rpc/methods.js';
import { RpcServer } from './rpc/server.js';
import { isLockedByAnother, LevelChainStore, levelCode, MemoryChainStore, type ChainStore } from './storage.js';

export interface LedgerNodeInit {
  /** Data folder (LevelDB); in memory when undefined. */
  dataDir?: string | undefined;
  /** RPC listen address. Default 127.0.0.1, port 0 (any free port). */
  rpcHost?: string;
  rpcPort?: number;
  /** Host names the RPC answers to besides loopback (DNS-rebinding guard); '*' for any. */
  rpcAllowedHosts?: string[];
  /** The genesis for a new chain. Ignored when the data folder already holds a chain. */
  genesis: () => Genesis;
  /**
   * Called with the chain's genesis (the stored one, or the new one) before the RPC opens or any block is
   * made; throwing refuses the start (the store is closed, the error is rethrown).
   */
  checkGenesis?: (genesis: Genesis) => void;
  /** The block time, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export interface LedgerNodeComponents {
  /** Default: silent. */
  logger?: Logger;
}

/** A running embedded ledger: the ledger application, the engine that makes its blocks, and its RPC. */
export interface LedgerNode {
  readonly chain: Chain;
  readonly app: LedgerApp;
  readonly engine: EmbeddedEngine;
  readonly role: 'embedded';
  readonly rpcUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded ledger: one process makes a block every blockTimeMs by driving the ledger application
 * through the ABCI calls CometBFT would make, and serves the JSON-RPC. (A network that no single machine
 * owns runs the same application under CometBFT validators: `chain testnet`, `chain node`.)
 */
export async function startLedger(init: LedgerNodeInit, components: LedgerNodeComponents = {}): Promise<LedgerNode> {
  const log = (components.logger ?? silentLogger).child('ledger');
  const advice = `nothing in it was changed. Restore the folder from a backup, or start a new chain in a new --data folder`;
  const folder = init.dataDir === undefined ? undefined : await inspectDataFolder(init.dataDir);
  const { store, chain } = await openChain(init.dataDir, folder, advice, log, (stored) =>
    stored ? undefined : init.genesis(),
  );
  try {
    init.checkGenesis?.(chain.genesis);
  } catch (error) {
    await store.close();
    throw error;
  }
  const params = chain.genesis.params;
  const app = new LedgerApp({ store, logger: log.child('app') });
  app.attach(chain);
  const engine = new EmbeddedEngine(
    { blockTimeMs: params.blockTimeMs, mempoolTotal: params.mempoolTotal, ...(init.now ? { now: init.now } : {}) },
    { app, logger: log.child('engine') },
  );
  const service: LedgerService = {
    chain,
    role: 'embedded',
    settled: () => engine.settled(),
    async submit(value) {
      return engine.submit(value);
    },
    txStatus: (hash) => engine.txStatus(hash),
  };
  const rpc = await startRpc(init, service, store);
  engine.start();
  log.info('ledger started', { chain: chain.id, height: chain.height, rpc: rpc.url });

  let stopped = false;
  return {
    chain,
    app,
    engine,
    role: 'embedded',
    rpcUrl: rpc.url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await rpc.stop();
      chain.events.removeAll();
      await store.close();
    },
  };
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
    if (isLockedByAnother(error)) {
      // Another process has it open: its files are its own, never put back over them.
      await preserved?.discard();
      throw new UserError(`cannot open the ledger data in ${dataDir} (${code}); is another ledger using it?`);
    }
    await preserved?.restore();
    // A full disk is not a damaged folder: nothing in it needs restoring or replacing.
    if (isDiskFull(error)) {
      throw new UserError(
        `cannot open the ledger data in ${dataDir}: the disk is full (${code}); free some space and start again (nothing in it was changed)`,
      );
    }
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
