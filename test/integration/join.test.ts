import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerClient } from '../../src/ledger/client.js';
import { api, snapshot, startHeadless, stopChild, until } from '../support/headless.js';

const PASSWORD = 'a long passphrase';
let dir: string;
const running: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-join-'));
  await writeFile(join(dir, 'pw'), `${PASSWORD}\n`, { mode: 0o600 });
});
afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('start --headless --ledger URL --bootstrap MULTIADDR (joining a network)', () => {
  it('waits for tokens saying where to send them, then registers, trains and reaches its peers', async () => {
    const pw = ['--password-file', join(dir, 'pw')];
    const a = await startHeadless(join(dir, 'a'), pw, running);
    const aSnap = await until(async () => {
      const s = await snapshot(a.dashboard);
      return s.phase === 'running' ? s : undefined;
    }, 'the first miner running');
    const ledger = new LedgerClient(a.ledger);
    const aNeuron = await until(async () => {
      const n = await ledger.neuron(aSnap.wallet.hotkey!);
      return n && n.multiaddrs.some((m) => m.includes('/p2p/')) ? n : undefined;
    }, "the first miner's address on the ledger");
    const bootstrap = aNeuron.multiaddrs.find((m) => m.includes('/p2p/'))!;

    // The second miner joins the first one's ledger: its new wallet has nothing, so it waits and says why.
    const b = await startHeadless(
      join(dir, 'b'),
      [...pw, '--ledger', a.ledger, '--bootstrap', bootstrap, '--no-upnp'],
      running,
    );
    expect(b.ledger).toBe(a.ledger);
    const waiting = await snapshot(b.dashboard);
    expect(waiting.phase).toBe('starting');
    expect(waiting.contribution.state).toBe('waiting');
    const coldkey = waiting.wallet.coldkey!;
    expect(waiting.contribution.reason).toContain(`send at least 101 to this wallet (${coldkey})`);
    expect(waiting.reachability.status).toBe('private'); // not listening yet

    // Paid from the first miner's wallet through its API: the second one starts by itself.
    const paid = await api(a.dashboard, '/api/wallet/transfer', {
      method: 'POST',
      body: JSON.stringify({ to: coldkey, amount: '150.123456789', password: PASSWORD }),
    });
    expect(paid.status).toBe(200);
    const joined = await until(
      async () => {
        const s = await snapshot(b.dashboard);
        return s.phase === 'running' && s.training.step >= 1 && s.peersConnected >= 1 ? s : undefined;
      },
      'the second miner training with a peer',
      120_000,
    );
    expect(joined.peers.map((p) => p.uid).sort()).toContain(aNeuron.uid);
    expect(joined.peers.find((p) => p.isUs)?.hotkey).toBe(joined.wallet.hotkey);
    expect(Number(joined.wallet.staked)).toBeGreaterThanOrEqual(100);
    // Listening on every interface; with only loopback and private addresses here, AutoNAT cannot confirm one.
    expect(joined.reachability.status).toBe('private');
    // The advice names the port the system chose (Settings' neuronPort is 0 by default), never "port 0".
    const me = await ledger.neuron(joined.wallet.hotkey!);
    const listening = /\/tcp\/(\d+)\//.exec(me!.multiaddrs[0]!)?.[1];
    expect(joined.reachability.advice).toContain(`forward TCP port ${listening} on your router`);
    expect(listening).not.toBe('0');

    // Both wallets now hold fractional balances. Stopped and started again on the same folders, both run again:
    // the first on its embedded network, the second on the first one's (restarted) ledger.
    expect(joined.wallet.free).toBe('49.123456789');
    expect(await stopChild(b.child)).toBe(0);
    expect(await stopChild(a.child)).toBe(0);
    const a2 = await startHeadless(join(dir, 'a'), pw, running);
    const b2 = await startHeadless(join(dir, 'b'), [...pw, '--ledger', a2.ledger, '--no-upnp'], running);
    for (const miner of [a2, b2]) {
      const s = await until(
        async () => {
          const s = await snapshot(miner.dashboard);
          return s.phase === 'running' && s.training.step >= 1 ? s : undefined;
        },
        'a restarted miner training',
        120_000,
      );
      expect(s.problem).toBeNull();
    }
    expect((await snapshot(b2.dashboard)).wallet.coldkey).toBe(coldkey);
    expect(await stopChild(b2.child)).toBe(0);
    expect(await stopChild(a2.child)).toBe(0);
  }, 420_000);
});
