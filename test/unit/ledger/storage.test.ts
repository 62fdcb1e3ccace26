import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockHash, genesisHash, makeGenesis, type Block } from '../../../src/ledger/block.js';
import { Chain, ChainMismatchError } from '../../../src/ledger/chain.js';
import { LedgerState, type EpochRecord } from '../../../src/ledger/state.js';
import { LevelChainStore, MemoryChainStore, type ChainStore } from '../../../src/ledger/storage.js';
import { txHash } from '../../../src/ledger/tx.js';
import { key, registerNeurons, testChain, TOKEN } from '../../support/ledger.js';

const roots: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-storage-'));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A genesis whose amounts do not fit in a double, so that a lossy round trip would show. */
function bigGenesis() {
  const g = makeGenesis([
    [key(1).address, 123_456_789_012_345_678_901n],
    [key(2).address, 1n],
  ]);
  g.params.emissionPerBlock = 9_007_199_254_740_993n; // 2^53 + 1
  g.params.registrationBurn = 3n;
  g.params.tempo = 4;
  return g;
}

const stores: Array<[string, () => Promise<ChainStore>]> = [
  ['MemoryChainStore', async () => new MemoryChainStore()],
  ['LevelChainStore', async () => new LevelChainStore(join(await tempDir(), 'chain'))],
];

describe.each(stores)('%s', (_name, makeStore) => {
  let store: ChainStore;
  beforeEach(async () => {
    store = await makeStore();
    await store.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('is empty before a genesis is stored', async () => {
    expect(await store.getGenesis()).toBeUndefined();
    expect(await store.headHeight()).toBe(0);
    expect(await store.getBlock(1)).toBeUndefined();
    expect(await store.txHeight('00'.repeat(32))).toBeUndefined();
    expect(await store.getEpoch(1)).toBeUndefined();
    expect(await store.getSnapshot()).toBeUndefined();
  });

  it('round-trips the genesis with its bigints intact', async () => {
    const g = bigGenesis();
    await store.putGenesis(g);
    const back = await store.getGenesis();
    expect(back).toEqual(g);
    expect(typeof back!.params.emissionPerBlock).toBe('bigint');
    expect(back!.params.emissionPerBlock).toBe(9_007_199_254_740_993n);
    expect(back!.accounts[0]![1]).toBe(123_456_789_012_345_678_901n);
    expect(genesisHash(back!)).toBe(genesisHash(g));
    expect(await store.headHeight()).toBe(0);
  });

  it('appends blocks with their transaction index and epoch records', async () => {
    const t = await testChain({ tempo: 3, weightsRateLimit: 1 }, 8, store);
    const hotkeys = await registerNeurons(t, 2); // blocks 1 and 2
    const transfer = t.tx(key(3), { type: 'transfer', to: key(4).address, amount: String(7n * TOKEN) });
    const weights = t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[1, 1]] });
    expect(await t.block(transfer, weights)).toEqual([]); // block 3: an epoch
    await t.block(); // block 4

    expect(await store.headHeight()).toBe(4);
    const b3 = (await store.getBlock(3)) as Block;
    expect(b3.header.height).toBe(3);
    expect(b3.txs).toEqual([transfer, weights]);
    expect((await store.getBlock(4))!.header.parentHash).toBe(blockHash(b3.header));
    expect(await store.getBlock(5)).toBeUndefined();

    expect(await store.txHeight(txHash(transfer))).toBe(3);
    expect(await store.txHeight(txHash(weights))).toBe(3);
    const reg = (await store.getBlock(1))!.txs[0]!;
    expect(await store.txHeight(txHash(reg))).toBe(1);
    expect(await store.txHeight('ab'.repeat(32))).toBeUndefined();

    const epoch = (await store.getEpoch(1)) as EpochRecord;
    expect(epoch.block).toBe(3);
    expect(epoch.neurons.map((n) => n.hotkey)).toEqual(hotkeys.map((h) => h.address));
    expect(await store.getEpoch(2)).toBeUndefined();
  });

  it('stores an epoch record given directly, and overwrites the head on each append', async () => {
    await store.putGenesis(bigGenesis());
    const record: EpochRecord = { epoch: 7, block: 28, loss: -0.125, minWeights: 2, minted: '99', neurons: [] };
    const block: Block = {
      header: {
        height: 1,
        parentHash: 'a'.repeat(64),
        timestamp: 5,
        txRoot: 'b'.repeat(64),
        stateRoot: 'c'.repeat(64),
      },
      txs: [],
      signature: 'd'.repeat(128),
    };
    await store.appendBlock(block, ['e'.repeat(64)], record);
    expect(await store.headHeight()).toBe(1);
    expect(await store.getBlock(1)).toEqual(block);
    expect(await store.txHeight('e'.repeat(64))).toBe(1);
    expect(await store.getEpoch(7)).toEqual(record);
    const next = { ...block, header: { ...block.header, height: 2 } };
    await store.appendBlock(next, []);
    expect(await store.headHeight()).toBe(2);
    expect(await store.getBlock(2)).toEqual(next);
  });

  it('keeps the latest state snapshot, which restores the same state', async () => {
    const t = await testChain({ tempo: 3, weightsRateLimit: 1 }, 8, store);
    const hotkeys = await registerNeurons(t, 3);
    await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[1, 1]] }));
    const first = t.chain.state.toSnapshot();
    await store.putSnapshot(first);
    await t.block(t.tx(key(5), { type: 'transfer', to: key(6).address, amount: '1' }));
    const second = t.chain.state.toSnapshot();
    await store.putSnapshot(second);

    const back = await store.getSnapshot();
    expect(back).toEqual(second);
    const restored = LedgerState.fromSnapshot(back!, t.genesis.params);
    expect(restored.root()).toBe(t.chain.state.root());
    expect(restored.account(key(6).address).free).toBe(1000n * TOKEN + 1n);
    expect(restored.hotkeyStake(hotkeys[0]!.address)).toBe(t.chain.state.hotkeyStake(hotkeys[0]!.address));
  });

  it('reopens as a chain at the same head and state', async () => {
    const t = await testChain({ tempo: 2 }, 8, store);
    await registerNeurons(t, 2);
    await t.block(t.tx(key(1), { type: 'transfer', to: key(2).address, amount: '42' }));
    const again = await Chain.open(store, t.genesis);
    expect(again.height).toBe(3);
    expect(again.hash).toBe(t.chain.hash);
    expect(again.state.root()).toBe(t.chain.state.root());
    await expect(Chain.open(store, { ...t.genesis, timestamp: 1 })).rejects.toBeInstanceOf(ChainMismatchError);
  });
});

describe('LevelChainStore on disk', () => {
  it('survives close and reopen with the same data', async () => {
    const path = join(await tempDir(), 'chain');
    const store = new LevelChainStore(path);
    await store.open();
    const t = await testChain({ tempo: 3, weightsRateLimit: 1 }, 8, store);
    const hotkeys = await registerNeurons(t, 2);
    const transfer = t.tx(key(7), { type: 'transfer', to: key(8).address, amount: String(3n * TOKEN) });
    await t.block(transfer, t.tx(hotkeys[1]!, { type: 'set_weights', weights: [[0, 9]] }));
    await t.block();
    const snapshot = t.chain.state.toSnapshot();
    await store.putSnapshot(snapshot);
    const blocks = await Promise.all([1, 2, 3, 4].map((h) => store.getBlock(h)));
    const epoch = await store.getEpoch(1);
    await store.close();

    const reopened = new LevelChainStore(path);
    await reopened.open();
    try {
      expect(await reopened.getGenesis()).toEqual(t.genesis);
      expect(await reopened.headHeight()).toBe(4);
      expect(await Promise.all([1, 2, 3, 4].map((h) => reopened.getBlock(h)))).toEqual(blocks);
      expect(await reopened.txHeight(txHash(transfer))).toBe(3);
      expect(await reopened.getEpoch(1)).toEqual(epoch);
      expect(epoch).toBeDefined();
      expect(await reopened.getSnapshot()).toEqual(snapshot);
      const chain = await Chain.open(reopened, t.genesis);
      expect(chain.height).toBe(4);
      expect(chain.hash).toBe(t.chain.hash);
      expect(chain.state.root()).toBe(t.chain.state.root());
      expect(chain.state.account(key(8).address).free).toBe(1003n * TOKEN);
    } finally {
      await reopened.close();
    }
  });
});
