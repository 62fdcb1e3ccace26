import { randomBytes } from 'node:crypto';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { createLogger, type LogLevel } from '../../shared/logger.js';
import { readPasswordFile } from '../password.js';
import {
  BACKEND_HELP,
  LEDGER_URL_HELP,
  parseBackendOption,
  parseBootstrap,
  parseFloatOption,
  parseIntOption,
  parsePortOption,
} from '../options.js';
import { onStopSignal } from '../signals.js';

interface StartOptions {
  headless?: boolean;
  dashboardPort: string;
  dashboardHost: string;
  data: string;
  passwordFile?: string;
  ledger?: string;
  bootstrap: string[];
  peers: string;
  port?: string;
  upnp: boolean;
  backend?: string;
  cpuCores?: string;
  logLevel: LogLevel;
}

/**
 * `start`: the miner. With --headless (GPU rental boxes, tests): the host in plain Node and its dashboard API
 * over HTTP + WebSocket on 127.0.0.1. Prints one JSON line when ready: {"dashboard": URL with the token,
 * "ledger": URL}. Stops cleanly on SIGTERM / Ctrl-C.
 */
export function startCommand(): Command {
  return new Command('start')
    .description('Start the miner on the embedded local network (or join --ledger), with its dashboard')
    .option('--headless', 'run without the desktop window: the dashboard is served on 127.0.0.1')
    .option('--dashboard-port <port>', 'port of the dashboard (0 picks one)', '0')
    .option('--dashboard-host <host>', 'interface of the dashboard; anything but 127.0.0.1 exposes it', '127.0.0.1')
    .option('--data <dir>', 'data folder: wallet, settings, checkpoints, history', join(homedir(), '.bittensor-miner'))
    .option(
      '--password-file <file>',
      "file holding the wallet's password (created with it on first start); without it the dashboard asks",
    )
    .option('--ledger <url>', `join this ledger instead of the embedded local network (${LEDGER_URL_HELP})`)
    .option('--bootstrap <multiaddr...>', 'peers to dial at start', [])
    .option('--peers <n>', 'peer neurons of the embedded local network', '3')
    .option('--port <port>', "the neuron's TCP port on a joined network (0 picks one); default: the settings'")
    .option('--no-upnp', 'on a joined network, do not ask the router for a port mapping (UPnP)')
    .option(
      '--backend <name>',
      `what every neuron of this node trains on: ${BACKEND_HELP}; default: the settings' (auto unless changed)`,
    )
    .option(
      '--cpu-cores <n>',
      `CPU cores the own neuron's training may use, 0.1 to ${availableParallelism()} (this machine's): ceil(n) threads (at most 8) on a CPU backend, each resting to keep to its part; default: the settings' (all cores but one unless changed)`,
    )
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr)', 'info')
    .action(async (opts: StartOptions) => {
      if (!opts.headless) {
        throw new UserError(
          'start runs the miner without a window: add --headless (the desktop app is `bittensor-miner app`, which npm start runs)',
        );
      }
      const logger = createLogger('bt', (l) => process.stderr.write(`${l}\n`), opts.logLevel);
      const port = parsePortOption(opts.dashboardPort, '--dashboard-port');
      const bootstrap = opts.bootstrap.map((a, i) => parseBootstrap(a, `--bootstrap[${i}]`));
      const backend = opts.backend === undefined ? undefined : parseBackendOption(opts.backend, '--backend');
      const cpuCores =
        opts.cpuCores === undefined
          ? undefined
          : parseFloatOption(opts.cpuCores, '--cpu-cores', { min: 0.1, max: availableParallelism() });
      const [{ startHost }, { DashboardServer }] = await Promise.all([
        import('../../main/host.js'),
        import('../../main/dashboard-server.js'),
      ]);
      const host = await startHost(
        {
          dataDir: opts.data,
          ...(opts.passwordFile ? { password: await readPasswordFile(opts.passwordFile) } : {}),
          ...(opts.ledger ? { ledgerUrl: opts.ledger } : {}),
          ...(bootstrap.length > 0 ? { bootstrap } : {}),
          peers: parseIntOption(opts.peers, '--peers', 0),
          ...(backend ? { backend } : {}),
          ...(cpuCores !== undefined ? { cpuCores } : {}),
          listen: {
            ...(opts.port !== undefined ? { port: parsePortOption(opts.port, '--port') } : {}),
            ...(opts.upnp ? {} : { upnp: false }),
          },
        },
        { logger },
      );
      const token = randomBytes(24).toString('base64url');
      const server = new DashboardServer({ host, logger }, { host: opts.dashboardHost, port, token });
      const stopped = onStopSignal(async () => {
        await server.stop();
        await host.stop();
      });
      try {
        await server.start();
      } catch (error) {
        await host.stop();
        throw error;
      }
      host.onPush((push) => server.push(push));
      process.stdout.write(
        `${JSON.stringify({ dashboard: `${server.url}/?token=${token}`, ledger: host.ledgerUrl })}\n`,
      );
      await stopped;
    });
}
