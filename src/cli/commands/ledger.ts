import { Command } from 'commander';
import type { LedgerNode } from '../../ledger/node.js';
import { InvalidInputError } from '../../shared/errors.js';
import { createLogger, type LogLevel } from '../../shared/logger.js';
import { parseGenesisAccounts, parseIntOption, parsePortOption } from '../options.js';
import { onStopSignal } from '../signals.js';

interface CommonOptions {
  data: string;
  rpcPort: string;
  rpcHost: string;
  rpcAllowHost: string[];
  logLevel: LogLevel;
}

/** `ledger start`: the embedded ledger (the ledger application driven in process, and its JSON-RPC). */
export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description(
    'Run the embedded ledger: one process makes the blocks (for a network no single machine owns: chain testnet / chain node)',
  );

  common(ledger.command('start'))
    .description('Run a local chain in the foreground (restarted on the same --data, it continues)')
    .option('--block-time <ms>', 'milliseconds between blocks', '2000')
    .option('--tempo <n>', 'blocks per epoch', '10')
    .option('--max-neurons <n>', 'most neurons registered at once', '256')
    .option('--genesis-account <address:amount...>', 'tokens credited at genesis (repeatable)', [])
    .action(
      async (
        opts: CommonOptions & {
          blockTime: string;
          tempo: string;
          maxNeurons: string;
          genesisAccount: string[];
        },
      ) => {
        const params = {
          blockTimeMs: parseIntOption(opts.blockTime, '--block-time', 10),
          tempo: parseIntOption(opts.tempo, '--tempo', 1),
          maxNeurons: parseIntOption(opts.maxNeurons, '--max-neurons', 1),
        };
        const accounts = parseGenesisAccounts(opts.genesisAccount);
        const { init, components } = nodeOptions(opts);
        const [{ makeGenesis }, { ChainMismatchError }, { startLedger }] = await Promise.all([
          import('../../ledger/block.js'),
          import('../../ledger/chain.js'),
          import('../../ledger/node.js'),
        ]);
        const node = await startLedger(
          {
            ...init,
            genesis: () => makeGenesis(accounts, params),
            // Checked before the node serves or produces anything, so that a refused start leaves no trace.
            checkGenesis: (g) => {
              const differs = [
                g.params.blockTimeMs !== params.blockTimeMs &&
                  `block time ${g.params.blockTimeMs} ms (given ${params.blockTimeMs})`,
                g.params.tempo !== params.tempo && `tempo ${g.params.tempo} (given ${params.tempo})`,
                accounts.length > 0 &&
                  JSON.stringify(g.accounts.map(([a, v]) => [a, String(v)])) !==
                    JSON.stringify(accounts.map(([a, v]) => [a, String(v)])) &&
                  'other genesis accounts than given',
              ].filter((d): d is string => typeof d === 'string');
              if (differs.length > 0) {
                throw new ChainMismatchError(
                  `--data ${opts.data} holds a chain with ${differs.join(', ')}; start it with the same options,` +
                    ' or use a new --data folder',
                );
              }
            },
          },
          components,
        );
        await runUntilSignal(node);
      },
    );

  return ledger;
}

function common(command: Command): Command {
  return command
    .requiredOption('--data <dir>', 'data folder (created if missing)')
    .option('--rpc-port <port>', 'JSON-RPC port (HTTP and WebSocket)', '9944')
    .option('--rpc-host <host>', 'interface for the RPC; keep 127.0.0.1 unless you mean to expose it', '127.0.0.1')
    .option(
      '--rpc-allow-host <name...>',
      'host names the RPC answers to besides 127.0.0.1, localhost and [::1] (a guard against web pages); * for any',
      [],
    )
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr)', 'info');
}

function nodeOptions(opts: CommonOptions) {
  if (!['debug', 'info', 'warn', 'error'].includes(opts.logLevel)) {
    throw new InvalidInputError('--log-level', 'must be debug, info, warn or error');
  }
  return {
    init: {
      dataDir: opts.data,
      rpcHost: opts.rpcHost,
      rpcPort: parsePortOption(opts.rpcPort, '--rpc-port'),
      rpcAllowedHosts: opts.rpcAllowHost,
    },
    components: {
      logger: createLogger('bt:ledger', (line) => process.stderr.write(`${line}\n`), opts.logLevel),
    },
  };
}

/** Prints the ready line, then runs until SIGTERM or SIGINT and stops cleanly. */
async function runUntilSignal(node: LedgerNode): Promise<void> {
  const c = node.chain;
  const stopped = onStopSignal(() => node.stop());
  process.stdout.write(`${JSON.stringify({ rpc: node.rpcUrl, role: node.role, chain: c.id, height: c.height })}\n`);
  await stopped;
}
