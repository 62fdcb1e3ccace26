// Screenshots of every dashboard view for the README, on the embedded network with three peers (one junk)
// after EPOCHS epochs (default 24): node scripts/screenshots.mjs [OUT_DIR [EPOCHS]]. Needs Debian's chromium and
// a build (npm run build).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/screenshots';
const epochs = Number(process.argv[3] ?? 24);
const dir = await mkdtemp(join(tmpdir(), 'bt-screenshots-'));
await writeFile(join(dir, 'pw'), 'a long passphrase\n', { mode: 0o600 });
const args = ['start', '--headless', '--data', join(dir, 'data'), '--password-file', join(dir, 'pw'), '--peers', '3'];
const miner = spawn(process.execPath, ['bin/bittensor-miner.js', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
const stop = () =>
  new Promise((resolve) =>
    miner.exitCode !== null ? resolve() : (miner.once('exit', resolve), miner.kill('SIGTERM')),
  );
try {
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: miner.stdout }).once('line', resolve);
    miner.once('exit', (code) => reject(new Error(`the miner exited (${code})`)));
  });
  const dashboard = new URL(JSON.parse(line).dashboard);
  const snapshot = async () =>
    (
      await fetch(new URL('/api/snapshot', dashboard), {
        headers: { authorization: `Bearer ${dashboard.searchParams.get('token')}` },
      })
    ).json();
  const started = Date.now();
  for (;;) {
    const s = await snapshot();
    const gated = s.peers.some((p) => p.gate !== null);
    process.stderr.write(
      `\r${Math.round((Date.now() - started) / 1000)} s: ${s.epochs.length} epochs, step ${s.training.step}${gated ? ', gate scored' : ''}   `,
    );
    if (s.epochs.length >= epochs && gated) break;
    if (Date.now() - started > 1_200_000) throw new Error(`not ${epochs} epochs with gate scores after 20 minutes`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  process.stderr.write('\n');
  // What the README quotes: each neuron's stake and scores, and our view of it, when the pictures were taken.
  const last = await snapshot();
  for (const p of last.peers) {
    const { uid, stake, incentive, dividends, importance, ourWeight, isUs } = p;
    console.log(JSON.stringify({ uid, isUs, stake, incentive, dividends, importance, ourWeight }));
  }
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(dashboard.href);
    for (const [id, name] of [
      ['overview', 'Overview'],
      ['earnings', 'Earnings'],
      ['peers', 'Peers'],
      ['trust-graph', 'Trust graph'],
      ['wallet', 'Wallet'],
      ['settings', 'Settings'],
    ]) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 2, name }).waitFor();
      await page.waitForTimeout(id === 'trust-graph' ? 2500 : 800);
      await page.screenshot({ path: join(out, `${id}.png`), fullPage: true });
      process.stderr.write(`${join(out, `${id}.png`)}\n`);
    }
  } finally {
    await browser.close();
  }
} finally {
  await stop();
  await rm(dir, { recursive: true, force: true });
}
