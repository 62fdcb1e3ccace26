import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { createWallet, loadWallet, type LoadedWallet } from '../../src/ledger/wallet/index.js';
import { ChainFeed } from '../../src/main/chain-feed.js';
import { NeuronSupervisor } from '../../src/main/neuron-supervisor.js';
import { createLogger } from '../../src/shared/logger.js';
import { key, TOKEN } from '../support/ledger.js';

/**
 * start() (or launch()) called twice at once, as two racing API calls or a retrying caller do: one neuron, one
 * subscription; and stop() undoes it, also while the start is still in progress.
 */
const logger = createLogger('test', () => undefined, 'error');
let dir: string;
let ledger: LedgerNode;
let keys: LoadedWallet;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-start-twice-'));
  ledger = await startLedger({
    genesis: () => makeGenesis([[key(1).address, 1000n * TOKEN]], { blockTimeMs: 100, tempo: 5 }),
  });
  const wallets = join(dir, 'wallets');
  await createWallet(wallets, 'poor', 'a long passphrase', { scryptN: 1024 });
  keys = await loadWallet(wallets, 'poor', 'a long passphrase');
});
afterAll(async () => {
  await ledger?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A client whose subscriptions are counted while they are open. */
function countingClient() {
  const client = new LedgerClient(ledger.rpcUrl);
  const open = { count: 0, made: 0 };
  const subscribe = client.subscribe.bind(client);
  client.subscribe = (async (...args: Parameters<typeof subscribe>) => {
    const off = await subscribe(...args);
    open.count++;
    open.made++;
    let done = false;
    return () => {
      if (!done) open.count--;
      done = true;
      off();
    };
  }) as typeof client.subscribe;
  return { client, open };
}

/** A supervisor on a network that pays nobody (it waits for tokens), counting the funding calls: one per start. */
function poorSupervisor(fund: (coldkey: string) => Promise<void>) {
  const client = new LedgerClient(ledger.rpcUrl);
  return new NeuronSupervisor(
    { client, metagraph: client, fund, logger },
    {
      dataDir: join(dir, 'poor'),
      ownStake: '100',
      listen: { host: '127.0.0.1', port: 0, upnp: false },
      bootstrap: [],
      slices: 1,
      fundingPollMs: 20,
    },
  );
}

describe('NeuronSupervisor.launch() twice', () => {
  it('two launches at once start one neuron and share its promise; stop() ends it, a launch after is refused', async () => {
    let funded = 0;
    const supervisor = poorSupervisor(async () => void funded++);
    const first = supervisor.launch(keys);
    const second = supervisor.launch(keys);
    expect(second).toBe(first);
    await Promise.all([first, second]); // both resolve once it waits for tokens
    await supervisor.launch(keys);
    expect(funded).toBe(1);
    expect(supervisor.phase).toBe('starting');
    expect(supervisor.fundingNote).toContain(keys.info.coldkey);

    await supervisor.stop();
    await supervisor.stop();
    await expect(supervisor.launch(keys)).rejects.toThrow(/stopped/);
    expect(funded).toBe(1);
    expect(supervisor.uid).toBe(-1);
  }, 30_000);

  it('after a start that failed, launch() tries again', async () => {
    let funded = 0;
    const supervisor = poorSupervisor(async () => {
      if (++funded === 1) throw new Error('the faucet is empty');
    });
    await expect(supervisor.launch(keys)).rejects.toThrow('the faucet is empty');
    expect(supervisor.phase).toBe('failed');
    expect(supervisor.problem).toBe('the faucet is empty');
    await supervisor.launch(keys);
    expect(funded).toBe(2);
    expect(supervisor.phase).toBe('starting');
    expect(supervisor.problem).toBeNull();
    await supervisor.stop();
  }, 30_000);
});

describe('ChainFeed.start() twice', () => {
  it('two starts at once subscribe once, and both resolve only once the ledger was read; stop() unsubscribes', async () => {
    const data = join(dir, 'feed-twice');
    await mkdir(data);
    const { client, open } = countingClient();
    const feed = new ChainFeed({ client, logger }, { dataDir: data });
    const first = feed.start();
    const second = feed.start();
    expect(second).toBe(first);
    await second;
    expect(feed.reading).toBeDefined();
    await feed.start();
    expect(open).toEqual({ count: 2, made: 2 }); // blocks and epochs, once each
    await feed.stop();
    await feed.stop();
    expect(open.count).toBe(0);
  });

  it('stop() while the start is still reading leaves nothing subscribed', async () => {
    const data = join(dir, 'feed-stopped');
    await mkdir(data);
    const { client, open } = countingClient();
    const feed = new ChainFeed({ client, logger }, { dataDir: data });
    const starting = feed.start();
    await feed.stop();
    await starting;
    expect(open.count).toBe(0);
    // Started again after the stop: one subscription of each, not two.
    await feed.start();
    expect(open.count).toBe(2);
    await feed.stop();
    expect(open.count).toBe(0);
  });
});
