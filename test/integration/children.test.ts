import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LedgerClient } from '../../src/ledger/client.js';
import { Child, describeExit } from '../../src/main/children.js';
import { CliProcess } from '../support/processes.js';

describe('Child', () => {
  it('says why a command exited: its exit code with the one-line error it printed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-child-'));
    const missing = join(dir, 'missing.json');
    const child = new Child(
      'epoch',
      ['mechanism', 'epoch', '--input', missing],
      join(dir, 'epoch.log'),
      z.unknown(),
      () => undefined,
    );
    const exit = await child.exited;
    await child.stop();
    expect(exit.code).toBe(2);
    expect(exit.error).toMatch(/^--input: cannot read .*missing\.json \(ENOENT\)/);
    expect(describeExit(exit)).toBe(`code 2: ${exit.error}`);
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL');
  });

  it('a log on a full disk loses its lines, not the process that runs the child', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-child-'));
    const log = join(dir, 'epoch.log');
    await symlink('/dev/full', log); // every write fails with ENOSPC
    const child = new Child(
      'epoch',
      ['mechanism', 'epoch', '--input', join(dir, 'missing.json')],
      log,
      z.unknown(),
      () => undefined,
    );
    // Before, the log stream's 'error' went unhandled: it ended this process (here, the test's worker).
    const exit = await child.exited;
    await child.stop();
    expect(exit.code).toBe(2);
    expect(exit.error).toMatch(/cannot read .*missing\.json/);
  });

  it('a child outlives no parent: kill -9 of the parent stops it (its stdin, a pipe from the parent, ends)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-child-'));
    const parent = new CliProcess([dir], {}, [
      '--import',
      'tsx',
      join(import.meta.dirname, '../support/child-parent.ts'),
    ]);
    const { rpc } = (await parent.ready(30_000)) as { rpc: string };
    const client = new LedgerClient(rpc, { timeoutMs: 2_000 });
    const height = () =>
      client.info().then(
        (i) => i.height,
        () => -1,
      );
    await expect.poll(height, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await parent.kill();
    // Before, the ledger lived on as an orphan, holding its port and its data folder.
    await expect.poll(height, { timeout: 30_000 }).toBe(-1);
  }, 90_000);

  it('a child watching its input still exits on SIGTERM (stop() gets its own exit, not a SIGKILL after the grace)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-child-'));
    let rpc = '';
    const child = new Child(
      'ledger',
      ['ledger', 'start', '--data', join(dir, 'ledger'), '--rpc-port', '0', '--block-time', '100'],
      join(dir, 'ledger.log'),
      z.looseObject({ rpc: z.string() }),
      (line) => (rpc = line.rpc),
    );
    await expect.poll(() => rpc, { timeout: 30_000 }).not.toBe('');
    await child.stop(60_000);
    expect(await child.exited).toMatchObject({ code: 0, signal: null });
  }, 90_000);
});
