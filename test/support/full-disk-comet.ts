/**
 * Run inside a small tmpfs of its own (test/integration/full-disk.test.ts mounts one in a user namespace), on
 * the folder given: one CometBFT validator (`chain node`, our application plus cometbft) makes blocks there,
 * files fill the disk, and the node must stop and say why rather than live on without making blocks; the files
 * go, the node starts again on the same home and goes on. Prints what it saw as one JSON line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findCometbft } from '../../src/ledger/comet/binary.js';
import { initTestnet } from '../../src/ledger/comet/testnet.js';
import { BIN } from './cli.js';
import { cometHeight } from './comet-rpc.js';
import { emptyDisk, fillDisk, until } from './small-disk.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: full-disk-comet.ts DIR (a small file system of its own)');
const cometbft = await findCometbft();
const { homes } = await initTestnet({
  dir: join(dir, 'net'),
  validators: 1,
  cometbft,
  accounts: [],
  params: { tempo: 5, blockTimeMs: 50 },
});
const home = homes[0]!;

/** `chain node --home` as a user runs it: its first stdout line, its stderr, its exit. */
function startNode() {
  const child = spawn(process.execPath, [BIN, 'chain', 'node', '--home', home, '--cometbft', cometbft], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  return {
    child,
    exited,
    get code() {
      return code;
    },
    get stderr() {
      return err;
    },
    rpc: () => (JSON.parse(out.split('\n')[0]!) as { rpc: string }).rpc,
    ready: () => out.includes('\n'),
  };
}

const height = cometHeight;

const first = startNode();
await until('the node to serve', () => first.ready() || first.code !== undefined, 60_000);
const rpc = first.rpc();
await until('5 blocks', async () => (await height(rpc).catch(() => 0)) >= 5, 60_000);
await fillDisk(dir);
const heightFull = await height(rpc).catch(() => -1);
// Before, cometbft's consensus stopped for good here while both processes lived on, serving a frozen chain.
await until('the node to stop', () => first.code !== undefined, 60_000);
const stoppedAt = (await first.exited) ?? -1;
await emptyDisk(dir);

const again = startNode();
await until('the node to serve again', () => again.ready() || again.code !== undefined, 60_000);
const rpcAgain = again.rpc();
const heightAgain = await height(rpcAgain);
await until('5 more blocks', async () => (await height(rpcAgain).catch(() => 0)) >= heightAgain + 5, 60_000);
const heightLater = await height(rpcAgain);
again.child.kill('SIGTERM');
const stoppedAgain = await again.exited;
console.log(
  JSON.stringify({
    heightFull,
    code: stoppedAt,
    error: first.stderr.trim().split('\n').at(-1),
    heightAgain,
    heightLater,
    stoppedAgain,
  }),
);
