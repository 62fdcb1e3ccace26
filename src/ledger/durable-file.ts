import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `file` so that after a crash or power loss the file holds either its old content or the
 * whole new one: write a temporary file beside it, flush it to disk, rename it over, flush the folder. A write
 * that fails (a full disk) leaves the old file as it was and no temporary file behind.
 */
export async function writeFileDurable(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    // A full disk or a failed rename: the part written is no use to anyone, and would hold the space.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(file));
}

/** Flushes a folder's entries (a rename in it) to disk; a no-op where folders cannot be opened (Windows). */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
