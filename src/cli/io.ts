import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidInputError, oneLine } from '../shared/errors.js';
import { writeFileDurable } from '../ledger/durable-file.js';

/** Reads a whole file, or standard input when `file` is "-". A missing or unreadable file is the user's input error. */
export async function readInput(file: string, field: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(field, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Parses JSON text; a syntax error becomes an InvalidInputError with one line of detail. */
export function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(field, `malformed JSON (${oneLine(error)})`);
  }
}

/**
 * Writes a file so that a reader sees either the old or the whole new content, never a half-written one
 * (the ledger's durable write: a temporary file beside it, flushed, renamed over), creating missing folders.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await makeFolders(dirname(file));
  await writeFileDurable(file, data, 0o644);
}

/**
 * `writeFileAtomic` for a path the user chose with `flag`: a path that cannot be written (no permission, a
 * parent that is a file, a read-only file system, a full disk) is the user's input error, one line naming
 * the errno code.
 */
export async function writeOutputFile(file: string, data: string, flag: string): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (typeof code !== 'string') throw error;
    // The temporary file writeFileAtomic made is left behind when only the rename failed (onto a folder).
    await rm(`${file}.${process.pid}.tmp`, { force: true }).catch(() => undefined);
    const reason = WRITE_FAILURES[code];
    const detail = reason === undefined ? code : `${code}: ${reason}`;
    throw new InvalidInputError(flag, `cannot write ${file} (${detail}); choose a writable path`);
  }
}

/** Plain words for the errno codes a write to a chosen path usually meets. */
const WRITE_FAILURES: Partial<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EEXIST: 'a parent is not a folder',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'its folder cannot be created',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Creates `folder` and its missing parents, one level at a time: Node's recursive mkdir never returns when a
 * parent exists but still answers ENOENT for its child (anywhere under /proc), as it retries forever.
 */
async function makeFolders(folder: string): Promise<void> {
  try {
    await mkdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(folder);
    if (code !== 'ENOENT' || parent === folder) throw error;
    await makeFolders(parent);
    await mkdir(folder);
  }
}
