import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidInputError } from '../shared/errors.js';

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
    throw new InvalidInputError(field, `malformed JSON (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * Writes a file so that a reader sees either the old or the whole new content, never a half-written one
 * (write to a temporary file beside it, then rename), creating missing folders.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
