import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { DataFolderDamagedError, readHeadRecord } from '../../src/ledger/data-folder.js';
import { AuthorityRegressedError, startAuthority, startFollower, type LedgerNode } from '../../src/ledger/node.js';
import { recoverFromFollower } from '../../src/ledger/recover.js';
import { key, TOKEN } from '../support/ledger.js';
import { until } from '../support/poll.js';

const accounts = (): Array<[string, bigint]> => [[key(1).address, 1000n * TOKEN]];
const genesis = (a: string) => makeGenesis(a, accounts(), { blockTimeMs: 20, tempo: 5 });

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
  const node = await startAuthority({ dataDir, genesis, rpcPort });
  nodes.push(node);
  return node;
}

/** A data folder holding a chain of at least `height` blocks, its authority stopped. */
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

/** Starting an authority on `dir` is refused with one line matching `reason`, and changes nothing there. */
async function expectRefused(dir: string, reason: RegExp): Promise<void> {
  const before = await fingerprint(dir);
  const error = await startAuthority({ dataDir: dir, genesis, rpcPort: 0 }).then(
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

describe('an authority never starts on less than it had confirmed', () => {
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
    await expectRefused(dir, /CURRENT file is missing.*nothing in it was changed.*ledger recover/);
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
    // The other chain has another authority key: either check may speak first, both refuse.
    const error = await startAuthority({ dataDir: mine.dir, genesis, rpcPort: 0 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/another chain|another authority/);
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

  it('refuses a damaged head record, a lost authority key, and a table file that does not read back', async () => {
    const a = await chainOf(3);
    await writeFile(join(a.dir, 'head.json'), '{"chain": "0');
    await expectRefused(a.dir, /head\.json is damaged/);

    const b = await chainOf(3);
    await unlink(join(b.dir, 'authority.key'));
    await expectRefused(b.dir, /lost its authority\.key/);

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
    await expect(startAuthority({ dataDir: dir, genesis, rpcPort: 0 })).rejects.toThrow(/is a file, not a folder/);
  });
});

describe('recovery from a follower, and a follower whose authority goes back', () => {
  it('rebuilds a damaged authority from its follower (every block re-verified); it then goes on where it was', async () => {
    const dir = await newDir();
    let a = await authority(dir);
    const port = Number(new URL(a.rpcUrl).port);
    const f = await startFollower({ authorityUrl: a.rpcUrl, dataDir: await newDir(), pollMs: 10 });
    nodes.push(f);
    await until(() => f.chain.height >= 25, 'the follower at 25');
    // Stop the authority when the follower has all its blocks (a block may slip in between: then try again).
    for (;;) {
      await until(() => f.chain.height === a.chain.height, 'the follower to catch up');
      await a.stop();
      if (f.chain.height === a.chain.height) break;
      a = await authority(dir, port);
    }
    const confirmed = a.chain.height;
    const log = await logFile(dir);
    await truncate(log, Math.floor((await stat(log)).size / 3));
    await expectRefused(dir, /blocks? lost/);

    const progress: number[] = [];
    const result = await recoverFromFollower({ dataDir: dir, fromUrl: f.rpcUrl, onProgress: (h) => progress.push(h) });
    expect(result.height).toBe(confirmed);
    expect(result.hash).toBe(a.chain.hash);
    expect(progress.at(-1)).toBe(confirmed);
    expect(result.movedAside).toMatch(/chain\.damaged-/);
    expect((await readdir(result.movedAside!)).length).toBeGreaterThan(0);

    const back = await authority(dir);
    expect(back.chain.height).toBe(confirmed);
    expect(back.chain.hash).toBe(a.chain.hash);
    await until(() => back.chain.height > confirmed + 2, 'new blocks');
  });

  it('recovery refuses a follower that is behind what the authority had confirmed', async () => {
    const dir = await newDir();
    const a = await authority(dir);
    await until(() => a.chain.height >= 3, 'height 3');
    // It syncs once at start, then not for a minute.
    const lagging = await startFollower({ authorityUrl: a.rpcUrl, dataDir: await newDir(), pollMs: 60_000 });
    nodes.push(lagging);
    await until(() => lagging.chain.height >= 1 && a.chain.height >= lagging.chain.height + 3, 'the authority ahead');
    await a.stop();
    await expect(recoverFromFollower({ dataDir: dir, fromUrl: lagging.rpcUrl })).rejects.toThrow(
      /has \d+ blocks, but this authority had confirmed \d+; recover from a follower that is up to date/,
    );
    // Nothing was swapped in: the authority starts again where it was.
    const back = await authority(dir);
    expect(back.chain.height).toBeGreaterThanOrEqual(a.chain.height);
  });

  it('a follower whose authority is back below its height stops with one line (and a fork is caught too)', async () => {
    const dir = await newDir();
    const first = await authority(dir);
    const port = Number(new URL(first.rpcUrl).port);
    await until(() => first.chain.height >= 4, 'height 4');
    await first.stop();
    const backup = join(root, `backup-${dirs}`);
    await cp(dir, backup, { recursive: true }); // a whole-folder backup, head record included: consistent
    const second = await authority(dir, port);
    const fDir = await newDir();
    const f = await startFollower({ authorityUrl: second.rpcUrl, dataDir: fDir, pollMs: 20 });
    nodes.push(f);
    await until(() => f.chain.height >= first.chain.height + 10, 'the follower ten blocks past the backup');
    await second.stop();
    await rm(dir, { recursive: true });
    await cp(backup, dir, { recursive: true });
    const restored = await authority(dir, port);
    const failure = await Promise.race([f.failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    expect(failure).toBeInstanceOf(AuthorityRegressedError);
    expect(failure!.message).toMatch(/below this follower's \d+.*Stopped following.*ledger recover --from/);
    expect(failure!.message).not.toContain('\n');

    // The restored authority seals other blocks at the follower's heights: restarted, the follower sees the fork.
    const height = f.chain.height;
    await f.stop();
    await until(() => restored.chain.height >= height + 3, 'the restored authority past the follower');
    const again = await startFollower({ authorityUrl: restored.rpcUrl, dataDir: fDir, pollMs: 20 });
    nodes.push(again);
    const fork = await Promise.race([
      again.failed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
    ]);
    expect(fork).toBeInstanceOf(AuthorityRegressedError);
    expect(fork!.message).toMatch(new RegExp(`another block at height ${height}.*a fork`));
    expect(again.chain.height).toBe(height);
  });
});
