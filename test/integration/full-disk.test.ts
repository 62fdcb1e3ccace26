import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerClient } from '../../src/ledger/client.js';
import { BIN } from '../support/cli.js';
import { TOKEN } from '../support/ledger.js';
import { freePort } from '../support/processes.js';
import { runOnTmpfs } from '../support/small-disk.js';

/**
 * Runs a script of test/support on a real full disk: a tmpfs of `size` mounted in a user namespace of its own
 * (no root needed where unprivileged user namespaces are on, as on Debian), given as the script's argument.
 * Returns the last line it printed, parsed.
 */
function runOnSmallDisk(script: string, size: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'bt-full-disk-'));
  const run = runOnTmpfs(dir, `size=${size}`, process.execPath, [
    '--import',
    'tsx',
    join(import.meta.dirname, '../support', script),
    dir,
  ]);
  expect(run.status, `${script} failed: ${run.error?.message ?? ''} ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

describe('the embedded ledger on a disk that fills up and has room again', () => {
  it('loses no block: blocks wait while it is full, go on after, and all of them are there after a restart', () => {
    const seen = runOnSmallDisk('full-disk-ledger.ts', '2m') as {
      heightFull: number;
      heightDuringOutage: number;
      heightStop: number;
      heightAgain: number;
      failures: number;
      status: { status: string; block?: number };
      sinkBalance: string;
      errors: string[];
      back: number;
    };
    // Every block made is there after the restart (LevelDB's log is not written past a torn record).
    expect(seen.heightAgain).toBe(seen.heightStop);
    // While full, no block was made (at most the one being written as the disk filled).
    expect(seen.heightDuringOutage - seen.heightFull).toBeLessThanOrEqual(1);
    expect(seen.failures).toBeGreaterThanOrEqual(5);
    // One line for the outage (per reason: the torn write, then the reopen that cannot happen yet), not one per slot.
    expect(seen.errors.length).toBeLessThanOrEqual(3);
    expect(seen.errors[0]).toMatch(/block production failed.*no space left on device/i);
    expect(seen.back).toBe(1);
    // The transfer that waited is in a block after the outage, once.
    expect(seen.status.status).toBe('included');
    expect(seen.status.block!).toBeGreaterThan(seen.heightDuringOutage);
    expect(seen.sinkBalance).toBe(String(TOKEN));
  }, 150_000);
});

describe('logs to a file on a full disk', () => {
  it('a ledger whose stderr is a full disk (/dev/full) goes on serving, and stops cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-stderr-'));
    const port = await freePort();
    const full = await open('/dev/full', 'w');
    // `bittensor-miner ledger start 2> miner.log` on a disk with no room: every log line fails with ENOSPC.
    const child = spawn(
      process.execPath,
      [
        BIN,
        'ledger',
        'start',
        '--data',
        join(dir, 'ledger'),
        '--rpc-port',
        String(port),
        '--block-time',
        '50',
        '--log-level',
        'debug',
      ],
      { stdio: ['ignore', 'pipe', full.fd] },
    );
    await full.close();
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    const client = new LedgerClient(`http://127.0.0.1:${port}`, { timeoutMs: 2_000 });
    // Before, the first log line's failed write ended the process (exit 1, its error unprintable).
    await expect
      .poll(async () => (exitCode !== undefined ? -1 : ((await client.info().catch(() => undefined))?.height ?? 0)), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(20);
    expect(exitCode).toBeUndefined();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('a CometBFT validator on a disk that fills up', () => {
  it('stops and says why (instead of living on without making blocks), and goes on when started again', () => {
    const seen = runOnSmallDisk('full-disk-comet.ts', '16m') as {
      heightFull: number;
      code: number;
      error: string;
      heightAgain: number;
      heightLater: number;
      stoppedAgain: number;
    };
    expect(seen.code).toBe(2);
    expect(seen.error).toMatch(
      /^error: cometbft stopped \(consensus failure: .*no space left on device\); free some space and start the node again/,
    );
    expect(seen.heightAgain).toBeGreaterThanOrEqual(seen.heightFull);
    expect(seen.heightLater).toBeGreaterThanOrEqual(seen.heightAgain + 5);
    expect(seen.stoppedAgain).toBe(0);
  }, 150_000);
});
