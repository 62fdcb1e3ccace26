import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAddress } from '../../src/ledger/wallet/index.js';
import { runCli } from '../support/cli.js';

let dir: string;
let wallets: string;
let passwordFile: string;
let created: { stdout: string; stderr: string; code: number | null };
let mnemonic: string;

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-cli-wallet-'));
  wallets = join(dir, 'wallets');
  passwordFile = await file('password', 'a long passphrase\n');
  created = await runCli([
    'wallet',
    'create',
    '--wallets',
    wallets,
    '--name',
    'alice',
    '--password-file',
    passwordFile,
  ]);
  mnemonic = /^ {4}([a-z]+(?: [a-z]+){23})$/m.exec(created.stderr)?.[1] ?? '';
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('bittensor-miner wallet create', () => {
  it('prints exactly one JSON object with the addresses', () => {
    expect(created.code).toBe(0);
    expect(created.stdout.endsWith('}\n')).toBe(true);
    expect(created.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['name', 'coldkey', 'hotkey']);
    expect(out.name).toBe('alice');
    expect(isAddress(out.coldkey)).toBe(true);
    expect(isAddress(out.hotkey)).toBe(true);
  });

  it('shows the mnemonic once, on stderr only, with a warning', () => {
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(created.stderr.split(mnemonic)).toHaveLength(2);
    expect(created.stderr).toMatch(/write it down/i);
    expect(created.stderr).toMatch(/anyone who has these words controls the wallet/i);
    expect(created.stderr).toMatch(/not shown again/i);
    // Every word of stdout but its three fixed keys ("name" is a BIP-39 word too: 24 random words hold it ~1% of
    // the time).
    const printed = created.stdout.replace(/"(name|coldkey|hotkey)":/g, '');
    for (const word of mnemonic.split(' ')) expect(printed).not.toMatch(new RegExp(`\\b${word}\\b`));
    expect(created.stdout).not.toContain('passphrase');
    expect(created.stderr).not.toContain('passphrase');
  });

  it('writes the wallet with private modes', async () => {
    expect((await stat(join(wallets, 'alice'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(wallets, 'alice', 'coldkey.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(wallets, 'alice', 'hotkeys', 'default.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses an existing wallet with exit code 2 and one line', async () => {
    const r = await runCli([
      'wallet',
      'create',
      '--wallets',
      wallets,
      '--name',
      'alice',
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(r, /^error: a wallet named alice already exists in .*: choose another --name/);
  });

  it('refuses an empty password file', async () => {
    const empty = await file('empty', '\n');
    const r = await runCli(['wallet', 'create', '--wallets', wallets, '--name', 'bob', '--password-file', empty]);
    expectOneLineError(r, /^error: --password-file: .* is empty/);
    expect(await readdir(wallets)).toEqual(['alice']);
  });

  it('refuses a password shorter than 8 characters, saying the rule', async () => {
    const short = await file('short', 'hunter2\n');
    const r = await runCli(['wallet', 'create', '--wallets', wallets, '--name', 'bob', '--password-file', short]);
    expectOneLineError(
      r,
      /^error: --password-file: a new wallet's password needs at least 8 characters, this one has 7: choose a longer one/,
    );
    expect(await readdir(wallets)).toEqual(['alice']);
  });

  it('refuses a missing password file, naming the errno code', async () => {
    const r = await runCli([
      'wallet',
      'create',
      '--wallets',
      wallets,
      '--name',
      'bob',
      '--password-file',
      join(dir, 'no'),
    ]);
    expectOneLineError(r, /^error: --password-file: cannot read .* \(ENOENT\)$/);
  });

  it('refuses a bad name', async () => {
    const r = await runCli([
      'wallet',
      'create',
      '--wallets',
      wallets,
      '--name',
      '../up',
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(r, /^error: --name: /);
  });

  it('refuses missing options with exit code 2', async () => {
    const r = await runCli(['wallet', 'create', '--wallets', wallets, '--name', 'bob']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toContain('--password-file');
  });
});

describe('bittensor-miner wallet import', () => {
  it('restores the same addresses from the mnemonic', async () => {
    const mnemonicFile = await file('mnemonic', `${mnemonic}\n`);
    const other = await file('other-password', 'a different password');
    const r = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'alice2',
      '--mnemonic-file',
      mnemonicFile,
      '--password-file',
      other,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify({ ...JSON.parse(created.stdout), name: 'alice2' })}\n`);
  });

  it('refuses a wrong mnemonic with exit code 2 and one line', async () => {
    const words = mnemonic.split(' ');
    const bad = await file('bad-mnemonic', words.slice(0, 23).join(' '));
    const r = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'carol',
      '--mnemonic-file',
      bad,
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(r, /^error: mnemonic: expected 24 words, got 23$/);
    const badChecksum = await file('bad-checksum', Array(24).fill('abandon').join(' '));
    const r2 = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'carol',
      '--mnemonic-file',
      badChecksum,
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(r2, /^error: mnemonic: bad checksum/);
    expect(await readdir(wallets)).not.toContain('carol');
  });

  it('refuses a short new password', async () => {
    const mnemonicFile = await file('mnemonic3', mnemonic);
    const short = await file('short2', 'abc');
    const r = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'erin',
      '--mnemonic-file',
      mnemonicFile,
      '--password-file',
      short,
    ]);
    expectOneLineError(
      r,
      /^error: --password-file: a new wallet's password needs at least 8 characters, this one has 3/,
    );
    expect(await readdir(wallets)).not.toContain('erin');
  });

  it('refuses an existing wallet and an empty mnemonic file', async () => {
    const mnemonicFile = await file('mnemonic2', mnemonic);
    const exists = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'alice',
      '--mnemonic-file',
      mnemonicFile,
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(exists, /already exists/);
    const empty = await file('empty-mnemonic', '');
    const r = await runCli([
      'wallet',
      'import',
      '--wallets',
      wallets,
      '--name',
      'dave',
      '--mnemonic-file',
      empty,
      '--password-file',
      passwordFile,
    ]);
    expectOneLineError(r, /^error: --mnemonic-file: .* is empty/);
  });
});

describe('keyfiles that are open to others or were altered', () => {
  /** A copy of alice, as written (0600), under `name`. */
  async function copyOfAlice(name: string): Promise<string> {
    const folder = join(wallets, name);
    await cp(join(wallets, 'alice'), folder, { recursive: true });
    return folder;
  }

  it.skipIf(process.platform === 'win32')('refuses a hotkey file others can read, saying how to fix it', async () => {
    const folder = await copyOfAlice('open');
    const hotkey = join(folder, 'hotkeys', 'default.json');
    await chmod(hotkey, 0o644);
    const r = await runCli([
      'wallet',
      'balance',
      '--wallets',
      wallets,
      '--name',
      'open',
      '--ledger',
      'http://127.0.0.1:9',
    ]);
    expectOneLineError(
      r,
      new RegExp(`^error: keyfile ${hotkey} is accessible by group or others \\(mode 0644\\); run chmod 600 `),
    );
  });

  it('refuses a coldkey whose scrypt cost was raised, without deriving', async () => {
    const folder = await copyOfAlice('costly');
    const coldkey = join(folder, 'coldkey.json');
    const json = JSON.parse(await readFile(coldkey, 'utf8')) as { kdf: { N: number } };
    json.kdf.N = 2 ** 20;
    await writeFile(coldkey, JSON.stringify(json));
    const r = await runCli([
      'wallet',
      'transfer',
      '--wallets',
      wallets,
      '--name',
      'costly',
      '--password-file',
      passwordFile,
      '--ledger',
      'http://127.0.0.1:9',
      '--to',
      JSON.parse(created.stdout).hotkey as string,
      '--amount',
      '1',
    ]);
    expectOneLineError(
      r,
      new RegExp(
        `^error: keyfile ${coldkey}: unsupported scrypt parameters \\(N=1048576, r=8, p=1\\); it was not written by this program or was altered`,
      ),
    );
  });
});

describe('bittensor-miner wallet --help', () => {
  it.each([[['wallet']], [['wallet', 'create']], [['wallet', 'import']]])(
    '%j --help exits 0 with usage',
    async (args) => {
      const r = await runCli([...args, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: bittensor-miner wallet');
    },
  );

  it('lists the options of create and import', async () => {
    expect((await runCli(['wallet', 'create', '--help'])).stdout).toMatch(
      /--wallets[\s\S]*--name[\s\S]*--password-file/,
    );
    expect((await runCli(['wallet', 'import', '--help'])).stdout).toMatch(/--mnemonic-file/);
  });
});
