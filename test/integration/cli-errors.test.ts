import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { freePort, Processes, waitFor } from '../support/processes.js';

// Every user mistake is one line on stderr, exit code 2, nothing on stdout: never a stack trace or an
// "internal error".

let dir: string;
let busy: Server;
let busyPort: number;
const procs = new Processes();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-cli-errors-'));
  busy = createServer();
  busyPort = await new Promise<number>((resolve) =>
    busy.listen(0, '0.0.0.0', () => resolve((busy.address() as { port: number }).port)),
  );
});

afterAll(async () => {
  await procs.stopAll();
  busy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  expect(r.stderr.trimEnd()).toMatch(pattern);
}

describe('ports', () => {
  it.each(['99999', '70000', '-1', 'x'])('ledger start --rpc-port %s is refused with the range', async (port) => {
    const r = await runCli(['ledger', 'start', '--data', join(dir, 'p'), '--rpc-port', port]);
    expectOneLineError(r, /--rpc-port: expected a port from 0 to 65535/);
  });

  it('ledger start on a port in use says so and what to do', async () => {
    const r = await runCli(['ledger', 'start', '--data', join(dir, 'busy'), '--rpc-port', String(busyPort)]);
    expectOneLineError(r, new RegExp(`port ${busyPort} on 127.0.0.1 is already in use; .*--rpc-port`));
  });

  it('neuron serve on a port in use, or out of range, says so', async () => {
    const used = await runCli(['neuron', 'serve', '--port', String(busyPort), '--ledger', 'none']);
    expectOneLineError(used, new RegExp(`port ${busyPort} on 0.0.0.0 is already in use; .*--port`));
    const range = await runCli(['neuron', 'serve', '--port', '70000', '--ledger', 'none']);
    expectOneLineError(range, /--port: expected a port from 0 to 65535/);
  });

  it('neuron serve --bootstrap with a bad multiaddr names it', async () => {
    for (const bad of ['garbage', '/ip4/1.2.3.4/tcp/5']) {
      const r = await runCli(['neuron', 'serve', '--port', '0', '--ledger', 'none', '--bootstrap', bad]);
      expectOneLineError(r, /--bootstrap\[0\]: .* is not a peer multiaddr; expected one like/);
    }
  });
});

describe('data folders', () => {
  it('--data that is a file is refused', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const r = await runCli(['ledger', 'start', '--data', file, '--rpc-port', '0']);
    expectOneLineError(r, /is a file, not a folder; choose a folder/);
  });

  it('a damaged folder is refused with what to do; ledger recover rebuilds it from a follower', async () => {
    const data = join(dir, 'authority');
    const port = await freePort();
    const start = ['ledger', 'start', '--data', data, '--rpc-port', String(port), '--block-time', '300'];
    let { proc } = await procs.start(start);
    const follower = await procs.start([
      'ledger',
      'follow',
      '--data',
      join(dir, 'follower'),
      '--rpc-port',
      '0',
      '--authority',
      `http://127.0.0.1:${port}`,
    ]);
    const followerUrl = follower.ready.rpc as string;
    const heightOf = async (url: string) => (await new LedgerClient(url).info()).height;
    // Stop the authority when its follower has every block (one may slip in between: then go again).
    for (;;) {
      await waitFor('the follower in step', async () => {
        const [a, f] = await Promise.all([heightOf(`http://127.0.0.1:${port}`), heightOf(followerUrl)]);
        return a >= 2 && a === f ? true : undefined;
      });
      await proc.stop();
      const record = JSON.parse(await readFile(join(data, 'head.json'), 'utf8')) as { height: number };
      if ((await heightOf(followerUrl)) === record.height) break;
      ({ proc } = await procs.start(start));
    }
    await unlink(join(data, 'chain', 'CURRENT'));
    const refused = await runCli(start);
    expectOneLineError(refused, /CURRENT file is missing\); nothing in it was changed\. .*ledger recover --data/);

    const recovered = await runCli(['ledger', 'recover', '--data', data, '--from', followerUrl]);
    expect(recovered.code, recovered.stderr).toBe(0);
    const out = JSON.parse(recovered.stdout) as { height: number; movedAside: string };
    expect(out.height).toBeGreaterThan(0);
    expect(out.movedAside).toContain('chain.damaged-');
    expect(recovered.stderr).toMatch(/recovered .* to height \d+/);
    const { ready } = await procs.start(start);
    expect(ready.height as number).toBeGreaterThanOrEqual(out.height);
  });
});
