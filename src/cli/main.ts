import { Command, CommanderError } from 'commander';
import { InvalidInputError } from '../shared/errors.js';
import { mechanismCommand } from './commands/mechanism.js';

/** Exit code for bad input or bad usage: the user can fix it. */
export const EXIT_USAGE = 2;

const program = new Command('bittensor-miner')
  .description('Miner for a peer-to-peer intelligence market: the incentive mechanism, ledger, neuron and app.')
  .version(process.env['npm_package_version'] ?? '0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();
program.addCommand(mechanismCommand());
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    return done ? 0 : EXIT_USAGE;
  }
  if (error instanceof InvalidInputError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message.split('\n')[0]} (an internal error; please report it)\n`);
  return 1;
}
