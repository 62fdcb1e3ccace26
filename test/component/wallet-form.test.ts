import { describe, expect, it } from 'vitest';
import { WalletForm } from '../../src/renderer/lib/wallet-form.svelte.js';

/** A miner that answers calls from a table and counts refreshes. */
function minerAnswering(answers: Record<string, (arg: unknown) => unknown>) {
  const calls: Array<[string, unknown]> = [];
  let refreshes = 0;
  const miner = {
    call: async (method: string, arg?: unknown) => {
      calls.push([method, arg]);
      const answer = answers[method];
      if (!answer) throw new Error(`${method}: not here`);
      return answer(arg);
    },
    refresh: async () => void refreshes++,
  };
  return { miner: () => miner as never, calls, refreshes: () => refreshes };
}

describe("the Wallet view's state, without a DOM", () => {
  it('creates a wallet with the password typed, shows the words once, and clears the password', async () => {
    const m = minerAnswering({ createWallet: () => ({ mnemonic: 'one two three', wallet: {} }) });
    const form = new WalletForm(m.miner);
    form.password = 'a long passphrase';
    await form.create();
    expect(m.calls).toEqual([['createWallet', { password: 'a long passphrase' }]]);
    expect(form.shownMnemonic).toBe('one two three');
    expect(form.password).toBe('');
    expect(m.refreshes()).toBe(1);
    form.wroteDown();
    expect(form.shownMnemonic).toBeUndefined();
  });

  it("shows the host's refusal as one line, and a backup's note", async () => {
    const m = minerAnswering({
      unlock: () => {
        throw new Error('wrong password');
      },
      backup: () => ({ fileName: 'miner-backup.json', content: '{}' }),
    });
    const form = new WalletForm(m.miner);
    form.password = 'not it';
    await form.unlock();
    expect(form.error).toBe('wrong password');
    expect(form.busy).toBe(false);
    form.password = 'a long passphrase';
    expect((await form.backup())?.fileName).toBe('miner-backup.json');
    expect(form.error).toBeUndefined();
    expect(form.note).toMatch(/^Saved miner-backup\.json/);
  });
});
