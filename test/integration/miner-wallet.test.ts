import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerClient } from '../../src/ledger/client.js';
import type { LedgerNode } from '../../src/ledger/node.js';
import { loadWallet, type LoadedWallet, type WalletInfo } from '../../src/ledger/wallet/index.js';
import { MinerWallet, UNLOCK_MS } from '../../src/main/miner-wallet.js';
import { fundedLedger, key, TOKEN } from '../support/ledger.js';
import { refusal } from '../support/files.js';

/**
 * The miner's wallet on real wallet files in a temporary folder, spending on an in-memory ledger: what it refuses
 * (one line each, as a UserError the dashboard shows), how long an unlock lasts, and the spends themselves.
 */
const PASSWORD = 'a long passphrase';
let dir: string;
let ledger: LedgerNode;
let client: LedgerClient;
/** A wallet funded at genesis, whose recovery words the tests import. */
let rich: { info: WalletInfo; mnemonic: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-miner-wallet-'));
  ({ ledger, client, rich } = await fundedLedger(dir, PASSWORD));
});
afterAll(async () => {
  await ledger?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The funded wallet imported as the miner's (once; the tests below spend from it). */
let importing: Promise<{ wallet: MinerWallet; keys: LoadedWallet }> | undefined;
const imported = () =>
  (importing ??= (async () => {
    const wallet = new MinerWallet(join(dir, 'imported'));
    const typed = `  ${rich.mnemonic.split(' ').join('   ').replace(/ {3}/, '\n')} `;
    return { wallet, keys: await wallet.import(typed, PASSWORD) };
  })());

describe('MinerWallet', () => {
  it('exists() only once created; a second create is refused; a wrong password says what to do', async () => {
    const wallet = new MinerWallet(join(dir, 'fresh'));
    expect(await wallet.exists()).toBe(false);
    expect(wallet.info).toBeUndefined();
    const { mnemonic, wallet: keys } = await wallet.create(PASSWORD);
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(wallet.info).toEqual(keys.info);
    const again = new MinerWallet(join(dir, 'fresh'));
    expect(await again.exists()).toBe(true);
    expect(again.info?.coldkey).toBe(keys.info.coldkey);
    await expect(again.create(PASSWORD)).rejects.toThrow();
    expect(await refusal(again.open('not the password'))).toBe(
      'wrong password: try again, or import the wallet from its 24 recovery words',
    );
  });

  it('imports recovery words as typed (extra spaces, line breaks): the same addresses; backup checks the password', async () => {
    const { wallet, keys } = await imported();
    expect(keys.info).toMatchObject({ coldkey: rich.info.coldkey, hotkey: rich.info.hotkey, name: 'miner' });
    expect(await refusal(wallet.backup('not the password'))).toMatch(/^wrong password/);
    const backup = await wallet.backup(PASSWORD);
    expect(backup.fileName).toBe(`bittensor-miner-wallet-${rich.info.coldkey.slice(0, 8)}.json`);
    const content = JSON.parse(backup.content) as { wallet: WalletInfo; files: Record<string, unknown> };
    expect(content.wallet).toEqual(keys.info);
    expect(Object.keys(content.files).sort()).toEqual(['coldkey.json', 'coldkeypub.json', 'hotkeys/default.json']);
    const onDisk = JSON.parse(await readFile(join(dir, 'imported', 'miner', 'coldkey.json'), 'utf8')) as unknown;
    expect(content.files['coldkey.json']).toEqual(onDisk); // encrypted, as on disk
  });

  it('an unlock lasts UNLOCK_MS (injected clock); lock() ends it; a locked wallet spends only with its password', async () => {
    await imported();
    let now = 1_000_000;
    const wallet = new MinerWallet(join(dir, 'imported'), () => now);
    expect(await wallet.exists()).toBe(true);
    expect(await refusal(wallet.unlock('not the password'))).toMatch(/^wrong password/);
    expect(wallet.isUnlocked).toBe(false);
    await wallet.unlock(PASSWORD);
    expect(wallet.isUnlocked).toBe(true);
    now += UNLOCK_MS - 1;
    expect(wallet.isUnlocked).toBe(true);
    now += 1;
    expect(wallet.isUnlocked).toBe(false);
    await wallet.unlock(PASSWORD);
    wallet.lock();
    expect(wallet.isUnlocked).toBe(false);

    const to = key(1).address;
    expect(await refusal(wallet.transfer(client, { to, amount: '1' }))).toBe(
      'the wallet is locked: enter its password to confirm',
    );
    expect(await refusal(wallet.transfer(client, { to, amount: '1', password: 'wrong one' }))).toMatch(
      /^wrong password/,
    );
    const receipt = await wallet.transfer(client, { to, amount: '1.5', password: PASSWORD });
    expect(receipt.block).toBeGreaterThan(0);
    expect((await client.balance(to)).free).toBe(1_500_000_000n);
    // Unlocked: no password needed.
    await wallet.unlock(PASSWORD);
    await wallet.transfer(client, { to, amount: '0.5' });
    expect((await client.balance(to)).free).toBe(2n * TOKEN);
  });

  it('refuses, before signing, what the ledger would refuse or what is not meant', async () => {
    await imported();
    const wallet = new MinerWallet(join(dir, 'imported'));
    await wallet.exists();
    const spend = { password: PASSWORD };
    expect(await refusal(wallet.transfer(client, { to: 'nobody', amount: '1', ...spend }))).toBe(
      'To: "nobody" is not an address',
    );
    expect(await refusal(wallet.transfer(client, { to: rich.info.coldkey, amount: '1', ...spend }))).toBe(
      'To: that is this wallet’s own address',
    );
    expect(await refusal(wallet.transfer(client, { to: key(2).address, amount: '0', ...spend }))).toBe(
      'Amount: must be more than 0',
    );
    expect(await refusal(wallet.transfer(client, { to: key(2).address, amount: '5000', ...spend }))).toMatch(
      /^insufficient balance: 5000 asked, 99\d\.?\d* free$/,
    );
    expect(await refusal(wallet.unstake(client, { amount: '1', ...spend }))).toBe(
      'insufficient stake: 1 asked, 0 staked',
    );
    // Not registered yet: the ledger refuses the stake, and the user reads why in one line.
    expect(await refusal(wallet.stake(client, { amount: '1', ...spend }))).toMatch(/^the ledger refused it: /);
  });

  it('stakes on its hotkey and unstakes it again once registered', async () => {
    await imported();
    const wallet = new MinerWallet(join(dir, 'imported'));
    await wallet.exists();
    const keys = await loadWallet(join(dir, 'imported'), MinerWallet.NAME, PASSWORD);
    await client.signAndSubmit(
      keys.hotkey,
      { type: 'register', coldkey: keys.info.coldkey, multiaddrs: [], maxBurn: String(10n * TOKEN) },
      keys.coldkey,
    );
    await wallet.stake(client, { amount: '10', password: PASSWORD });
    expect((await client.balance(rich.info.coldkey)).staked).toBe(10n * TOKEN);
    await wallet.unstake(client, { amount: '4', password: PASSWORD });
    expect((await client.balance(rich.info.coldkey)).staked).toBe(6n * TOKEN);
  });
});
