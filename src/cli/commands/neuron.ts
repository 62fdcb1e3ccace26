import { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { createLogger, type LogLevel } from '../../shared/logger.js';
import type { LedgerDiscovery } from '../../neuron/discovery.js';
import { LEDGER_URL_HELP, parseBootstrap, parseIntOption, parsePortOption } from '../options.js';
import { onStopSignal } from '../signals.js';
import { addTrainCommand } from './neuron-train.js';

interface ServeOptions {
  port: string;
  host: string;
  ledger: string;
  dim?: string;
  wallets?: string;
  name?: string;
  passwordFile?: string;
  bootstrap: string[];
  upnp?: boolean;
  mdns?: boolean;
  half?: boolean;
  logLevel: LogLevel;
}

/** `neuron serve`: run a neuron that serves forward and backward over libp2p. */
export function neuronCommand(): Command {
  const neuron = new Command('neuron').description('Run a neuron: serve a neural function to peers over libp2p');
  neuron
    .command('serve')
    .description('Serve forward and backward; with a ledger, register (or update) the hotkey and its multiaddrs')
    .requiredOption('--port <port>', 'TCP port to listen on')
    .option('--host <host>', 'interface to listen on', '0.0.0.0')
    .option('--ledger <url>', `${LEDGER_URL_HELP}; or none to serve without registering`, 'none')
    .option('--dim <n>', "output dimension (default: the ledger's network dimension, or 128)")
    .option('--wallets <dir>', 'wallets folder (with a ledger: the hotkey is the identity and registers)')
    .option('--name <name>', 'wallet name')
    .option('--password-file <file>', "file holding the wallet's password")
    .option('--bootstrap <multiaddr...>', 'peers to dial at start', [])
    .option('--upnp', 'map the port on the router with UPnP / NAT-PMP')
    .option('--mdns', 'discover peers on the LAN with mDNS')
    .option('--half', 'answer in FLOAT16 (half the bytes)')
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr)', 'info')
    .action(async (opts: ServeOptions) => {
      const logger = createLogger('bt', (line) => process.stderr.write(`${line}\n`), opts.logLevel);
      const port = parsePortOption(opts.port, '--port');
      const bootstrap = opts.bootstrap.map((address, i) => parseBootstrap(address, `--bootstrap[${i}]`));
      const [
        { DEFAULT_CHAIN_PARAMS },
        { LedgerDiscovery },
        { HashingModel },
        { createNeuronNode },
        { ensureRegistered },
        { ledgerClient, openWallet },
      ] = await Promise.all([
        import('../../ledger/params.js'),
        import('../../neuron/discovery.js'),
        import('../../neuron/model.js'),
        import('../../neuron/node.js'),
        import('../../neuron/registration.js'),
        import('../ledger-access.js'),
      ]);
      const client = opts.ledger === 'none' ? undefined : ledgerClient(opts.ledger);
      const hasWallet = opts.wallets !== undefined || opts.name !== undefined;
      if (client && !hasWallet) {
        throw new UserError(
          '--ledger needs --wallets, --name and --password-file (the hotkey registers), or use --ledger none',
        );
      }
      const wallet = hasWallet
        ? await openWallet({
            wallets: required(opts.wallets, '--wallets'),
            name: required(opts.name, '--name'),
            passwordFile: required(opts.passwordFile, '--password-file'),
            ledger: opts.ledger,
          })
        : undefined;
      const networkDim = client ? (await client.info()).params.networkDim : DEFAULT_CHAIN_PARAMS.networkDim;
      const dim = opts.dim === undefined ? networkDim : parseIntOption(opts.dim, '--dim', 1);

      let discovery: LedgerDiscovery | undefined;
      const node = await createNeuronNode(
        { model: new HashingModel(dim), stakeOf: (peer) => discovery?.stakeOf(peer), logger },
        {
          hotkeySeed: wallet?.hotkeySeed,
          port,
          host: opts.host,
          bootstrap,
          upnp: opts.upnp ?? false,
          mdns: opts.mdns ?? false,
          axon: { halfPrecision: opts.half ?? false },
        },
      );
      // Tell the user whether others can reach them, and again whenever that changes (AutoNAT needs peers first).
      let lastReach = '';
      const reportReach = () => {
        const r = node.reachability();
        if (r.status === lastReach) return;
        lastReach = r.status;
        logger.info('reachability', { status: r.status, advice: r.advice });
      };
      const reachTimer = setInterval(reportReach, 30_000);
      reachTimer.unref();
      const stop = onStopSignal(async () => {
        clearInterval(reachTimer);
        await discovery?.stop();
        await node.stop();
      });
      let uid: number | undefined;
      if (client && wallet) {
        discovery = new LedgerDiscovery({ metagraph: client, libp2p: node.libp2p, logger });
        uid = await ensureRegistered(client, wallet, node.multiaddrs(), logger);
        await discovery.start();
      }
      process.stdout.write(
        `${JSON.stringify({ peerId: node.peerId.toString(), multiaddrs: node.multiaddrs(), hotkey: node.hotkey, dim, uid: uid ?? null })}\n`,
      );
      reportReach();
      await stop;
    });
  addTrainCommand(neuron);
  return neuron;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UserError(`${flag} is required with --wallets/--name`);
  return value;
}
