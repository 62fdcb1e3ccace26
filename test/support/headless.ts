import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MinerSnapshot } from '../../src/shared/api.js';
import { BIN } from './cli.js';
import { untilValue } from './poll.js';

/** Polls `probe` until it gives a value (see untilValue). */
export const until = untilValue;

/** Debian's chromium and the flags it needs here (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Started {
  child: ChildProcessWithoutNullStreams;
  dashboard: URL;
  ledger: string;
  /** The ready line's keys, in order. */
  keys: string[];
}

/** `start --headless ARGS` (embedded network with one peer); resolves with its ready line. */
export async function startHeadless(
  data: string,
  args: string[],
  running: ChildProcessWithoutNullStreams[],
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--headless', '--data', data, '--peers', '1', '--dashboard-port', '0', ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  running.push(child);
  // The miner's log, beside its data folder, for when a test fails.
  child.stderr.pipe(createWriteStream(`${data}.log`, { flags: 'a' }));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start exited (${code}) before its ready line`)));
  });
  const ready = JSON.parse(line) as { dashboard: string; ledger: string };
  return { child, dashboard: new URL(ready.dashboard), ledger: ready.ledger, keys: Object.keys(ready) };
}

/** SIGTERM, then the exit code. */
export function stopChild(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  child.kill('SIGTERM');
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A call to the dashboard's API with its token (or `token`: null for none, a string for a wrong one). */
export function api(
  dashboard: URL,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const url = new URL(path, dashboard.origin);
  const token = init.token === undefined ? dashboard.searchParams.get('token') : init.token;
  if (token !== null) url.searchParams.set('token', token);
  return fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
}

export const snapshot = async (d: URL): Promise<MinerSnapshot> =>
  (await (await api(d, '/api/snapshot')).json()) as MinerSnapshot;
