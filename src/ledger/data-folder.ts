import { link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../shared/errors.js';
import { writeFileDurable } from './durable-file.js';

/**
 * The durable head of a chain, kept beside its LevelDB folder in a small file written atomically after every
 * stored block. LevelDB can lose its tail (a truncated log) or its whole index (a missing CURRENT file)
 * and still open; the record is how a node knows it has less than it once had confirmed.
 */
export interface HeadRecord {
  /** The chain id (genesis hash). */
  chain: string;
  height: number;
  /** Hash of the block at `height` (the chain id at height 0). */
  hash: string;
}

/** File names inside a ledger's data folder. */
export const CHAIN_FOLDER = 'chain';
export const HEAD_RECORD_FILE = 'head.json';

/** A data folder that holds less, or other, than it should. Nothing in it has been changed. */
export class DataFolderDamagedError extends UserError {
  override name = 'DataFolderDamagedError';
}

/** What a data folder holds before anything in it is opened. */
export interface DataFolderContents {
  /** The head record, when the folder has one. */
  record: HeadRecord | undefined;
  /** Whether the LevelDB folder exists and holds any file. */
  hasChainFiles: boolean;
  /** Whether it has LevelDB's CURRENT file (without it LevelDB would start an empty database there). */
  hasCurrent: boolean;
}

/** Reads a data folder's contents; a path that is a file, or a damaged head record, is refused in one line. */
export async function inspectDataFolder(dataDir: string): Promise<DataFolderContents> {
  const info = await stat(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UserError(
      `cannot read the data folder ${dataDir} (${error.code ?? error.message}); check its permissions`,
    );
  });
  if (info && !info.isDirectory()) throw new UserError(`--data ${dataDir} is a file, not a folder; choose a folder`);
  const chainFiles = info ? await readdir(join(dataDir, CHAIN_FOLDER)).catch(() => [] as string[]) : [];
  return {
    record: info ? await readHeadRecord(dataDir) : undefined,
    hasChainFiles: chainFiles.length > 0,
    hasCurrent: chainFiles.includes('CURRENT'),
  };
}

/** The head record of a data folder, undefined when it has none; a damaged one is a DataFolderDamagedError. */
export async function readHeadRecord(dataDir: string): Promise<HeadRecord | undefined> {
  const file = join(dataDir, HEAD_RECORD_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFolderDamagedError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const r = value as Partial<HeadRecord> | undefined;
  const hex64 = (s: unknown) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
  if (!r || !hex64(r.chain) || !hex64(r.hash) || !Number.isSafeInteger(r.height) || (r.height as number) < 0) {
    throw new DataFolderDamagedError(`${file} is damaged (not a head record)`);
  }
  return { chain: r.chain as string, height: r.height as number, hash: r.hash as string };
}

/** Replaces the head record atomically (the old one or the new one survives a crash, never a mix). */
export async function writeHeadRecord(dataDir: string, record: HeadRecord): Promise<void> {
  await writeFileDurable(join(dataDir, HEAD_RECORD_FILE), `${JSON.stringify(record)}\n`);
}

/**
 * Compares what a chain holds after opening with its head record: same chain, at least as high, and the
 * same block at the recorded height. Returns a description of what is wrong, or undefined when it holds.
 */
export async function compareWithRecord(
  chain: { id: string; height: number },
  hashAt: (height: number) => Promise<string | undefined>,
  record: HeadRecord,
): Promise<string | undefined> {
  if (chain.id !== record.chain) {
    return `its blocks belong to chain ${chain.id.slice(0, 16)}..., but its head record to chain ${record.chain.slice(0, 16)}... (files from another chain?)`;
  }
  if (chain.height < record.height) {
    const lost = record.height - chain.height;
    return `its blocks end at height ${chain.height}, but it had confirmed height ${record.height} (${lost} block${lost === 1 ? '' : 's'} lost)`;
  }
  if ((await hashAt(record.height)) !== record.hash) {
    return `its block ${record.height} is not the one it had confirmed (hash ${record.hash.slice(0, 16)}...)`;
  }
  return undefined;
}

/** A hard-linked copy of a LevelDB folder, taken before opening it. */
export interface PreservedFolder {
  /** Puts the folder back exactly as it was before it was opened (the database must be closed). */
  restore(): Promise<void>;
  /** Drops the copy: the folder was fine. */
  discard(): Promise<void>;
}

/**
 * Opening a LevelDB folder changes it: the log is replayed into a new table and the old log and manifest
 * are deleted. To check a folder against its head record and leave it untouched when it fails, link every
 * file aside first (LevelDB never rewrites a file in place, so the links keep the exact old bytes) and put
 * them back on failure. Where hard links are not possible it returns undefined and the folder is opened as is.
 */
export async function preserveFolder(folder: string): Promise<PreservedFolder | undefined> {
  const aside = `${folder}.before-open`;
  await rm(aside, { recursive: true, force: true }); // ours: left by a start that was killed
  try {
    await mkdir(aside);
    for (const name of await readdir(folder)) {
      if (name !== 'LOCK') await link(`${folder}/${name}`, `${aside}/${name}`);
    }
  } catch {
    await rm(aside, { recursive: true, force: true });
    return undefined;
  }
  return {
    async restore() {
      await rm(folder, { recursive: true, force: true });
      await rename(aside, folder);
    },
    async discard() {
      await rm(aside, { recursive: true, force: true });
    },
  };
}
