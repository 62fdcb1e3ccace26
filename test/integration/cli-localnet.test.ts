import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  };
}

describe('localnet (the contract)', () => {
  it('runs a ledger and 3 neurons (1 junk), then writes the report and the chart and leaves no process', async () => {
    const data = join(dir, 'run');
    const report = join(dir, 'report.json');
    const started = Date.now();
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
    expect((Date.now() - started) / 1000).toBeLessThan(25 + 120);
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

  it('stops cleanly on Ctrl-C (SIGINT) and leaves no process behind', async () => {
    const data = join(dir, 'interrupted');
    const r = run(['localnet', '--neurons', '3', '--junk', '1', '--duration', '300', '--data', data]);
    const deadline = Date.now() + 60_000;
    while (!/starting 3 neurons/.test(r.stderr()) && Date.now() < deadline)
      await new Promise((s) => setTimeout(s, 100));
    await new Promise((s) => setTimeout(s, 3000)); // the neurons are starting up
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
