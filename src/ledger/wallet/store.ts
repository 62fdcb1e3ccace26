import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, UserError } from '../../shared/errors.js';
import { encodeAddress, isAddress } from './address.js';
import {
  CorruptKeyfileError,
  InsecureKeyfileError,
  WalletExistsError,
  WalletNotFoundError,
  type KeyKind,
} from './errors.js';
import { decryptKeyfile, encryptKeyfile, parseKeyfile, type KeyfileOptions } from './keyfile.js';
import { signerFromSeed, type Signer } from './keys.js';
import { generateMnemonic, keySeedsFromMnemonic, type KeySeeds } from './mnemonic.js';

/**
 * Wallets on disk, one folder each:
 *
 *   DIR/NAME/coldkey.json           the coldkey, encrypted (keyfile.ts)
 *   DIR/NAME/coldkeypub.json        {"address", "publicKey"}: watch-only, public
 *   DIR/NAME/hotkeys/default.json   the hotkey, encrypted with the same password
 *
 * Files are mode 0600 and folders 0700, and an encrypted keyfile that group or others can access is refused
 * on POSIX (as ssh refuses such a private key); each file is written atomically (temporary file, fsync, rename), and a
 * new wallet is assembled in a hidden staging folder then renamed into place, so a crash never leaves half a
 * wallet under its name.
 */

/** A wallet's public identity. */
export interface WalletInfo {
  name: string;
  /** The coldkey's address (holds the balance). */
  coldkey: string;
  /** The default hotkey's address (identifies the running neuron). */
  hotkey: string;
}

/** A freshly created wallet and its mnemonic: show the mnemonic to the user once, then forget it. */
export interface CreatedWallet {
  info: WalletInfo;
  mnemonic: string;
}

/** An opened wallet. `hotkeySeed` is secret (the neuron's libp2p identity key is derived from it). */
export interface LoadedWallet {
  info: WalletInfo;
  coldkey: Signer;
  hotkey: Signer;
  hotkeySeed: Uint8Array;
}

/** Options of `createWallet` and `importWallet`. */
export type WalletOptions = KeyfileOptions;

const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/u;
const COLDKEY_FILE = 'coldkey.json';
const COLDKEYPUB_FILE = 'coldkeypub.json';
const HOTKEY_FILE = join('hotkeys', 'default.json');
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** The shortest password a new wallet may have. Existing wallets with shorter ones still open. */
export const MIN_PASSWORD_LENGTH = 8;

/** Creates wallet NAME in `dir` from a fresh mnemonic; refuses an existing wallet (WalletExistsError). */
export async function createWallet(
  dir: string,
  name: string,
  password: string,
  options: WalletOptions = {},
): Promise<CreatedWallet> {
  checkName(name);
  checkNewPassword(password);
  const mnemonic = generateMnemonic();
  const info = await writeWallet(dir, name, keySeedsFromMnemonic(mnemonic), password, options);
  return { info, mnemonic };
}

/** Restores wallet NAME in `dir` from its mnemonic: the same addresses as when it was created. */
export async function importWallet(
  dir: string,
  name: string,
  mnemonic: string,
  password: string,
  options: WalletOptions = {},
): Promise<WalletInfo> {
  checkName(name);
  const seeds = keySeedsFromMnemonic(mnemonic);
  checkNewPassword(password);
  return writeWallet(dir, name, seeds, password, options);
}

/** A wallet's addresses, read from its public files: no password needed. */
export async function readWalletInfo(dir: string, name: string): Promise<WalletInfo> {
  const folder = await walletFolder(dir, name);
  const pubFile = join(folder, COLDKEYPUB_FILE);
  const pub = await readJson(pubFile);
  if (typeof pub !== 'object' || pub === null || Array.isArray(pub)) {
    throw new CorruptKeyfileError(pubFile, 'must be a JSON object');
  }
  const { address, publicKey } = pub as Record<string, unknown>;
  if (!isAddress(address)) throw new CorruptKeyfileError(pubFile, 'address is not a valid address');
  if (typeof publicKey !== 'string' || !/^[0-9a-f]{64}$/iu.test(publicKey)) {
    throw new CorruptKeyfileError(pubFile, 'publicKey must be 32 bytes of hex');
  }
  if (encodeAddress(hexToBytes(publicKey)) !== address) {
    throw new CorruptKeyfileError(pubFile, 'publicKey does not match address');
  }
  const hotFile = join(folder, HOTKEY_FILE);
  const hotkey = expectKind(parseKeyfile(await readJson(hotFile, true), hotFile), 'hotkey', hotFile);
  return { name, coldkey: address, hotkey: hotkey.address };
}

/** Opens wallet NAME: decrypts both keys (WrongPasswordError on a wrong password). */
export async function loadWallet(dir: string, name: string, password: string): Promise<LoadedWallet> {
  const info = await readWalletInfo(dir, name);
  const folder = join(dir, name);
  const coldFile = join(folder, COLDKEY_FILE);
  const cold = await decryptKeyfile(await readJson(coldFile, true), password, { file: coldFile, wallet: name });
  expectKind(cold, 'coldkey', coldFile);
  if (cold.address !== info.coldkey) {
    throw new CorruptKeyfileError(coldFile, `its address differs from ${COLDKEYPUB_FILE}`);
  }
  const coldkey = signerFromSeed(cold.seed);
  cold.seed.fill(0);
  const hotFile = join(folder, HOTKEY_FILE);
  const hot = await decryptKeyfile(await readJson(hotFile, true), password, { file: hotFile, wallet: name });
  return { info, coldkey, hotkey: signerFromSeed(hot.seed), hotkeySeed: hot.seed };
}

/** Throws InvalidInputError('--name') unless `name` is 1-64 letters, digits, "-", "_" or "." (not leading "."). */
export function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidInputError(
      '--name',
      `${JSON.stringify(name.slice(0, 64))} is not a wallet name: use 1-64 letters, digits, "-", "_" or "." (not first)`,
    );
  }
}

/**
 * Throws InvalidInputError(field) unless `password` is fit for a new wallet: at least MIN_PASSWORD_LENGTH
 * characters (Unicode code points, after NFKC as the key derivation sees it).
 */
export function checkNewPassword(password: string, field = 'password'): void {
  const length = [...password.normalize('NFKC')].length;
  if (length >= MIN_PASSWORD_LENGTH) return;
  throw new InvalidInputError(
    field,
    `a new wallet's password needs at least ${MIN_PASSWORD_LENGTH} characters, this one has ${length}: ` +
      'choose a longer one (a few words are easy to remember)',
  );
}

async function writeWallet(
  dir: string,
  name: string,
  seeds: KeySeeds,
  password: string,
  options: WalletOptions,
): Promise<WalletInfo> {
  const target = join(dir, name);
  try {
    if (await exists(target, dir)) throw new WalletExistsError(name, dir);
    const cold = signerFromSeed(seeds.coldkey);
    const coldkeyFile = await encryptKeyfile('coldkey', seeds.coldkey, password, options);
    const hotkeyFile = await encryptKeyfile('hotkey', seeds.hotkey, password, options);

    const staging = join(dir, `.${name}.partial-${bytesToHex(randomBytes(6))}`);
    try {
      await mkdir(join(staging, 'hotkeys'), { recursive: true, mode: DIR_MODE });
      await writeSecretFile(join(staging, COLDKEY_FILE), json(coldkeyFile));
      await writeSecretFile(join(staging, HOTKEY_FILE), json(hotkeyFile));
      const pub = { address: cold.address, publicKey: bytesToHex(cold.publicKey) };
      await writeSecretFile(join(staging, COLDKEYPUB_FILE), json(pub));
      // rename() would replace an empty folder that appeared meanwhile; check again just before it.
      if (await exists(target, dir)) throw new WalletExistsError(name, dir);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (isErrno(error, 'ENOTEMPTY') || isErrno(error, 'EEXIST')) throw new WalletExistsError(name, dir);
      throw folderError(error, dir, 'write to');
    }
    await syncFolder(dir);
    return { name, coldkey: cold.address, hotkey: hotkeyFile.address };
  } finally {
    seeds.coldkey.fill(0);
    seeds.hotkey.fill(0);
  }
}

/** Writes `data` to `file` with mode 0600: temporary file beside it, fsync, rename, fsync the folder. */
async function writeSecretFile(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${bytesToHex(randomBytes(6))}.tmp`;
  const handle = await open(tmp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, file);
  await syncFolder(join(file, '..'));
}

/** Makes a rename durable; some platforms (Windows) cannot open a folder for fsync, which is then skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

async function walletFolder(dir: string, name: string): Promise<string> {
  checkName(name);
  const folder = join(dir, name);
  if (!(await exists(folder, dir))) throw new WalletNotFoundError(name, dir);
  return folder;
}

/** Reads and parses a wallet file; a `secret` one (an encrypted keyfile) must be private to its owner. */
async function readJson(file: string, secret = false): Promise<unknown> {
  let text: string;
  try {
    text = secret ? await readPrivateFile(file) : await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CorruptKeyfileError(file, code === 'ENOENT' ? 'the file is missing' : `cannot read it: ${code}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CorruptKeyfileError(file, 'malformed or truncated JSON');
  }
}

/** Reads a file after checking, on the same handle, that group and others have no access (skipped on Windows). */
async function readPrivateFile(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { mode } = await handle.stat();
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) throw new InsecureKeyfileError(file, mode);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function expectKind<T extends { kind: KeyKind }>(key: T, kind: KeyKind, file: string): T {
  if (key.kind !== kind) throw new CorruptKeyfileError(file, `it holds a ${key.kind}, expected a ${kind}`);
  return key;
}

async function exists(path: string, dir: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw folderError(error, dir, 'read');
  }
}

/** A file-system failure in the wallets folder (no permission, not a folder, disk full) is the user's to fix. */
function folderError(error: unknown, dir: string, action: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || error instanceof UserError) return error;
  return new InvalidInputError('--wallets', `cannot ${action} ${dir} (${code})`);
}

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
