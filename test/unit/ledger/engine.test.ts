import { describe, expect, it } from 'vitest';
import { LedgerApp } from '../../../src/ledger/abci/app.js';
import { makeGenesis } from '../../../src/ledger/block.js';
import { EmbeddedEngine, MempoolFullError } from '../../../src/ledger/engine.js';
import type { ChainParams } from '../../../src/ledger/params.js';
import { MemoryChainStore } from '../../../src/ledger/storage.js';
import type { Logger } from '../../../src/shared/logger.js';
import { signTx, txHash, type Call } from '../../../src/ledger/tx.js';
import type { Signer } from '../../../src/ledger/wallet/keys.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { key, TOKEN } from '../../support/ledger.js';

/** The embedded engine over the ledger application, its blocks made by hand (no timer). */
async function engine(
  params: Partial<ChainParams> = {},
  mempoolTotal = 100,
  { store = new MemoryChainStore(), logger = silentLogger }: { store?: MemoryChainStore; logger?: Logger } = {},
) {
  const app = new LedgerApp({ store, logger: silentLogger });
  await app.start();
  const chain = await app.initGenesis({
    ...makeGenesis(
      [1, 2, 3].map((i): [string, bigint] => [key(i).address, 100n * TOKEN]),
      params,
    ),
    timestamp: 0,
  });
  let clock = 1_000;
  const e = new EmbeddedEngine({ blockTimeMs: 1000, mempoolTotal, now: () => (clock += 1000) }, { app, logger });
  const tx = (signer: Signer, nonce: number, call: Call) =>
    signTx({ chain: chain.id, nonce, signer: signer.address, call }, signer);
  const pay = (from: number, nonce: number, amount = TOKEN) =>
    tx(key(from), nonce, { type: 'transfer', to: key(9).address, amount: String(amount) });
  return { app, chain, e, pay };
}

describe('the embedded engine: CheckTx on submit, a block each turn, recheck after it', () => {
  it('admits the next nonce with its hash, refuses a duplicate, and a replay once included', async () => {
    const { e, chain, pay } = await engine();
    const t = pay(1, 0);
    expect(e.submit(t)).toBe(txHash(t));
    expect(() => e.submit(t)).toThrow(/already pending/);
    expect(await e.txStatus(txHash(t))).toEqual({ status: 'pending' });
    await e.produce();
    expect(await e.txStatus(txHash(t))).toEqual({ status: 'included', block: 1 });
    expect(chain.state.account(key(9).address).free).toBe(TOKEN);
    expect(() => e.submit(t)).toThrow(/already used \(next is 1\)/);
  });

  it('says that a nonce is taken by a pending transaction, not used, until its block is made', async () => {
    const { e, pay } = await engine();
    e.submit(pay(1, 0));
    expect(() => e.submit(pay(1, 0, 2n * TOKEN))).toThrow(
      /nonce: 0 is taken by a transaction still pending \(next is 1\)/,
    );
    await e.produce();
    expect(() => e.submit(pay(1, 0, 2n * TOKEN))).toThrow(/nonce: already used \(next is 1\)/);
  });

  it('checks the next nonce against the state, lets a later one wait, and refuses one too far ahead', async () => {
    const { e, pay } = await engine({ mempoolPerAccount: 4 });
    expect(() => e.submit(pay(1, 0, 1000n * TOKEN))).toThrow(/insufficient funds/);
    expect(e.submit(pay(1, 2, 1000n * TOKEN))).toBeTruthy(); // ahead: not checked yet
    expect(() => e.submit(pay(1, 4))).toThrow(/4 ahead of the next \(0\); at most 3/);
  });

  it('keeps a nonce gap pending until it is filled, then includes both in nonce order', async () => {
    const { e, pay, chain } = await engine();
    const later = pay(1, 1);
    e.submit(later);
    await e.produce();
    expect(await e.txStatus(txHash(later))).toEqual({ status: 'pending' });
    expect(chain.height).toBe(1);
    const first = pay(1, 0);
    e.submit(first);
    await e.produce();
    const block = (await chain.store.getBlock(2))!;
    expect(block.txs.map(txHash)).toEqual([txHash(first), txHash(later)]);
    expect(e.pending).toBe(0);
  });

  it('lets accounts take turns within the block limit', async () => {
    const { e, pay, chain } = await engine({ maxBlockTransactions: 4 });
    for (let n = 0; n < 4; n++) e.submit(pay(1, n));
    e.submit(pay(2, 0));
    e.submit(pay(3, 0));
    await e.produce();
    const signers = (await chain.store.getBlock(1))!.txs.map((t) => t.body.signer);
    expect(signers).toEqual([key(1), key(2), key(3), key(1)].map((k) => k.address));
    await e.produce();
    expect((await chain.store.getBlock(2))!.txs).toHaveLength(2);
  });

  it('drops on recheck what a block made invalid, and says why', async () => {
    const { e, pay } = await engine();
    const again = pay(1, 1, 60n * TOKEN); // ahead of the next nonce: admitted unchecked
    e.submit(again);
    const spend = pay(1, 0, 60n * TOKEN);
    e.submit(spend);
    await e.produce();
    expect(await e.txStatus(txHash(spend))).toEqual({ status: 'included', block: 1 });
    const status = await e.txStatus(txHash(again));
    expect(status.status === 'rejected' && status.reason).toMatch(/insufficient funds/);
    expect(e.pending).toBe(0);
  });

  it('refuses more than the total the mempool holds', async () => {
    const { e, pay } = await engine({}, 2);
    e.submit(pay(1, 0));
    e.submit(pay(2, 0));
    expect(() => e.submit(pay(3, 0))).toThrow(MempoolFullError);
  });

  it('a block that cannot be stored (a full disk) loses nothing: one line per outage, the block made once space is back', async () => {
    class FillingDisk extends MemoryChainStore {
      full = false;
      override async appendBlock(...args: Parameters<MemoryChainStore['appendBlock']>): Promise<void> {
        if (this.full) throw new Error('ENOSPC: no space left on device');
        return super.appendBlock(...args);
      }
    }
    const store = new FillingDisk();
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger = {
      ...silentLogger,
      error: (m: string, f?: Record<string, unknown>) => void lines.push(['error', m, f]),
      info: (m: string, f?: Record<string, unknown>) => void lines.push(['info', m, f]),
    };
    const { e, pay, chain } = await engine({}, 100, { store, logger });
    const t = pay(1, 0);
    e.submit(t);
    store.full = true;
    for (let i = 0; i < 3; i++) await e.produce();
    expect(chain.height).toBe(0);
    expect(await e.txStatus(txHash(t))).toEqual({ status: 'pending' });
    store.full = false;
    await e.produce();
    expect(await e.txStatus(txHash(t))).toEqual({ status: 'included', block: 1 });
    expect(chain.state.account(key(9).address).free).toBe(TOKEN);
    store.full = true;
    await e.produce();
    const outage = [
      'block production failed; retrying every block time',
      { height: 2, error: 'ENOSPC: no space left on device', failures: 4 },
    ];
    expect(lines).toEqual([
      [
        'error',
        'block production failed; retrying every block time',
        { height: 1, error: 'ENOSPC: no space left on device', failures: 1 },
      ],
      ['info', 'block production is back', { height: 1, failures: 3 }],
      ['error', ...outage],
    ]);
  });
});
