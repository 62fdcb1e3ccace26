import { ClassicLevel } from 'classic-level';
import { oneLine, UserError } from '../shared/errors.js';
import { blockHash, genesisFromJson, genesisHash, genesisToJson, type Block, type Genesis } from './block.js';
import { writeHeadRecord } from './data-folder.js';
import type { EpochRecord, StateSnapshot } from './state.js';

/**
 * Where a chain lives: its genesis, blocks, epoch records and state snapshots. Appending a block is one
 * atomic, synced write (block + head + transaction index + epoch record), so a crash at any point leaves
 * either the whole block or none of it.
 */
export interface ChainStore {
  open(): Promise<void>;
  close(): Promise<void>;
  getGenesis(): Promise<Genesis | undefined>;
  putGenesis(genesis: Genesis): Promise<void>;
  /** Height of the last stored block (0: genesis only). */
  headHeight(): Promise<number>;
  getBlock(height: number): Promise<Block | undefined>;
  appendBlock(block: Block, txHashes: string[], epoch?: EpochRecord): Promise<void>;
  /** The block height holding a transaction, if any. */
  txHeight(hash: string): Promise<number | undefined>;
  getEpoch(epoch: number): Promise<EpochRecord | undefined>;
  /** The latest state snapshot (never above the head). */
  getSnapshot(): Promise<StateSnapshot | undefined>;
  putSnapshot(snapshot: StateSnapshot): Promise<void>;
}

const pad = (n: number) => n.toString().padStart(12, '0');

/** A stored value that does not read back (a damaged table file). */
export class StoreDamagedError extends UserError {
  override name = 'StoreDamagedError';
}

export interface LevelChainStoreInit {
  /** Create the database when the folder holds none. Default true; false refuses a missing one. */
  createIfMissing?: boolean;
  /**
   * The data folder whose head record (data-folder.ts) follows every stored block, written after the
   * block is synced, before anyone can see it. Default: no record.
   */
  headRecordDir?: string;
}

/** A ChainStore on LevelDB (classic-level: prebuilt N-API binaries that also load in Electron). */
export class LevelChainStore implements ChainStore {
  private db!: ClassicLevel<string, string>;
  private chainId: string | undefined;
  /**
   * A write failed (a full disk): LevelDB may have left part of it in its log and would go on appending behind
   * the torn record, where its recovery at the next start cannot read (every block after it would be lost). The
   * next write reopens the database first: its recovery drops the torn record and starts a new log.
   */
  private torn = false;

  constructor(
    readonly path: string,
    private readonly init: LevelChainStoreInit = {},
  ) {}

  async open(): Promise<void> {
    // Made here, not in the constructor: a ClassicLevel opens itself as soon as it exists.
    this.db = new ClassicLevel<string, string>(this.path, {
      valueEncoding: 'utf8',
      createIfMissing: this.init.createIfMissing ?? true,
    });
    await this.db.open();
    const genesis = await this.getGenesis();
    this.chainId = genesis && genesisHash(genesis);
  }

  async close(): Promise<void> {
    await this.db?.close();
  }

  /** Runs a write; one that fails marks the log torn (see `torn`), and a torn one is reopened before the next. */
  private async write(apply: () => Promise<void>): Promise<void> {
    if (this.torn) {
      await this.db.close().catch(() => undefined);
      // Fails while the disk is still full: the store stays torn, and the next write tries again.
      await this.open().catch((error: unknown) => {
        throw new Error(`cannot reopen the ledger store after a failed write (${levelCode(error)})`, { cause: error });
      });
      this.torn = false;
    }
    try {
      await apply();
    } catch (error) {
      this.torn = true;
      throw error;
    }
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    let v: string | undefined;
    if (this.torn && this.db.status !== 'open') {
      throw new UserError(
        `${this.path}: closed after a failed write (is the disk full?); it reopens at the next write`,
      );
    }
    try {
      v = await this.db.get(key);
    } catch (error) {
      throw new StoreDamagedError(`${this.path}: cannot read ${key} (${levelCode(error)})`);
    }
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw new StoreDamagedError(`${this.path}: the stored ${key} is damaged`);
    }
  }

  private async record(height: number, hash: string): Promise<void> {
    if (this.init.headRecordDir !== undefined && this.chainId !== undefined) {
      await writeHeadRecord(this.init.headRecordDir, { chain: this.chainId, height, hash });
    }
  }

  async getGenesis(): Promise<Genesis | undefined> {
    const g = await this.getJson<unknown>('genesis');
    return g === undefined ? undefined : genesisFromJson(g);
  }

  async putGenesis(genesis: Genesis): Promise<void> {
    await this.write(() =>
      this.db.batch(
        [
          { type: 'put', key: 'genesis', value: JSON.stringify(genesisToJson(genesis)) },
          { type: 'put', key: 'head', value: '0' },
        ],
        { sync: true },
      ),
    );
    this.chainId = genesisHash(genesis);
    await this.record(0, this.chainId);
  }

  async headHeight(): Promise<number> {
    return Number((await this.getJson<number>('head')) ?? 0);
  }

  async getBlock(height: number): Promise<Block | undefined> {
    return this.getJson<Block>(`block:${pad(height)}`);
  }

  async appendBlock(block: Block, txHashes: string[], epoch?: EpochRecord): Promise<void> {
    const h = block.header.height;
    const ops: Array<{ type: 'put'; key: string; value: string }> = [
      { type: 'put', key: `block:${pad(h)}`, value: JSON.stringify(block) },
      { type: 'put', key: 'head', value: String(h) },
      ...txHashes.map((hash) => ({ type: 'put' as const, key: `tx:${hash}`, value: String(h) })),
    ];
    if (epoch) ops.push({ type: 'put', key: `epoch:${pad(epoch.epoch)}`, value: JSON.stringify(epoch) });
    await this.write(() => this.db.batch(ops, { sync: true }));
    await this.record(h, blockHash(block.header));
  }

  async txHeight(hash: string): Promise<number | undefined> {
    return this.getJson<number>(`tx:${hash}`);
  }

  async getEpoch(epoch: number): Promise<EpochRecord | undefined> {
    return this.getJson<EpochRecord>(`epoch:${pad(epoch)}`);
  }

  async getSnapshot(): Promise<StateSnapshot | undefined> {
    return this.getJson<StateSnapshot>('snapshot');
  }

  async putSnapshot(snapshot: StateSnapshot): Promise<void> {
    await this.write(() => this.db.put('snapshot', JSON.stringify(snapshot), { sync: true }));
  }
}

/** Whether LevelDB refused to open because another process holds the folder's lock. */
export function isLockedByAnother(error: unknown): boolean {
  return /LOCK|lock|EAGAIN|EBUSY/.test(levelCode(error));
}

/** LevelDB's own error code (classic-level wraps it in `cause`), for one-line messages. */
export function levelCode(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return `${e.cause?.code ?? e.code ?? 'error'}: ${oneLine(e.cause?.message ?? e.message ?? String(error))}`;
}

/** A ChainStore in memory, for tests and trials; passes the same test suite as LevelChainStore. */
export class MemoryChainStore implements ChainStore {
  private readonly data = new Map<string, string>();

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  async getGenesis(): Promise<Genesis | undefined> {
    const g = this.data.get('genesis');
    return g === undefined ? undefined : genesisFromJson(JSON.parse(g));
  }

  async putGenesis(genesis: Genesis): Promise<void> {
    this.data.set('genesis', JSON.stringify(genesisToJson(genesis)));
    this.data.set('head', '0');
  }

  async headHeight(): Promise<number> {
    return Number(this.data.get('head') ?? 0);
  }

  async getBlock(height: number): Promise<Block | undefined> {
    const b = this.data.get(`block:${height}`);
    return b === undefined ? undefined : (JSON.parse(b) as Block);
  }

  async appendBlock(block: Block, txHashes: string[], epoch?: EpochRecord): Promise<void> {
    this.data.set(`block:${block.header.height}`, JSON.stringify(block));
    this.data.set('head', String(block.header.height));
    for (const hash of txHashes) this.data.set(`tx:${hash}`, String(block.header.height));
    if (epoch) this.data.set(`epoch:${epoch.epoch}`, JSON.stringify(epoch));
  }

  async txHeight(hash: string): Promise<number | undefined> {
    const v = this.data.get(`tx:${hash}`);
    return v === undefined ? undefined : Number(v);
  }

  async getEpoch(epoch: number): Promise<EpochRecord | undefined> {
    const e = this.data.get(`epoch:${epoch}`);
    return e === undefined ? undefined : (JSON.parse(e) as EpochRecord);
  }

  async getSnapshot(): Promise<StateSnapshot | undefined> {
    const s = this.data.get('snapshot');
    return s === undefined ? undefined : (JSON.parse(s) as StateSnapshot);
  }

  async putSnapshot(snapshot: StateSnapshot): Promise<void> {
    this.data.set('snapshot', JSON.stringify(snapshot));
  }
}
