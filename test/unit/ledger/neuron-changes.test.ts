import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { applyNeuronChanges } from '../../../src/ledger/client.js';
import { neuronAnswer, neuronChangesAnswer } from '../../../src/ledger/rpc/answers.js';
import { RPC_METHODS, type LedgerService } from '../../../src/ledger/rpc/methods.js';
import type { SignedTx } from '../../../src/ledger/tx.js';
import { seededRandom } from '../../../src/shared/random.js';
import { key, testChain, TOKEN } from '../../support/ledger.js';

describe('neuron_changes: the metagraph since a height', () => {
  it('brought up to date from any earlier read, equals the whole metagraph, and sends only the rows that changed', async () => {
    const t = await testChain({ tempo: 3, weightsRateLimit: 1 }, 12);
    const service = { chain: t.chain, role: 'embedded' } as LedgerService;
    // Through JSON and the client's schemas, as an answer travels.
    const call = (method: string, params?: unknown) =>
      JSON.parse(JSON.stringify(RPC_METHODS[method]!.run(service, params))) as unknown;
    const whole = () => z.array(neuronAnswer).parse(call('neuron_list'));
    const changes = (since: number) => neuronChangesAnswer.parse(call('neuron_changes', { since }));

    const random = seededRandom(5);
    const registered: number[] = [];
    let held = applyNeuronChanges([], changes(-1));
    let since = t.chain.height;
    let quietRows = -1;
    for (let block = 0; block < 40; block++) {
      const txs: SignedTx[] = [];
      const coldkey = key(registered.length + 1);
      if (registered.length < 10 && random() < 0.4) {
        const hotkey = key(101 + registered.length);
        txs.push(
          t.tx(hotkey, { type: 'register', coldkey: coldkey.address, multiaddrs: [], maxBurn: String(TOKEN) }, coldkey),
        );
        registered.push(registered.length);
      }
      for (const i of registered.slice(0, -1)) {
        const hotkey = key(101 + i);
        const owner = key(i + 1);
        const r = random();
        if (r < 0.3) {
          const weights = registered
            .filter((j) => j !== i)
            .map((j): [number, number] => [j, 1 + Math.floor(random() * 100)]);
          if (weights.length > 0) txs.push(t.tx(hotkey, { type: 'set_weights', weights }));
        } else if (r < 0.4) {
          txs.push(t.tx(hotkey, { type: 'update_multiaddrs', multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + block}`] }));
        } else if (r < 0.5) {
          txs.push(t.tx(owner, { type: 'add_stake', hotkey: hotkey.address, amount: String(TOKEN) }));
        }
      }
      const onlyAddresses = txs.length > 0 && txs.every((x) => x.body.call.type === 'update_multiaddrs');
      await t.block(...txs);
      if (random() < 0.5) continue; // read every other block or so: changes since an older height
      const c = changes(since);
      held = applyNeuronChanges(held, c);
      expect(held).toEqual(whole());
      if (onlyAddresses && t.chain.height % 3 !== 0) quietRows = c.rows.length;
      since = c.height;
    }
    expect(held.length).toBeGreaterThan(3);
    // It was tried on rows with weights, addresses and stake set, and with epochs' scores.
    expect(held.some((n) => n.weights.length > 0)).toBe(true);
    expect(held.some((n) => n.multiaddrs.length > 0)).toBe(true);
    expect(held.some((n) => n.incentive > 0)).toBe(true);
    if (quietRows !== -1) expect(quietRows).toBe(0); // new addresses travel in the columns, not as rows
  });

  it('keeps the objects of rows nothing changed in, and refuses columns that do not list every neuron', async () => {
    const t = await testChain({ tempo: 1000 }, 4);
    const service = { chain: t.chain, role: 'embedded' } as LedgerService;
    const changes = (since: number) =>
      neuronChangesAnswer.parse(JSON.parse(JSON.stringify(RPC_METHODS['neuron_changes']!.run(service, { since }))));
    for (let i = 0; i < 3; i++) {
      await t.block(
        t.tx(
          key(101 + i),
          { type: 'register', coldkey: key(i + 1).address, multiaddrs: [], maxBurn: String(TOKEN) },
          key(i + 1),
        ),
      );
    }
    const first = applyNeuronChanges([], changes(-1));
    const h = t.chain.height;
    await t.block(
      t.tx(key(101), {
        type: 'set_weights',
        weights: [
          [1, 5],
          [2, 5],
        ],
      }),
    );
    const next = applyNeuronChanges(first, changes(h));
    expect(next[0]).not.toBe(first[0]);
    expect(next[0]!.weights).toEqual([
      [1, 5],
      [2, 5],
    ]);
    expect(next[1]).toBe(first[1]);
    expect(next[2]).toBe(first[2]);

    const wire = JSON.parse(JSON.stringify(RPC_METHODS['neuron_changes']!.run(service, { since: h }))) as Record<
      string,
      unknown[]
    >;
    expect(neuronChangesAnswer.safeParse({ ...wire, rank: wire['rank']!.slice(1) }).success).toBe(false);
  });
});
