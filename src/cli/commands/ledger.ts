import { Command } from 'commander';
import { makeGenesis } from '../../ledger/block.js';
import { ChainMismatchError } from '../../ledger/chain.js';
import { startAuthority, startFollower, type LedgerNode } from '../../ledger/node.js';
import { recoverFromFollower } from '../../ledger/recover.js';
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

/** `ledger start` (an authority) and `ledger follow` (a verifying follower). */
export function ledgerCommand(): Command {
  const ledger = new Command('ledger').description('Run a ledger node: the authority of a local chain, or a follower');

  common(ledger.command('start'))
    .description('Run the authority of a local chain in the foreground (restarted on the same --data, it continues)')
    .option('--block-time <ms>', 'milliseconds between blocks', '2000')
    .option('--tempo <n>', 'blocks per epoch', '10')
    .option('--max-neurons <n>', 'most neurons registered at once', '256')
    .option('--genesis-account <address:amount...>', 'tokens credited at genesis (repeatable)', [])
    .option('--recover-from <url>', "first rebuild a damaged --data folder from a follower's RPC (see ledger recover)")
    .action(
      async (
        opts: CommonOptions & {
          blockTime: string;
          tempo: string;
          maxNeurons: string;
          genesisAccount: string[];
          recoverFrom?: string;
        },
      ) => {
        const params = {
          blockTimeMs: parseIntOption(opts.blockTime, '--block-time', 10),
          tempo: parseIntOption(opts.tempo, '--tempo', 1),
          maxNeurons: parseIntOption(opts.maxNeurons, '--max-neurons', 1),
        };
        const accounts = parseGenesisAccounts(opts.genesisAccount);
        const init = nodeInit(opts);
        if (opts.recoverFrom !== undefined) await recover(opts.data, opts.recoverFrom);
        const node = await startAuthority({
          ...init,
          genesis: (authority) => makeGenesis(authority, accounts, params),
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
        });
        await runUntilSignal(node);
      },
    );

  common(ledger.command('follow'))
    .description('Follow an authority: sync its blocks, re-verify each one, serve the same read RPC')
    .requiredOption('--authority <url>', "the authority's RPC URL")
    .action(async (opts: CommonOptions & { authority: string }) => {
      await runUntilSignal(await startFollower({ ...nodeInit(opts), authorityUrl: opts.authority }));
    });
  ledger
    .command('recover')
    .description(
      "Rebuild an authority's damaged data folder from a follower: every block is fetched and re-verified; " +
        'the damaged files are kept aside, renamed',
    )
    .requiredOption('--data <dir>', "the authority's data folder (its authority.key stays)")
    .requiredOption('--from <url>', "RPC URL of a follower of this chain (ledger follow's --rpc-port)")
    .action(async (opts: { data: string; from: string }) => {
      const result = await recover(opts.data, opts.from);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  return ledger;
}

/** Runs a recovery with progress on stderr. */
async function recover(dataDir: string, fromUrl: string) {
  let shown = 0;
  const result = await recoverFromFollower({
    dataDir,
    fromUrl,
    onProgress: (height, target) => {
      if (process.stderr.isTTY || height === target || height - shown >= 1000) {
        process.stderr.write(`recovering: ${height} / ${target} blocks verified\n`);
        shown = height;
      }
    },
  });
  process.stderr.write(
    `recovered ${dataDir} to height ${result.height} from ${fromUrl}` +
      (result.movedAside ? `; the damaged files are kept in ${result.movedAside}\n` : '\n'),
  );
  return result;
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

function nodeInit(opts: CommonOptions) {
  if (!['debug', 'info', 'warn', 'error'].includes(opts.logLevel)) {
    throw new InvalidInputError('--log-level', 'must be debug, info, warn or error');
  }
  return {
    dataDir: opts.data,
    rpcHost: opts.rpcHost,
    rpcPort: parsePortOption(opts.rpcPort, '--rpc-port'),
    rpcAllowedHosts: opts.rpcAllowHost,
    logger: createLogger('bt:ledger', (line) => process.stderr.write(`${line}\n`), opts.logLevel),
  };
}

/**
 * Prints the ready line, then runs until SIGTERM or SIGINT and stops cleanly; a node that fails on its own
 * (a follower whose authority lost blocks) is stopped and its reason thrown.
 */
async function runUntilSignal(node: LedgerNode): Promise<void> {
  const c = node.chain;
  const stopped = onStopSignal(() => node.stop());
  process.stdout.write(
    `${JSON.stringify({ rpc: node.rpcUrl, role: node.role, chain: c.id, authority: c.genesis.authority, height: c.height })}\n`,
  );
  const failure = await Promise.race([stopped.then(() => undefined), node.failed]);
  if (failure) {
    await node.stop();
    throw failure;
  }
}
