import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { DataFolderDamagedError, readHeadRecord } from '../../src/ledger/data-folder.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { key, TOKEN } from '../support/ledger.js';
import { until } from '../support/poll.js';

const accounts = (): Array<[string, bigint]> => [[key(1).address, 1000n * TOKEN]];
const genesis = () => makeGenesis(accounts(), { blockTimeMs: 20, tempo: 5 });

let root: string;
const nodes: LedgerNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

let dirs = 0;
async function newDir(): Promise<string> {
  root ??= await mkdtemp(join(tmpdir(), 'bt-damage-'));
  return join(root, `d${++dirs}`);
}

async function authority(dataDir: string, rpcPort = 0): Promise<LedgerNode> {
  const node = await startLedger({ dataDir, genesis, rpcPort });
  nodes.push(node);
  return node;
}

/** A data folder holding a chain of at least `height` blocks, its ledger stopped. */
async function chainOf(height: number): Promise<{ dir: string; height: number }> {
  const dir = await newDir();
  const node = await authority(dir);
  await until(() => node.chain.height >= height, `height ${height}`);
  await node.stop();
  return { dir, height: node.chain.height };
}

/** Every file under a folder with a hash of its bytes: what "nothing was changed" compares. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'LOCK') continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

async function logFile(dir: string): Promise<string> {
  const names = await readdir(join(dir, 'chain'));
  const log = names.find((n) => n.endsWith('.log'));
  if (!log) throw new Error('no LevelDB log');
  return join(dir, 'chain', log);
}

/** Starting the ledger on `dir` is refused with one line matching `reason`, and changes nothing there. */
async function expectRefused(dir: string, reason: RegExp): Promise<void> {
  const before = await fingerprint(dir);
  const error = await startLedger({ dataDir: dir, genesis, rpcPort: 0 }).then(
    (node) => {
      nodes.push(node);
      return undefined;
    },
    (e: unknown) => e as Error,
  );
  expect(error, 'the start should have been refused').toBeInstanceOf(DataFolderDamagedError);
  expect(error!.message).toMatch(reason);
  expect(error!.message).not.toContain('\n');
  expect(await fingerprint(dir)).toEqual(before);
}

describe('the embedded ledger never starts on less than it had confirmed', () => {
  it('keeps a head record of the durable head, and restarts on an intact folder where it stopped', async () => {
    const { dir, height } = await chainOf(8);
    const record = await readHeadRecord(dir);
    expect(record).toMatchObject({ height });
    const again = await authority(dir);
    expect(again.chain.height).toBeGreaterThanOrEqual(height);
    expect(again.chain.id).toBe(record!.chain);
  });

  it('refuses a folder whose LevelDB CURRENT file is gone (it would start a new chain), and keeps every file', async () => {
    const { dir } = await chainOf(5);
    await unlink(join(dir, 'chain', 'CURRENT'));
    await expectRefused(dir, /CURRENT file is missing.*nothing in it was changed.*backup/);
  });

  it('refuses a folder whose write-ahead log was truncated, naming how many blocks were lost', async () => {
    const { dir, height } = await chainOf(30);
    const log = await logFile(dir);
    await truncate(log, Math.floor((await stat(log)).size / 2));
    await expectRefused(dir, new RegExp(`it had confirmed height ${height} \\(\\d+ blocks? lost\\)`));
  });

  it('refuses a folder whose chain folder is gone', async () => {
    const { dir } = await chainOf(3);
    await rm(join(dir, 'chain'), { recursive: true });
    await expectRefused(dir, /lost its chain folder/);
  });

  it('refuses chain files from another chain under its head record', async () => {
    const mine = await chainOf(5);
    const other = await chainOf(5);
    await rm(join(mine.dir, 'chain'), { recursive: true });
    await cp(join(other.dir, 'chain'), join(mine.dir, 'chain'), { recursive: true });
    const error = await startLedger({ dataDir: mine.dir, genesis, rpcPort: 0 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/another chain/);
  });

  it('refuses an older copy of its own chain folder (a stale backup put back)', async () => {
    const dir = await newDir();
    const first = await authority(dir);
    await until(() => first.chain.height >= 3, 'height 3');
    await first.stop();
    await cp(join(dir, 'chain'), join(root, 'stale'), { recursive: true });
    const second = await authority(dir);
    await until(() => second.chain.height >= first.chain.height + 5, 'five more blocks');
    await second.stop();
    await rm(join(dir, 'chain'), { recursive: true });
    await cp(join(root, 'stale'), join(dir, 'chain'), { recursive: true });
    await expectRefused(dir, /blocks lost/);
  });

  it('refuses a damaged head record and a table file that does not read back', async () => {
    const a = await chainOf(3);
    await writeFile(join(a.dir, 'head.json'), '{"chain": "0');
    await expectRefused(a.dir, /head\.json is damaged/);

    // A restart turns the log into a table file (.ldb); overwrite that table's bytes.
    const c = await chainOf(12);
    await (await authority(c.dir)).stop();
    const tables = (await readdir(join(c.dir, 'chain'))).filter((n) => n.endsWith('.ldb'));
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      const path = join(c.dir, 'chain', t);
      const size = (await stat(path)).size;
      await writeFile(path, Buffer.alloc(size, 0x5a));
    }
    await expectRefused(c.dir, /damaged|cannot be opened/);
  });

  it('a new chain starts only in an empty folder: a file in place of --data is refused', async () => {
    const dir = await newDir();
    await writeFile(dir, 'not a folder');
    await expect(startLedger({ dataDir: dir, genesis, rpcPort: 0 })).rejects.toThrow(/is a file, not a folder/);
  });
});
