import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMnemonicFile, readNewPasswordFile, readPasswordFile } from '../../../src/cli/password.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-password-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(content: string | Buffer): Promise<string> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}`);
  await writeFile(file, content);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('readPasswordFile', () => {
  it.each([
    ['hunter2', 'hunter2'],
    ['hunter2\n', 'hunter2'],
    ['hunter2\r\n', 'hunter2'],
    ['hunter2\n\n', 'hunter2\n'],
    [' spaces kept \n', ' spaces kept '],
    ['\ufeffwith a BOM\n', 'with a BOM'],
  ])('reads %j as %j (one trailing newline stripped)', async (content, password) => {
    expect(await readPasswordFile(await fileWith(content))).toBe(password);
  });

  it.each([[''], ['\n'], ['\r\n']])('rejects the empty password %j', async (content) => {
    const error = await failure(readPasswordFile(await fileWith(content)));
    expect(error.field).toBe('--password-file');
    expect(error.message).toContain('empty');
  });

  it('names the errno code when the file cannot be read', async () => {
    const missing = await failure(readPasswordFile(join(dir, 'nope')));
    expect(missing.message).toMatch(/^--password-file: cannot read .*nope \(ENOENT\)$/);
    expect((await failure(readPasswordFile(dir))).message).toContain('EISDIR');
  });

  it('rejects bytes that are not UTF-8', async () => {
    const error = await failure(readPasswordFile(await fileWith(Buffer.from([0xff, 0xfe, 0x41]))));
    expect(error.message).toContain('UTF-8');
  });
});

describe('readNewPasswordFile', () => {
  it('reads a password of 8 characters or more', async () => {
    expect(await readNewPasswordFile(await fileWith('a long passphrase\n'))).toBe('a long passphrase');
    expect(await readNewPasswordFile(await fileWith('12345678'))).toBe('12345678');
  });

  it('refuses a shorter one, naming --password-file and the minimum', async () => {
    const error = await failure(readNewPasswordFile(await fileWith('hunter2\n')));
    expect(error.message).toBe(
      "--password-file: a new wallet's password needs at least 8 characters, this one has 7: " +
        'choose a longer one (a few words are easy to remember)',
    );
  });

  it('still says an empty file is empty', async () => {
    expect((await failure(readNewPasswordFile(await fileWith('\n')))).message).toContain('is empty');
  });
});

describe('readMnemonicFile', () => {
  it('reads the file and names --mnemonic-file in errors', async () => {
    expect(await readMnemonicFile(await fileWith('a b c\n'))).toBe('a b c');
    expect((await failure(readMnemonicFile(join(dir, 'nope')))).field).toBe('--mnemonic-file');
    expect((await failure(readMnemonicFile(await fileWith('')))).field).toBe('--mnemonic-file');
  });
});
