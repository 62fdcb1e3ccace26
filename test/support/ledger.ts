import { join } from 'node:path';
import { makeGenesis, type Genesis } from '../../src/ledger/block.js';
import { LedgerClient, type NeuronInfo } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { createWallet, type WalletInfo } from '../../src/ledger/wallet/index.js';
import { Chain } from '../../src/ledger/chain.js';
import type { ChainParams } from '../../src/ledger/params.js';
import { MemoryChainStore, type ChainStore } from '../../src/ledger/storage.js';
import { signTx, type Call, type SignedTx } from '../../src/ledger/tx.js';
import { signerFromSeed, type Signer } from '../../src/ledger/wallet/keys.js';

/** Deterministic test keys: key(1), key(2), ... */
export function key(n: number): Signer {
  const seed = new Uint8Array(32);
  seed[0] = n & 0xff;
  seed[1] = (n >> 8) & 0xff;
  seed[31] = 7;
  return signerFromSeed(seed);
}

export const TOKEN = 1_000_000_000n;

/** A metagraph row as the client gives it: registered at 0, no scores yet, hotkey `hot{uid}`. */
export function neuronRow(uid: number, stake: bigint, weights: Array<[number, number]> = []): NeuronInfo {
  return {
    uid,
    hotkey: `hot${uid}`,
    coldkey: `cold${uid}`,
    stake,
    rank: 0,
    trust: 0,
    consensus: 0,
    incentive: 0,
    dividends: 0,
    emission: 0n,
    registeredAt: 0,
    lastUpdate: 0,
    multiaddrs: [],
    weights,
  };
}

export interface TestChain {
  chain: Chain;
  genesis: Genesis;
  store: ChainStore;
  /** Signs a call with the signer's next nonce (tracked locally, so several can be queued per block). */
  tx(signer: Signer, call: Call, coldkey?: Signer): SignedTx;
  /** Produces one block from the given transactions; returns what the block left out. */
  block(...txs: SignedTx[]): Promise<Array<{ tx: SignedTx; reason: string }>>;
}

/** A chain in memory whose accounts key(1..funded) hold 1000 tokens each. */
export async function testChain(params: Partial<ChainParams> = {}, funded = 8, store?: ChainStore): Promise<TestChain> {
  const accounts: Array<[string, bigint]> = Array.from({ length: funded }, (_, i) => [
    key(i + 1).address,
    1000n * TOKEN,
  ]);
  const genesis = makeGenesis(accounts, { blockTimeMs: 100, ...params });
  genesis.timestamp = 0;
  const s = store ?? new MemoryChainStore();
  const chain = await Chain.open(s, genesis);
  const nonces = new Map<string, number>();
  return {
    chain,
    genesis,
    store: s,
    tx(signer, call, coldkey) {
      const nonce = nonces.get(signer.address) ?? chain.state.account(signer.address).nonce;
      nonces.set(signer.address, nonce + 1);
      return signTx({ chain: chain.id, nonce, signer: signer.address, call }, signer, coldkey);
    },
    async block(...txs) {
      const pending = chain.executeBlock(txs, 1000 * (chain.height + 1));
      await chain.commitBlock(pending);
      const rejected = txs.flatMap((tx, i) => {
        const reason = pending.results[i];
        return reason === undefined ? [] : [{ tx, reason }];
      });
      for (const r of rejected) nonces.delete(r.tx.body.signer);
      return rejected;
    },
  };
}

/** Registers hotkeys key(101..) owned by coldkeys key(1..) and stakes `stake` tokens on each. */
export async function registerNeurons(t: TestChain, count: number, stake = 10n): Promise<Signer[]> {
  const hotkeys = Array.from({ length: count }, (_, i) => key(101 + i));
  await t.block(
    ...hotkeys.map((h, i) =>
      t.tx(h, { type: 'register', coldkey: key(i + 1).address, multiaddrs: [], maxBurn: String(TOKEN) }, key(i + 1)),
    ),
  );
  await t.block(
    ...hotkeys.map((h, i) => t.tx(key(i + 1), { type: 'add_stake', hotkey: h.address, amount: String(stake * TOKEN) })),
  );
  return hotkeys;
}

/**
 * A ledger node in this process (50 ms blocks, no epoch within a test) whose genesis gives 1,000 tokens to a new
 * wallet `rich` in DIR/source (that password, a cheap scrypt), whose recovery words tests can import.
 */
export async function fundedLedger(
  dir: string,
  password: string,
): Promise<{ ledger: LedgerNode; client: LedgerClient; rich: { info: WalletInfo; mnemonic: string } }> {
  const rich = await createWallet(join(dir, 'source'), 'rich', password, { scryptN: 1024 });
  const ledger = await startLedger({
    genesis: () => makeGenesis([[rich.info.coldkey, 1000n * TOKEN]], { blockTimeMs: 50, tempo: 1000 }),
  });
  return { ledger, client: new LedgerClient(ledger.rpcUrl), rich };
}
