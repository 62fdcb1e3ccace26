import { execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MinerSnapshot, Settings } from '../../src/shared/api.js';
import { api, CHROMIUM, CHROMIUM_ARGS, snapshot, startHeadless, stopChild, until } from '../support/headless.js';

let dir: string;
const running: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-headless-'));
  await writeFile(join(dir, 'pw'), 'a long passphrase\n');
});
afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const start = (data: string, more: string[] = []) =>
  startHeadless(data, ['--password-file', join(dir, 'pw'), ...more], running);
const stop = stopChild;

describe('start --headless (the contract)', () => {
  it('serves the API on 127.0.0.1 with a token; Pause stops training and Resume restarts it; settings and the wallet survive a restart', async () => {
    const data = join(dir, 'data');
    const { child, dashboard, ledger, keys } = await start(data);
    expect(keys).toEqual(['dashboard', 'ledger']);
    expect(dashboard.hostname).toBe('127.0.0.1');
    expect(dashboard.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(ledger).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Every request and WebSocket without the token is refused with 401.
    expect((await api(dashboard, '/api/snapshot', { token: null })).status).toBe(401);
    expect((await api(dashboard, '/api/snapshot', { token: 'wrong' })).status).toBe(401);
    expect((await api(dashboard, '/api/pause', { method: 'POST', token: null })).status).toBe(401);
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${dashboard.host}/api/events`);
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe('401');
    const pushed = await new Promise<MinerSnapshot>((resolve, reject) => {
      const ws = new WebSocket(`ws://${dashboard.host}/api/events?token=${dashboard.searchParams.get('token')}`);
      ws.on('message', (m) => {
        resolve((JSON.parse(String(m)) as { snapshot: MinerSnapshot }).snapshot);
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(pushed.backend.name).toBe('wasm');

    const first = await until(
      async () => ((await snapshot(dashboard)).training.step >= 2 ? snapshot(dashboard) : undefined),
      'training steps',
    );
    expect(first.contribution.state).toBe('contributing');
    expect(first.training.loss).toBeGreaterThan(0);

    const paused = (await (await api(dashboard, '/api/pause', { method: 'POST' })).json()) as MinerSnapshot;
    expect(paused.contribution).toMatchObject({ state: 'paused', reason: 'paused by you' });
    // The worker finishes the step in progress and parks: it says at which step, and that is the last one.
    const parked = await until(async () => {
      const s = await snapshot(dashboard);
      return s.training.parkedAt !== null ? s : undefined;
    }, 'training parked');
    const atPause = parked.training.parkedAt!;
    expect(parked.training.step).toBe(atPause);
    await api(dashboard, '/api/resume', { method: 'POST' });
    await until(async () => ((await snapshot(dashboard)).training.step > atPause ? true : undefined), 'training again');

    // The dashboard in a real browser (Debian's chromium): the Overview renders live data; Pause and Resume work.
    {
      expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`).toBe(true);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // No console error either: a missing favicon would be one ("Failed to load resource: 404").
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(dashboard.href);
        await page.getByRole('link', { name: /Overview/ }).waitFor();
        await page.getByText('contributing', { exact: true }).first().waitFor({ timeout: 20_000 });
        await page.getByRole('button', { name: 'Pause' }).click();
        await page.getByRole('button', { name: 'Resume' }).waitFor();
        await page.getByText('paused by you').waitFor();
        expect((await snapshot(dashboard)).contribution.state).toBe('paused');
        await page.getByRole('button', { name: 'Resume' }).click();
        await page.getByRole('button', { name: 'Pause' }).waitFor();
        expect((await snapshot(dashboard)).contribution.state).toBe('contributing');
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    }

    const saved = await api(dashboard, '/api/settings', { method: 'PUT', body: JSON.stringify({ idleMinutes: 12 }) });
    expect(saved.status).toBe(200);
    const bad = await api(dashboard, '/api/settings', { method: 'PUT', body: JSON.stringify({ cpuCores: 0 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^cpuCores: /);

    expect(await stop(child)).toBe(0);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(data));
    expect(left).toEqual([]);

    // Again with --cpu-cores: it holds for this run (half a core: one thread, half the time); the settings keep theirs.
    const again = await start(data, ['--cpu-cores', '0.5']);
    const settings = (await (await api(again.dashboard, '/api/settings')).json()) as Settings;
    expect(settings.idleMinutes).toBe(12);
    expect(settings.cpuCores).toBe(Math.max(1, availableParallelism() - 1));
    const overridden = await until(async () => {
      const s = await snapshot(again.dashboard);
      return s.contribution.state === 'contributing' ? s : undefined;
    }, 'contributing again');
    expect(overridden.contribution).toMatchObject({
      share: 0.5,
      reason: 'training with 0.5 of a core: one thread, 50% of the time',
    });
    expect(overridden.machine.cores).toBe(availableParallelism());
    expect(overridden.wallet.coldkey).toBe(first.wallet.coldkey);
    expect(await stop(again.child)).toBe(0);
  }, 240_000);
});
