import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/shared/amount.js';
import { Chain } from '../../src/ledger/chain.js';
import { blockHash } from '../../src/ledger/block.js';
import { LedgerClient } from '../../src/ledger/client.js';
import type { NeuronWire } from '../../src/ledger/rpc/answers.js';
import { LevelChainStore, MemoryChainStore } from '../../src/ledger/storage.js';
import { runCli, type CliResult } from '../support/cli.js';
import { Processes, freePort, type CliProcess } from '../support/processes.js';
import { untilValue } from '../support/poll.js';

/**
 * The ledger's command-line contract, end to end with real processes: an authority in the foreground, two
 * wallets, transfers, registration, stake, weights, an epoch, the metagraph, and restarts.
 * The tests run in order and share one chain.
 */

const BLOCK_TIME = '200';
const TEMPO = '3';

const procs = new Processes();
let dir: string;
let wallets: string;
let passwordFile: string;
let wrongPasswordFile: string;
let dataDir: string;
let port: number;
let url: string;
let startArgs: string[];
let authority: CliProcess;
let ready: Record<string, unknown>;
let client: LedgerClient;
interface Wallet {
  name: string;
  coldkey: string;
  hotkey: string;
}
let alice: Wallet;
let bob: Wallet;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-cli-ledger-'));
  wallets = join(dir, 'wallets');
  passwordFile = join(dir, 'password');
  wrongPasswordFile = join(dir, 'wrong-password');
  dataDir = join(dir, 'authority');
  await writeFile(passwordFile, 'correct horse\n');
  await writeFile(wrongPasswordFile, 'battery staple\n');
  const create = (name: string) =>
    runCli(['wallet', 'create', '--wallets', wallets, '--name', name, '--password-file', passwordFile]);
  const created = await Promise.all([create('alice'), create('bob')]);
  for (const r of created) expect(r.code, r.stderr).toBe(0);
  [alice, bob] = created.map((r) => JSON.parse(r.stdout) as Wallet) as [Wallet, Wallet];

  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  startArgs = [
    'ledger',
    'start',
    '--data',
    dataDir,
    '--rpc-port',
    String(port),
    '--block-time',
    BLOCK_TIME,
    '--tempo',
    TEMPO,
    '--genesis-account',
    `${alice.coldkey}:100`,
    '--genesis-account',
    `${bob.coldkey}:50`,
  ];
  ({ proc: authority, ready } = await procs.start(startArgs));
  client = new LedgerClient(url);
}, 30_000);

afterAll(async () => {
  await procs.stopAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function json(r: CliResult): Record<string, unknown> {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd().split('\n'), 'one line on stdout').toHaveLength(1);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(pattern);
}

const walletArgs = (w: Wallet, ledger = url) => [
  '--wallets',
  wallets,
  '--name',
  w.name,
  '--password-file',
  passwordFile,
  '--ledger',
  ledger,
];

async function balance(w: Wallet, ledger = url): Promise<{ free: string; staked: string }> {
  const out = json(await runCli(['wallet', 'balance', '--wallets', wallets, '--name', w.name, '--ledger', ledger]));
  expect(Object.keys(out)).toEqual(['free', 'staked']);
  expect(out.free).toMatch(/^\d+(\.\d{1,9})?$/);
  expect(out.staked).toMatch(/^\d+(\.\d{1,9})?$/);
  return out as { free: string; staked: string };
}

/** Checks a {block, tx} answer and that the ledger lists the transaction as included in that block. */
async function included(out: Record<string, unknown>): Promise<number> {
  expect(Number.isInteger(out.block) && (out.block as number) >= 1).toBe(true);
  expect(out.tx).toMatch(/^[0-9a-f]{64}$/);
  expect(await client.txStatus(out.tx as string)).toEqual({ status: 'included', block: out.block });
  const block = await client.block(out.block as number);
  expect(block?.txs.length).toBeGreaterThan(0);
  return out.block as number;
}

const units = (amount: string) => parseAmount(amount);

describe('ledger start', () => {
  it('prints one JSON ready line with the RPC URL, and serves it', async () => {
    expect(ready.rpc).toBe(url);
    expect(ready.role).toBe('embedded');
    expect(ready.height).toBe(0);
    expect(ready.chain).toMatch(/^[0-9a-f]{64}$/);
    expect(ready.role).toBe('embedded');
    expect(authority.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const info = await client.info();
    expect(info.genesisHash).toBe(ready.chain);
    expect(info.params).toMatchObject({ blockTimeMs: 200, tempo: 3 });
  });

  it('credits the genesis accounts', async () => {
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    expect(a).toEqual({ free: '100', staked: '0' });
    expect(b).toEqual({ free: '50', staked: '0' });
  });
});

describe('wallet transfer', () => {
  it('waits for inclusion, prints {block, tx}, and moves exactly the amount', async () => {
    const out = json(
      await runCli(['wallet', 'transfer', ...walletArgs(alice), '--to', bob.coldkey, '--amount', '1.5']),
    );
    expect(Object.keys(out)).toEqual(['block', 'tx']);
    await included(out);
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    expect(units(a.free)).toBe(units('100') - units('1.5'));
    expect(units(b.free)).toBe(units('50') + units('1.5'));
    expect(a.staked).toBe('0');
  });

  it('refuses a wrong password, insufficient funds, a bad address or amount: exit 2, one line, nothing moved', async () => {
    const transfer = (to: string, amount: string, password = passwordFile) =>
      runCli([
        'wallet',
        'transfer',
        '--wallets',
        wallets,
        '--name',
        'alice',
        '--password-file',
        password,
        '--to',
        to,
        '--amount',
        amount,
        '--ledger',
        url,
      ]);
    const [wrongPassword, poor, badAddress, tooPrecise, negative, zero] = await Promise.all([
      transfer(bob.coldkey, '1', wrongPasswordFile),
      transfer(bob.coldkey, '1000'),
      // One character changed (never to itself: an address ending in 'x' stayed valid and the transfer went through).
      transfer(`${bob.coldkey.slice(0, -1)}${bob.coldkey.endsWith('x') ? 'y' : 'x'}`, '1'),
      transfer(bob.coldkey, '1.0000000001'),
      transfer(bob.coldkey, '-1'),
      transfer(bob.coldkey, '0'),
    ]);
    expectOneLineError(wrongPassword, /^error: wrong password/);
    expectOneLineError(poor, /^error: .*insufficient funds/);
    expectOneLineError(badAddress, /^error: --to: /);
    expectOneLineError(tooPrecise, /^error: --amount: /);
    expectOneLineError(negative, /^error: --amount: /);
    expectOneLineError(zero, /^error: --amount: /);
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    expect(a).toEqual({ free: '98.5', staked: '0' });
    expect(b).toEqual({ free: '51.5', staked: '0' });
  });
});

const uids = new Map<string, number>();
let weightsBlock = 0;
let stakedAfterOps: Map<string, bigint>;

describe('register, stake, weights', () => {
  it('registers both hotkeys (burning the price from each coldkey)', async () => {
    const outs = await Promise.all(
      [alice, bob].map(async (w) => json(await runCli(['register', ...walletArgs(w), '--yes']))),
    );
    for (const [i, out] of outs.entries()) {
      await included(out);
      expect(out.burned).toBe('1');
      uids.set([alice, bob][i]!.name, out.uid as number);
    }
    expect([...uids.values()].sort()).toEqual([0, 1]);
    const neurons = await client.neurons();
    expect(neurons.map((n) => n.hotkey).sort()).toEqual([alice.hotkey, bob.hotkey].sort());
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    expect(a.free).toBe('97.5');
    expect(b.free).toBe('50.5');
  });

  it('stake add and stake remove move tokens between free and staked', async () => {
    await Promise.all([
      (async () => {
        await included(json(await runCli(['stake', 'add', ...walletArgs(alice), '--amount', '10'])));
        await included(json(await runCli(['stake', 'remove', ...walletArgs(alice), '--amount', '2'])));
      })(),
      (async () => included(json(await runCli(['stake', 'add', ...walletArgs(bob), '--amount', '10']))))(),
    ]);
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    // Free balances are exact; epochs add emission to stake, so stake is at least what was put in.
    expect(a.free).toBe('89.5');
    expect(b.free).toBe('40.5');
    expect(units(a.staked)).toBeGreaterThanOrEqual(units('8'));
    expect(units(b.staked)).toBeGreaterThanOrEqual(units('10'));
    const remove = await runCli(['stake', 'remove', ...walletArgs(bob), '--amount', '1000']);
    expectOneLineError(remove, /^error: .*only .* is staked on that hotkey/);
    stakedAfterOps = new Map((await client.neurons()).map((n): [string, bigint] => [n.hotkey, n.stake]));
  });

  it('weights set: each neuron weights the other', async () => {
    const [a, b] = await Promise.all([
      runCli(['weights', 'set', ...walletArgs(alice), '--weights', `${uids.get('bob')}:1`]),
      runCli(['weights', 'set', ...walletArgs(bob), '--weights', `${uids.get('alice')}:0.5,${uids.get('bob')}:0`]),
    ]);
    const blocks = [await included(json(a)), await included(json(b))];
    const byHotkey = new Map((await client.neurons()).map((n) => [n.hotkey, n]));
    expect(byHotkey.get(alice.hotkey)?.weights).toEqual([[uids.get('bob'), 65535]]);
    expect(byHotkey.get(bob.hotkey)?.weights).toEqual([[uids.get('alice'), 65535]]);
    expect(byHotkey.get(alice.hotkey)?.lastUpdate).toBe(blocks[0]);
    expect(byHotkey.get(bob.hotkey)?.lastUpdate).toBe(blocks[1]);
    weightsBlock = Math.max(...blocks);
  });
});

describe('metagraph', () => {
  it('after an epoch, --json shows both neurons with more stake and finite consensus values', async () => {
    const tempo = Number(TEMPO);
    const epochBlock = Math.ceil(weightsBlock / tempo) * tempo;
    await untilValue(
      async () => ((await client.info()).height >= epochBlock ? true : undefined),
      'the epoch after the weights',
    );
    const out = json(await runCli(['metagraph', '--ledger', url, '--json']));
    expect(out.height as number).toBeGreaterThanOrEqual(epochBlock);
    const neurons = out.neurons as NeuronWire[];
    expect(neurons).toHaveLength(2);
    for (const w of [alice, bob]) {
      const n = neurons.find((x) => x.hotkey === w.hotkey);
      expect(n, w.name).toBeDefined();
      expect(n!.uid).toBe(uids.get(w.name));
      expect(n!.coldkey).toBe(w.coldkey);
      expect(units(n!.stake)).toBeGreaterThan(stakedAfterOps.get(w.hotkey)!);
      for (const key of ['rank', 'trust', 'consensus', 'incentive', 'dividends'] as const) {
        expect(Number.isFinite(n![key]), `${w.name}.${key} = ${n![key]}`).toBe(true);
        expect(n![key]).toBeGreaterThanOrEqual(0);
        expect(n![key]).toBeLessThanOrEqual(1);
      }
      // Each is the other's only voter, so each has rank, trust, consensus and incentive.
      for (const key of ['rank', 'trust', 'consensus', 'incentive'] as const) expect(n![key]).toBeGreaterThan(0);
      expect(units(n!.emission)).toBeGreaterThan(0n);
      expect(n!.lastUpdate).toBeGreaterThanOrEqual(1);
      expect(n!.multiaddrs).toEqual([]);
    }
  });

  it('without --json prints a readable table with a header row', async () => {
    const r = await runCli(['metagraph', '--ledger', url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    const header = lines.findIndex((l) => /\buid\b/.test(l) && /\bhotkey\b/.test(l));
    expect(header, r.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[header]!.trim().split(/\s+/)).toEqual([
      'uid',
      'hotkey',
      'coldkey',
      'stake',
      'rank',
      'trust',
      'consensus',
      'incentive',
      'dividends',
      'emission',
      'updated',
      'multiaddrs',
    ]);
    const rows = lines.slice(header + 1);
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.trim().split(/\s+/)[0]).sort()).toEqual(['0', '1']);
    expect(r.stdout).not.toMatch(/^\s*[{[]/);
  });
});

let headBeforeStop = 0;

function balanceIn(chain: Chain, w: Wallet): { free: string; staked: string } {
  return {
    free: formatAmount(chain.state.account(w.coldkey).free),
    staked: formatAmount(chain.state.coldkeyStake(w.coldkey)),
  };
}
let stored: { free: string; staked: string }[] = [];

describe('stop and restart', () => {
  it('SIGTERM stops the ledger cleanly (exit 0); its stored blocks replay to its state root', async () => {
    const exit = await authority.stop();
    expect(exit, authority.stderr).toEqual({ code: 0, signal: null });
    expect(authority.stderr).not.toMatch(/"level":"error"|internal error/);
    // Read what the stopped ledger stored, straight from its data folder, and replay its blocks through the
    // same state machine in memory: every block reproduces its state root.
    const store = new LevelChainStore(join(dataDir, 'chain'));
    await store.open();
    try {
      const chain = await Chain.open(store);
      headBeforeStop = chain.height;
      stored = [alice, bob].map((w) => balanceIn(chain, w));
      const replay = await Chain.open(new MemoryChainStore(), chain.genesis);
      for (let h = 1; h <= headBeforeStop; h++) {
        const block = (await store.getBlock(h))!;
        const pending = replay.executeBlock(block.txs, block.header.timestamp);
        expect(pending.block.header.stateRoot, `block ${h}`).toBe(block.header.stateRoot);
        await replay.commitBlock(pending);
      }
      expect([alice, bob].map((w) => balanceIn(replay, w))).toEqual(stored);
      expect(replay.hash).toBe(chain.hash);
    } finally {
      await store.close();
    }
    expect(headBeforeStop).toBeGreaterThan(weightsBlock);
  });

  it('restarted on the same --data, continues the same chain with balances preserved', async () => {
    ({ proc: authority, ready } = await procs.start(startArgs));
    expect(ready.rpc).toBe(url);
    expect(ready.height as number).toBeGreaterThanOrEqual(headBeforeStop);
    expect(ready.chain).toBe((await client.info()).genesisHash);
    const [a, b] = await Promise.all([balance(alice), balance(bob)]);
    expect(a.free).toBe(stored[0]!.free);
    expect(b.free).toBe(stored[1]!.free);
    // Stake can only have grown since (new epochs).
    expect(units(a.staked)).toBeGreaterThanOrEqual(units(stored[0]!.staked));
    expect(units(b.staked)).toBeGreaterThanOrEqual(units(stored[1]!.staked));
    // It keeps producing blocks on top of the stored ones.
    await untilValue(
      async () => ((await client.info()).height >= headBeforeStop + 3 ? true : undefined),
      'new blocks after the restart',
    );
    expect((await client.block(headBeforeStop + 1))?.header.parentHash).toBe(
      blockHash((await client.block(headBeforeStop))!.header),
    );
  });

  it('refuses a restart with another --tempo: exit 2, one line, the data untouched', async () => {
    expect(await authority.stop()).toEqual({ code: 0, signal: null });
    const head = async () => {
      const store = new LevelChainStore(join(dataDir, 'chain'));
      await store.open();
      try {
        return await store.headHeight();
      } finally {
        await store.close();
      }
    };
    const before = await head();
    const other = procs.spawn(startArgs.map((a, i) => (startArgs[i - 1] === '--tempo' ? '5' : a)));
    const exit = await other.waitExit();
    expectOneLineError({ code: exit.code, stdout: other.stdout, stderr: other.stderr }, /^error: .*tempo/);
    expect(await head()).toBe(before);
    // And with the same options it still starts.
    ({ proc: authority, ready } = await procs.start(startArgs));
    expect(ready.height).toBe(before);
    expect(await authority.stop()).toEqual({ code: 0, signal: null });
  });
});
