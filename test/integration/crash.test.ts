import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { canonicalJson } from '../../src/ledger/canonical.js';
import { Chain } from '../../src/ledger/chain.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger } from '../../src/ledger/node.js';
import { LevelChainStore, MemoryChainStore } from '../../src/ledger/storage.js';
import { signTx, txHash, type Call } from '../../src/ledger/tx.js';
import type { Signer } from '../../src/ledger/wallet/keys.js';
import { key } from '../support/ledger.js';
import { Processes, freePort, sleep, type CliProcess } from '../support/processes.js';
import { untilValue } from '../support/poll.js';

/**
 * Crash safety of `ledger start`, with real processes: while clients stream transactions over RPC, the
 * authority is killed with SIGKILL at random moments and restarted on the same --data. Each restart must
 * come up (nothing damaged) at a height at least the highest any client saw (a block holding a confirmed
 * transaction, or a chain_info height), with every confirmed transaction still in its block; at the end, the
 * state the store recovers to must equal a fresh, fully verified replay of every stored block.
 */

const KILLS = 8;
const SNAPSHOT_EVERY = 100; // Chain's snapshot interval: the first phase runs past it, so recovery uses a snapshot.

const coldkeys = [key(1), key(2), key(3)];
const hotkeys = [key(101), key(102), key(103)];
const sink = key(50).address;

const procs = new Processes();
let dir: string;
let dataDir: string;
let url: string;
let args: string[];
let ledger: CliProcess;
let client: LedgerClient;
let chainId: string;

interface Confirmed {
  hash: string;
  block: number;
}
/** Transactions that waitForInclusion confirmed, in the order it did. */
const confirmed: Confirmed[] = [];
const kills: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-crash-'));
  dataDir = join(dir, 'ledger');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  args = ['ledger', 'start', '--data', dataDir, '--rpc-port', String(port), '--block-time', '50', '--tempo', '2'];
  for (const c of coldkeys) args.push('--genesis-account', `${c.address}:1000`);
  client = new LedgerClient(url, { timeoutMs: 5_000 });
});

afterAll(async () => {
  await procs.stopAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<Record<string, unknown>> {
  const { proc, ready } = await procs.start(args);
  ledger = proc;
  return ready;
}

async function submitAndConfirm(signer: Signer, call: Call, nonce: number, coldkey?: Signer): Promise<Confirmed> {
  const tx = signTx({ chain: chainId, nonce, signer: signer.address, call }, signer, coldkey);
  const hash = await client.submit(tx);
  const block = await client.waitForInclusion(hash, 2_000, 20);
  const c = { hash, block };
  confirmed.push(c);
  return c;
}

/**
 * Sends transactions one after another for as long as `running()`: each signed with the signer's next nonce,
 * submitted, and recorded once waitForInclusion confirms it. Any failure (the ledger was killed, the
 * transaction was lost with its mempool, a rate limit) re-reads the nonce from the ledger and goes on.
 */
async function traffic(signers: Signer[], call: (i: number) => Call, running: () => boolean): Promise<number> {
  const nonces = new Map<string, number>();
  let sent = 0;
  for (let i = 0; running(); i++) {
    const signer = signers[i % signers.length]!;
    try {
      const nonce = nonces.get(signer.address) ?? (await client.balance(signer.address)).nonce;
      nonces.set(signer.address, nonce);
      await submitAndConfirm(signer, call(i), nonce);
      nonces.set(signer.address, nonce + 1);
      sent++;
    } catch {
      nonces.delete(signer.address);
      await sleep(30);
    }
  }
  return sent;
}

/** Every transaction confirmed so far is still included, at the same height. */
async function expectConfirmedStillIncluded(context: string): Promise<void> {
  const list = [...confirmed];
  for (let i = 0; i < list.length; i += 64) {
    const statuses = await Promise.all(list.slice(i, i + 64).map((c) => client.txStatus(c.hash)));
    statuses.forEach((s, k) => {
      const c = list[i + k]!;
      expect(s, `${context}: tx ${c.hash} (confirmed in block ${c.block})`).toEqual({
        status: 'included',
        block: c.block,
      });
    });
  }
}

const highestConfirmed = () => confirmed.reduce((max, c) => Math.max(max, c.block), 0);

/** Reads chain_info as fast as it answers, for as long as `running()`; `highest()` is the top height it saw. */
function heightWatcher(running: () => boolean): { highest: () => number; done: Promise<number> } {
  let highest = 0;
  let reads = 0;
  const done = (async () => {
    while (running()) {
      try {
        highest = Math.max(highest, (await client.info()).height);
        reads++;
      } catch {
        await sleep(10);
      }
    }
    return reads;
  })();
  return { highest: () => highest, done };
}
const randomDelay = () => 50 + Math.floor(Math.random() * 351);

describe('ledger start under kill -9', () => {
  it(`restarts after ${KILLS} SIGKILLs at random moments without losing a confirmed block`, async () => {
    let ready = await start();
    chainId = ready.chain as string;

    // Three neurons with stake and weights, so that epochs compute real values and carry bonds.
    const burn = String((await client.info()).registrationBurn);
    await Promise.all(
      hotkeys.map((h, i) =>
        submitAndConfirm(
          h,
          { type: 'register', coldkey: coldkeys[i]!.address, multiaddrs: [], maxBurn: burn },
          0,
          coldkeys[i],
        ),
      ),
    );
    await Promise.all(
      coldkeys.map((c, i) =>
        submitAndConfirm(
          c,
          { type: 'add_stake', hotkey: hotkeys[i]!.address, amount: String(10n ** 10n * BigInt(i + 1)) },
          0,
        ),
      ),
    );
    const uids = await Promise.all(hotkeys.map(async (h) => (await client.neuron(h.address))!.uid));

    let flowing = true;
    const running = () => flowing;
    const transfers = coldkeys.map((c, i) =>
      traffic([c], (n) => ({ type: 'transfer', to: sink, amount: String(1000 + n * 3 + i) }), running),
    );
    const weights = traffic(
      hotkeys,
      (n) => {
        const self = uids[n % uids.length]!;
        return {
          type: 'set_weights',
          weights: uids
            .filter((u) => u !== self)
            .map((u): [number, number] => [u, 1 + ((n * 7919 + u * 104729) % 65535)]),
        };
      },
      running,
    );

    const watcher = heightWatcher(running);

    // Run past the first snapshot height, so that later recoveries start from a snapshot.
    await untilValue(
      async () => ((await client.info()).height > SNAPSHOT_EVERY + 5 ? true : undefined),
      'the chain to pass its first snapshot',
    );

    for (let k = 0; k < KILLS; k++) {
      const delay = randomDelay();
      await sleep(delay);
      const before = confirmed.length;
      const exit = await ledger.kill();
      expect(exit.signal, ledger.stderr).toBe('SIGKILL');
      // What any client saw before the kill: blocks holding confirmed transactions, and chain_info heights.
      const seen = Math.max(highestConfirmed(), watcher.highest());
      kills.push(
        `kill ${k + 1} after ${delay} ms: ${before} confirmed, highest confirmed block ${highestConfirmed()},` +
          ` highest height read ${watcher.highest()}`,
      );

      if (k % 3 === 2) {
        // Also kill a start before its ready line, wherever it is (loading, opening the store, recovering).
        const early = procs.spawn(args);
        const earlyDelay = randomDelay();
        await sleep(earlyDelay);
        const e = await early.kill();
        kills.push(`  and a start killed ${earlyDelay} ms after spawn (${e.signal ?? `exit ${e.code}`})`);
      }

      ready = await start();
      const context = kills.join('\n');
      expect(ready.chain, context).toBe(chainId);
      expect(ready.height as number, context).toBeGreaterThanOrEqual(seen);
      await expectConfirmedStillIncluded(context);
    }

    // Let the last run produce a few blocks with traffic, then stop everything cleanly.
    const last = (await client.info()).height;
    await untilValue(
      async () => ((await client.info()).height >= last + 3 ? true : undefined),
      'blocks after the last restart',
    );
    flowing = false;
    const sent = await Promise.all([...transfers, weights]);
    expect(
      sent.every((n) => n > 0),
      `transactions confirmed per client: ${sent.join(', ')}`,
    ).toBe(true);
    expect(confirmed.length).toBeGreaterThan(50);
    expect(await watcher.done).toBeGreaterThan(100);
    await expectConfirmedStillIncluded('after the last restart');
    expect(await ledger.stop(), ledger.stderr).toEqual({ code: 0, signal: null });
  }, 80_000);

  it('leaves a store whose recovered state equals a fresh replay of every stored block', async () => {
    expect(confirmed.length, 'the kill test ran').toBeGreaterThan(0);
    const store = new LevelChainStore(join(dataDir, 'chain'));
    await store.open();
    try {
      const recovered = await Chain.open(store);
      const head = await store.headHeight();
      expect(recovered.height).toBe(head);
      expect(head).toBeGreaterThan(SNAPSHOT_EVERY);
      const genesis = await store.getGenesis();
      expect(genesis).toBeDefined();

      const replay = await Chain.open(new MemoryChainStore(), genesis);
      expect(replay.id).toBe(chainId);
      const snapshot = await store.getSnapshot();
      expect(snapshot, 'a snapshot was written').toBeDefined();
      let epochs = 0;
      for (let h = 1; h <= head; h++) {
        const block = await store.getBlock(h);
        expect(block, `block ${h} of ${head}`).toBeDefined();
        // Re-executed through the same state machine: the same header (parent link, transactions, state root).
        const pending = replay.executeBlock(block!.txs, block!.header.timestamp);
        expect(pending.block.header, `header at ${h}`).toEqual(block!.header);
        await replay.commitBlock(pending);
        const epoch = pending.epoch;
        for (const tx of block!.txs) expect(await store.txHeight(txHash(tx)), `tx index at ${h}`).toBe(h);
        if (epoch) {
          epochs++;
          expect(canonicalJson(await store.getEpoch(epoch.epoch)), `epoch record ${epoch.epoch}`).toBe(
            canonicalJson(epoch),
          );
        }
        if (h === snapshot!.height) {
          expect(canonicalJson(snapshot), `snapshot at ${h}`).toBe(canonicalJson(replay.state.toSnapshot()));
        }
      }
      // Nothing half-written beyond the head.
      expect(await store.getBlock(head + 1)).toBeUndefined();
      expect(epochs).toBe(Math.floor(head / 2));
      expect(await store.getEpoch(epochs + 1)).toBeUndefined();

      expect(recovered.hash).toBe(replay.hash);
      expect(recovered.state.root()).toBe(replay.state.root());
      expect(canonicalJson(recovered.state.toSnapshot())).toBe(canonicalJson(replay.state.toSnapshot()));
      // The neurons earned: the replayed epochs were not empty.
      expect(replay.state.neurons).toHaveLength(3);
      expect(replay.state.neurons.every((n) => n.incentive > 0 && n.lastUpdate > 0)).toBe(true);

      for (const c of confirmed) expect(await store.txHeight(c.hash), `confirmed tx ${c.hash}`).toBe(c.block);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('serves no state that is not on disk yet (what a crash at that moment would undo)', async () => {
    // In process, with a slow disk: every block's write stalls 30 ms, while the state already moved on.
    const funded = key(1);
    const node = await startLedger({
      dataDir: join(dir, 'slow-disk'),
      genesis: () => makeGenesis([[funded.address, 10n ** 12n]], { blockTimeMs: 20, tempo: 2 }),
    });
    try {
      const store = node.chain.store;
      const append = store.appendBlock.bind(store);
      store.appendBlock = async (...write: Parameters<typeof append>) => {
        await sleep(30);
        return append(...write);
      };
      const reader = new LedgerClient(node.rpcUrl);
      let nonce = 0;
      let reads = 0;
      let storedHead = 0;
      let storedTransfers = 0n;
      const until = Date.now() + 1_500;
      while (Date.now() < until) {
        // A transfer of 1 base unit in most blocks, so that a balance moves too.
        const call = { type: 'transfer' as const, to: sink, amount: '1' };
        const tx = signTx({ chain: node.chain.id, nonce, signer: funded.address, call }, funded);
        const accepted = await reader.submit(tx).then(
          () => true,
          () => false,
        );
        if (accepted) nonce++;
        const [info, balance] = await Promise.all([reader.info(), reader.balance(sink)]);
        // The stored head only grows, so reading it after the answers bounds what was stored when they were made.
        const head = await store.headHeight();
        for (; storedHead < head; storedHead++)
          storedTransfers += BigInt((await store.getBlock(storedHead + 1))!.txs.length);
        expect(info.height, 'chain_info height vs the stored head').toBeLessThanOrEqual(head);
        expect(balance.free, 'a balance vs the stored transfers').toBeLessThanOrEqual(storedTransfers);
        reads++;
      }
      expect(reads).toBeGreaterThan(10);
      expect(node.chain.height).toBeGreaterThan(10);
    } finally {
      await node.stop();
    }
  }, 20_000);
});
