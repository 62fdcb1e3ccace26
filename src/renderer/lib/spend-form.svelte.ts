import { formatAmount, parseAmount } from '../../shared/amount.js';
import type { SpendRequest, TxReceipt } from '../../shared/api.js';

/** What a SpendForm needs from its component: read through a getter, so that it follows the current props. */
export interface SpendFormProps {
  /** Ask for a recipient ("To"). */
  withRecipient: boolean;
  /** Whether the wallet is unlocked (no password needed to confirm). */
  unlocked: boolean;
  /** Signs and submits; rejects with a one-line message. */
  submit: (request: SpendRequest & { to?: string }) => Promise<TxReceipt>;
}

/**
 * A spend's form (transfer, stake, unstake) in two steps: review (the fields are checked, nothing is signed), then
 * confirm (with the password when the wallet is locked). The amount is read once, by parseAmount, as the API reads
 * it; the component keeps only the markup.
 */
export class SpendForm {
  to = $state('');
  amount = $state('');
  password = $state('');
  #confirming = $state.raw(false);
  #busy = $state.raw(false);
  #error = $state.raw<string | undefined>(undefined);
  #done = $state.raw<string | undefined>(undefined);
  /** The amount typed, in base units; undefined when it is not an amount above 0. */
  readonly #units = $derived(positiveUnits(this.amount));

  constructor(private readonly props: () => SpendFormProps) {}

  /** True between Review and Confirm (or Cancel): the fields are fixed, the confirmation is shown. */
  get confirming(): boolean {
    return this.#confirming;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get error(): string | undefined {
    return this.#error;
  }

  /** What the last confirmed spend did ("Included in block 42."). */
  get done(): string | undefined {
    return this.#done;
  }

  /** The amount as it will be sent (a decimal token string), once it reads as one above 0. */
  get amountShown(): string | undefined {
    return this.#units === undefined ? undefined : formatAmount(this.#units);
  }

  /** The recipient as it will be sent. */
  get recipient(): string {
    return this.to.trim();
  }

  /** Checks the fields; when they read, asks for confirmation (nothing is signed yet). */
  review(): void {
    this.#error = undefined;
    this.#done = undefined;
    if (this.props().withRecipient && !this.recipient) this.#error = 'To: enter the address to send to';
    else if (this.#units === undefined) this.#error = 'Amount: enter an amount in tokens above 0, like 1.5';
    else this.#confirming = true;
  }

  /** Back to editing, nothing signed. */
  cancel(): void {
    this.#confirming = false;
    this.password = '';
  }

  /** Signs and submits what was reviewed; a refusal is one line in the form, which stays as it was. */
  async confirm(): Promise<void> {
    const amount = this.amountShown;
    if (!this.#confirming || amount === undefined) return;
    const { withRecipient, unlocked, submit } = this.props();
    this.#busy = true;
    this.#error = undefined;
    const password = this.password;
    this.password = '';
    try {
      const receipt = await submit({
        amount,
        ...(withRecipient ? { to: this.recipient } : {}),
        ...(unlocked ? {} : { password }),
      });
      this.#done = `Included in block ${receipt.block}.`;
      this.#confirming = false;
      this.amount = '';
      this.to = '';
    } catch (e) {
      this.#error = (e as Error).message;
    } finally {
      this.#busy = false;
    }
  }
}

/** Base units of a typed amount above 0 (parseAmount, the API's reading); undefined when it is not one. */
function positiveUnits(text: string): bigint | undefined {
  try {
    const units = parseAmount(text);
    return units > 0n ? units : undefined;
  } catch {
    return undefined;
  }
}
