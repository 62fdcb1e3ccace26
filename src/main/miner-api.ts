import type { LedgerClient } from '../ledger/client.js';
import type { LoadedWallet } from '../ledger/wallet/index.js';
import type { HostPhase, MinerApi, MinerSnapshot, WalletView } from '../shared/api.js';
import { UserError } from '../shared/errors.js';
import type { Settings } from '../shared/settings.js';
import type { ChainFeed } from './chain-feed.js';
import type { ContributionController } from './contribution-controller.js';
import type { MinerWallet } from './miner-wallet.js';
import type { SettingsStore } from './settings.js';

/** What the API facade works through: the host's parts, and the two things only the host decides. */
export interface MinerApiComponents {
  wallet: MinerWallet;
  settings: SettingsStore;
  contribution: ContributionController;
  chain: ChainFeed;
  client: LedgerClient;
  /** The host's phase now. */
  phase(): HostPhase;
  /** Starts the neuron with an opened wallet (without waiting); the phase leaves 'setup', 'locked' or 'failed'. */
  launch(keys: LoadedWallet): void;
  /** Publishes a snapshot now and returns it (the answer of a call that changed something). */
  publish(): MinerSnapshot;
  /** The wallet as the page may see it. */
  walletView(): WalletView;
  /** Tells the host's settings listeners (the login item follows startAtLogin). */
  settingsChanged(settings: Settings): void;
}

/**
 * The one API the dashboard calls (over Electron IPC or HTTP; callApi validates every argument first): the
 * snapshot, Pause and Resume, the settings, and the wallet (create, import, unlock, lock, back up, and spends
 * signed in the host after the user confirmed them).
 */
export function createMinerApi(c: MinerApiComponents): MinerApi {
  const needsWallet = () => {
    if (!c.wallet.info || c.phase() === 'setup')
      throw new UserError('there is no wallet yet: create or import one first');
  };
  const needsNoWallet = () => {
    if (c.phase() !== 'setup') throw new UserError('this miner has a wallet already');
  };
  /** Whether opening the wallet starts the neuron (it waits for the password, or its last start failed). */
  const waitsForWallet = () => c.phase() === 'locked' || c.phase() === 'failed';
  /** After a spend: the balance read again, the receipt with the wallet as it is now. */
  const receipt = async (done: { block: number; tx: string }) => {
    await c.chain.refresh();
    c.publish();
    return { ...done, wallet: c.walletView() };
  };
  return {
    snapshot: async () => c.publish(),
    // The new state goes to every listener at once (the tray, other dashboards), not at the next push.
    async pause() {
      c.contribution.setUserPaused(true);
      return c.publish();
    },
    async resume() {
      c.contribution.setUserPaused(false);
      return c.publish();
    },
    settings: async () => c.settings.value,
    async updateSettings(change) {
      const next = await c.settings.update(change);
      c.contribution.apply();
      c.settingsChanged(next);
      c.publish();
      return next;
    },
    // Each checks the phase again after its await: a second call that raced it must not start a second neuron.
    async createWallet({ password }) {
      needsNoWallet();
      const { mnemonic, wallet: keys } = await c.wallet.create(password);
      if (c.phase() === 'setup') c.launch(keys);
      return { mnemonic, wallet: c.walletView() };
    },
    async importWallet({ mnemonic, password }) {
      needsNoWallet();
      const keys = await c.wallet.import(mnemonic, password);
      if (c.phase() === 'setup') c.launch(keys);
      return c.walletView();
    },
    async unlock({ password }) {
      needsWallet();
      if (waitsForWallet()) {
        const keys = await c.wallet.open(password);
        if (waitsForWallet()) c.launch(keys);
      } else {
        await c.wallet.unlock(password);
      }
      c.publish();
      return c.walletView();
    },
    async lock() {
      c.wallet.lock();
      c.publish();
      return c.walletView();
    },
    async backup({ password }) {
      needsWallet();
      return c.wallet.backup(password);
    },
    async transfer(request) {
      needsWallet();
      return receipt(await c.wallet.transfer(c.client, request));
    },
    async stake(request) {
      needsWallet();
      return receipt(await c.wallet.stake(c.client, request));
    },
    async unstake(request) {
      needsWallet();
      return receipt(await c.wallet.unstake(c.client, request));
    },
  };
}
