import { describe, expect, it } from 'vitest';
import { Mempool, MempoolFullError } from '../../../src/ledger/mempool.js';
import { TxRejectedError } from '../../../src/ledger/transition.js';
import { signTx, txHash, type Call, type SignedTx } from '../../../src/ledger/tx.js';
import type { Signer } from '../../../src/ledger/wallet/keys.js';
import { UserError } from '../../../src/shared/errors.js';
import { AUTHORITY, key, testChain, TOKEN } from '../../support/ledger.js';

const LIMITS = { perAccount: 3, total: 5 };

async function setup(limits = LIMITS) {
  const t = await testChain({}, 8);
  const pool = new Mempool(limits);
  const sign = (signer: Signer, nonce: number, call: Call, chain = t.chain.id): SignedTx =>
    signTx({ chain, nonce, signer: signer.address, call }, signer);
  const pay = (signer: Signer, nonce: number, amount: bigint | string = 1n, to = key(8)) =>
    sign(signer, nonce, { type: 'transfer', to: to.address, amount: String(amount) });
  return { t, pool, sign, pay, state: () => t.chain.state };
}

describe('Mempool admission', () => {
  it('admits the next nonce and returns the transaction hash', async () => {
    const { pool, pay, state } = await setup();
    const tx = pay(key(1), 0);
    expect(pool.add(tx, state())).toBe(txHash(tx));
    expect(pool.size).toBe(1);
    expect(pool.has(txHash(tx))).toBe(true);
  });

  it('refuses a duplicate, and a second transaction for a pending nonce', async () => {
    const { pool, pay, state } = await setup();
    const tx = pay(key(1), 0);
    pool.add(tx, state());
    expect(() => pool.add(tx, state())).toThrow(/is already pending/);
    expect(() => pool.add(structuredClone(tx), state())).toThrow(/is already pending/);
    expect(() => pool.add(pay(key(1), 0, 2n), state())).toThrow(/nonce: 0 is already pending for this account/);
    expect(pool.size).toBe(1);
  });

  it('refuses a stale nonce (a replay of an included transaction)', async () => {
    const { t, pool, pay, state } = await setup();
    const tx = pay(key(1), 0);
    pool.add(tx, state());
    const out = await t.chain.produceBlock(pool.candidates(state(), 10), AUTHORITY);
    expect(out.included).toEqual([tx]);
    pool.prune(state(), []);
    expect(pool.size).toBe(0);
    let error: unknown;
    try {
      pool.add(tx, state());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/nonce: already used \(next is 1\)/);
    expect(() => pool.add(pay(key(1), 0, 5n), state())).toThrow(/already used/);
    expect(pool.size).toBe(0);
  });

  it('checks the next-nonce transaction against the state, but not later ones', async () => {
    const { pool, pay, sign, state } = await setup();
    expect(() => pool.add(pay(key(1), 0, 1001n * TOKEN), state())).toThrow(TxRejectedError);
    expect(() => pool.add(pay(key(1), 0, 1001n * TOKEN), state())).toThrow(/insufficient funds/);
    expect(() => pool.add(pay(key(1), 0, 0n), state())).toThrow(/must be more than 0/);
    expect(() => pool.add(pay(key(9), 0), state())).toThrow(/insufficient funds: 0 free/); // an unfunded account
    expect(() => pool.add(sign(key(1), 0, { type: 'update_multiaddrs', multiaddrs: [] }), state())).toThrow(
      /not registered/,
    );
    expect(() =>
      pool.add(sign(key(1), 0, { type: 'transfer', to: key(2).address, amount: '1' }, 'f'.repeat(64)), state()),
    ).toThrow(/another chain/);
    expect(pool.size).toBe(0);
    // A later nonce cannot be judged yet (what comes before it changes the state): it waits.
    pool.add(pay(key(1), 1, 1001n * TOKEN), state());
    expect(pool.size).toBe(1);
  });

  it('accepts future nonces within the per-account window, and no further', async () => {
    const { pool, pay, state } = await setup();
    pool.add(pay(key(1), 2), state());
    pool.add(pay(key(1), 1), state());
    expect(() => pool.add(pay(key(1), 3), state())).toThrow(MempoolFullError);
    expect(() => pool.add(pay(key(1), 3), state())).toThrow(/for this account \(limit 3\)/);
    pool.add(pay(key(1), 0), state());
    expect(pool.size).toBe(3);
    expect(() => pool.add(pay(key(1), 4), state())).toThrow(MempoolFullError);
  });

  it('enforces the total limit across accounts', async () => {
    const { pool, pay, state } = await setup();
    for (const n of [0, 1, 2]) pool.add(pay(key(1), n), state());
    for (const n of [0, 1]) pool.add(pay(key(2), n), state());
    expect(pool.size).toBe(5);
    expect(() => pool.add(pay(key(3), 0), state())).toThrow(MempoolFullError);
    expect(() => pool.add(pay(key(3), 0), state())).toThrow(/the mempool is full/);
    expect(pool.size).toBe(5);
  });
});

describe('Mempool candidates and pruning', () => {
  it("returns each account's consecutive run in nonce order, accounts round-robin", async () => {
    const { pool, pay, state } = await setup({ perAccount: 3, total: 6 });
    const a = [pay(key(1), 2), pay(key(1), 0), pay(key(1), 1)];
    const b = [pay(key(2), 1), pay(key(2), 0)];
    const c = [pay(key(3), 0)];
    for (const tx of [...a, ...b, ...c]) pool.add(tx, state());
    const order = (txs: SignedTx[]) =>
      txs.map(
        (tx) =>
          `${tx.body.signer === key(1).address ? 'a' : tx.body.signer === key(2).address ? 'b' : 'c'}${tx.body.nonce}`,
      );
    expect(order(pool.candidates(state(), 100))).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'a2']);
    expect(order(pool.candidates(state(), 4))).toEqual(['a0', 'b0', 'c0', 'a1']);
    expect(pool.candidates(state(), 0)).toEqual([]);
  });

  it('leaves out transactions behind a nonce gap', async () => {
    const { pool, pay, state } = await setup();
    pool.add(pay(key(1), 0), state());
    pool.add(pay(key(1), 2), state());
    pool.add(pay(key(2), 1), state());
    const c = pool.candidates(state(), 100);
    expect(c.map((tx) => [tx.body.signer, tx.body.nonce])).toEqual([[key(1).address, 0]]);
  });

  it('prunes what a block settled and what it rejected; later nonces become candidates', async () => {
    const { t, pool, pay, state } = await setup();
    const a0 = pay(key(1), 0, 600n * TOKEN);
    const a1 = pay(key(1), 1, 600n * TOKEN); // will not apply after a0
    const b0 = pay(key(2), 0);
    const b1 = pay(key(2), 1);
    const b2 = pay(key(2), 2);
    for (const tx of [a0, a1, b0, b1, b2]) pool.add(tx, state());

    const out = await t.chain.produceBlock(pool.candidates(state(), 3), AUTHORITY);
    expect(out.included).toEqual([a0, b0]);
    expect(out.rejected.map((r) => r.tx)).toEqual([a1]);
    expect(out.rejected[0]!.reason).toMatch(/insufficient funds/);
    pool.prune(
      state(),
      out.rejected.map((r) => r.tx),
    );
    expect(pool.size).toBe(2);
    for (const tx of [a0, a1, b0]) expect(pool.has(txHash(tx))).toBe(false);
    expect(pool.candidates(state(), 100)).toEqual([b1, b2]);

    // Room again: key(1)'s next nonce is 1 and must apply now.
    expect(() => pool.add(a1, state())).toThrow(/insufficient funds/);
    pool.add(pay(key(1), 1, 1n), state());
    expect(pool.size).toBe(3);
    await t.chain.produceBlock(pool.candidates(state(), 100), AUTHORITY);
    pool.prune(state());
    expect(pool.size).toBe(0);
    expect(state().account(key(2).address).nonce).toBe(3);
  });
});
