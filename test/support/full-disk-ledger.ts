/**
 * Run inside a small tmpfs of its own (test/integration/full-disk.test.ts mounts one in a user namespace), on
 * the folder given: an embedded ledger makes blocks there, files fill the disk, a transfer waits in the
 * mempool, the files go, more blocks come; then the ledger stops and starts again on the same folder. Prints
 * what it saw as one JSON line. A real full disk: the kernel's ENOSPC, under LevelDB as under our own writes.
 */
import { join } from 'node:path';
import { makeGenesis } from '../../src/ledger/block.js';
import { startLedger } from '../../src/ledger/node.js';
import { signTx } from '../../src/ledger/tx.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { key, TOKEN } from './ledger.js';
import { emptyDisk, fillDisk, until } from './small-disk.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: full-disk-ledger.ts DIR (a small file system of its own)');
const dataDir = join(dir, 'ledger');
const errors: string[] = [];
const infos: string[] = [];
const logger: Logger = {
  ...silentLogger,
  child: () => logger,
  error: (message, fields) => void errors.push(`${message}: ${String(fields?.['error'])}`),
  info: (message) => void infos.push(message),
};
const funded = key(1);
const sink = key(9).address;
const genesis = () => makeGenesis([[funded.address, 1000n * TOKEN]], { blockTimeMs: 20, tempo: 5 });

const node = await startLedger({ dataDir, genesis }, { logger });
await until('10 blocks', () => node.chain.height >= 10);
await fillDisk(dir);
const heightFull = node.chain.height;
const tx = signTx(
  {
    chain: node.chain.id,
    nonce: 0,
    signer: funded.address,
    call: { type: 'transfer', to: sink, amount: String(TOKEN) },
  },
  funded,
);
const hash = node.engine.submit(tx);
// Long enough that LevelDB's own log write fails too (the page its log file ends in has room for a few blocks).
await until('40 failed block slots', () => node.engine.productionFailures >= 40);
const heightDuringOutage = node.chain.height;
await emptyDisk(dir);
// Enough blocks that LevelDB's log crosses its 32 KiB blocks after the outage (where a torn log loses the rest).
await until('200 blocks after the disk has room again', () => node.chain.height >= heightDuringOutage + 200);
const status = await node.engine.txStatus(hash);
const heightStop = node.chain.height;
await node.stop();

const again = await startLedger({ dataDir, genesis }, { logger });
const heightAgain = again.chain.height;
const sinkBalance = again.chain.state.account(sink).free.toString();
await again.stop();
console.log(
  JSON.stringify({
    heightFull,
    heightDuringOutage,
    heightStop,
    heightAgain,
    failures: node.engine.productionFailures,
    status,
    sinkBalance,
    errors,
    back: infos.filter((m) => m === 'block production is back').length,
  }),
);
