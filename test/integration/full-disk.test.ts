import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN } from '../support/ledger.js';

/**
 * A real full disk: a 2 MiB tmpfs mounted in a user namespace of its own (no root needed where unprivileged
 * user namespaces are on, as on Debian), and the embedded ledger on it (test/support/full-disk-ledger.ts).
 */
describe('the embedded ledger on a disk that fills up and has room again', () => {
  it('loses no block: blocks wait while it is full, go on after, and all of them are there after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-full-disk-'));
    const script = join(import.meta.dirname, '../support/full-disk-ledger.ts');
    const run = spawnSync(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        'mount -t tmpfs -o size=2m tmpfs "$0" && exec "$1" --import tsx "$2" "$0"',
        dir,
        process.execPath,
        script,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, `the script failed: ${run.error?.message ?? ''} ${run.stderr}`).toBe(0);
    const seen = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
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
