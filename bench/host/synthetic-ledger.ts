/**
 * A live ledger for bench:host, in its own process (so that the host's CPU is measured alone): an authority
 * with N registered, staked neurons whose weights fill the metagraph (up to 64 per row), blocks every second,
 * an epoch every 10 blocks, and a steady trickle of set_weights (as a network of N miners would send) so that
 * the metagraph changes between epochs too. Prints {"rpc": URL} once ready; stops on SIGTERM.
 */
import '../../src/shared/polyfills.js';
import { makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger } from '../../src/ledger/node.js';
import { signTx, type Call } from '../../src/ledger/tx.js';
import { signerFromSeed, type Signer } from '../../src/ledger/wallet/keys.js';

const n = Number(process.argv[2] ?? 5);
const TOKEN = 10n ** 9n;
const signer = (i: number): Signer => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  seed[31] = 42;
  return signerFromSeed(seed);
};
const funder = signer(1_000_000);
const hotkeys = Array.from({ length: n }, (_, i) => signer(i));
const ledger = await startLedger({
  genesis: () =>
    makeGenesis([[funder.address, BigInt(n) * 1000n * TOKEN]], {
      blockTimeMs: 1000,
      tempo: 10,
      maxNeurons: Math.max(256, n),
      weightsRateLimit: 1,
      mempoolTotal: 65_536,
      mempoolPerAccount: 8192,
    }),
});
const client = new LedgerClient(ledger.rpcUrl);
const chain = (await client.info()).genesisHash;
const nonces = new Map<string, number>();
const submit = (s: Signer, call: Call, co?: Signer) => {
  const nonce = nonces.get(s.address) ?? 0;
  nonces.set(s.address, nonce + 1);
  return client.submit(signTx({ chain, nonce, signer: s.address, call }, s, co));
};
const settle = async (hashes: string[]) => {
  for (const h of hashes) await client.waitForInclusion(h, 120_000, 100);
};
for (let i = 0; i < n; i += 512) {
  await settle(
    await Promise.all(
      hotkeys
        .slice(i, i + 512)
        .map((h) =>
          submit(h, { type: 'register', coldkey: funder.address, multiaddrs: [], maxBurn: String(TOKEN) }, funder),
        ),
    ),
  );
}
await settle(
  await Promise.all(
    hotkeys.map((h) => submit(funder, { type: 'add_stake', hotkey: h.address, amount: String(10n * TOKEN) })),
  ),
);
/** Neuron i's weights: up to 64 others, pseudo-random, changing with `round`. */
const weightsOf = (i: number, round: number): Array<[number, number]> => {
  const uids = new Set<number>();
  for (let k = 0; uids.size < Math.min(64, n - 1) && k < 1000; k++) {
    const u = (i * 7919 + k * 104_729 + round * 31) % n;
    if (u !== i) uids.add(u);
  }
  return [...uids].sort((a, b) => a - b).map((u) => [u, 1 + ((u * 13 + round) % 65_000)]);
};
await settle(await Promise.all(hotkeys.map((h, i) => submit(h, { type: 'set_weights', weights: weightsOf(i, 0) }))));
process.stdout.write(`${JSON.stringify({ rpc: ledger.rpcUrl, neurons: n })}\n`);

// Each miner sets weights about every 20 s (n/20 transactions a second), as the learning neurons do.
let round = 1;
const trickle = setInterval(
  () => {
    const i = Math.floor(Math.random() * n);
    void submit(hotkeys[i]!, { type: 'set_weights', weights: weightsOf(i, round++) }).catch(() => undefined);
  },
  Math.max(5, 20_000 / n),
);
process.once('SIGTERM', () => {
  clearInterval(trickle);
  void ledger.stop().then(() => process.exit(0));
});
