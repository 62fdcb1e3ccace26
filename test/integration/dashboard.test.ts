import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmount, tokensAsNumber } from '../../src/shared/amount.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { CHROMIUM, CHROMIUM_ARGS, snapshot, startHeadless, stopChild, until } from '../support/headless.js';

const PASSWORD = 'a long passphrase';
const SHOTS = process.env['BT_SCREENSHOTS'];

let dir: string;
let browser: Browser;
const running: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-dashboard-'));
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  if (SHOTS) await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function openPage(url: URL): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url.href);
  return { page, errors };
}

const view = async (page: Page, name: string) => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
};
const shoot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

describe('the dashboard in a real browser, on a real local network', () => {
  it('asks for a wallet, then every view renders live data; a transfer from the Wallet view moves tokens; settings survive a restart with the password asked again', async () => {
    const data = join(dir, 'data');
    const first = await startHeadless(data, [], running);
    const { page, errors } = await openPage(first.dashboard);

    // No --password-file and no wallet: the dashboard asks for one, and says what registering costs.
    await page.getByText('This miner has no wallet yet').first().waitFor();
    await view(page, 'Wallet');
    await page.getByText(/then costs \d/).waitFor();
    const create = page.getByRole('form', { name: 'Create a wallet' });
    await create.getByLabel('Password for the new wallet').fill('short');
    await create.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /at least 8 characters/ })
      .waitFor();
    await create.getByLabel('Password for the new wallet').fill(PASSWORD);
    await create.getByRole('button', { name: 'Create' }).click();
    const words = (await page.getByTestId('mnemonic').textContent())!.trim().split(/\s+/);
    expect(words).toHaveLength(24);
    await page.getByRole('button', { name: 'I wrote them down' }).click();

    // Contributing, with live data on the Overview.
    await view(page, 'Overview');
    await page.getByText('contributing', { exact: true }).first().waitFor({ timeout: 90_000 });
    await until(async () => ((await snapshot(first.dashboard)).training.step >= 1 ? true : undefined), 'a step');
    await shoot(page, 'overview');

    // Peers: every neuron of the ledger, sortable.
    await until(async () => ((await snapshot(first.dashboard)).peers.length >= 2 ? true : undefined), 'two neurons');
    await view(page, 'Peers');
    const table = page.getByRole('table', { name: 'Peers' });
    await table.getByText('(us)').waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await table.getByRole('button', { name: 'uid' }).click(); // descending now
    const uids = await table.locator('tbody tr td:first-child').allTextContents();
    const numbers = uids.map((u) => Number.parseInt(u, 10));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    await shoot(page, 'peers');

    // Earnings: the charts are drawn once epochs finish, with the why and the what-if.
    await until(async () => ((await snapshot(first.dashboard)).epochs.length >= 2 ? true : undefined), 'two epochs');
    await view(page, 'Earnings');
    expect(await page.locator('figure canvas').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('table', { name: 'Our scores in the latest epoch' }).waitFor();
    await page.getByTestId('what-if').waitFor();
    const before = await page.getByTestId('what-if').textContent();
    const weight = Number(await page.getByLabel('Weight on us').inputValue());
    await page.getByLabel('Weight on us').fill(weight > 0.5 ? '0' : '1');
    await until(
      async () => ((await page.getByTestId('what-if').textContent()) !== before ? true : undefined),
      'the what-if',
    );
    await shoot(page, 'earnings');

    // Trust graph: sigma draws the weight graph in WebGL.
    await view(page, 'Trust graph');
    await page.getByTestId('graph-info').waitFor();
    expect(await page.locator('.graph canvas').count()).toBeGreaterThan(0);
    await shoot(page, 'trust-graph');

    // Wallet: a transfer to the peer's coldkey, confirmed with the password, moves tokens on the ledger.
    await view(page, 'Wallet');
    const s = await snapshot(first.dashboard);
    const peer = s.peers.find((p) => !p.isUs)!;
    const ledger = new LedgerClient(first.ledger);
    const ours0 = await ledger.balance(s.wallet.coldkey!);
    const theirs0 = await ledger.balance(peer.coldkey);
    const transfer = page.getByRole('form', { name: 'Transfer' });
    await transfer.getByLabel('To').fill(peer.coldkey);
    await transfer.getByLabel('Amount').fill('999999');
    await transfer.getByRole('button', { name: 'Send' }).click();
    await transfer.getByLabel('Password to confirm').fill(PASSWORD);
    await transfer.getByRole('button', { name: 'Confirm' }).click();
    await transfer
      .getByRole('alert')
      .filter({ hasText: /^insufficient balance/ })
      .waitFor();
    await transfer.getByRole('button', { name: 'Cancel' }).click();
    await transfer.getByLabel('Amount').fill('5');
    await transfer.getByRole('button', { name: 'Send' }).click();
    await transfer.getByText(`Send 5 tokens to ${peer.coldkey}?`).waitFor();
    await transfer.getByLabel('Password to confirm').fill('not the password');
    await transfer.getByRole('button', { name: 'Confirm' }).click();
    await transfer
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();
    expect(await transfer.getByRole('alert').textContent()).not.toContain('\n');
    await transfer.getByLabel('Password to confirm').fill(PASSWORD);
    await transfer.getByRole('button', { name: 'Confirm' }).click();
    await transfer.getByText(/Included in block \d+/).waitFor({ timeout: 30_000 });
    const ours1 = await ledger.balance(s.wallet.coldkey!);
    const theirs1 = await ledger.balance(peer.coldkey);
    expect(ours1.free).toBe(ours0.free - parseAmount('5'));
    expect(theirs1.free).toBe(theirs0.free + parseAmount('5'));
    await page
      .getByTestId('free')
      .filter({ hasText: tokensAsNumber(ours1.free).toLocaleString('en-US') })
      .waitFor();
    await shoot(page, 'wallet');

    // Settings: a bad value is one line; a good one is saved.
    await view(page, 'Settings');
    const form = page.getByRole('form', { name: 'Settings' });
    await form.getByLabel(/Schedule/).fill('weekdays');
    await form.getByRole('button', { name: 'Save' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /^schedule: / })
      .waitFor();
    await form.getByLabel(/Schedule/).fill('');
    await form.getByLabel(/idle for/).fill('17');
    // The CPU cores field takes 0.1 up to this machine's cores, in any step.
    await form.getByLabel(`CPU cores (0.1 to ${availableParallelism()})`).fill('0.35');
    await form.getByLabel('Pause on battery').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shoot(page, 'settings');
    expect(errors).toEqual([]);
    await page.close();
    expect(await stopChild(first.child)).toBe(0);

    // A restart with the same folder: the wallet is locked until its password is given; settings kept.
    const second = await startHeadless(data, [], running);
    const again = await openPage(second.dashboard);
    await again.page.getByText('The wallet is locked.').waitFor();
    await view(again.page, 'Wallet');
    const unlock = again.page.getByRole('form', { name: 'Unlock the wallet' });
    await unlock.getByLabel('Wallet password').fill('not the password');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await again.page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();
    await unlock.getByLabel('Wallet password').fill(PASSWORD);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await again.page.getByTestId('free').waitFor({ timeout: 60_000 });
    expect((await snapshot(second.dashboard)).wallet.coldkey).toBe(s.wallet.coldkey);
    await view(again.page, 'Settings');
    const kept = again.page.getByRole('form', { name: 'Settings' });
    await expect.poll(() => kept.getByLabel(/idle for/).inputValue()).toBe('17');
    expect(await kept.getByLabel(/CPU cores/).inputValue()).toBe('0.35');
    expect(await kept.getByLabel('Pause on battery').isChecked()).toBe(false);
    await view(again.page, 'Earnings');
    expect((await snapshot(second.dashboard)).epochs.length).toBeGreaterThanOrEqual(2); // the history survived
    expect(again.errors).toEqual([]);
    expect(await stopChild(second.child)).toBe(0);
  }, 400_000);
});
