import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { createWallet, loadWallet } from '../../src/ledger/wallet/index.js';
import { ChainFeed } from '../../src/main/chain-feed.js';
import { NeuronSupervisor, ownTrainingConfig } from '../../src/main/neuron-supervisor.js';
import type { EpochPoint } from '../../src/shared/api.js';
import { createLogger } from '../../src/shared/logger.js';
import { key, TOKEN } from '../support/ledger.js';

const logger = createLogger('test', () => undefined, 'error');
let dir: string;
let ledger: LedgerNode;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-host-parts-'));
  ledger = await startLedger({
    genesis: () => makeGenesis([[key(1).address, 1000n * TOKEN]], { blockTimeMs: 100, tempo: 5 }),
  });
});
afterAll(async () => {
  await ledger?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A client that counts the metagraph reads it makes. */
function countingClient(): { client: LedgerClient; reads: () => number } {
  const client = new LedgerClient(ledger.rpcUrl);
  let reads = 0;
  const neurons = client.neurons.bind(client);
  client.neurons = () => {
    reads++;
    return neurons();
  };
  return { client, reads: () => reads };
}

describe('ChainFeed: the ledger followed by subscription', () => {
  it('hears every block without reading anything, reads the metagraph at epochs, keeps the epochs across a restart', async () => {
    const data = join(dir, 'feed');
    await mkdir(data);
    const { client, reads } = countingClient();
    const feed = new ChainFeed({ client, logger }, { dataDir: data, metagraphEveryMs: 60_000 });
    const heights: number[] = [];
    const epochs: EpochPoint[] = [];
    feed.events.on('block', (b) => heights.push(b.height));
    feed.events.on('epoch', (e) => epochs.push(e));
    await feed.start();
    await feed.start(); // safe twice: one subscription
    await feed.follow({ coldkey: key(1).address, hotkey: key(2).address });
    const readsAtStart = reads();
    await expect.poll(() => epochs.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // Blocks every 100 ms, epochs every 5 blocks: at least 10 blocks heard, one metagraph read per epoch.
    expect(new Set(heights).size).toBeGreaterThanOrEqual(10);
    expect(heights).toEqual([...new Set(heights)].sort((a, b) => a - b)); // each block once, in order
    expect(reads() - readsAtStart).toBeLessThanOrEqual(epochs.length + 1);
    expect(feed.reading?.info.height).toBeGreaterThanOrEqual(heights.at(-1)! - 1);
    await feed.stop();
    await feed.stop();
    const saved = JSON.parse(await readFile(feed.file, 'utf8')) as EpochPoint[];
    expect(saved.map((p) => p.epoch)).toEqual(feed.epochs.map((p) => p.epoch));

    const again = new ChainFeed({ client, logger }, { dataDir: data });
    await again.start();
    expect(again.epochs.slice(0, saved.length)).toEqual(saved);
    await again.stop();
  }, 60_000);
});

describe('ChainFeed: a chain that stops making blocks', () => {
  it('is a problem until the next block; a subscription that goes silent while blocks go on is made again', async () => {
    const halting = await startLedger({
      genesis: () => makeGenesis([[key(1).address, 1000n * TOKEN]], { blockTimeMs: 50, tempo: 5 }),
    });
    try {
      // A socket that dies without a word (a NAT's timeout, a sleeping laptop): the first subscription to
      // blocks hears nothing, ever; the ledger goes on making them.
      const client = new LedgerClient(halting.rpcUrl);
      const subscribe = client.subscribe.bind(client);
      let subscriptions = 0;
      client.subscribe = ((topic, onEvent, onLost) =>
        subscribe(
          topic,
          topic === 'blocks' && subscriptions++ === 0 ? () => undefined : onEvent,
          onLost,
        )) as typeof client.subscribe;
      const data = join(dir, 'halting');
      await mkdir(data);
      const feed = new ChainFeed({ client, logger }, { dataDir: data, stallMs: 500 });
      const heights: number[] = [];
      feed.events.on('block', (b) => heights.push(b.height));
      await feed.start();
      await expect.poll(() => heights.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      expect(subscriptions).toBe(2);
      expect(feed.problem).toBeUndefined();

      // The chain halts (its block producer stops; its RPC answers on): said, with the height it stopped at.
      await halting.engine.stop();
      await expect
        .poll(() => feed.problem, { timeout: 20_000 })
        .toMatch(/^the ledger has made no block for over 1 s \(still at height \d+\): the chain is halted/);
      expect(feed.problem).toContain(`height ${halting.chain.height})`);
      await feed.refresh(); // a read does not end it: the chain still makes no block
      expect(feed.problem).toMatch(/the chain is halted/);

      // Blocks again: the problem goes with the first.
      const before = heights.length;
      halting.engine.start();
      await expect.poll(() => heights.length, { timeout: 20_000 }).toBeGreaterThan(before);
      expect(feed.problem).toBeUndefined();
      await feed.stop();
    } finally {
      await halting.stop();
    }
  }, 60_000);
});

describe('NeuronSupervisor', () => {
  it("trains its neuron on the backend and threads asked at its start: at least one, at most the batch's rows", () => {
    const config = (threads: number) =>
      ownTrainingConfig({ dim: 16, slices: 3, dataDir: '/d', backend: 'wasm', threads });
    expect(config(3)).toMatchObject({
      dim: 16,
      slice: { index: 2, count: 3 },
      batch: 8,
      backend: 'wasm',
      threads: 3,
      checkpointFile: join('/d', 'neuron', 'checkpoint.bin'),
    });
    expect([1, 8, 9, 255, 0].map((n) => config(n).threads)).toEqual([1, 8, 8, 8, 1]);
  });

  it('on a network that pays nobody, waits saying how many tokens to send where, and stops at once', async () => {
    const wallets = join(dir, 'wallets');
    await createWallet(wallets, 'poor', 'a long passphrase', { scryptN: 1024 });
    const keys = await loadWallet(wallets, 'poor', 'a long passphrase');
    const client = new LedgerClient(ledger.rpcUrl);
    const supervisor = new NeuronSupervisor(
      { client, metagraph: client, logger },
      {
        dataDir: join(dir, 'poor'),
        ownStake: '100',
        listen: { host: '127.0.0.1', port: 0, upnp: false },
        bootstrap: [],
        slices: 1,
        fundingPollMs: 50,
      },
    );
    const phases: string[] = [];
    supervisor.events.on('phase', (p) => phases.push(p));
    await supervisor.launch(keys); // resolves once it waits for tokens
    expect(supervisor.phase).toBe('starting');
    expect(supervisor.fundingNote).toContain(`send at least 101 to this wallet (${keys.info.coldkey})`);
    expect(phases[0]).toBe('starting');
    await supervisor.stop();
    await supervisor.stop();
    expect(supervisor.uid).toBe(-1);
  }, 60_000);
});
