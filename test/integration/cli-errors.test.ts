import { mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../support/cli.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { Processes } from '../support/processes.js';
import { untilValue } from '../support/poll.js';
import { runOnTmpfs } from '../support/small-disk.js';

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

describe('--backend', () => {
  it.each([
    ['start', ['start', '--headless', '--data', 'DATA', '--backend', 'nope']],
    ['localnet', ['localnet', '--data', 'DATA', '--backend', 'nope']],
    [
      'neuron train',
      [
        'neuron',
        'train',
        '--ledger',
        'none',
        '--wallets',
        'DATA',
        '--name',
        'x',
        '--password-file',
        'x',
        '--backend',
        'nope',
      ],
    ],
  ])('%s --backend nope names the choices, and starts nothing', async (_command, args) => {
    const data = join(dir, `backend-${_command.replace(' ', '-')}`);
    const r = await runCli(args.map((a) => (a === 'DATA' ? data : a)));
    expectOneLineError(
      r,
      /^error: --backend: must be one of auto, webgpu, tensorflow-gpu, tensorflow, wasm, cpu, got "nope"$/,
    );
    await expect(readdir(data)).rejects.toThrow(/ENOENT/);
  });

  it.each(['start', 'localnet'])('%s --help documents --backend', async (command) => {
    const help = await runCli([command, '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--backend <name> .*auto, webgpu, .*auto runs a self-test/);
  });
});

describe('--preset', () => {
  it('neuron train --preset huge names the sizes, and starts nothing', async () => {
    const data = join(dir, 'preset-huge');
    const r = await runCli(
      ['neuron', 'train', '--ledger', 'none', '--wallets', data, '--name', 'x', '--password-file', 'x'].concat([
        '--preset',
        'huge',
      ]),
    );
    expectOneLineError(r, /^error: --preset: must be one of auto, small, large, got "huge"$/);
    await expect(readdir(data)).rejects.toThrow(/ENOENT/);
    const help = await runCli(['neuron', 'train', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--preset <size> .*auto, small, large \(auto: large on a GPU/);
  });
});

describe('--cpu-share', () => {
  it.each(['0', '0.01', '1.5', 'x'])('neuron train --cpu-share %s names the range, and starts nothing', async (x) => {
    const data = join(dir, `cpu-share-${x}`);
    const r = await runCli(
      ['neuron', 'train', '--ledger', 'none', '--wallets', data, '--name', 'x', '--password-file', 'x'].concat([
        '--cpu-share',
        x,
      ]),
    );
    expectOneLineError(
      r,
      new RegExp(`^error: --cpu-share: expected a number >= 0\\.05 and <= 1, got ${JSON.stringify(x)}$`),
    );
    await expect(readdir(data)).rejects.toThrow(/ENOENT/);
    const help = await runCli(['neuron', 'train', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(
      /--cpu-share <x> share of the time each training thread works, 0\.05 to 1/,
    );
  });
});

describe('--cpu-cores and --threads', () => {
  const cores = availableParallelism();

  it.each(['0', '0.05', String(cores + 1), 'x', ''])(
    'start --cpu-cores %j names the range (0.1 to the cores of this machine), and starts nothing',
    async (n) => {
      const data = join(dir, `cpu-cores-${n}`);
      const r = await runCli(['start', '--headless', '--data', data, '--cpu-cores', n]);
      expectOneLineError(
        r,
        new RegExp(`^error: --cpu-cores: expected a number >= 0\\.1 and <= ${cores}, got ${JSON.stringify(n)}$`),
      );
      await expect(readdir(data)).rejects.toThrow(/ENOENT/);
    },
  );

  it.each(['0', '65', '1.5', 'x'])('localnet --threads %s names the range, and starts nothing', async (n) => {
    const data = join(dir, `threads-${n}`);
    const r = await runCli(['localnet', '--data', data, '--threads', n]);
    expectOneLineError(r, new RegExp(`^error: --threads: expected an integer from 1 to 64, got ${JSON.stringify(n)}$`));
    await expect(readdir(data)).rejects.toThrow(/ENOENT/);
  });

  it('start and localnet --help document them', async () => {
    const start = (await runCli(['start', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(start).toMatch(
      new RegExp(`--cpu-cores <n> CPU cores the own neuron's training may use, 0\\.1 to ${cores} `),
    );
    const localnet = (await runCli(['localnet', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(localnet).toMatch(
      /--threads <n> per neuron, threads that train on a CPU backend \(wasm, cpu\), 1 to 64: .*\(default: "1"\)/,
    );
  });
});

describe('data folders', () => {
  it('--data that is a file is refused', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const r = await runCli(['ledger', 'start', '--data', file, '--rpc-port', '0']);
    expectOneLineError(r, /is a file, not a folder; choose a folder/);
  });

  it('a folder that cannot be made (on a read-only file system) is one line, not an internal error', async () => {
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly);
    // A tmpfs mounted read-only in a user namespace of its own (no root needed), the ledger's --data inside it.
    const run = runOnTmpfs(readOnly, 'ro,size=1m', process.execPath, [
      BIN,
      'ledger',
      'start',
      '--data',
      join(readOnly, 'ledger'),
      '--rpc-port',
      '0',
    ]);
    expectOneLineError(
      { code: run.status, stdout: run.stdout, stderr: run.stderr },
      /^error: cannot mkdir .*read-only\/ledger \(E[A-Z]+: [^)]+\): check that the folder exists and is yours to write, or choose another$/,
    );
  });

  it('a damaged folder is refused with what to do, and nothing in it changes', async () => {
    const data = join(dir, 'ledger');
    const start = ['ledger', 'start', '--data', data, '--rpc-port', '0', '--block-time', '100'];
    const { proc, ready } = await procs.start(start);
    await untilValue(
      async () => ((await new LedgerClient(ready.rpc as string).info()).height >= 2 ? true : undefined),
      'two blocks',
    );
    await proc.stop();
    await unlink(join(data, 'chain', 'CURRENT'));
    const before = (await readdir(join(data, 'chain'))).sort();
    const refused = await runCli(start);
    expectOneLineError(
      refused,
      /CURRENT file is missing\); nothing in it was changed\. Restore the folder from a backup/,
    );
    expect((await readdir(join(data, 'chain'))).sort()).toEqual(before);
  });
});

describe('chain', () => {
  it('chain node on a folder that is not a CometBFT home says what to give instead', async () => {
    const home = join(dir, 'not-a-home');
    expectOneLineError(
      await runCli(['chain', 'node', '--home', home]),
      new RegExp(`^error: ${home} is not a CometBFT home \\(no config/config.toml\\): .*chain testnet`),
    );
  });

  it('chain node on a config.toml without the addresses it needs names the missing key', async () => {
    const home = join(dir, 'half-home');
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.toml'), 'proxy_app = "tcp://127.0.0.1:26658"\n');
    expectOneLineError(await runCli(['chain', 'node', '--home', home]), /config\.toml has no rpc\.laddr/);
  });
});
