/**
 * A parent of one child, for the test that kills it with kill -9: runs `bittensor-miner ledger start` on the folder
 * given as a Child (as the embedded network and localnet run theirs) and prints the child's ready line.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { Child } from '../../src/main/children.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: child-parent.ts DIR');
new Child(
  'ledger',
  ['ledger', 'start', '--data', join(dir, 'ledger'), '--rpc-port', '0', '--block-time', '100'],
  join(dir, 'ledger.log'),
  z.looseObject({ rpc: z.string() }),
  (line) => console.log(JSON.stringify(line)),
);
