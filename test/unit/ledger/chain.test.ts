import { describe, expect, it } from 'vitest';
import { makeGenesis } from '../../../src/ledger/block.js';
import { Chain } from '../../../src/ledger/chain.js';
import { MemoryChainStore } from '../../../src/ledger/storage.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { key, registerNeurons, testChain, TOKEN } from '../../support/ledger.js';

describe('state transitions', () => {
  it('transfers, with nonces, and refuses overdrafts', async () => {
    const t = await testChain();
    const [a, b] = [key(1), key(2)];
    const left = await t.block(
      t.tx(a, { type: 'transfer', to: b.address, amount: String(5n * TOKEN) }),
      t.tx(a, { type: 'transfer', to: b.address, amount: String(2000n * TOKEN) }),
    );
    expect(left).toHaveLength(1);
    expect(left[0]!.reason).toMatch(/insufficient funds/);
    expect(t.chain.state.account(a.address)).toEqual({ free: 995n * TOKEN, nonce: 1 });
    expect(t.chain.state.account(b.address).free).toBe(1005n * TOKEN);
  });

  it('refuses a replayed transaction and one for another chain', async () => {
    const t = await testChain();
    const tx = t.tx(key(1), { type: 'transfer', to: key(2).address, amount: '1' });
    expect(await t.block(tx)).toHaveLength(0);
    const again = await t.block(tx);
    expect(again[0]!.reason).toMatch(/nonce: already used/);
    const other = await testChain({ tempo: 11 });
    expect((await other.block(tx))[0]!.reason).toMatch(/another chain/);
  });

  it('registers neurons for a burn, stakes and unstakes', async () => {
    const t = await testChain();
    const [h1] = await registerNeurons(t, 2);
    const s = t.chain.state;
    expect(s.neurons.map((n) => n.hotkey)).toEqual([key(101).address, key(102).address]);
    expect(s.burned).toBe(2n * TOKEN);
    expect(s.account(key(1).address).free).toBe((1000n - 1n - 10n) * TOKEN);
    expect(s.hotkeyStake(h1!.address)).toBe(10n * TOKEN);
    await t.block(t.tx(key(1), { type: 'remove_stake', hotkey: h1!.address, amount: String(4n * TOKEN) }));
    // Each block's state is a new object (FinalizeBlock executes on a copy): read the head again.
    expect(t.chain.state.hotkeyStake(h1!.address)).toBe(6n * TOKEN);
    const left = await t.block(t.tx(key(2), { type: 'remove_stake', hotkey: h1!.address, amount: '1' }));
    expect(left[0]!.reason).toMatch(/only 0 is staked/);
  });

  it('refuses a registration above the offered price and a second registration of a hotkey', async () => {
    const t = await testChain();
    const h = key(200);
    const cheap = t.tx(h, { type: 'register', coldkey: key(1).address, multiaddrs: [], maxBurn: '5' }, key(1));
    expect((await t.block(cheap))[0]!.reason).toMatch(/costs 1, more than the 0.000000005 offered/);
    await t.block(
      t.tx(h, { type: 'register', coldkey: key(1).address, multiaddrs: [], maxBurn: String(TOKEN) }, key(1)),
    );
    const twice = t.tx(
      h,
      { type: 'register', coldkey: key(1).address, multiaddrs: [], maxBurn: String(TOKEN) },
      key(1),
    );
    expect((await t.block(twice))[0]!.reason).toMatch(/already registered/);
  });

  it('replaces the lowest-emission neuron past its immunity when full', async () => {
    const t = await testChain({ maxNeurons: 2, immunityPeriod: 3, tempo: 1000 });
    await registerNeurons(t, 2);
    const newcomer = key(300);
    const reg = () =>
      t.tx(newcomer, { type: 'register', coldkey: key(3).address, multiaddrs: [], maxBurn: String(TOKEN) }, key(3));
    expect((await t.block(reg()))[0]!.reason).toMatch(/network is full/);
    await t.block();
    await t.block();
    expect(await t.block(reg())).toHaveLength(0);
    const s = t.chain.state;
    expect(s.neurons).toHaveLength(2);
    expect(s.neurons[0]!.hotkey).toBe(newcomer.address);
    // The replaced neuron's stake went back to its coldkey.
    expect(s.account(key(1).address).free).toBe((1000n - 1n) * TOKEN);
  });
});

describe('set_weights rules', () => {
  async function setup() {
    const t = await testChain({ tempo: 1000, weightsRateLimit: 3 });
    const hotkeys = await registerNeurons(t, 4);
    return { t, hotkeys };
  }

  it.each([
    ['an unknown uid', [[9, 1]], /uid 9 is not registered/],
    [
      'a duplicate uid',
      [
        [1, 1],
        [1, 2],
      ],
      /uid 1 is listed twice/,
    ],
    ['a self-weight only', [[0, 100]], /self-weight only/],
    ['only zero weights', [[1, 0]], /self-weight only/],
  ])('refuses %s', async (_name, weights, reason) => {
    const { t, hotkeys } = await setup();
    const left = await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: weights as Array<[number, number]> }));
    expect(left[0]!.reason).toMatch(reason);
  });

  it('refuses fewer weights than the current minimum', async () => {
    const { t, hotkeys } = await setup();
    t.chain.state.minWeights = 2;
    const left = await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[1, 5]] }));
    expect(left[0]!.reason).toMatch(/1 non-zero weights; at least 2/);
    expect(
      await t.block(
        t.tx(hotkeys[0]!, {
          type: 'set_weights',
          weights: [
            [1, 5],
            [2, 1],
          ],
        }),
      ),
    ).toHaveLength(0);
  });

  it('applies the rate limit', async () => {
    const { t, hotkeys } = await setup();
    expect(await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[1, 5]] }))).toHaveLength(0);
    const early = await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[2, 5]] }));
    expect(early[0]!.reason).toMatch(/once per 3 blocks/);
    await t.block();
    expect(await t.block(t.tx(hotkeys[0]!, { type: 'set_weights', weights: [[2, 5]] }))).toHaveLength(0);
    expect(t.chain.state.neurons[0]!.weights).toEqual([[2, 5]]);
  });

  it('refuses weights from an unregistered hotkey', async () => {
    const { t } = await setup();
    const left = await t.block(t.tx(key(555), { type: 'set_weights', weights: [[1, 5]] }));
    expect(left[0]!.reason).toMatch(/not registered/);
  });
});

describe('epochs', () => {
  it('mints at most tempo x emission per epoch, to the neurons the majority trusts', async () => {
    const t = await testChain({ tempo: 5, weightsRateLimit: 1 });
    const hotkeys = await registerNeurons(t, 4);
    // Neurons 0-2 vote for each other; neuron 3 votes for 0 but nobody votes for it.
    await t.block(
      t.tx(hotkeys[0]!, {
        type: 'set_weights',
        weights: [
          [1, 1],
          [2, 1],
        ],
      }),
      t.tx(hotkeys[1]!, {
        type: 'set_weights',
        weights: [
          [0, 1],
          [2, 1],
        ],
      }),
      t.tx(hotkeys[2]!, {
        type: 'set_weights',
        weights: [
          [0, 1],
          [1, 1],
        ],
      }),
      t.tx(hotkeys[3]!, { type: 'set_weights', weights: [[0, 1]] }),
    );
    const before = t.chain.state.issuance;
    const epochs: number[] = [];
    t.chain.events.on('epoch:end', (e) => epochs.push(e.block));
    while (t.chain.height < 10) await t.block();
    expect(epochs).toEqual([5, 10]);
    const minted = t.chain.state.issuance - before;
    expect(minted).toBeLessThanOrEqual(2n * 5n * TOKEN);
    expect(minted).toBeGreaterThan(2n * 5n * TOKEN - 100n);
    const n = t.chain.state.neurons;
    expect(n[3]!.incentive).toBe(0);
    expect(n[0]!.emission).toBeGreaterThan(n[3]!.emission);
    expect(t.chain.state.hotkeyStake(hotkeys[0]!.address)).toBeGreaterThan(10n * TOKEN);
    const record = await t.store.getEpoch(2);
    expect(record?.neurons).toHaveLength(4);
  });
});

describe('replay', () => {
  it('reaches a byte-identical state when another node replays the same blocks', async () => {
    const t = await testChain({ tempo: 3, weightsRateLimit: 1 });
    const hotkeys = await registerNeurons(t, 3);
    await t.block(
      t.tx(hotkeys[0]!, {
        type: 'set_weights',
        weights: [
          [1, 1],
          [2, 3],
        ],
      }),
      t.tx(hotkeys[1]!, { type: 'set_weights', weights: [[0, 2]] }),
    );
    for (let i = 0; i < 7; i++)
      await t.block(t.tx(key(5), { type: 'transfer', to: key(6).address, amount: String(i + 1) }));
    const other = await Chain.open(new MemoryChainStore(), t.genesis);
    for (let h = 1; h <= t.chain.height; h++) {
      const block = (await t.store.getBlock(h))!;
      const pending = other.executeBlock(block.txs, block.header.timestamp);
      expect(pending.block.header).toEqual(block.header);
      await other.commitBlock(pending);
    }
    expect(other.state.root()).toBe(t.chain.state.root());
    expect(JSON.stringify(other.state.toSnapshot())).toBe(JSON.stringify(t.chain.state.toSnapshot()));
  });
});

describe('state snapshots', () => {
  it('a snapshot that cannot be written loses no block: counted, and each reason logged once', async () => {
    class FullDisk extends MemoryChainStore {
      override async putSnapshot(): Promise<void> {
        throw new Error('ENOSPC: no space left on device');
      }
    }
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (m: string, f?: Record<string, unknown>) => void warnings.push([m, f]) };
    const chain = await Chain.open(new FullDisk(), makeGenesis([], { tempo: 1000 }), logger);
    for (let h = 1; h <= 300; h++) await chain.commitBlock(chain.executeBlock([], h * 1000));
    expect(chain.height).toBe(300);
    expect(chain.snapshotFailures).toBe(3);
    expect(warnings).toEqual([
      [
        'cannot write the state snapshot; a restart replays more blocks',
        { height: 100, error: 'ENOSPC: no space left on device', failures: 1 },
      ],
    ]);
  });
});
