import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileDurable } from '../../ledger/durable-file.js';
import type { Checkpoint, WeightMap } from '../../shared/training.js';

export type { Checkpoint } from '../../shared/training.js';

const MAGIC = 'BTCK1';

/** A checkpoint file that cannot be read back: one line saying so; the caller starts fresh. */
export class CheckpointDamagedError extends Error {
  override name = 'CheckpointDamagedError';
}

/**
 * Writes a checkpoint atomically: MAGIC, a JSON header (state and where each tensor's floats lie), the
 * floats, and a sha256 of everything before it, so that a torn or altered file is detected on load.
 */
export async function saveCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const index: Array<[string, string, number]> = [];
  let floats = 0;
  for (const [group, weights] of Object.entries(checkpoint.groups)) {
    for (const [name, values] of Object.entries(weights)) {
      index.push([group, name, values.length]);
      floats += values.length;
    }
  }
  const header = new TextEncoder().encode(JSON.stringify({ state: checkpoint.state, index }));
  const headerBytes = MAGIC.length + 4 + header.length;
  const pad = (4 - (headerBytes % 4)) % 4; // floats start 4-aligned, so they can be viewed in place
  const body = new Uint8Array(headerBytes + pad + floats * 4 + 32);
  body.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(body.buffer).setUint32(MAGIC.length, header.length + pad, true);
  body.set(header, MAGIC.length + 4);
  body.fill(0x20, headerBytes, headerBytes + pad); // JSON-safe padding: spaces
  const data = new Float32Array(body.buffer, headerBytes + pad, floats);
  let at = 0;
  for (const [group, name] of index) {
    data.set(checkpoint.groups[group]![name]!, at);
    at += checkpoint.groups[group]![name]!.length;
  }
  const digest = createHash('sha256')
    .update(body.subarray(0, body.length - 32))
    .digest();
  body.set(digest, body.length - 32);
  await mkdir(dirname(file), { recursive: true });
  await writeFileDurable(file, body);
}

/** Reads a checkpoint; undefined when there is none; CheckpointDamagedError when it does not read back. */
export async function loadCheckpoint(file: string): Promise<Checkpoint | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointDamagedError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const damaged = (why: string) => new CheckpointDamagedError(`the checkpoint ${file} is damaged (${why})`);
  if (bytes.length < MAGIC.length + 4 + 32 || bytes.subarray(0, MAGIC.length).toString() !== MAGIC) {
    throw damaged('not a checkpoint');
  }
  const digest = createHash('sha256')
    .update(bytes.subarray(0, bytes.length - 32))
    .digest();
  if (!digest.equals(bytes.subarray(bytes.length - 32))) throw damaged('its checksum does not match');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  let header: { state: Record<string, unknown>; index: Array<[string, string, number]> };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, start).toString('utf8'));
  } catch {
    throw damaged('its header is not JSON');
  }
  const floats = (bytes.length - 32 - start) / 4;
  const total = header.index.reduce((n, [, , len]) => n + len, 0);
  if (!Number.isInteger(floats) || total !== floats) throw damaged('its sizes do not add up');
  // Copied out of the file buffer so that each array owns its memory (it may be transferred to a worker).
  const data = new Float32Array(floats);
  new Uint8Array(data.buffer).set(bytes.subarray(start, start + floats * 4));
  const groups: Record<string, WeightMap> = {};
  let at = 0;
  for (const [group, name, length] of header.index) {
    (groups[group] ??= {})[name] = data.slice(at, at + length);
    at += length;
  }
  return { state: header.state, groups };
}
