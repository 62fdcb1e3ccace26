import { describe, expect, it } from 'vitest';
import type { SpendRequest, TxReceipt } from '../../src/shared/api.js';
import { SpendForm, type SpendFormProps } from '../../src/renderer/lib/spend-form.svelte.js';

/** A form with the given props; `answer` plays the host (a receipt, or a refusal it throws). */
function formWith(over: Partial<SpendFormProps> = {}, answer: () => TxReceipt = () => ({ block: 42 }) as TxReceipt) {
  const requests: Array<SpendRequest & { to?: string }> = [];
  const props: SpendFormProps = {
    withRecipient: true,
    unlocked: false,
    submit: async (r) => (requests.push(r), answer()),
    ...over,
  };
  return { form: new SpendForm(() => props), requests, props };
}

describe("a spend's form (transfer, stake, unstake), without a DOM", () => {
  it('reads the amount as the API does, signs nothing before Confirm, then sends what was shown', async () => {
    const { form, requests } = formWith();
    form.to = ' 5Dest ';
    form.amount = ' 2.50 ';
    form.review();
    expect(form.error).toBeUndefined();
    expect(form.confirming).toBe(true);
    expect(form.amountShown).toBe('2.5');
    expect(form.recipient).toBe('5Dest');
    expect(requests).toEqual([]);
    form.password = 'secret words';
    await form.confirm();
    expect(requests).toEqual([{ amount: '2.5', to: '5Dest', password: 'secret words' }]);
    expect(form.done).toBe('Included in block 42.');
    expect(form.confirming).toBe(false);
    expect([form.amount, form.to, form.password]).toEqual(['', '', '']);
  });

  it.each(['', '0', '0.000000000', '1,5', '-1', '1e3', '0.0000000001', '1.5 tokens'])(
    'refuses the amount %j before confirming',
    (amount) => {
      const { form } = formWith({ withRecipient: false });
      form.amount = amount;
      form.review();
      expect(form.error).toMatch(/^Amount: /);
      expect(form.confirming).toBe(false);
      expect(form.amountShown).toBeUndefined();
    },
  );

  it('asks for a recipient when it needs one, and sends no password when the wallet is unlocked', async () => {
    const { form, requests } = formWith({ withRecipient: false, unlocked: true });
    form.amount = '0.000000001';
    form.review();
    form.password = 'typed anyway';
    await form.confirm();
    expect(requests).toEqual([{ amount: '0.000000001' }]);

    const transfer = formWith().form;
    transfer.amount = '1';
    transfer.review();
    expect(transfer.error).toBe('To: enter the address to send to');
    expect(transfer.confirming).toBe(false);
  });

  it("shows the host's refusal as one line, keeps the form, and clears the password", async () => {
    const { form } = formWith({}, () => {
      throw new Error('insufficient balance: 5 asked, 1 free');
    });
    form.to = '5Dest';
    form.amount = '5';
    form.review();
    form.password = 'secret words';
    await form.confirm();
    expect(form.error).toBe('insufficient balance: 5 asked, 1 free');
    expect(form.confirming).toBe(true);
    expect(form.busy).toBe(false);
    expect([form.amount, form.to, form.password]).toEqual(['5', '5Dest', '']);
    form.cancel();
    expect(form.confirming).toBe(false);
  });

  it('confirms nothing that was not reviewed', async () => {
    const { form, requests } = formWith();
    form.to = '5Dest';
    form.amount = '1';
    await form.confirm();
    expect(requests).toEqual([]);
  });
});
