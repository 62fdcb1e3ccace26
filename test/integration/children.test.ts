import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Child, describeExit } from '../../src/main/children.js';

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
});
