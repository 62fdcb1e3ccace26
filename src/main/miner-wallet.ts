import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAmount, parseAmount } from '../shared/amount.js';
import type { LedgerClient } from '../ledger/client.js';
import { RpcError } from '../ledger/rpc/protocol.js';
import type { Call } from '../ledger/tx.js';
import {
  createWallet,
  importWallet,
  isAddress,
  loadWallet,
  readWalletInfo,
  WalletNotFoundError,
  WrongPasswordError,
  type LoadedWallet,
  type Signer,
  type WalletInfo,
} from '../ledger/wallet/index.js';
import type { SpendRequest, TransferRequest, WalletBackup } from '../shared/api.js';
import { InvalidInputError, UserError } from '../shared/errors.js';

/** How long "Unlock" keeps the coldkey in memory for spending without a password. */
export const UNLOCK_MS = 15 * 60_000;

/**
 * The miner's own wallet ("miner" in dataDir/wallets): created or imported on first start, opened with its
 * password, and the one place that signs spending (transfer, stake, unstake) after the user confirmed.
 * The coldkey stays in memory only for UNLOCK_MS after an explicit unlock; otherwise each spend decrypts it
 * with the password given for that spend and forgets it.
 */
export class MinerWallet {
  static readonly NAME = 'miner';
  info: WalletInfo | undefined;
  private unlocked: { coldkey: Signer; until: number } | undefined;

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a wallet exists (its public files are read without a password). */
  async exists(): Promise<boolean> {
    try {
      this.info = await readWalletInfo(this.dir, MinerWallet.NAME);
      return true;
    } catch (error) {
      if (error instanceof WalletNotFoundError) return false;
      throw error;
    }
  }

  async create(password: string): Promise<{ mnemonic: string; wallet: LoadedWallet }> {
    const created = await createWallet(this.dir, MinerWallet.NAME, password);
    this.info = created.info;
    return { mnemonic: created.mnemonic, wallet: await this.open(password) };
  }

  async import(mnemonic: string, password: string): Promise<LoadedWallet> {
    this.info = await importWallet(this.dir, MinerWallet.NAME, mnemonic.trim().split(/\s+/).join(' '), password);
    return this.open(password);
  }

  /** Decrypts both keys (WrongPasswordError on a wrong password). */
  async open(password: string): Promise<LoadedWallet> {
    try {
      const wallet = await loadWallet(this.dir, MinerWallet.NAME, password);
      this.info = wallet.info;
      return wallet;
    } catch (error) {
      if (error instanceof WrongPasswordError) {
        throw new UserError('wrong password: try again, or import the wallet from its 24 recovery words');
      }
      throw error;
    }
  }

  get isUnlocked(): boolean {
    return this.unlocked !== undefined && this.unlocked.until > this.now();
  }

  /** Keeps the coldkey for UNLOCK_MS of spending without a password. */
  async unlock(password: string): Promise<void> {
    const wallet = await this.open(password);
    this.unlocked = { coldkey: wallet.coldkey, until: this.now() + UNLOCK_MS };
  }

  lock(): void {
    this.unlocked = undefined;
  }

  /** The keyfiles as on disk (encrypted), after checking the password, as one JSON file to save. */
  async backup(password: string): Promise<WalletBackup> {
    await this.open(password);
    const folder = join(this.dir, MinerWallet.NAME);
    const files: Record<string, unknown> = {};
    for (const name of ['coldkeypub.json', 'coldkey.json', join('hotkeys', 'default.json')]) {
      files[name] = JSON.parse(await readFile(join(folder, name), 'utf8')) as unknown;
    }
    const content = JSON.stringify({ format: 'bittensor-miner-wallet-backup/1', wallet: this.info, files }, null, 2);
    return { fileName: `bittensor-miner-wallet-${this.info!.coldkey.slice(0, 8)}.json`, content };
  }

  async transfer(client: LedgerClient, request: TransferRequest): Promise<{ block: number; tx: string }> {
    const to: string = request.to;
    if (!isAddress(to)) {
      throw new InvalidInputError('To', `${JSON.stringify(String(to).slice(0, 64))} is not an address`);
    }
    if (request.to === this.info?.coldkey) throw new InvalidInputError('To', 'that is this wallet’s own address');
    const amount = await this.checkFree(client, request.amount);
    return this.sign(client, request, { type: 'transfer', to: request.to, amount: String(amount) });
  }

  async stake(client: LedgerClient, request: SpendRequest): Promise<{ block: number; tx: string }> {
    const amount = await this.checkFree(client, request.amount);
    return this.sign(client, request, { type: 'add_stake', hotkey: this.info!.hotkey, amount: String(amount) });
  }

  async unstake(client: LedgerClient, request: SpendRequest): Promise<{ block: number; tx: string }> {
    const amount = positive(request.amount);
    const { staked } = await client.balance(this.info!.coldkey);
    if (amount > staked) {
      throw new UserError(`insufficient stake: ${request.amount} asked, ${formatAmount(staked)} staked`);
    }
    return this.sign(client, request, { type: 'remove_stake', hotkey: this.info!.hotkey, amount: String(amount) });
  }

  private async checkFree(client: LedgerClient, text: string): Promise<bigint> {
    const amount = positive(text);
    const { free } = await client.balance(this.info!.coldkey);
    if (amount > free) throw new UserError(`insufficient balance: ${text} asked, ${formatAmount(free)} free`);
    return amount;
  }

  private async sign(client: LedgerClient, request: SpendRequest, call: Call): Promise<{ block: number; tx: string }> {
    let coldkey: Signer;
    if (this.isUnlocked) coldkey = this.unlocked!.coldkey;
    else if (request.password === undefined) {
      throw new UserError('the wallet is locked: enter its password to confirm');
    } else coldkey = (await this.open(request.password)).coldkey;
    try {
      return await client.signAndSubmit(coldkey, call);
    } catch (error) {
      if (error instanceof RpcError) throw new UserError(`the ledger refused it: ${error.message}`);
      throw error;
    }
  }
}

function positive(text: string): bigint {
  const amount = parseAmount(text, 'Amount');
  if (amount <= 0n) throw new InvalidInputError('Amount', 'must be more than 0');
  return amount;
}
