import { chmod, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRuntimeDir } from '../../../src/cli/runtime-dir.js';
import { runNode } from '../../support/cli.js';

describe('XDG_RUNTIME_DIR for the graphics libraries', () => {
  it('where it is missing, a private folder of ours; a valid one is kept; a folder not private is not used', async () => {
    const base = await mkdtemp(join(tmpdir(), 'bt-runtime-'));
    const env: NodeJS.ProcessEnv = {};
    const made = ensureRuntimeDir(env, base);
    expect(made).toBe(join(base, `bittensor-miner-runtime-${process.getuid!()}`));
    expect(env['XDG_RUNTIME_DIR']).toBe(made);
    expect((await stat(made!)).mode & 0o777).toBe(0o700);
    expect(ensureRuntimeDir(env, base)).toBeUndefined(); // set and valid now: left as it is
    expect(ensureRuntimeDir({ XDG_RUNTIME_DIR: '/gone' }, base)).toBe(made); // the same folder again

    const open = await mkdtemp(join(tmpdir(), 'bt-runtime-'));
    await mkdir(join(open, `bittensor-miner-runtime-${process.getuid!()}`));
    await chmod(join(open, `bittensor-miner-runtime-${process.getuid!()}`), 0o777);
    const untouched: NodeJS.ProcessEnv = {};
    expect(ensureRuntimeDir(untouched, open)).toBeUndefined();
    expect(untouched['XDG_RUNTIME_DIR']).toBeUndefined();
  });

  it('Dawn, loaded the way the training worker loads it, prints no XDG_RUNTIME_DIR error then', async () => {
    const env = { ...process.env };
    delete env['XDG_RUNTIME_DIR'];
    const probe = [
      `const { ensureRuntimeDir } = await import(${JSON.stringify(join(import.meta.dirname, '../../../dist/cli/runtime-dir.js'))});`,
      `if (process.argv[1] === 'ours') ensureRuntimeDir();`,
      `const { create } = await import('webgpu');`,
      `await create([]).requestAdapter();`,
    ].join('\n');
    const run = (which: string) =>
      runNode(['--input-type=module', '-e', probe, which], undefined, { XDG_RUNTIME_DIR: '' });
    const [without, withOurs] = await Promise.all([run('plain'), run('ours')]);
    // Where this machine's Vulkan loader has nothing to say about it, the first run is quiet as well.
    if (without.stderr.includes('XDG_RUNTIME_DIR'))
      expect(without.stderr).toMatch(/^error: XDG_RUNTIME_DIR is invalid/m);
    expect(withOurs.stderr).not.toContain('XDG_RUNTIME_DIR');
    expect(withOurs.code).toBe(0);
  });
});
