import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerClient } from '../../src/ledger/client.js';
import { tokens } from '../../src/renderer/lib/format.js';
import { CometNet } from '../support/comet.js';
import { CHROMIUM, CHROMIUM_ARGS, snapshot, startHeadless, stopChild, until } from '../support/headless.js';
import { key, TOKEN } from '../support/ledger.js';

/** The miner joined to a network of four CometBFT validators, its dashboard in a real browser. */

const PASSWORD = 'a long passphrase';
const funder = key(1);
let dir: string;
let net: CometNet;
let browser: Browser;
const running: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-comet-dashboard-'));
  await writeFile(join(dir, 'pw'), `${PASSWORD}\n`, { mode: 0o600 });
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`).toBe(true);
  net = await CometNet.create(4, [[funder.address, 1000n * TOKEN]], { tempo: 5, blockTimeMs: 300 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await net?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('start --headless --ledger (four CometBFT nodes, comma-separated)', () => {
  it('waits for tokens, registers, trains, and every view of the dashboard shows live data from the chain', async () => {
    const miner = await startHeadless(
      join(dir, 'data'),
      ['--password-file', join(dir, 'pw'), '--ledger', net.urls, '--no-upnp'],
      running,
    );
    expect(miner.ledger).toBe(net.urls);
    const waiting = await until(async () => {
      const s = await snapshot(miner.dashboard);
      return s.contribution.state === 'waiting' && s.wallet.coldkey ? s : undefined;
    }, 'the miner to wait for tokens');
    expect(waiting.contribution.reason).toContain(`to this wallet (${waiting.wallet.coldkey})`);

    // Paid through a CometBFT node by a genesis account: the miner registers and starts by itself.
    const ledger = new LedgerClient(net.urls);
    await ledger.signAndSubmit(funder, { type: 'transfer', to: waiting.wallet.coldkey!, amount: String(150n * TOKEN) });
    const joined = await until(
      async () => {
        const s = await snapshot(miner.dashboard);
        return s.phase === 'running' && s.uid >= 0 && s.training.step >= 1 && s.epochs.length >= 2 ? s : undefined;
      },
      'the miner registered, training, two epochs seen',
      180_000,
    );
    const onChain = await ledger.neuron(joined.wallet.hotkey!);
    expect(onChain?.uid).toBe(joined.uid);
    expect(Number(joined.wallet.staked)).toBeGreaterThanOrEqual(100);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(miner.dashboard.href);
    const view = async (name: string) => {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 2, name }).waitFor();
    };
    await view('Overview');
    await page.getByTestId('step').waitFor();
    // Live: the training step on the page moves on while we watch.
    const step = Number(await page.getByTestId('step').textContent());
    await until(
      async () => (Number(await page.getByTestId('step').textContent()) > step ? true : undefined),
      'a new step on the page',
    );

    await view('Peers');
    const table = page.getByRole('table').first();
    await table.locator('tbody tr').first().waitFor();
    const uids = (await table.locator('tbody tr td:first-child').allTextContents()).map((t) => t.replace(/\s/g, ' '));
    expect(uids).toContain(`${joined.uid} (us)`);

    // Earnings: a new epoch from the chain reaches the page.
    await view('Earnings');
    await page.getByRole('table', { name: 'Our scores in the latest epoch' }).waitFor();
    expect(await page.locator('figure canvas').count()).toBeGreaterThanOrEqual(2);
    const epochs = (await snapshot(miner.dashboard)).epochs.length;
    await until(
      async () => ((await snapshot(miner.dashboard)).epochs.length > epochs ? true : undefined),
      'one more epoch',
    );

    await view('Trust graph');
    await page.getByTestId('graph-info').waitFor();
    await view('Wallet');
    // The free balance the chain reports (what is left of 150 after the registration and the stake).
    await until(async () => {
      const free = (await snapshot(miner.dashboard)).wallet.free;
      return (await page.getByTestId('free').textContent()) === `${tokens(free)} tokens` ? true : undefined;
    }, "the chain's free balance on the page");
    await view('Settings');
    // --ledger applies to this run only; saved in Settings, the same list is kept for the next start.
    const form = page.getByRole('form', { name: 'Settings' });
    await form
      .getByLabel(/ledger/i)
      .first()
      .fill(net.urls);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = JSON.parse(await readFile(join(dir, 'data', 'settings.json'), 'utf8')) as { ledgerUrl?: string };
    expect(saved.ledgerUrl).toBe(net.urls);
    expect(errors).toEqual([]);
    await page.close();
    expect(await stopChild(miner.child)).toBe(0);
  }, 400_000);
});
