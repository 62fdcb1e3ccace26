/**
 * `npm run bench:chain`: the ledger application under its two engines in one run.
 *  1. The epoch inside FinalizeBlock at 1,024 and 4,096 neurons (64 weights each): what a validator spends on
 *     an epoch block, against CometBFT's propose timeout (3 s by default).
 *  2. Signed set_weights included per second by the embedded engine (one process) and by a 4-validator
 *     CometBFT network on 127.0.0.1 (four app processes plus four cometbft processes, transactions sent to
 *     all four nodes' broadcast_tx_sync), with the block time CometBFT kept meanwhile.
 * Prints tables; asserts nothing about time. Needs cometbft (npm test installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LedgerApp } from '../src/ledger/abci/app.js';
import { encodeTx } from '../src/ledger/abci/tx-codec.js';
import { makeGenesis } from '../src/ledger/block.js';
import type { Chain } from '../src/ledger/chain.js';
import { LedgerClient } from '../src/ledger/client.js';
import { findCometbft } from '../src/ledger/comet/binary.js';
import { editConfig, readNodeAddresses } from '../src/ledger/comet/config.js';
import { initTestnet } from '../src/ledger/comet/testnet.js';
import { EmbeddedEngine } from '../src/ledger/engine.js';
import { newNeuron } from '../src/ledger/state.js';
import { MemoryChainStore } from '../src/ledger/storage.js';
import { signTx, type SignedTx } from '../src/ledger/tx.js';
import { signerFromSeed, type Signer } from '../src/ledger/wallet/keys.js';
import { silentLogger } from '../src/shared/logger.js';
import { seededRandom } from '../src/shared/random.js';
import { median, printTable } from './table.js';

const TOKEN = 1_000_000_000n;
const BIN = fileURLToPath(new URL('../bin/bittensor-miner.js', import.meta.url));
const random = seededRandom(7);
const NEURONS = Number(process.env['BENCH_NEURONS'] ?? 1024);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 8);
/** broadcast_tx_sync calls in flight (each waits for the node's CheckTx). */
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 128);

function keyOf(i: number): Signer {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  seed[31] = 9;
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

/** n registered, staked neurons with 64 weights each, written straight into the state. */
function populate(chain: Chain, n: number, hotkeys: Signer[]): void {
  const s = chain.state;
  for (let uid = 0; uid < n; uid++) {
    const hotkey = hotkeys[uid]!.address;
    s.neurons.push({ ...newNeuron(uid, hotkey, hotkey, [], 0), lastUpdate: 0, weights: weightsFor(uid, n, 64) });
    s.uidOf.set(hotkey, uid);
    s.setStake(hotkey, hotkey, BigInt(1 + Math.floor(random() * 1000)) * TOKEN);
  }
}

const none = new Uint8Array(0);
const time = (ms: number) => ({ seconds: BigInt(Math.floor(ms / 1000)), nanos: 0 });

// ---- 1. the epoch inside FinalizeBlock --------------------------------------------------------------------
async function epochInFinalizeBlock(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const n of [1024, 4096]) {
    const app = new LedgerApp({ store: new MemoryChainStore(), logger: silentLogger });
    await app.start();
    const chain = await app.initGenesis({ ...makeGenesis([], { maxNeurons: 4096, tempo: 1 }), timestamp: 0 });
    populate(
      chain,
      n,
      Array.from({ length: n }, (_, i) => keyOf(i)),
    );
    app.attach(chain);
    const finalizeMs: number[] = [];
    const commitMs: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const height = BigInt(chain.height + 1);
      let t = performance.now();
      app.finalizeBlock({
        txs: [],
        hash: none,
        height,
        time: time(Number(height) * 1000),
        nextValidatorsHash: none,
        proposerAddress: none,
      });
      finalizeMs.push(performance.now() - t);
      t = performance.now();
      await app.commit();
      commitMs.push(performance.now() - t);
    }
    rows.push([
      n.toLocaleString('en-US'),
      (n * 64).toLocaleString('en-US'),
      median(finalizeMs).toFixed(0),
      median(commitMs).toFixed(0),
    ]);
    await app.stop();
  }
  return rows;
}

/**
 * ROUNDS rounds of one set_weights per neuron, signed ahead (nonces from `firstNonce`). A round is sent once the
 * one before is included: the rate limit (one set_weights per block per neuron) refuses a second in CheckTx.
 */
function signRounds(chainId: string, hotkeys: Signer[], firstNonce: number): SignedTx[][] {
  const out: SignedTx[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: SignedTx[] = [];
    out.push(round);
    hotkeys.forEach((h, uid) =>
      round.push(
        signTx(
          {
            chain: chainId,
            nonce: firstNonce + r,
            signer: h.address,
            call: { type: 'set_weights', weights: weightsFor(uid, hotkeys.length, 64) },
          },
          h,
        ),
      ),
    );
  }
  return out;
}

// ---- 2a. the embedded engine ------------------------------------------------------------------------------
async function embedded(): Promise<string[]> {
  const app = new LedgerApp({ store: new MemoryChainStore(), logger: silentLogger });
  await app.start();
  const params = { maxNeurons: 4096, tempo: 1_000_000, weightsRateLimit: 1, maxBlockTransactions: 4096 };
  const chain = await app.initGenesis({ ...makeGenesis([], params), timestamp: 0 });
  const hotkeys = Array.from({ length: NEURONS }, (_, i) => keyOf(i));
  populate(chain, NEURONS, hotkeys);
  app.attach(chain);
  let clock = 1000;
  const engine = new EmbeddedEngine(
    { blockTimeMs: 1000, mempoolTotal: 1 << 20, now: () => (clock += 1000) },
    { app, logger: silentLogger },
  );
  const rounds = signRounds(chain.id, hotkeys, 0).map((round) =>
    round.map((tx) => JSON.parse(JSON.stringify(tx)) as unknown),
  );
  const start = performance.now();
  const h0 = chain.height;
  for (const round of rounds) {
    for (const tx of round) engine.submit(tx);
    while (engine.pending > 0) await engine.produce();
  }
  const seconds = (performance.now() - start) / 1000;
  const blocks = chain.height - h0;
  const count = rounds.flat().length;
  await app.stop();
  return ['embedded engine (1 process)', String(count), String(blocks), (count / seconds).toFixed(0), '-'];
}

// ---- 2b. four CometBFT validators ---------------------------------------------------------------------
async function rpc(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: { data?: string; message?: string } };
  if (!body.result) throw new Error(`${method}: ${body.error?.data ?? body.error?.message}`);
  return body.result;
}

/**
 * Four validators on 127.0.0.1 (from `chain testnet`'s layout), each running `app`: ours (`chain node`, an app
 * process beside cometbft) or CometBFT's built-in kvstore (in the cometbft process: the engine's own ceiling on
 * this machine, with transactions of the same size and count as ours).
 */
async function cometbftNetwork(app: 'ledger' | 'kvstore'): Promise<string[]> {
  const cometbft = await findCometbft();
  const dir = await mkdtemp(join(tmpdir(), 'bt-bench-chain-'));
  const hotkeys = Array.from({ length: NEURONS }, (_, i) => keyOf(i));
  const coldkeys = Array.from({ length: NEURONS }, (_, i) => keyOf(100_000 + i));
  const { homes } = await initTestnet({
    dir,
    validators: 4,
    cometbft,
    accounts: coldkeys.map((k) => [k.address, 10n * TOKEN]),
    params: {
      maxNeurons: 4096,
      tempo: 1_000_000,
      weightsRateLimit: 1,
      maxBlockTransactions: 4096,
      mempoolPerAccount: 64,
      blockTimeMs: 200,
    },
  });
  for (const home of homes) await editConfig(home, { 'mempool.size': '50000', 'mempool.cache_size': '100000' });
  const nodes: ChildProcess[] = [];
  const urls: string[] = [];
  try {
    for (const home of homes) {
      if (app === 'kvstore') {
        const child = spawn(cometbft, ['node', '--home', home, '--proxy_app', 'kvstore', '--log_level', 'error'], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        nodes.push(child);
        urls.push(`http://${(await readNodeAddresses(home)).rpc.replace(/^tcp:\/\//, '')}`);
        continue;
      }
      const child = spawn(process.execPath, [BIN, 'chain', 'node', '--home', home, '--log-level', 'error'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      nodes.push(child);
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout! }).once('line', resolve),
      );
      urls.push((JSON.parse(line) as { rpc: string }).rpc);
    }
    if (app === 'kvstore') {
      await ready(urls);
      const h0 = await height(urls[0]!);
      const size = encodeTx(signRounds('x', hotkeys.slice(0, 1), 0)[0]![0]!).length;
      process.stderr.write(`kvstore: ${NEURONS * ROUNDS} transactions of ${size} bytes in ${ROUNDS} rounds...\n`);
      for (let r = 0; r < ROUNDS; r++) {
        const round = hotkeys.map((_, i) => {
          const key = `r${r}n${i}=`;
          return new TextEncoder().encode(key.padEnd(size, 'v'));
        });
        await submitAll(urls, round);
        await drained(urls);
      }
      return ['CometBFT kvstore, 4 validators (engine only)', ...(await countIncluded(urls[0]!, h0))];
    }
    const client = new LedgerClient(urls.join(','));
    const chainId = (await client.info()).genesisHash;
    process.stderr.write(`registering ${NEURONS} neurons...\n`);
    const registrations = hotkeys.map((h, i) =>
      signTx(
        {
          chain: chainId,
          nonce: 0,
          signer: h.address,
          call: { type: 'register', coldkey: coldkeys[i]!.address, multiaddrs: [], maxBurn: String(TOKEN) },
        },
        h,
        coldkeys[i],
      ),
    );
    await submitAll(urls, registrations);
    await drained(urls);
    if ((await client.info()).neurons !== NEURONS) throw new Error('not every neuron registered');
    const rounds = signRounds(chainId, hotkeys, 1);
    process.stderr.write(`sending ${rounds.flat().length} set_weights in ${rounds.length} rounds...\n`);
    const h0 = await height(urls[0]!);
    for (const round of rounds) {
      await submitAll(urls, round);
      await drained(urls);
    }
    return ['CometBFT, 4 validators', ...(await countIncluded(urls[0]!, h0))];
  } finally {
    for (const n of nodes) n.kill('SIGTERM');
    await Promise.all(nodes.map((n) => new Promise((r) => (n.exitCode !== null ? r(null) : n.once('exit', r)))));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Transactions the blocks after h0 included (code 0), the blocks holding them, the rate, and the block time. */
async function countIncluded(url: string, h0: number): Promise<string[]> {
  const h1 = await height(url);
  let included = 0;
  let first = 0;
  let last = 0;
  const times = new Map<number, number>();
  for (let h = h0; h <= h1; h++) {
    const block = (await rpc(url, 'block', { height: String(h) }))['block'] as { header: { time: string } };
    times.set(h, Date.parse(block.header.time));
    const results = (await rpc(url, 'block_results', { height: String(h) }))['txs_results'] as Array<{
      code: number;
    }> | null;
    const ok = (results ?? []).filter((r) => r.code === 0).length;
    if (ok > 0) {
      if (first === 0) first = h;
      last = h;
      included += ok;
    }
  }
  // From the block before the first that included any, so the first block's interval counts too.
  const seconds = (times.get(last)! - times.get(Math.max(h0, first - 1))!) / 1000;
  const blockMs = ((times.get(last)! - times.get(first)!) / Math.max(1, last - first)).toFixed(0);
  return [String(included), String(last - first + 1), (included / seconds).toFixed(0), blockMs];
}

/** Waits until every node answers status and has made a block. */
async function ready(urls: string[]): Promise<void> {
  for (const url of urls) {
    for (;;) {
      const h = await height(url).catch(() => 0);
      if (h > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function height(url: string): Promise<number> {
  const status = await rpc(url, 'status', {});
  return Number((status['sync_info'] as { latest_block_height: string }).latest_block_height);
}

/** Sends every transaction with broadcast_tx_sync, spread over the nodes, IN_FLIGHT at a time. */
async function submitAll(urls: string[], txs: Array<SignedTx | Uint8Array>): Promise<void> {
  let next = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < txs.length) {
        const i = next++;
        const res = await rpc(urls[i % urls.length]!, 'broadcast_tx_sync', {
          tx: Buffer.from(txs[i] instanceof Uint8Array ? txs[i] : encodeTx(txs[i]!)).toString('base64'),
        });
        if (res['code'] !== 0) refused++;
      }
    }),
  );
  if (refused > 0) process.stderr.write(`${refused} refused by CheckTx\n`);
}

/** Waits until every node's mempool is empty. */
async function drained(urls: string[]): Promise<void> {
  for (;;) {
    const counts = await Promise.all(urls.map(async (u) => Number((await rpc(u, 'num_unconfirmed_txs', {}))['n_txs'])));
    if (counts.every((c) => c === 0)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

console.log(`node ${process.version}, ${NEURONS} neurons, ${ROUNDS} rounds of set_weights (64 weights each)`);
console.log('\nThe epoch inside FinalizeBlock (mechanism, crediting stake, state root), then Commit (store):');
printTable(['neurons', 'weights', 'FinalizeBlock ms', 'Commit ms'], await epochInFinalizeBlock());
console.log('\nSigned set_weights included per second, same workload, same machine:');
printTable(
  ['engine', 'included', 'blocks', 'set_weights/s', 'block time ms'],
  [await embedded(), await cometbftNetwork('ledger'), await cometbftNetwork('kvstore')],
);
