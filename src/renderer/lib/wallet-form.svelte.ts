import type { WalletBackup } from '../../shared/api.js';
import type { Miner } from './miner.svelte.js';

/**
 * The Wallet view's state: the password and recovery-word fields, the words shown once after creating, and each
 * call's outcome (its refusal as one line, or a note). The view keeps only what needs a browser (the download,
 * the clipboard).
 */
export class WalletForm {
  password = $state('');
  mnemonic = $state('');
  #shownMnemonic = $state.raw<string | undefined>(undefined);
  #error = $state.raw<string | undefined>(undefined);
  #note = $state.raw<string | undefined>(undefined);
  #busy = $state.raw(false);

  /** `miner` gives the miner to call (a getter, so that the form follows the component's current prop). */
  constructor(private readonly miner: () => Pick<Miner, 'call' | 'refresh'>) {}

  /** The 24 words of a wallet just created, until the user says they wrote them down. */
  get shownMnemonic(): string | undefined {
    return this.#shownMnemonic;
  }

  get error(): string | undefined {
    return this.#error;
  }

  get note(): string | undefined {
    return this.#note;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Says something to the user (a copy, a saved backup). */
  tell(note: string): void {
    this.#note = note;
  }

  /** The user wrote the words down: they are not shown again. */
  wroteDown(): void {
    this.#shownMnemonic = undefined;
  }

  create(): Promise<void> {
    return this.act(async (password) => {
      this.#shownMnemonic = (await this.miner().call('createWallet', { password })).mnemonic;
    });
  }

  restore(): Promise<void> {
    return this.act(async (password) => {
      await this.miner().call('importWallet', { mnemonic: this.mnemonic, password });
      this.mnemonic = '';
    });
  }

  unlock(): Promise<void> {
    return this.act((password) => this.miner().call('unlock', { password }));
  }

  lock(): Promise<void> {
    return this.act(() => this.miner().call('lock'));
  }

  /** The encrypted keyfiles as one file (undefined when refused: the error says why). */
  async backup(): Promise<WalletBackup | undefined> {
    let file: WalletBackup | undefined;
    await this.act(async (password) => {
      file = await this.miner().call('backup', { password });
    });
    if (file) this.#note = `Saved ${file.fileName}: keep it safe; restoring it needs the password.`;
    return file;
  }

  /** Runs one wallet call; its refusal is one line in the form, never a crash. The password field is cleared. */
  private async act(fn: (password: string) => Promise<unknown>): Promise<void> {
    this.#busy = true;
    this.#error = undefined;
    this.#note = undefined;
    const password = this.password;
    this.password = '';
    try {
      await fn(password);
      await this.miner().refresh();
    } catch (e) {
      this.#error = (e as Error).message;
    } finally {
      this.#busy = false;
    }
  }
}
