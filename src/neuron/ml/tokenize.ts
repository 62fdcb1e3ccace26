import { encode } from 'gpt-tokenizer/encoding/gpt2';
import type { Slice, TextFile } from './corpus.js';
import { END_OF_TEXT } from './dataset.js';

/**
 * Text to GPT-2 ids: the host's side of the training data (the worker gets the ids, so a browser Worker's
 * bundle carries no tokenizer).
 */

/** GPT-2 BPE ids of files, one stream with END_OF_TEXT after each. */
export function tokenize(files: readonly TextFile[]): Int32Array {
  return joinStreams(files.map(encodeFile));
}

/** One file's ids, END_OF_TEXT after them. */
function encodeFile(file: TextFile): Int32Array {
  const ids = encode(file.text);
  const out = new Int32Array(ids.length + 1);
  out.set(ids);
  out[ids.length] = END_OF_TEXT;
  return out;
}

function joinStreams(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The tokens of a neuron's slice: its training stream and its validation stream, one file at a time with
 * `pause()` awaited between files, so that a host tokenizing on its main thread keeps serving meanwhile.
 */
export async function tokenizeSlice(
  slice: Slice,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<{ train: Int32Array; validation: Int32Array }> {
  const stream = async (files: readonly TextFile[]) => {
    const parts: Int32Array[] = [];
    for (const file of files) {
      parts.push(encodeFile(file));
      await pause();
    }
    return joinStreams(parts);
  };
  return { train: await stream(slice.train), validation: await stream(slice.validation) };
}
