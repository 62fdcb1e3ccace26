import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { isDiskFull, UserError } from '../../shared/errors.js';
import { createLogger, type LogLevel } from '../../shared/logger.js';
import { parseGenesisAccounts, parseIntOption } from '../options.js';
import { STOP_WITH_STDIN } from '../../shared/child-env.js';
import { onStopSignal } from '../signals.js';

const line = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** `chain testnet` and `chain node`: the ledger as an application of CometBFT validators. */
export function chainCommand(): Command {
  const chain = new Command('chain').description(
    'Run the ledger on CometBFT: a local network of validators, or one node of an existing network',
  );

  chain
    .command('testnet')
    .description(
      'Set up and run N validators on 127.0.0.1 (each our application plus a cometbft process); restarted on the same --dir, the chain continues',
    )
    .requiredOption('--dir <dir>', 'folder of the network (node0, node1, ...)')
    .option('--validators <n>', 'number of validators', '4')
    .option('--genesis-account <address:amount...>', 'tokens credited at genesis (repeatable; a new network only)', [])
    .option(
      '--block-time <ms>',
      "the chain's block time, ms: its blockTimeMs parameter and CometBFT's pause after each block (timeout_commit)",
      '1000',
    )
    .option('--tempo <n>', 'blocks per epoch', '10')
    .option('--cometbft <path>', 'the cometbft binary (default: on PATH or in $GOPATH/bin)')
    .option('--log-level <level>', 'debug, info, warn or error (the nodes log to stderr)', 'warn')
    .action(
      async (opts: {
        dir: string;
        validators: string;
        genesisAccount: string[];
        blockTime: string;
        tempo: string;
        cometbft?: string;
        logLevel: LogLevel;
      }) => {
        const validators = parseIntOption(opts.validators, '--validators', 1);
        const [{ findCometbft }, { initTestnet }] = await Promise.all([
          import('../../ledger/comet/binary.js'),
          import('../../ledger/comet/testnet.js'),
        ]);
        const cometbft = await findCometbft(opts.cometbft);
        const { homes, created } = await initTestnet({
          dir: opts.dir,
          validators,
          cometbft,
          accounts: parseGenesisAccounts(opts.genesisAccount),
          params: {
            tempo: parseIntOption(opts.tempo, '--tempo', 1),
            blockTimeMs: parseIntOption(opts.blockTime, '--block-time', 1),
          },
        });
        if (!created && opts.genesisAccount.length > 0) {
          process.stderr.write(`note: ${opts.dir} already holds a network; --genesis-account is ignored\n`);
        }
        const children: ChildProcess[] = [];
        let stopping = false;
        const stopAll = async () => {
          stopping = true;
          await Promise.all(
            children.map(
              (c) =>
                new Promise<void>((resolve) => {
                  if (c.exitCode !== null || c.signalCode !== null) return resolve();
                  c.once('exit', () => resolve());
                  c.kill('SIGTERM');
                }),
            ),
          );
        };
        const stopped = onStopSignal(stopAll);
        const ready = homes.map(async (home, i) => {
          const child = spawn(
            process.execPath,
            [process.argv[1]!, 'chain', 'node', '--home', home, '--cometbft', cometbft, '--log-level', opts.logLevel],
            // Its stdin is a pipe from here: when this process dies, even by kill -9, the node stops too.
            { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, [STOP_WITH_STDIN]: '1' } },
          );
          children.push(child);
          const first = await new Promise<string>((resolve, reject) => {
            const rl = createInterface({ input: child.stdout! });
            rl.once('line', resolve);
            child.once('exit', (code) =>
              reject(new UserError(`node ${i} (${home}) stopped before it was ready (exit ${code})`)),
            );
          });
          const info = JSON.parse(first) as { rpc: string; p2p: string; home: string };
          line({ node: i, rpc: info.rpc, p2p: info.p2p, home: info.home });
          return child;
        });
        try {
          await Promise.all(ready);
        } catch (error) {
          await stopAll();
          throw error;
        }
        line({ ready: true });
        // A node that stops on its own takes the network down with it, in one line.
        const failed = new Promise<never>((_, reject) => {
          children.forEach((c, i) =>
            c.once('exit', (code, signal) => {
              if (!stopping)
                reject(new UserError(`node ${i} stopped (${signal ?? code}); see ${homes[i]}/cometbft.log`));
            }),
          );
        });
        await Promise.race([stopped, failed]).catch(async (error: unknown) => {
          await stopAll();
          throw error;
        });
      },
    );

  chain
    .command('node')
    .description(
      "Run one node of a CometBFT network: our application plus cometbft, on a home folder's config and genesis",
    )
    .requiredOption('--home <dir>', 'the CometBFT home folder (config/config.toml, config/genesis.json, keys)')
    .option('--cometbft <path>', 'the cometbft binary (default: on PATH or in $GOPATH/bin)')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .action(async (opts: { home: string; cometbft?: string; logLevel: LogLevel }) => {
      if (!['debug', 'info', 'warn', 'error'].includes(opts.logLevel)) {
        throw new UserError(`--log-level: expected debug, info, warn or error, got ${JSON.stringify(opts.logLevel)}`);
      }
      const logger = createLogger('bt:chain', (l) => process.stderr.write(`${l}\n`), opts.logLevel);
      const [{ findCometbft }, { CometbftExitedError, CometNode }] = await Promise.all([
        import('../../ledger/comet/binary.js'),
        import('../../ledger/comet/node.js'),
      ]);
      // BT_KILL_AT_COMMIT=n: crash tests only (the application SIGKILLs itself at its n-th Commit).
      const kill = process.env['BT_KILL_AT_COMMIT'];
      const node = new CometNode(
        {
          home: opts.home,
          cometbft: await findCometbft(opts.cometbft),
          killAtCommit: kill ? parseIntOption(kill, 'BT_KILL_AT_COMMIT', 1) : undefined,
        },
        { logger },
      );
      let stopping = false;
      const stopped = onStopSignal(() => {
        stopping = true;
        return node.stop();
      });
      await node.start();
      line({
        rpc: node.rpcUrl,
        p2p: node.p2pAddress,
        home: opts.home,
        pid: process.pid,
        cometbftPid: node.cometbftPid,
      });
      const how = await Promise.race([stopped.then(() => undefined), node.exited!]);
      if (stopping) return stopped;
      await node.stop();
      // A full disk halts CometBFT's consensus (it writes its state before each vote): room, then a restart.
      const what = isDiskFull({ message: String(how) })
        ? 'free some space and start the node again (it goes on from its last block)'
        : `see ${opts.home}/cometbft.log`;
      throw new CometbftExitedError(`cometbft stopped (${how}); ${what}`);
    });

  chain
    .command('selftest')
    .description(
      'Replay a fixed synthetic chain through the state machine and print the app hash after each block (one "HEIGHT HASH" line each); machines that print the same lines agree as validators',
    )
    .option('--neurons <n>', 'neurons registered', '64')
    .option('--blocks <n>', 'blocks to run', '60')
    .action(async (opts: { neurons: string; blocks: string }) => {
      const { runSelftest } = await import('../../ledger/abci/selftest.js');
      const stats = await runSelftest({
        neurons: parseIntOption(opts.neurons, '--neurons', 2),
        blocks: parseIntOption(opts.blocks, '--blocks', 1),
        onHeight: (height, hash) => process.stdout.write(`${height} ${hash}\n`),
      });
      process.stderr.write(`${JSON.stringify(stats)}\n`);
    });

  return chain;
}
