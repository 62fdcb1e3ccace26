import { describe, expect, it } from 'vitest';
import { blockHash } from '../../../src/ledger/block.js';
import { blockAnswer } from '../../../src/ledger/rpc/answers.js';
import { key, testChain } from '../../support/ledger.js';

describe("the client's schema for a stored block (chain_block, chain_blocks)", () => {
  it('reads a block with its transactions as stored, so that its hash is the same', async () => {
    const t = await testChain();
    await t.block(t.tx(key(1), { type: 'transfer', to: key(2).address, amount: '5' }));
    const stored = (await t.store.getBlock(1))!;
    const read = blockAnswer.parse(JSON.parse(JSON.stringify(stored)));
    expect(read).toEqual(stored);
    expect(blockHash(read.header)).toBe(blockHash(stored.header));
  });

  it('refuses a header with a field it does not know (its hash would differ) and a malformed transaction', async () => {
    const t = await testChain();
    await t.block(t.tx(key(1), { type: 'transfer', to: key(2).address, amount: '5' }));
    const stored = JSON.parse(JSON.stringify(await t.store.getBlock(1))) as Record<string, never>;
    const extra = { ...stored, header: { ...(stored['header'] as object), proposer: 'x' } };
    expect(blockAnswer.safeParse(extra).success).toBe(false);
    const forged = { ...stored, txs: [{ body: {}, signature: 'ab' }] };
    expect(blockAnswer.safeParse(forged).success).toBe(false);
    expect(blockAnswer.nullable().parse(null)).toBeNull();
  });
});
