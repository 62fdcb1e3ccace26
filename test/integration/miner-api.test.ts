import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerClient } from '../../src/ledger/client.js';
import type { LedgerNode } from '../../src/ledger/node.js';
import type { LoadedWallet, WalletInfo } from '../../src/ledger/wallet/index.js';
import { ChainFeed } from '../../src/main/chain-feed.js';
import { ContributionController } from '../../src/main/contribution-controller.js';
import { createMinerApi } from '../../src/main/miner-api.js';
import { MinerWallet } from '../../src/main/miner-wallet.js';
import { SettingsStore } from '../../src/main/settings.js';
import { formatAmount } from '../../src/shared/amount.js';
import type { HostPhase, MinerApi, WalletView } from '../../src/shared/api.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Settings } from '../../src/shared/settings.js';
import { fundedLedger, key, TOKEN } from '../support/ledger.js';
import { snapshotOf } from '../support/snapshots.js';
import { refusal } from '../support/files.js';

/**
 * The API facade over the host's real parts (wallet files in a temporary folder, the settings file, the
 * contribution policy, the chain feed on an in-memory ledger), with the host's phase and launch played by the
 * test: which calls each phase allows, that racing calls start one neuron, and errors as one line.
 */
const PASSWORD = 'a long passphrase';
let dir: string;
let ledger: LedgerNode;
let client: LedgerClient;
let rich: { info: WalletInfo; mnemonic: string };
let folders = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-miner-api-'));
  ({ ledger, client, rich } = await fundedLedger(dir, PASSWORD));
});
afterAll(async () => {
  await ledger?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The facade on a fresh data folder, with what it asked of the host recorded. */
async function facade(start: HostPhase = 'setup') {
  const dataDir = join(dir, `miner${++folders}`);
  await mkdir(dataDir);
  const wallet = new MinerWallet(join(dataDir, 'wallets'));
  const settings = new SettingsStore(dataDir, { cores: 4 });
  const power = { idleSeconds: () => undefined, onBattery: () => false, temperatureC: () => undefined };
  const contribution = new ContributionController({ settings, power, logger: silentLogger, cores: 4 });
  const chain = new ChainFeed({ client, logger: silentLogger }, { dataDir });
  const host = {
    phase: start,
    launched: [] as LoadedWallet[],
    published: 0,
    settings: [] as Settings[],
  };
  const walletView = (): WalletView => ({
    coldkey: wallet.info?.coldkey ?? null,
    hotkey: wallet.info?.hotkey ?? null,
    free: chain.reading?.balance ? formatAmount(chain.reading.balance.free) : null,
    staked: null,
    unlocked: wallet.isUnlocked,
    registrationPrice: null,
  });
  const api: MinerApi = createMinerApi({
    wallet,
    settings,
    contribution,
    chain,
    client,
    phase: () => host.phase,
    // As the host does: the phase leaves setup/locked/failed at once, the chain follows the wallet.
    launch: (keys) => {
      host.launched.push(keys);
      host.phase = 'starting';
      void chain.follow(keys.info);
    },
    publish: () => {
      host.published++;
      return snapshotOf({ contribution: contribution.current });
    },
    walletView,
    settingsChanged: (s) => host.settings.push(s),
  });
  return { api, host, wallet, contribution, chain };
}

describe('createMinerApi', () => {
  it('without a wallet: only create or import; creating launches the neuron once, then both are refused', async () => {
    const { api, host } = await facade('setup');
    const noWallet = 'there is no wallet yet: create or import one first';
    expect(await refusal(api.unlock({ password: PASSWORD }))).toBe(noWallet);
    expect(await refusal(api.backup({ password: PASSWORD }))).toBe(noWallet);
    expect(await refusal(api.transfer({ to: key(1).address, amount: '1', password: PASSWORD }))).toBe(noWallet);
    expect(await refusal(api.stake({ amount: '1', password: PASSWORD }))).toBe(noWallet);
    expect(await refusal(api.unstake({ amount: '1', password: PASSWORD }))).toBe(noWallet);
    expect(host.launched).toHaveLength(0);

    const created = await api.createWallet({ password: PASSWORD });
    expect(created.mnemonic.split(' ')).toHaveLength(24);
    expect(created.wallet.coldkey).toBe(host.launched[0]?.info.coldkey);
    expect(host.launched).toHaveLength(1);
    expect(host.phase).toBe('starting');
    const hasOne = 'this miner has a wallet already';
    expect(await refusal(api.createWallet({ password: PASSWORD }))).toBe(hasOne);
    expect(await refusal(api.importWallet({ mnemonic: rich.mnemonic, password: PASSWORD }))).toBe(hasOne);
    expect(host.launched).toHaveLength(1);
  });

  it('two creates at once (a double click): one wallet, one neuron', async () => {
    const { api, host } = await facade('setup');
    const results = await Promise.allSettled([
      api.createWallet({ password: PASSWORD }),
      api.createWallet({ password: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(host.launched).toHaveLength(1);
  });

  it('locked: two unlocks at once launch the neuron once; a wrong password is one line and launches nothing', async () => {
    const { api, host, wallet } = await facade('setup');
    await api.importWallet({ mnemonic: rich.mnemonic, password: PASSWORD });
    host.launched = [];
    host.phase = 'locked';
    expect(await refusal(api.unlock({ password: 'not the password' }))).toBe(
      'wrong password: try again, or import the wallet from its 24 recovery words',
    );
    expect(host.launched).toHaveLength(0);

    const [a, b] = await Promise.all([api.unlock({ password: PASSWORD }), api.unlock({ password: PASSWORD })]);
    expect(host.launched).toHaveLength(1);
    expect(host.launched[0]!.info.coldkey).toBe(rich.info.coldkey);
    expect(a.coldkey).toBe(rich.info.coldkey);
    expect(b.coldkey).toBe(rich.info.coldkey);
    // Opening the wallet to start the neuron does not keep the coldkey for spending.
    expect(wallet.isUnlocked).toBe(false);

    // A wrong and a right password racing: the right one launches, once.
    host.launched = [];
    host.phase = 'locked';
    const raced = await Promise.allSettled([
      api.unlock({ password: 'not the password' }),
      api.unlock({ password: PASSWORD }),
    ]);
    expect(raced.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(host.launched).toHaveLength(1);
  });

  it('running: unlock keeps the coldkey for spending and launches nothing; lock forgets it; failed: unlock retries', async () => {
    const { api, host } = await facade('setup');
    await api.importWallet({ mnemonic: rich.mnemonic, password: PASSWORD });
    host.phase = 'running';
    host.launched = [];
    expect(await refusal(api.unlock({ password: 'not the password' }))).toMatch(/^wrong password/);
    expect((await api.unlock({ password: PASSWORD })).unlocked).toBe(true);
    expect(host.launched).toHaveLength(0);
    expect((await api.lock()).unlocked).toBe(false);

    host.phase = 'failed';
    await api.unlock({ password: PASSWORD });
    expect(host.launched).toHaveLength(1);
    expect(host.phase).toBe('starting');
  });

  it('pause and resume decide at once and publish the new state', async () => {
    const { api, host, contribution } = await facade('running');
    const before = host.published;
    const paused = await api.pause();
    expect(paused.contribution).toEqual({ state: 'paused', reason: 'paused by you', share: 0, processor: 'cpu' });
    expect(contribution.paused).toBe(true);
    const resumed = await api.resume();
    expect(resumed.contribution.state).toBe('contributing');
    expect(host.published).toBe(before + 2);
  });

  it('settings: a change is saved, applied to the policy and told to the host; an invalid one names the field', async () => {
    const { api, host, contribution } = await facade('running');
    const next = await api.updateSettings({ cpuCores: 1.5 });
    expect(next.cpuCores).toBe(1.5);
    expect((await api.settings()).cpuCores).toBe(1.5);
    // 1.5 cores: two threads, each 75% of the time.
    expect(contribution.current.share).toBe(0.75);
    expect(host.settings).toEqual([next]);
    expect(await refusal(api.updateSettings({ cpuCores: 0 }))).toMatch(/^cpuCores: /);
    expect(host.settings).toHaveLength(1);
    expect((await api.settings()).cpuCores).toBe(1.5);
    // More than the machine's 4 cores: all of them.
    expect((await api.updateSettings({ cpuCores: 64 })).cpuCores).toBe(4);
  });

  it('a spend answers with the balance read after it; a refused one is one line', async () => {
    const { api, host, chain } = await facade('setup');
    await api.importWallet({ mnemonic: rich.mnemonic, password: PASSWORD });
    host.phase = 'running';
    await chain.follow(rich.info);
    const free = chain.reading!.balance!.free;
    const receipt = await api.transfer({ to: key(3).address, amount: '2', password: PASSWORD });
    expect(receipt.block).toBeGreaterThan(0);
    expect(receipt.wallet.free).toBe(formatAmount(free - 2n * TOKEN));
    expect(await refusal(api.transfer({ to: key(3).address, amount: '1' }))).toBe(
      'the wallet is locked: enter its password to confirm',
    );
    expect(await refusal(api.stake({ amount: '1', password: PASSWORD }))).toMatch(/^the ledger refused it: /);
    expect(await refusal(api.unstake({ amount: '1', password: PASSWORD }))).toBe(
      'insufficient stake: 1 asked, 0 staked',
    );
    await chain.stop();
  });
});
