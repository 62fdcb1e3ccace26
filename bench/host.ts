/**
 * bench:host: what the host costs while it follows a network, at 5 and 1,024 neurons: bytes pushed to a
 * dashboard per minute (as JSON, and on the wire: a WebSocket client of the dashboard server, which compresses
 * them when the build does), and the host's CPU (its process only: the ledger runs in another, bench/host/
 * synthetic-ledger.ts). The host joins that ledger with a wallet nobody funds (so it follows the chain, waits
 * for tokens and runs no neuron) and a full earnings history (500 epochs). Prints a table; asserts nothing.
 *
 *   npm run bench:host                  # this build
 *   HOST_DIST=/path/to/dist npm run bench:host   # another build's host (e.g. an older commit), same bench
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { silentLogger } from '../src/shared/logger.js';
import { printTable } from './table.js';

const SIZES = (process.env['SIZES'] ?? '5,1024').split(',').map(Number);
const WINDOW_MS = Number(process.env['WINDOW_S'] ?? 60) * 1000;
const dist = resolve(process.env['HOST_DIST'] ?? 'dist');
const { startHost } = (await import(pathToFileURL(join(dist, 'main/host.js')).href)) as {
  startHost: (
    init: Record<string, unknown>,
    components?: Record<string, unknown>,
  ) => Promise<Record<string, unknown> & { stop(): Promise<void> }>;
};
const { DashboardServer } = (await import(pathToFileURL(join(dist, 'main/dashboard-server.js')).href)) as {
  DashboardServer: new (
    a: Record<string, unknown>,
    b: Record<string, unknown>,
  ) => { start(): Promise<void>; stop(): Promise<void>; url: string };
};

/** A full history file: 500 finished epochs. */
const history = JSON.stringify(
  Array.from({ length: 500 }, (_, i) => ({
    epoch: 10_000 + i,
    block: 100_000 + i * 10,
    time: Date.now() - (500 - i) * 10_000,
    emission: '1.234567891',
    balance: '1234.567891234',
    rank: 0.01,
    trust: 0.9,
    consensus: 0.8,
    incentive: 0.01,
    dividends: 0.01,
  })),
);

const rows: Array<Array<string | number>> = [];
for (const n of SIZES) {
  const ledger = spawn(process.execPath, ['--import', 'tsx', 'bench/host/synthetic-ledger.ts', String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<{ rpc: string }>((ok, fail) => {
    createInterface({ input: ledger.stdout }).once('line', (l) => ok(JSON.parse(l) as { rpc: string }));
    ledger.once('exit', (code) => fail(new Error(`the synthetic ledger exited (${code})`)));
  });
  const data = await mkdtemp(join(tmpdir(), 'bt-bench-host-'));
  await writeFile(join(data, 'history.json'), history);
  const host = await startHost({ dataDir: data, ledgerUrl: ready.rpc, password: 'a long passphrase' });
  // Older builds took (init, components) the other way round; both are tried.
  const components = { host, logger: silentLogger };
  const init = { port: 0, token: 'bench' };
  let server: InstanceType<typeof DashboardServer>;
  try {
    server = new DashboardServer(components, init);
  } catch {
    server = new DashboardServer(init as Record<string, unknown>, components);
  }
  await server.start();
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/events?token=bench`);
  await new Promise((ok, fail) => {
    socket.once('open', ok);
    socket.once('error', fail);
  });
  // ws keeps its TCP socket in a private field: the only place the bytes that crossed the wire are counted.
  const wire = (socket as unknown as { _socket: { bytesRead: number } })._socket;
  socket.on('message', () => undefined);
  let pushes = 0;
  let bytes = 0;
  const count = (text: string) => {
    pushes++;
    bytes += text.length;
  };
  // What a dashboard's WebSocket would carry: this build's pushes, or an older build's whole snapshots.
  if (typeof host['onPush'] === 'function') {
    (host['onPush'] as (l: (push: unknown) => void) => void)((push) => {
      count(JSON.stringify(push));
      (server as unknown as { push(p: unknown): void }).push(push);
    });
  } else {
    (host['onSnapshot'] as (l: (s: unknown) => void) => void)((s) =>
      count(JSON.stringify({ type: 'snapshot', snapshot: s })),
    );
  }
  await new Promise((r) => setTimeout(r, 5000)); // settle: the first reads, the first snapshot
  pushes = 0;
  bytes = 0;
  const wire0 = wire.bytesRead;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  rows.push([
    n,
    (pushes * 60) / seconds,
    ((bytes / seconds) * 60) / 1024,
    (((wire.bytesRead - wire0) / seconds) * 60) / 1024,
    (((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(1),
  ]);
  socket.close();
  await server.stop();
  await host.stop();
  ledger.kill('SIGTERM');
  await new Promise((r) => ledger.once('exit', r));
  await rm(data, { recursive: true, force: true });
}
printTable(
  ['neurons', 'pushes/min', 'KiB pushed/min (JSON)', 'KiB/min on the wire', 'host CPU %'],
  rows.map(([n, p, k, w, c]) => [
    String(n),
    (p as number).toFixed(1),
    (k as number).toFixed(1),
    (w as number).toFixed(1),
    String(c),
  ]),
);
