import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedNetwork } from '../../src/main/embedded-network.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';

describe('the embedded network', () => {
  it('whose password file no longer opens its wallets: says so once, and starts no peer to fail again and again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-embedded-'));
    const first = await startEmbeddedNetwork({ dir, peers: 0 }, { logger: silentLogger });
    await first.stop();
    await writeFile(join(dir, 'password'), 'another password, not theirs\n');

    const errors: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger: Logger = { ...silentLogger, child: () => logger, error: (m, f) => void errors.push([m, f]) };
    const again = await startEmbeddedNetwork({ dir, peers: 2 }, { logger });
    await again.stop();
    // What the dashboard shows (an alert): the file, and what to do.
    expect(again.problem).toBe(
      `the embedded network's wallets do not open with its password file (${join(dir, 'password')}): no peer neuron runs; put back the password file they were made with, then restart the miner`,
    );
    expect(first.problem).toBeUndefined();
    expect(errors).toEqual([
      [
        "the embedded network's wallets do not open with its password file; its peer neurons are not started",
        expect.objectContaining({ passwordFile: join(dir, 'password') }),
      ],
    ]);
    // No peer was started: none has a log.
    expect(await readdir(join(dir, 'logs'))).toEqual([]);
  }, 60_000);
});
