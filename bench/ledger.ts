/**
 * `npm run bench:ledger`: how fast one authority includes signed set_weights transactions, how many
 * signatures per second it verifies (Node's crypto beside @noble/curves), and what an epoch costs on the
 * block path at growing neuron counts. Prints tables; asserts nothing about time.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGenesis } from '../src/ledger/block.js';
import { genesisState, type Chain } from '../src/ledger/chain.js';
import { runEpoch } from '../src/ledger/epoch.js';
import { newNeuron } from '../src/ledger/state.js';
import { LedgerApp } from '../src/ledger/abci/app.js';
import { EmbeddedEngine } from '../src/ledger/engine.js';
import { silentLogger } from '../src/shared/logger.js';
import { LevelChainStore } from '../src/ledger/storage.js';
import { signingBytes, signTx, type SignedTx } from '../src/ledger/tx.js';
import { signerFromSeed, verifySignature, type Signer } from '../src/ledger/wallet/keys.js';
import { seededRandom } from '../src/shared/random.js';
import { median, printTable } from './table.js';

const TOKEN = 1_000_000_000n;
const random = seededRandom(42);

function keyOf(i: number): Signer {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  seed[31] = 42;
  return signerFromSeed(seed);
}

function weightsFor(uid: number, n: number, count: number): Array<[number, number]> {
  const cols = new Set<number>();
  while (cols.size < Math.min(count, n - 1)) {
    const j = Math.floor(random() * n);
    if (j !== uid) cols.add(j);
  }
  return [...cols].sort((a, b) => a - b).map((j) => [j, 1 + Math.floor(random() * 65535)]);
}

/** A state with n registered, staked neurons that have all set `perRow` weights. */
function populate(chain: Chain, n: number, perRow: number, hotkeys: Signer[]): void {
  const s = chain.state;
  for (let uid = 0; uid < n; uid++) {
    const hotkey = hotkeys[uid]!.address;
    s.neurons.push({ ...newNeuron(uid, hotkey, hotkey, [], 0), lastUpdate: 0, weights: weightsFor(uid, n, perRow) });
    s.uidOf.set(hotkey, uid);
    s.setStake(hotkey, hotkey, BigInt(1 + Math.floor(random() * 1000)) * TOKEN);
  }
}

// ---- 1. set_weights inclusion -------------------------------------------------------------------------
async function inclusion(): Promise<string[][]> {
  const n = 256;
  const rounds = 6;
  const hotkeys = Array.from({ length: n }, (_, i) => keyOf(i));
  const genesis = makeGenesis([], { maxNeurons: 4096, weightsRateLimit: 1, tempo: 1_000_000, mempoolPerAccount: 64 });
  const dir = mkdtempSync(join(tmpdir(), 'bt-bench-ledger-'));
  const store = new LevelChainStore(join(dir, 'chain'));
  await store.open();
  const app = new LedgerApp({ store, logger: silentLogger });
  const chain = await app.initGenesis(genesis);
  populate(chain, n, 64, hotkeys);
  app.attach(chain); // the check state starts from the populated one
  const engine = new EmbeddedEngine({ blockTimeMs: 1000, mempoolTotal: 1 << 20 }, { app, logger: silentLogger });

  let signMs = 0;
  let admitMs = 0;
  let blockMs = 0;
  let included = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    const txs: unknown[] = hotkeys.map((h, uid) =>
      JSON.parse(
        JSON.stringify(
          signTx(
            {
              chain: chain.id,
              nonce: r,
              signer: h.address,
              call: { type: 'set_weights', weights: weightsFor(uid, n, 64) },
            },
            h,
          ),
        ),
      ),
    );
    signMs += performance.now() - t;
    t = performance.now();
    for (const raw of txs) engine.submit(raw);
    admitMs += performance.now() - t;
    t = performance.now();
    const before = chain.height;
    await engine.produce();
    blockMs += performance.now() - t;
    if (chain.height !== before + 1 || engine.pending > 0)
      throw new Error(`block ${before + 1} left ${engine.pending} out`);
    included += txs.length;
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const perSec = (ms: number) => ((included / ms) * 1000).toFixed(0);
  return [
    ['admission (CheckTx: JSON, schema, signature, check state)', admitMs.toFixed(0), perSec(admitMs)],
    [
      'block (Prepare/ProcessProposal, FinalizeBlock, Commit with a LevelDB sync write)',
      blockMs.toFixed(0),
      perSec(blockMs),
    ],
    ['embedded engine total (admission + block)', (admitMs + blockMs).toFixed(0), perSec(admitMs + blockMs)],
    ['(client side: signing, not the ledger)', signMs.toFixed(0), perSec(signMs)],
  ].map((r) => [r[0]!, String(included), r[1]!, r[2]!]);
}

// ---- 2. signature verification ------------------------------------------------------------------------
function verification(): string[][] {
  const k = keyOf(7);
  const body = {
    chain: '0'.repeat(64),
    nonce: 0,
    signer: k.address,
    call: { type: 'set_weights' as const, weights: weightsFor(0, 256, 64) },
  };
  const tx: SignedTx = signTx(body, k);
  const msg = signingBytes(body);
  const sig = Uint8Array.from(Buffer.from(tx.signature, 'hex'));
  const rate = (count: number, fn: () => void) => {
    fn();
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t = performance.now();
      for (let i = 0; i < count; i++) fn();
      times.push(performance.now() - t);
    }
    return (count / median(times)) * 1000;
  };
  const node = rate(5000, () => verifySignature(k.publicKey, msg, sig));
  const noble = rate(500, () => ed25519.verify(sig, msg, k.publicKey));
  return [
    ["node:crypto (OpenSSL), the ledger's verifier", node.toFixed(0), '1.00x'],
    ['@noble/curves ed25519 (pure JS)', noble.toFixed(0), `${(noble / node).toFixed(2)}x`],
  ];
}

// ---- 3. epoch on the block path -----------------------------------------------------------------------
async function epochs(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const n of [256, 1024, 4096]) {
    const hotkeys = Array.from({ length: n }, (_, i) => keyOf(i));
    const genesis = makeGenesis([], { maxNeurons: 4096 });
    const chain = { state: genesisState(genesis) } as unknown as Chain;
    populate(chain, n, 64, hotkeys);
    runEpoch(chain.state); // bonds from a first epoch
    const epochMs: number[] = [];
    const rootMs: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      let t = performance.now();
      runEpoch(chain.state);
      epochMs.push(performance.now() - t);
      t = performance.now();
      chain.state.root();
      rootMs.push(performance.now() - t);
    }
    const e = median(epochMs);
    const r = median(rootMs);
    rows.push([String(n), (n * 64).toLocaleString('en-US'), e.toFixed(1), r.toFixed(1), (e + r).toFixed(1)]);
  }
  return rows;
}

console.log(`node ${process.version}`);
console.log('\nset_weights from 256 neurons, 64 weights each, 6 blocks of 256 transactions (LevelDB store):');
printTable(['stage', 'txs', 'ms', 'txs/s'], await inclusion());
console.log('\ned25519 signature verification of a set_weights transaction:');
printTable(['verifier', 'verifications/s', 'vs node:crypto'], verification());
console.log(
  '\nEpoch on the block path (mechanism + rounding + crediting stake, then the state root), 64 weights per neuron:',
);
printTable(['neurons', 'weights', 'epoch ms', 'state root ms', 'total ms'], await epochs());
