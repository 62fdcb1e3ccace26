/**
 * bench:memory: what the miner costs in memory, as a user runs it. Prints two tables; asserts nothing.
 *
 * 1. The default: `start --headless` on a fresh data folder (the embedded network: its ledger inside the miner,
 *    three peers as processes of their own, the last one junk), with a wallet created over the dashboard's API so
 *    that the miner's own neuron trains too (MEMORY_WALLET=0: without one, the miner only waits). Resident memory
 *    of the miner and of each peer, read from /proc every 10 s from WARMUP_S (150) for WINDOW_S (60) seconds.
 * 2. One training step of the real model on WebAssembly (two peers' answers, the solo twin): the WebAssembly heap
 *    it leaves, which never shrinks (what a training worker holds); the large preset too with MEMORY_LARGE=1.
 *
 *   npm run bench:memory
 *   MINER_BIN=/other/checkout/bin/bittensor-miner.js npm run bench:memory   # another build's miner, same bench
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadBackend, tf } from '../src/neuron/ml/backend.js';
import { brownCorpus, sliceFor } from '../src/neuron/ml/corpus.js';
import { LARGE } from '../src/neuron/ml/presets.js';
import { tokenizeSlice } from '../src/neuron/ml/tokenize.js';
import { printTable } from './table.js';
import { largeSize, smallSize, stepTimes } from './train-kit.js';

const WARMUP_MS = Number(process.env['WARMUP_S'] ?? 150) * 1000;
const WINDOW_MS = Number(process.env['WINDOW_S'] ?? 60) * 1000;
const WALLET = process.env['MEMORY_WALLET'] !== '0';
const bin = resolve(process.env['MINER_BIN'] ?? 'bin/bittensor-miner.js');
const MB = 1024 * 1024;

/** A process's resident memory, bytes (undefined once it is gone). */
function rss(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The miner's peers: its children that run `neuron train`, each with what it is (trained or junk). */
function peersOf(parent: number): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('train')) found.set(Number(entry), args.includes('--junk') ? 'junk peer' : 'trained peer');
    } catch {
      // Gone between the listing and the read.
    }
  }
  return found;
}

async function defaultMiner(): Promise<string[][]> {
  const data = await mkdtemp(join(tmpdir(), 'bt-bench-memory-'));
  const miner = spawn(process.execPath, [bin, 'start', '--headless', '--data', data, '--dashboard-port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const first = await new Promise<string>((done, fail) => {
      createInterface({ input: miner.stdout }).once('line', done);
      miner.once('exit', (code) => fail(new Error(`the miner exited (${code}) before it was ready`)));
    });
    const dashboard = new URL((JSON.parse(first) as { dashboard: string }).dashboard);
    if (WALLET) {
      const token = dashboard.searchParams.get('token')!;
      const made = await fetch(new URL('/api/wallet/create', dashboard.origin), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'bench memory password' }),
      });
      if (!made.ok) throw new Error(`creating the wallet failed: ${made.status} ${await made.text()}`);
    }
    const started = Date.now();
    console.log(`sampling from ${WARMUP_MS / 1000} s for ${WINDOW_MS / 1000} s (the peers train meanwhile)...`);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const samples = new Map<number, { role: string; values: number[] }>();
    while (Date.now() - started < WARMUP_MS + WINDOW_MS) {
      const roles = new Map([[miner.pid!, WALLET ? 'miner (training)' : 'miner (no wallet)'], ...peersOf(miner.pid!)]);
      for (const [pid, role] of roles) {
        const value = rss(pid);
        if (value === undefined) continue;
        const s = samples.get(pid) ?? { role, values: [] };
        s.values.push(value);
        samples.set(pid, s);
      }
      await new Promise((r) => setTimeout(r, 10_000));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const rows = [...samples.values()]
      .sort((a, b) => a.role.localeCompare(b.role))
      .map((s) => [s.role, (mean(s.values) / MB).toFixed(0), (Math.max(...s.values) / MB).toFixed(0)]);
    const total = [...samples.values()].reduce((sum, s) => sum + mean(s.values), 0);
    return [...rows, ['all', (total / MB).toFixed(0), '']];
  } finally {
    miner.kill('SIGINT');
    await new Promise((r) => (miner.exitCode === null ? miner.once('exit', r) : r(undefined)));
    await rm(data, { recursive: true, force: true });
  }
}

async function stepHeaps(): Promise<string[][]> {
  await loadBackend('wasm');
  const tokens = await tokenizeSlice(sliceFor(await brownCorpus(), 0, 3));
  const small = smallSize(tokens.train);
  // The large preset as a CPU backend trains it.
  const sizes = process.env['MEMORY_LARGE'] === '1' ? [small, largeSize(small, LARGE.batch)] : [small];
  const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const rows: string[][] = [];
  for (const size of sizes) {
    const { ms } = await stepTimes(tokens.train, size, 2);
    rows.push([size.label, (heap() / MB).toFixed(0), ms.toFixed(0)]);
  }
  return rows;
}

if (process.platform !== 'linux') throw new Error('bench:memory reads /proc: it runs on Linux');
console.log(`The default miner (${bin}), resident memory in MiB:\n`);
printTable(['process', 'mean', 'max'], await defaultMiner());
console.log(
  `\nOne training step on WebAssembly (this checkout's trainer; two peers' answers, the solo twin), the heap it leaves in MiB:\n`,
);
printTable(['model', 'WebAssembly heap', 'ms / step'], await stepHeaps());
