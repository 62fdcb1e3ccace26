import { ClassicLevel } from 'classic-level';
import { genesisFromJson, genesisToJson, type Block, type Genesis } from './block.js';
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

/** A ChainStore on LevelDB (classic-level: prebuilt N-API binaries that also load in Electron). */
export class LevelChainStore implements ChainStore {
  private readonly db: ClassicLevel<string, string>;

  constructor(readonly path: string) {
    this.db = new ClassicLevel<string, string>(path, { valueEncoding: 'utf8' });
  }

  async open(): Promise<void> {
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async getGenesis(): Promise<Genesis | undefined> {
    const g = await this.getJson<unknown>('genesis');
    return g === undefined ? undefined : genesisFromJson(g);
  }

  async putGenesis(genesis: Genesis): Promise<void> {
    await this.db.batch(
      [
        { type: 'put', key: 'genesis', value: JSON.stringify(genesisToJson(genesis)) },
        { type: 'put', key: 'head', value: '0' },
      ],
      { sync: true },
    );
  }

  async headHeight(): Promise<number> {
    return Number((await this.db.get('head')) ?? 0);
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
    await this.db.batch(ops, { sync: true });
  }

  async txHeight(hash: string): Promise<number | undefined> {
    const v = await this.db.get(`tx:${hash}`);
    return v === undefined ? undefined : Number(v);
  }

  async getEpoch(epoch: number): Promise<EpochRecord | undefined> {
    return this.getJson<EpochRecord>(`epoch:${pad(epoch)}`);
  }

  async getSnapshot(): Promise<StateSnapshot | undefined> {
    return this.getJson<StateSnapshot>('snapshot');
  }

  async putSnapshot(snapshot: StateSnapshot): Promise<void> {
    await this.db.put('snapshot', JSON.stringify(snapshot), { sync: true });
  }
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
