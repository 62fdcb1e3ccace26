import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalnetReportNeuron } from '../../src/cli/commands/localnet.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { readWalletInfo } from '../../src/ledger/wallet/index.js';
import { BIN, runCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-localnet-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Processes whose command line mentions `text` (the run's data folder): none may be left behind. */
function processesWith(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

function run(args: string[]): {
  exit: Promise<number | null>;
  stderr: () => string;
  stdout: () => string;
  kill: (s: NodeJS.Signals) => void;
  pid: number | undefined;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return {
    exit: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    stderr: () => err,
    stdout: () => out,
    kill: (s) => child.kill(s),
    pid: child.pid,
  };
}

describe('localnet (the contract)', () => {
  it('runs a ledger and 3 neurons (1 junk), then writes the report and the chart and leaves no process', async () => {
    const data = join(dir, 'run');
    const report = join(dir, 'report.json');
    const r = run([
      'localnet',
      '--neurons',
      '3',
      '--junk',
      '1',
      '--duration',
      '25',
      '--data',
      data,
      '--report',
      report,
    ]);
    expect(await r.exit, r.stderr()).toBe(0);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { neurons: Array<Record<string, unknown>> };
    expect(JSON.parse(r.stdout())).toEqual(parsed);
    expect(parsed.neurons).toHaveLength(3);
    for (const n of parsed.neurons) {
      for (const key of [
        'uid',
        'hotkey',
        'junk',
        'incentive',
        'emission',
        'stake',
        'valLoss',
        'valLossSolo',
        'valLossStudent',
      ]) {
        expect(n).toHaveProperty(key);
      }
      expect(typeof n['incentive']).toBe('number');
      expect(n['stake'] as number).toBeGreaterThanOrEqual(100);
    }
    const junk = parsed.neurons.filter((n) => n['junk'] === true);
    const trained = parsed.neurons.filter((n) => n['junk'] === false);
    expect(junk).toHaveLength(1);
    expect(junk[0]!['valLoss']).toBeNull();
    for (const n of trained) {
      for (const key of ['valLoss', 'valLossSolo', 'valLossStudent']) expect(Number.isFinite(n[key])).toBe(true);
    }
    expect(new Set(parsed.neurons.map((n) => n['uid'])).size).toBe(3);
    expect((await readFile(join(dir, 'report.svg'), 'utf8')).startsWith('<svg')).toBe(true);
    expect(r.stderr()).toMatch(/steps .* loss .* solo .* student .* incentive/); // live progress
    expect(processesWith(data)).toEqual([]);
    // --data keeps the network's state.
    expect(existsSync(join(data, 'chain'))).toBe(true);
    expect(existsSync(join(data, 'neuron1', 'checkpoint.bin'))).toBe(true);
  }, 200_000);

  it('a trained neuron killed mid-run (kill -9) is reported as exited and ends earning no more than the junk one', async () => {
    const data = join(dir, 'killed');
    const report = join(dir, 'killed.json');
    const r = run([
      'localnet',
      '--neurons',
      '4',
      '--junk',
      '1',
      '--duration',
      '200',
      '--data',
      data,
      '--report',
      report,
    ]);
    const ledgerAt = () => /ledger at (http:\/\/\S+);/.exec(r.stderr())?.[1];
    await expect.poll(ledgerAt, { timeout: 60_000, interval: 200 }).toBeDefined();
    const client = new LedgerClient(ledgerAt()!);
    const [victim, junk] = await Promise.all([
      readWalletInfo(join(data, 'wallets'), 'neuron2'),
      readWalletInfo(join(data, 'wallets'), 'neuron4'),
    ]);
    // Killed once the network pays it more than the junk neuron: it was useful, and then it is gone.
    const incentive = async (hotkey: string) => (await client.neuron(hotkey))?.incentive ?? 0;
    await expect
      .poll(async () => (await incentive(victim.hotkey)) - (await incentive(junk.hotkey)), {
        timeout: 150_000,
        interval: 1000,
      })
      .toBeGreaterThan(0.01);
    const [pid] = processesWith(join(data, 'neuron2'))
      .map((l) => Number(l.trim().split(/\s+/)[0]))
      .filter((p) => Number.isInteger(p) && p !== r.pid);
    process.kill(pid!, 'SIGKILL');
    expect(await r.exit, r.stderr()).toBe(0);
    expect(r.stderr()).toMatch(/neuron2 \(uid \d+\) exited \(signal SIGKILL\)/);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { neurons: LocalnetReportNeuron[] };
    const dead = parsed.neurons.find((n) => n.hotkey === victim.hotkey)!;
    const junkRow = parsed.neurons.find((n) => n.hotkey === junk.hotkey)!;
    expect(dead.exited).toBe('signal SIGKILL');
    expect(dead.valLoss).toBeNull(); // no numbers of a neuron that is gone
    expect(junkRow.exited).toBeNull();
    // Its peers' scores for it decayed while it was silent: it ends at the junk neuron's incentive, within 0.02.
    expect(dead.incentive).toBeLessThanOrEqual(junkRow.incentive + 0.02);
    expect(processesWith(data)).toEqual([]);
  }, 420_000);

  it('stops cleanly on Ctrl-C (SIGINT) and leaves no process behind', async () => {
    const data = join(dir, 'interrupted');
    const r = run(['localnet', '--neurons', '3', '--junk', '1', '--duration', '300', '--data', data, '--threads', '2']);
    // Interrupted while its three neurons are starting up.
    const neurons = () => processesWith(data).filter((l) => l.includes('neuron train'));
    await expect.poll(() => neurons().length, { timeout: 60_000 }).toBe(3);
    // --threads reaches every neuron.
    expect(neurons().filter((l) => / --threads 2( |$)/.test(l))).toHaveLength(3);
    r.kill('SIGINT');
    await r.exit;
    expect(r.stderr()).toMatch(/stopping the local network/);
    expect(processesWith(data)).toEqual([]);
  }, 120_000);

  it('refuses impossible sizes in one line', async () => {
    const r = await runCli(['localnet', '--neurons', '3', '--junk', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: --junk: at most 2 of 3 neurons \(one must train\)$/);
    const help = await runCli(['localnet', '--help']);
    expect(help.stdout).toMatch(/--neurons <n>[\s\S]*--junk <j>[\s\S]*--duration <seconds>[\s\S]*--report <file>/);
  });
});
