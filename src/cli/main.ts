import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { describeFileRefusal, isDiskFull, oneLine, UserError } from '../shared/errors.js';
import { appCommand } from './commands/app.js';
import { mechanismCommand } from './commands/mechanism.js';
import {
  addWalletLedgerCommands,
  metagraphCommand,
  registerCommand,
  stakeCommand,
  weightsCommand,
} from './commands/chain.js';
import { ledgerCommand } from './commands/ledger.js';
import { chainCommand } from './commands/comet.js';
import { neuronCommand } from './commands/neuron.js';
import { localnetCommand } from './commands/localnet.js';
import { startCommand } from './commands/start.js';
import { walletCommand } from './commands/wallet.js';
import { ensureRuntimeDir } from './runtime-dir.js';

/** Exit code for bad input or bad usage: the user can fix it. */
export const EXIT_USAGE = 2;

// A reader that stops early (`| head`) closes the pipe: that is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  if (isDiskFull(error)) return; // as stderr's, below
  throw error;
});
// Logs go to stderr, which may be a file (`npm start 2> miner.log`): a full disk there loses log lines, not a
// miner that serves others (Node writes a file synchronously and emits the failure, which would end the
// process; the next line is tried again as usual, and is written once there is room).
process.stderr.on('error', () => undefined);

// Before anything loads a graphics driver (the training worker's WebGPU probe, peers it starts).
ensureRuntimeDir();

const program = new Command('bittensor-miner')
  .description('Miner for a peer-to-peer intelligence market: the incentive mechanism, ledger, neuron and app.')
  .version(packageVersion());
program.addCommand(mechanismCommand());
const wallet = walletCommand();
addWalletLedgerCommands(wallet);
program.addCommand(wallet);
program.addCommand(ledgerCommand());
program.addCommand(chainCommand());
program.addCommand(registerCommand());
program.addCommand(stakeCommand());
program.addCommand(weightsCommand());
program.addCommand(metagraphCommand());
program.addCommand(neuronCommand());
program.addCommand(localnetCommand());
program.addCommand(startCommand());
program.addCommand(appCommand());
configureAll(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** Every command, nested ones included, throws instead of exiting, so that one place picks the exit code. */
function configureAll(command: Command): void {
  command.exitOverride().showHelpAfterError('(add --help for usage)');
  for (const sub of command.commands) configureAll(sub);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message or the help text; help that was asked for exits 0.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof UserError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (isDiskFull(error)) {
    // Not a bug, and nothing to report: the user frees space (what was written before stays as it was).
    process.stderr.write(`error: the disk is full (${oneLine(error)}); free some space and try again\n`);
    return EXIT_USAGE;
  }
  const refused = describeFileRefusal(error);
  if (refused) {
    process.stderr.write(`error: ${refused}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`error: ${oneLine(error)} (an internal error; please report it)\n`);
  return 1;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
