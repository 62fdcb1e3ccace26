import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileDurable } from '../../../src/ledger/durable-file.js';
import { LogFile } from '../../../src/ledger/log-file.js';
import { ensurePasswordFile } from '../../../src/main/wallets.js';
import { describeFileRefusal, isDiskFull } from '../../../src/shared/errors.js';

/**
 * A full disk for one write: the temporary file writeFileDurable opens is a link to /dev/full, where every
 * write fails with the kernel's ENOSPC.
 */
async function fullDiskFor(file: string): Promise<void> {
  await symlink('/dev/full', `${file}.${process.pid}.tmp`);
}

describe('writes on a full disk', () => {
  it('writeFileDurable: the old file stays whole and no temporary file is left behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-'));
    const file = join(dir, 'state.json');
    await writeFile(file, 'old');
    await fullDiskFor(file);
    const error = await writeFileDurable(file, 'new content').catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(isDiskFull(error)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
    await writeFileDurable(file, 'new content');
    expect(await readFile(file, 'utf8')).toBe('new content');
  });

  it('ensurePasswordFile: a write cut short leaves no file, and the next start makes the password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-'));
    const file = join(dir, 'password');
    await fullDiskFor(file);
    await expect(ensurePasswordFile(file)).rejects.toThrow(/ENOSPC/);
    expect(await readdir(dir)).toEqual([]);
    const made = await ensurePasswordFile(file);
    expect(made.length).toBeGreaterThanOrEqual(16);
    expect(await ensurePasswordFile(file)).toBe(made);
  });

  it('ensurePasswordFile: an empty file (an older cut-short write) gets a password; an unreadable one is never replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-'));
    const empty = join(dir, 'password');
    await writeFile(empty, '');
    const made = await ensurePasswordFile(empty);
    expect(made).not.toBe('');
    expect((await readFile(empty, 'utf8')).trim()).toBe(made);
    // A folder where the file should be: reading it fails with EISDIR, and it is left alone.
    await expect(ensurePasswordFile(dir)).rejects.toThrow(/EISDIR/);
  });
});

describe('a log file on a full disk', () => {
  it('drops and counts what it cannot write, says so once per outage, and writes again when there is room', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-'));
    const file = join(dir, 'peer.log');
    await symlink('/dev/full', file);
    let clock = 0;
    const errors: string[] = [];
    const log = new LogFile(
      { path: file, retryMs: 1_000 },
      { now: () => clock, onError: (e) => errors.push(e.message) },
    );
    // A plain write stream here would emit an unhandled 'error' and end the test process.
    for (let i = 0; i < 3; i++) log.write(`line ${i}\n`);
    await expect.poll(() => log.lostWrites).toBe(3);
    log.write('dropped: the retry time has not passed\n');
    expect(log.lostWrites).toBe(4);
    clock += 1_000;
    log.write('still full\n');
    await expect.poll(() => log.lostWrites).toBe(5);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/ENOSPC/);

    // Room again (the link gives way to a real file): the first line written says what was lost, and why.
    await rm(file);
    clock += 1_000;
    log.write('back\n');
    log.write('and on\n');
    await log.end();
    expect(await readFile(file, 'utf8')).toBe(
      '[log: 5 writes lost here; the file could not be written (ENOSPC: no space left on device, write)]\nback\nand on\n',
    );
    log.write('after end: ignored\n');
    await log.end();
    expect(log.lostWrites).toBe(5);
  });
});

describe('isDiskFull', () => {
  it("knows Node's ENOSPC and LevelDB's words in an error or its cause, and nothing else", () => {
    const level = Object.assign(new Error('Failed to write'), {
      code: 'LEVEL_IO_ERROR',
      cause: new Error('IO error: /data/chain/000005.ldb: No space left on device'),
    });
    expect(isDiskFull(level)).toBe(true);
    expect(isDiskFull(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(new Error('EACCES: permission denied'))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
    expect(isDiskFull('a string')).toBe(false);
  });
});

describe('describeFileRefusal', () => {
  it('says which path the file system refused and why, for its refusals only', async () => {
    const refused = await writeFile('/proc/version/child', 'x').catch((e: unknown) => e);
    expect(describeFileRefusal(refused)).toBe(
      'cannot open /proc/version/child (ENOTDIR: a file stands where a folder should be): check that the folder exists and is yours to write, or choose another',
    );
    const readOnly = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS', path: '/mnt/cd/x' });
    expect(describeFileRefusal(readOnly)).toMatch(/^cannot \/mnt\/cd\/x \(EROFS: a read-only file system\)/);
    expect(describeFileRefusal(new Error('bug'))).toBeUndefined();
    expect(describeFileRefusal(Object.assign(new Error('full'), { code: 'ENOSPC', path: '/x' }))).toBeUndefined();
    expect(describeFileRefusal(Object.assign(new Error('no path'), { code: 'EACCES' }))).toBeUndefined();
  });
});
