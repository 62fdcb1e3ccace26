import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * On Linux, the graphics libraries that WebGPU's probe loads (the Vulkan loader and Mesa's window-system code)
 * print "error: XDG_RUNTIME_DIR is invalid or not set in the environment" twice when that variable is missing,
 * as it is under sudo, over ssh without a login session, in containers and services: a headless miner's output
 * then opens with two error lines about nothing. Where it is missing, this gives it a private folder of ours
 * (owned by this user, mode 0700, as the XDG spec asks), inherited by the training worker and child processes.
 * A folder of that name that is not ours, or not private, is left alone (nothing is set). Returns the folder
 * set, or undefined when nothing was.
 */
export function ensureRuntimeDir(env: NodeJS.ProcessEnv = process.env, base = tmpdir()): string | undefined {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return undefined;
  const current = env['XDG_RUNTIME_DIR'];
  if (current && statSync(current, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const uid = process.getuid();
  const dir = join(base, `bittensor-miner-runtime-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const made = lstatSync(dir, { throwIfNoEntry: false });
  if (!made?.isDirectory() || made.uid !== uid || (made.mode & 0o077) !== 0) return undefined;
  env['XDG_RUNTIME_DIR'] = dir;
  return dir;
}
