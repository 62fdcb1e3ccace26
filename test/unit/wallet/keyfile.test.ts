import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptKeyfileError,
  decryptKeyfile,
  encryptKeyfile,
  isAddress,
  parseKeyfile,
  randomSeed,
  SCRYPT_LIMITS,
  signerFromSeed,
  UnsupportedKeyfileError,
  WalletError,
  WrongPasswordError,
  type DecryptedKey,
  type Keyfile,
} from '../../../src/ledger/wallet/index.js';
import { InvalidInputError, UserError } from '../../../src/shared/errors.js';

const FAST = { scryptN: 2 ** 10 };
const PASSWORD = 'correct horse battery staple';
let seed: Uint8Array;
let keyfile: Keyfile;

beforeAll(async () => {
  seed = randomSeed();
  keyfile = await encryptKeyfile('coldkey', seed, PASSWORD, FAST);
});

/** A deep copy of the shared keyfile with `edit` applied. */
function tampered(edit: (k: Keyfile) => void): Keyfile {
  const copy = structuredClone(keyfile);
  edit(copy);
  return copy;
}

async function rejection(json: unknown, password = PASSWORD): Promise<Error> {
  const error: unknown = await decryptKeyfile(json, password, { file: 'w/alice/coldkey.json', wallet: 'alice' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WalletError);
  expect((error as Error).message).not.toContain('\n');
  return error as Error;
}

function flipHexByte(hex: string, index: number): string {
  const bytes = hexToBytes(hex);
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return bytesToHex(bytes);
}

describe('encryptKeyfile / decryptKeyfile', () => {
  it('round-trips a seed and writes the agreed format', async () => {
    expect(keyfile).toMatchObject({
      version: 1,
      kind: 'coldkey',
      address: signerFromSeed(seed).address,
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 },
      cipher: { name: 'xchacha20-poly1305' },
    });
    expect(keyfile.kdf.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(keyfile.cipher.nonce).toMatch(/^[0-9a-f]{48}$/);
    expect(keyfile.ciphertext).toMatch(/^[0-9a-f]{96}$/);
    expect(isAddress(keyfile.address)).toBe(true);
    const back = await decryptKeyfile(JSON.parse(JSON.stringify(keyfile)), PASSWORD);
    expect(back).toEqual({ kind: 'coldkey', address: keyfile.address, seed });
  });

  it('uses scrypt N = 2^15 by default, and a fresh salt and nonce each time', async () => {
    const again = await encryptKeyfile('hotkey', seed, PASSWORD);
    expect(again.kdf.N).toBe(2 ** 15);
    expect(again.kdf.salt).not.toBe(keyfile.kdf.salt);
    expect(again.cipher.nonce).not.toBe(keyfile.cipher.nonce);
    expect((await decryptKeyfile(again, PASSWORD)).kind).toBe('hotkey');
  });

  it('derives the key from the NFKC form of the password', async () => {
    const composed = await encryptKeyfile('hotkey', seed, 'caf\u00e9', FAST);
    expect((await decryptKeyfile(composed, 'cafe\u0301')).seed).toEqual(seed);
  });

  it('refuses an empty password, a bad seed length and a bad scrypt N', async () => {
    await expect(encryptKeyfile('coldkey', seed, '', FAST)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(encryptKeyfile('coldkey', new Uint8Array(31), PASSWORD, FAST)).rejects.toBeInstanceOf(RangeError);
    for (const scryptN of [1000, 2 ** 9, 2 ** 18, 2 ** 21]) {
      await expect(encryptKeyfile('coldkey', seed, PASSWORD, { scryptN })).rejects.toBeInstanceOf(InvalidInputError);
    }
  });

  it('throws WrongPasswordError for a wrong password, naming the key and the wallet', async () => {
    const error = await rejection(keyfile, 'correct horse battery stapler');
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect(error.message).toMatch(/^wrong password for the coldkey of wallet alice/);
    await expect(decryptKeyfile(keyfile, '')).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it.each<[string, (k: Keyfile) => void]>([
    ['a flipped ciphertext byte', (k) => (k.ciphertext = flipHexByte(k.ciphertext, 3))],
    ['a flipped tag byte', (k) => (k.ciphertext = flipHexByte(k.ciphertext, 47))],
    ['a changed salt', (k) => (k.kdf.salt = flipHexByte(k.kdf.salt, 0))],
    ['a changed nonce', (k) => (k.cipher.nonce = flipHexByte(k.cipher.nonce, 23))],
    ['a swapped kind', (k) => (k.kind = 'hotkey')],
    ['another valid address', (k) => (k.address = signerFromSeed(randomSeed()).address)],
    ['another supported scrypt cost', (k) => (k.kdf.N = 2 ** 11)],
  ])('rejects %s without decrypting', async (_what, edit) => {
    expect(await rejection(tampered(edit))).toBeInstanceOf(WrongPasswordError);
  });

  it('rejects a header moved onto another key', async () => {
    const other = await encryptKeyfile('coldkey', randomSeed(), PASSWORD, FAST);
    const swapped = { ...other, address: keyfile.address };
    expect(await rejection(swapped)).toBeInstanceOf(WrongPasswordError);
  });

  it('rejects a well-sealed seed whose address is not the header address', async () => {
    // Made by someone who knows the password: authentic, but inconsistent.
    const liar = tampered(() => undefined);
    const key = await scryptAsync(utf8ToBytes(PASSWORD), hexToBytes(liar.kdf.salt), { N: 1024, r: 8, p: 1, dkLen: 32 });
    const aad = utf8ToBytes(`coldkey:${liar.address}`);
    liar.ciphertext = bytesToHex(xchacha20poly1305(key, hexToBytes(liar.cipher.nonce), aad).encrypt(randomSeed()));
    const error = await rejection(liar);
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('w/alice/coldkey.json');
    expect(error.message).toContain('does not match its address');
  });

  it.each<[string, (k: Keyfile) => unknown]>([
    ['null', () => null],
    ['an array', (k) => [k]],
    ['a string', () => 'keyfile'],
    ['a missing field', (k) => ({ ...k, ciphertext: undefined })],
    ['an unknown field', (k) => ({ ...k, extra: 1 })],
    ['version 2', (k) => ({ ...k, version: 2 })],
    ['an unknown kind', (k) => ({ ...k, kind: 'warmkey' })],
    ['a bad address', (k) => ({ ...k, address: '5notanaddress' })],
    ['a truncated ciphertext', (k) => ({ ...k, ciphertext: '00'.repeat(47) })],
    ['an odd-length ciphertext', (k) => ({ ...k, ciphertext: `${'00'.repeat(48)}0` })],
    ['a non-hex nonce', (k) => ({ ...k, cipher: { name: 'xchacha20-poly1305', nonce: 'zz'.repeat(24) } })],
    ['a short salt', (k) => ({ ...k, kdf: { ...k.kdf, salt: '00'.repeat(8) } })],
    ['another cipher', (k) => ({ ...k, cipher: { name: 'aes-256-gcm', nonce: k.cipher.nonce } })],
    ['another kdf', (k) => ({ ...k, kdf: { ...k.kdf, name: 'pbkdf2' } })],
  ])('rejects %s as a corrupt keyfile naming the file', async (_what, make) => {
    const error = await rejection(make(keyfile));
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toMatch(/^w\/alice\/coldkey\.json is not a valid keyfile \(.+\): restore/);
  });

  it.each([2 ** 10, 2 ** 14, 2 ** 15, 2 ** 17])('reads the scrypt cost N = %d it may write', (N) => {
    expect(parseKeyfile({ ...keyfile, kdf: { ...keyfile.kdf, N } }).kdf.N).toBe(N);
  });

  it.each<[string, Partial<Keyfile['kdf']>, string]>([
    ['N = 2^20 (12 s and 1 GiB of memory)', { N: 2 ** 20 }, 'N=1048576, r=8, p=1'],
    ['N = 2^18', { N: 2 ** 18 }, 'N=262144, r=8, p=1'],
    ['N = 2^30', { N: 2 ** 30 }, 'N=1073741824, r=8, p=1'],
    ['N = 2^9', { N: 2 ** 9 }, 'N=512, r=8, p=1'],
    ['N not a power of two', { N: 3 * 2 ** 12 }, 'N=12288, r=8, p=1'],
    ['r = 16', { r: 16 }, 'N=1024, r=16, p=1'],
    ['r = 4', { r: 4 }, 'N=1024, r=4, p=1'],
    ['p = 2', { p: 2 }, 'N=1024, r=8, p=2'],
    ['p = 10^9', { p: 1e9 }, 'N=1024, r=8, p=1000000000'],
  ])('refuses scrypt parameters it never writes, before deriving: %s', (_what, kdf, shown) => {
    const edited = { ...keyfile, kdf: { ...keyfile.kdf, ...kdf } };
    let error: unknown;
    try {
      parseKeyfile(edited, 'w/alice/coldkey.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedKeyfileError);
    expect(error).toBeInstanceOf(WalletError);
    expect((error as Error).message).toBe(
      `keyfile w/alice/coldkey.json: unsupported scrypt parameters (${shown}); it was not written by this ` +
        'program or was altered: restore the wallet from its mnemonic with "wallet import"',
    );
  });

  it('refuses unsupported scrypt parameters when decrypting too, naming the file', async () => {
    // 2^18 is the smallest refused N: were the check gone, deriving would still take under a second.
    const error = await rejection({ ...keyfile, kdf: { ...keyfile.kdf, N: 2 ** 18 } });
    expect(error).toBeInstanceOf(UnsupportedKeyfileError);
    expect(error.message).toMatch(/^keyfile w\/alice\/coldkey\.json: unsupported scrypt parameters \(N=262144/);
    expect(SCRYPT_LIMITS).toEqual({ minN: 2 ** 10, maxN: 2 ** 17, r: 8, p: 1 });
  });

  it.each<[string, Partial<Keyfile['kdf']>]>([
    ['N fractional', { N: 1024.5 }],
    ['N as a string', { N: '1024' as unknown as number }],
    ['r = 0', { r: 0 }],
    ['p = -1', { p: -1 }],
  ])('rejects malformed scrypt parameters as a corrupt keyfile: %s', async (_what, kdf) => {
    const error = await rejection({ ...keyfile, kdf: { ...keyfile.kdf, ...kdf } });
    expect(error).toBeInstanceOf(CorruptKeyfileError);
    expect(error.message).toContain('kdf.');
  });

  it('never throws anything but a UserError on arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (json) => {
        const error: unknown = await decryptKeyfile(json, PASSWORD).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UserError);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a WalletError when any one field of a real keyfile is replaced', async () => {
    const paths = [
      'version',
      'kind',
      'address',
      'kdf',
      'kdf.N',
      'kdf.r',
      'kdf.p',
      'kdf.salt',
      'cipher',
      'cipher.nonce',
      'ciphertext',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (path, value) => {
        const json = structuredClone(keyfile) as unknown as Record<string, Record<string, unknown>>;
        const [head, tail] = path.split('.') as [string, string | undefined];
        if (tail === undefined) (json as Record<string, unknown>)[head] = value;
        else (json[head] as Record<string, unknown>)[tail] = value;
        const result: DecryptedKey | Error = await decryptKeyfile(json, PASSWORD).catch((e: unknown) => e as Error);
        if (result instanceof Error) expect(result).toBeInstanceOf(WalletError);
        else expect(result.seed).toEqual(seed); // the replacement happened to equal the original
      }),
      { numRuns: 150 },
    );
  });
});
