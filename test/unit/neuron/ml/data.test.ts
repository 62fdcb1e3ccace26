import { describe, expect, it } from 'vitest';
import { brownCorpus, sliceFor, stripBrownTags, type TextFile } from '../../../../src/neuron/ml/corpus.js';
import { BatchSampler, buildVocabulary, END_OF_TEXT, validationBatches } from '../../../../src/neuron/ml/dataset.js';
import { tokenize, tokenizeSlice } from '../../../../src/neuron/ml/tokenize.js';

describe('text', () => {
  it('strips Brown part-of-speech tags and puts punctuation back', () => {
    const raw =
      "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, that/cs Atlanta's/np$ election/nn ./.\n";
    expect(stripBrownTags(raw)).toBe('The jury said "no evidence", that Atlanta\'s election.');
  });

  it('bundles the Brown corpus: 500 files in 15 genres, tags gone', async () => {
    const files = await brownCorpus();
    expect(files).toHaveLength(500);
    expect(new Set(files.map((f) => f.genre)).size).toBe(15);
    expect(files[0]!.text).toMatch(/^The Fulton County Grand Jury said Friday/);
    expect(files.some((f) => /\/(nn|vbd|at)\b/.test(f.text))).toBe(false);
  });

  it('gives each neuron different genres, with whole files held out from each', async () => {
    const files = await brownCorpus();
    const slices = [0, 1, 2].map((i) => sliceFor(files, i, 3));
    const genres = slices.map((s) => s.genres);
    expect(genres.flat().sort()).toEqual([...new Set(files.map((f) => f.genre))].sort());
    for (const s of slices) {
      const train = new Set(s.train.map((f) => f.name));
      expect(s.validation.every((f) => !train.has(f.name))).toBe(true);
      for (const g of s.genres) expect(s.validation.some((f) => f.genre === g)).toBe(true);
    }
  });

  it('splits a folder of .txt files among neurons by file', () => {
    const files: TextFile[] = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, genre: '', text: `t${i}` }));
    const a = sliceFor(files, 0, 2);
    const b = sliceFor(files, 1, 2);
    expect([...a.train, ...a.validation, ...b.train, ...b.validation].map((f) => f.name).sort()).toEqual(
      files.map((f) => f.name).sort(),
    );
    expect(a.validation.length).toBeGreaterThan(0);
    expect(() => sliceFor(files.slice(0, 1), 0, 1)).toThrow(/too little to train on/);
  });
});

describe('tokens', () => {
  it('tokenizes files into one GPT-2 stream separated by end-of-text', () => {
    const stream = tokenize([
      { name: 'a', genre: '', text: 'Hello world' },
      { name: 'b', genre: '', text: 'Again' },
    ]);
    expect(Array.from(stream)).toEqual([15496, 995, END_OF_TEXT, 15316, END_OF_TEXT]);
  });

  it('tokenizes a slice file by file, pausing between files, into the same streams as at once', async () => {
    const files = (await brownCorpus()).slice(0, 30);
    const slice = sliceFor(files, 0, 1);
    let pauses = 0;
    const tokens = await tokenizeSlice(slice, async () => void pauses++);
    expect(pauses).toBe(slice.train.length + slice.validation.length);
    expect(tokens.train).toEqual(tokenize(slice.train));
    expect(tokens.validation).toEqual(tokenize(slice.validation));
  });

  it('keeps the most frequent tokens as classes and maps the rest to unknown', () => {
    const stream = Int32Array.from([5, 5, 5, 9, 9, 7, 1]);
    const v = buildVocabulary(stream, 2);
    expect(v.classOf[5]).toBe(0);
    expect(v.classOf[9]).toBe(1);
    expect(v.classOf[7]).toBe(2); // unknown
    expect(Array.from(v.tokenOf)).toEqual([5, 9, -1]);
    expect(v.logPrior[0]).toBeGreaterThan(v.logPrior[1]!);
    expect(Number.isFinite(v.logPrior[2])).toBe(true);
  });

  it('samples reproducible windows whose targets are the inputs shifted by one; skip resumes', () => {
    const stream = Int32Array.from({ length: 500 }, (_, i) => i);
    const a = new BatchSampler(stream, 4, 8, 42);
    const b = new BatchSampler(stream, 4, 8, 42);
    const first = a.next();
    expect(first.inputs).toHaveLength(32);
    for (let i = 0; i < 32; i++) expect(first.targets[i]).toBe(first.inputs[i]! + 1);
    b.skip(1);
    expect(Array.from(a.next().inputs)).toEqual(Array.from(b.next().inputs));
    const val = validationBatches(stream, 4, 8, 100);
    expect(val.length).toBe(Math.floor(500 / 36));
    expect(val[0]!.inputs[8]).toBe(9); // windows of seq + 1 do not overlap
  });
});
