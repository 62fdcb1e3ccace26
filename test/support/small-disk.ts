/**
 * For scripts that run inside a small tmpfs of their own (test/integration/full-disk.test.ts mounts one in a
 * user namespace): filling it up, emptying it again, and waiting without vitest (these scripts run in plain Node).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Fills the file system `dir` is on with files, halving their size down to 512 bytes as writes start failing. */
export async function fillDisk(dir: string): Promise<void> {
  let n = 0;
  for (let size = 1 << 20; size >= 512;) {
    try {
      await writeFile(join(dir, `filler-${n++}`), Buffer.alloc(size, 1));
    } catch {
      size >>= 1;
    }
  }
}

/** Removes what fillDisk wrote. */
export async function emptyDisk(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.startsWith('filler-')) await rm(join(dir, name));
}

/** Waits (polling every 10 ms) until `ok`, at most `timeoutMs` (default 20 s). */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ok())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs `program args` with a tmpfs (`mount -o` options, e.g. "size=2m" or "ro,size=1m") mounted on `dir` in a
 * user namespace of its own: no root needed where unprivileged user namespaces are on, as on Debian. The
 * mount is seen by that process and its children only.
 */
export function runOnTmpfs(
  dir: string,
  options: string,
  program: string,
  args: string[],
  timeoutMs = 120_000,
): SpawnSyncReturns<string> {
  return spawnSync(
    'unshare',
    [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      `mount -t tmpfs -o ${options} tmpfs "$0" && exec "$@"`,
      dir,
      program,
      ...args,
    ],
    { encoding: 'utf8', timeout: timeoutMs },
  );
}
