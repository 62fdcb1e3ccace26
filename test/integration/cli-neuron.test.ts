import { multiaddr } from '@multiformats/multiaddr';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerClient } from '../../src/ledger/client.js';
import { parseAmount } from '../../src/shared/amount.js';
import { HashingModel } from '../../src/neuron/model.js';
import { createNeuronNode, type NeuronNode } from '../../src/neuron/node.js';
import { runCli } from '../support/cli.js';
import { Processes, freePort } from '../support/processes.js';
import { untilValue } from '../support/poll.js';

/** `neuron serve` as users and outside tests run it: the ready line, serving, registration, SIGTERM. */

const procs = new Processes();
let dir: string;
let caller: NeuronNode;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-neuron-cli-'));
  caller = await createNeuronNode({ model: new HashingModel(128) }, { host: '127.0.0.1', dht: false, autonat: false });
});

afterAll(async () => {
  await procs.stopAll();
  await caller.stop();
  await rm(dir, { recursive: true, force: true });
});

const tokens = Int32Array.from({ length: 2 * 8 }, (_, i) => (i * 7919) % 50257);

describe('bittensor-miner neuron serve', () => {
  it('serves without a ledger: prints its peerId and a loopback multiaddr, answers forward, stops on SIGTERM', async () => {
    const port = await freePort();
    const { proc, ready } = await procs.start(['neuron', 'serve', '--port', String(port), '--ledger', 'none']);
    const peerId = ready['peerId'] as string;
    const addrs = ready['multiaddrs'] as string[];
    expect(peerId).toMatch(/^12D3KooW/);
    expect(addrs).toContain(`/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`);
    const r = await caller.dendrite.forward([multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`)], tokens, 2, 8, 128);
    expect(r.mask).toEqual([true]);
    // The stand-in model is deterministic: the served answer equals the local one.
    expect(Array.from(r.outputs[0]!.subarray(0, 16))).toEqual(
      Array.from(new HashingModel(128).forward(tokens, 2, 8).subarray(0, 16)),
    );
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
  });

  it('honours --dim', async () => {
    const port = await freePort();
    const { ready } = await procs.start(['neuron', 'serve', '--port', String(port), '--ledger', 'none', '--dim', '32']);
    const r = await caller.dendrite.forward([multiaddr((ready['multiaddrs'] as string[])[0]!)], tokens, 2, 8, 32);
    expect(r.mask).toEqual([true]);
    expect(r.outputs[0]).toHaveLength(2 * 8 * 32);
  });

  it('refuses a ledger without a wallet, and a bad port, with exit code 2', async () => {
    const noWallet = await runCli(['neuron', 'serve', '--port', '0', '--ledger', 'http://127.0.0.1:9']);
    expect(noWallet.code).toBe(2);
    expect(noWallet.stderr.trim().split('\n')).toHaveLength(1);
    const badPort = await runCli(['neuron', 'serve', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
  });

  it('with a ledger: registers its hotkey with its multiaddrs, and updates them when it moves', async () => {
    const pw = join(dir, 'pw');
    await writeFile(pw, 'neuron password\n');
    const created = await runCli([
      'wallet',
      'create',
      '--wallets',
      join(dir, 'w'),
      '--name',
      'n1',
      '--password-file',
      pw,
    ]);
    const { coldkey, hotkey } = JSON.parse(created.stdout) as { coldkey: string; hotkey: string };
    const rpcPort = await freePort();
    await procs.start([
      'ledger',
      'start',
      '--data',
      join(dir, 'chain'),
      '--rpc-port',
      String(rpcPort),
      '--block-time',
      '150',
      '--genesis-account',
      `${coldkey}:10`,
    ]);
    const url = `http://127.0.0.1:${rpcPort}`;
    const wallet = ['--wallets', join(dir, 'w'), '--name', 'n1', '--password-file', pw, '--ledger', url];
    const port1 = await freePort();
    const first = await procs.start(
      ['neuron', 'serve', '--port', String(port1), '--host', '127.0.0.1', ...wallet],
      60_000,
    );
    expect(first.ready['hotkey']).toBe(hotkey);
    expect(first.ready['uid']).toBe(0);
    const client = new LedgerClient(url);
    const listed = await client.neuron(hotkey);
    expect(listed?.multiaddrs).toEqual(first.ready['multiaddrs']);
    expect((await client.balance(coldkey)).free).toBe(parseAmount('9'));
    await first.proc.stop();

    const port2 = await freePort();
    const second = await procs.start(
      ['neuron', 'serve', '--port', String(port2), '--host', '127.0.0.1', ...wallet],
      60_000,
    );
    expect(second.ready['uid']).toBe(0);
    const moved = await untilValue(async () => {
      const n = await client.neuron(hotkey);
      return n?.multiaddrs[0]?.includes(`/tcp/${port2}/`) ? n : undefined;
    }, 'the new multiaddrs on the ledger');
    expect(moved.multiaddrs).toEqual(second.ready['multiaddrs']);
    // Registering again would burn again: the balance shows it did not.
    expect((await client.balance(coldkey)).free).toBe(parseAmount('9'));
  });
});
