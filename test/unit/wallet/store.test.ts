import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptKeyfileError,
  createWallet,
  decodeAddress,
  encryptKeyfile,
  importWallet,
  InsecureKeyfileError,
  isAddress,
  keySeedsFromMnemonic,
  loadWallet,
  MIN_PASSWORD_LENGTH,
  readWalletInfo,
  signerFromSeed,
  verifySignature,
  WalletExistsError,
  WalletNotFoundError,
  WrongPasswordError,
  type CreatedWallet,
} from '../../../src/ledger/wallet/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';

const FAST = { scryptN: 2 ** 10 };
const PASSWORD = 'p4ssw0rd';
let root: string;
let wallets: string;
let alice: CreatedWallet;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bt-store-'));
  wallets = join(root, 'wallets');
  alice = await createWallet(wallets, 'alice', PASSWORD, FAST);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).not.toContain('\n');
  return error as Error;
}

/** A copy of alice's folder under another name (files 0600, as written), to damage freely. */
async function copyOfAlice(name: string): Promise<string> {
  const folder = join(wallets, name);
  await mkdir(join(folder, 'hotkeys'), { recursive: true });
  for (const file of ['coldkey.json', 'coldkeypub.json', join('hotkeys', 'default.json')]) {
    await writeFile(join(folder, file), await readFile(join(wallets, 'alice', file)), { mode: 0o600 });
  }
  return folder;
}

describe('createWallet', () => {
  it('returns the addresses and a 24-word mnemonic that backs them up', () => {
    expect(alice.info.name).toBe('alice');
    expect(isAddress(alice.info.coldkey)).toBe(true);
    expect(isAddress(alice.info.hotkey)).toBe(true);
    expect(alice.info.coldkey).not.toBe(alice.info.hotkey);
    expect(alice.mnemonic.split(' ')).toHaveLength(24);
    const seeds = keySeedsFromMnemonic(alice.mnemonic);
    expect(signerFromSeed(seeds.coldkey).address).toBe(alice.info.coldkey);
    expect(signerFromSeed(seeds.hotkey).address).toBe(alice.info.hotkey);
  });

  it('lays out the files with modes 0600 and folders with 0700, and leaves nothing else', async () => {
    const folder = join(wallets, 'alice');
    expect(await readdir(wallets)).toEqual(['alice']);
    expect((await readdir(folder)).sort()).toEqual(['coldkey.json', 'coldkeypub.json', 'hotkeys']);
    expect(await readdir(join(folder, 'hotkeys'))).toEqual(['default.json']);
    for (const dir of [wallets, folder, join(folder, 'hotkeys')]) {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
    for (const file of ['coldkey.json', 'coldkeypub.json', join('hotkeys', 'default.json')]) {
      expect((await stat(join(folder, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('writes the public key file and encrypted keyfiles that hold no secret in clear', async () => {
    const folder = join(wallets, 'alice');
    const pub = JSON.parse(await readFile(join(folder, 'coldkeypub.json'), 'utf8')) as Record<string, string>;
    expect(pub).toEqual({
      address: alice.info.coldkey,
      publicKey: Buffer.from(decodeAddress(alice.info.coldkey)).toString('hex'),
    });
    const seeds = keySeedsFromMnemonic(alice.mnemonic);
    for (const [file, kind, seed] of [
      ['coldkey.json', 'coldkey', seeds.coldkey],
      [join('hotkeys', 'default.json'), 'hotkey', seeds.hotkey],
    ] as const) {
      const text = await readFile(join(folder, file), 'utf8');
      expect(JSON.parse(text)).toMatchObject({ version: 1, kind, kdf: { N: 1024 } });
      expect(text).not.toContain(Buffer.from(seed).toString('hex'));
      expect(text).not.toContain(alice.mnemonic.split(' ')[0]);
    }
  });

  it('refuses an existing wallet and leaves it untouched', async () => {
    const before = await readFile(join(wallets, 'alice', 'coldkey.json'), 'utf8');
    const error = await rejection(createWallet(wallets, 'alice', PASSWORD, FAST));
    expect(error).toBeInstanceOf(WalletExistsError);
    expect(error.message).toContain('alice');
    await expect(importWallet(wallets, 'alice', alice.mnemonic, PASSWORD, FAST)).rejects.toBeInstanceOf(
      WalletExistsError,
    );
    await mkdir(join(wallets, 'empty'));
    await expect(createWallet(wallets, 'empty', PASSWORD, FAST)).rejects.toBeInstanceOf(WalletExistsError);
    await rm(join(wallets, 'empty'), { recursive: true });
    expect(await readFile(join(wallets, 'alice', 'coldkey.json'), 'utf8')).toBe(before);
    expect(await readdir(wallets)).toEqual(['alice']);
  });

  it.each([[''], ['.'], ['..'], ['.hidden'], ['a/b'], ['../x'], ['a\\b'], ['a b'], ['é'], ['x'.repeat(65)]])(
    'rejects the name %j',
    async (name) => {
      const error = await rejection(createWallet(wallets, name, PASSWORD, FAST));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('--name');
    },
  );

  it('accepts names of letters, digits, "-", "_" and "." up to 64 characters', async () => {
    for (const name of ['a', 'miner-01_b.v2', 'x'.repeat(64)]) {
      expect((await createWallet(join(root, 'names'), name, PASSWORD, FAST)).info.name).toBe(name);
    }
  });

  it('refuses an empty password', async () => {
    const error = await rejection(createWallet(wallets, 'nopass', '', FAST));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('password');
    expect(await readdir(wallets)).toEqual(['alice']);
  });

  it.each([[''], ['1234567'], ['\u{1f511}'.repeat(7)], ['cafe\u0301abc']])(
    'refuses the short new password %j, saying the minimum',
    async (password) => {
      const created = await rejection(createWallet(wallets, 'short', password, FAST));
      expect(created).toBeInstanceOf(InvalidInputError);
      expect((created as InvalidInputError).field).toBe('password');
      expect(created.message).toMatch(
        /^password: a new wallet's password needs at least 8 characters, this one has \d: /,
      );
      const imported = await rejection(importWallet(wallets, 'short', alice.mnemonic, password, FAST));
      expect(imported.message).toBe(created.message);
      expect(await readdir(wallets)).not.toContain('short');
    },
  );

  it('counts characters, not UTF-16 units, and accepts 8 of them', async () => {
    expect(MIN_PASSWORD_LENGTH).toBe(8);
    const info = await importWallet(join(root, 'eight'), 'alice', alice.mnemonic, '\u{1f511}'.repeat(8), FAST);
    expect(info.coldkey).toBe(alice.info.coldkey);
  });

  it('reports a wallets path that is a file as a user error', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const error = await rejection(createWallet(file, 'w', PASSWORD, FAST));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/^--wallets: cannot .* \(ENOTDIR\)$/);
  });
});

describe('importWallet', () => {
  it('restores the same addresses under another name', async () => {
    const info = await importWallet(wallets, 'alice-copy', alice.mnemonic, 'another password', FAST);
    expect(info).toEqual({ ...alice.info, name: 'alice-copy' });
    const loaded = await loadWallet(wallets, 'alice-copy', 'another password');
    expect(loaded.coldkey.address).toBe(alice.info.coldkey);
  });

  it('accepts the mnemonic in any case and spacing', async () => {
    const messy = `\n ${alice.mnemonic.toUpperCase().replaceAll(' ', '   ')} \n`;
    const info = await importWallet(join(root, 'messy'), 'alice', messy, PASSWORD, FAST);
    expect(info).toEqual(alice.info);
  });

  it('rejects an invalid mnemonic before touching the disk', async () => {
    const words = alice.mnemonic.split(' ');
    const error = await rejection(importWallet(join(root, 'bad'), 'bad', words.slice(1).join(' '), PASSWORD, FAST));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('mnemonic');
    await expect(stat(join(root, 'bad'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readWalletInfo', () => {
  it('reads the addresses without a password', async () => {
    expect(await readWalletInfo(wallets, 'alice')).toEqual(alice.info);
  });

  it('throws WalletNotFoundError for a missing wallet or wallets folder', async () => {
    expect(await rejection(readWalletInfo(wallets, 'bob'))).toBeInstanceOf(WalletNotFoundError);
    expect(await rejection(readWalletInfo(join(root, 'nowhere'), 'alice'))).toBeInstanceOf(WalletNotFoundError);
  });

  it('throws CorruptKeyfileError naming the file for a damaged or missing public file', async () => {
    const folder = await copyOfAlice('damaged');
    const pubFile = join(folder, 'coldkeypub.json');
    const text = await readFile(pubFile, 'utf8');
    await writeFile(pubFile, text.slice(0, 40));
    let error = await rejection(readWalletInfo(wallets, 'damaged'));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain(pubFile);
    const other = signerFromSeed(new Uint8Array(32).fill(7));
    await writeFile(
      pubFile,
      JSON.stringify({ address: alice.info.coldkey, publicKey: Buffer.from(other.publicKey).toString('hex') }),
    );
    expect((await rejection(readWalletInfo(wallets, 'damaged'))).message).toContain('does not match');
    await rm(pubFile);
    error = await rejection(readWalletInfo(wallets, 'damaged'));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('missing');
  });
});

describe.skipIf(process.platform === 'win32')('keyfiles that group or others can access', () => {
  it.each([
    ['coldkey.json', 0o644],
    [join('hotkeys', 'default.json'), 0o640],
    ['coldkey.json', 0o602],
  ])('refuses %s with mode %o, saying how to fix it', async (file, mode) => {
    const name = `open-${mode.toString(8)}-${file.length}`;
    const folder = await copyOfAlice(name);
    await chmod(join(folder, file), mode);
    const error = await rejection(loadWallet(wallets, name, PASSWORD));
    expect(error).toBeInstanceOf(InsecureKeyfileError);
    const path = join(folder, file);
    expect(error.message).toBe(
      `keyfile ${path} is accessible by group or others (mode 0${mode.toString(8)}); run chmod 600 ${path}`,
    );
  });

  it('refuses an open hotkey file even to read the public addresses', async () => {
    const folder = await copyOfAlice('open-hotkey');
    await chmod(join(folder, 'hotkeys', 'default.json'), 0o644);
    expect(await rejection(readWalletInfo(wallets, 'open-hotkey'))).toBeInstanceOf(InsecureKeyfileError);
  });

  it('accepts a public coldkeypub.json readable by all', async () => {
    const folder = await copyOfAlice('open-pub');
    await chmod(join(folder, 'coldkeypub.json'), 0o644);
    expect((await loadWallet(wallets, 'open-pub', PASSWORD)).info.coldkey).toBe(alice.info.coldkey);
  });

  it('quotes a path with spaces in the suggested command', async () => {
    const spaced = join(root, 'my wallets');
    await createWallet(spaced, 'alice', PASSWORD, FAST);
    const file = join(spaced, 'alice', 'coldkey.json');
    await chmod(file, 0o644);
    const error = await rejection(loadWallet(spaced, 'alice', PASSWORD));
    expect(error.message.endsWith(`; run chmod 600 '${file}'`)).toBe(true);
  });
});

describe('loadWallet', () => {
  it('still opens a wallet whose password is shorter than new ones may be', async () => {
    const folder = await copyOfAlice('old-short');
    const seeds = keySeedsFromMnemonic(alice.mnemonic);
    for (const [file, kind, seed] of [
      ['coldkey.json', 'coldkey', seeds.coldkey],
      [join('hotkeys', 'default.json'), 'hotkey', seeds.hotkey],
    ] as const) {
      await writeFile(join(folder, file), JSON.stringify(await encryptKeyfile(kind, seed, 'abc', FAST)));
    }
    expect((await loadWallet(wallets, 'old-short', 'abc')).info.coldkey).toBe(alice.info.coldkey);
  });

  it('opens both keys; they sign, and the hotkey seed is the one the mnemonic backs up', async () => {
    const wallet = await loadWallet(wallets, 'alice', PASSWORD);
    expect(wallet.info).toEqual(alice.info);
    expect(wallet.coldkey.address).toBe(alice.info.coldkey);
    expect(wallet.hotkey.address).toBe(alice.info.hotkey);
    expect(wallet.hotkeySeed).toEqual(keySeedsFromMnemonic(alice.mnemonic).hotkey);
    const message = new TextEncoder().encode('transfer 1 to bob');
    expect(verifySignature(wallet.coldkey.publicKey, message, wallet.coldkey.sign(message))).toBe(true);
    expect(verifySignature(wallet.hotkey.publicKey, message, wallet.hotkey.sign(message))).toBe(true);
  });

  it('throws WrongPasswordError naming the wallet', async () => {
    const error = await rejection(loadWallet(wallets, 'alice', 'P4ssw0rd'));
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect(error.message).toMatch(/^wrong password for the coldkey of wallet alice/);
  });

  it('throws WalletNotFoundError for a missing wallet', async () => {
    expect(await rejection(loadWallet(wallets, 'carol', PASSWORD))).toBeInstanceOf(WalletNotFoundError);
  });

  it('refuses keyfiles swapped between places', async () => {
    const folder = await copyOfAlice('swapped');
    const cold = await readFile(join(folder, 'coldkey.json'));
    await writeFile(join(folder, 'coldkey.json'), await readFile(join(folder, 'hotkeys', 'default.json')));
    let error = await rejection(loadWallet(wallets, 'swapped', PASSWORD));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('coldkey.json');
    await writeFile(join(folder, 'hotkeys', 'default.json'), cold);
    error = await rejection(readWalletInfo(wallets, 'swapped'));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('default.json');
  });

  it('refuses a coldkey from another wallet', async () => {
    const folder = await copyOfAlice('mixed');
    const other = await createWallet(join(root, 'others'), 'other', PASSWORD, FAST);
    await writeFile(join(folder, 'coldkey.json'), await readFile(join(root, 'others', 'other', 'coldkey.json')));
    const error = await rejection(loadWallet(wallets, 'mixed', PASSWORD));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('differs from coldkeypub.json');
    expect(other.info.coldkey).not.toBe(alice.info.coldkey);
  });
});
