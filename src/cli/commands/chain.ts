import { Command, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { formatAmount, jsonWithTokens, parseAmount } from '../../shared/amount.js';
import { decodeAddress, readWalletInfo } from '../../ledger/wallet/index.js';
import { InvalidInputError, UserError } from '../../shared/errors.js';
import { ledgerClient, openWallet, submitAndWait, type WalletOptions } from '../ledger-access.js';
import { parseJson, readInput } from '../io.js';
import { LEDGER_URL_HELP } from '../options.js';

/** Adds --wallets/--name/--password-file/--ledger to a command. */
export function withWalletOptions(command: Command): Command {
  return command
    .requiredOption('--wallets <dir>', 'folder holding the wallets')
    .requiredOption('--name <name>', 'wallet name')
    .requiredOption('--password-file <file>', "file holding the wallet's password")
    .requiredOption('--ledger <url>', LEDGER_URL_HELP);
}

/** One JSON line on stdout; amounts as decimal token strings. */
const print = (value: unknown) => process.stdout.write(`${jsonWithTokens(value)}\n`);

/** `register`: registers the wallet's hotkey as a neuron, burning the current price from its coldkey. */
export function registerCommand(): Command {
  return withWalletOptions(new Command('register'))
    .description("Register the wallet's hotkey as a neuron (burns the registration price from the coldkey)")
    .option('--multiaddr <addr...>', 'multiaddrs where the neuron serves (repeatable)', [])
    .option('-y, --yes', 'do not ask for confirmation on a terminal')
    .action(async (opts: WalletOptions & { multiaddr: string[]; yes?: boolean }) => {
      const client = ledgerClient(opts.ledger);
      const wallet = await openWallet(opts);
      const price = (await client.info()).registrationBurn;
      const tokens = formatAmount(price);
      process.stderr.write(
        `Registration burns ${tokens} ${tokens === '1' ? 'token' : 'tokens'} from coldkey ${wallet.info.coldkey}.\n`,
      );
      if (process.stdin.isTTY && !opts.yes) {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('Pay it? [y/N] ');
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) throw new UserError('registration cancelled');
      }
      const call = {
        type: 'register' as const,
        coldkey: wallet.info.coldkey,
        multiaddrs: opts.multiaddr,
        maxBurn: String(price),
      };
      const out = await submitAndWait(client, wallet, 'hotkey', call, true);
      const neuron = await client.neuron(wallet.info.hotkey);
      print({ ...out, uid: neuron?.uid ?? null, burned: price });
    });
}

/** `stake add|remove`: moves tokens between the coldkey's free balance and stake on a hotkey. */
export function stakeCommand(): Command {
  const stake = new Command('stake').description('Stake tokens on a hotkey, or take them back');
  for (const type of ['add', 'remove'] as const) {
    withWalletOptions(stake.command(type))
      .description(
        type === 'add' ? 'Stake free tokens of the coldkey on a hotkey' : 'Return staked tokens to the coldkey',
      )
      .requiredOption('--amount <tokens>', 'amount in tokens, e.g. 1.5')
      .option('--hotkey <address>', "hotkey to stake on (default: the wallet's own)")
      .action(async (opts: WalletOptions & { amount: string; hotkey?: string }) => {
        const amount = parseAmount(opts.amount, '--amount');
        if (amount === 0n) throw new InvalidInputError('--amount', 'must be more than 0');
        if (opts.hotkey !== undefined) decodeAddress(opts.hotkey, '--hotkey');
        const client = ledgerClient(opts.ledger);
        const wallet = await openWallet(opts);
        const hotkey = opts.hotkey ?? wallet.info.hotkey;
        const callType = type === 'add' ? ('add_stake' as const) : ('remove_stake' as const);
        print(await submitAndWait(client, wallet, 'coldkey', { type: callType, hotkey, amount: String(amount) }));
      });
  }
  return stake;
}

/** `weights set`: sets the neuron's weights on other uids. */
export function weightsCommand(): Command {
  const weights = new Command('weights').description("Set the neuron's weights on its peers");
  withWalletOptions(weights.command('set'))
    .description('Set weights: --weights "uid:weight,uid:weight" or --weights-file FILE (JSON [[uid, weight], ...])')
    .option(
      '--weights <list>',
      `comma-separated uid:weight pairs (finite numbers >= 0, scaled so that the largest is ${U16_MAX}; ` +
        'a positive weight that would round to 0 is refused)',
    )
    .option('--weights-file <file>', 'JSON file with [[uid, weight], ...] or {"uid": weight}')
    .action(async (opts: WalletOptions & { weights?: string; weightsFile?: string }) => {
      const scaled = toU16Weights(await readWeights(opts));
      const client = ledgerClient(opts.ledger);
      const wallet = await openWallet(opts);
      print(await submitAndWait(client, wallet, 'hotkey', { type: 'set_weights', weights: scaled }));
    });
  return weights;
}

/** The ledger stores each weight as a u16. */
const U16_MAX = 65535;

async function readWeights(opts: { weights?: string; weightsFile?: string }): Promise<Array<[number, number]>> {
  if ((opts.weights === undefined) === (opts.weightsFile === undefined)) {
    throw new InvalidInputError('--weights', 'give either --weights or --weights-file');
  }
  if (opts.weights !== undefined) return parseWeightsOption(opts.weights);
  let raw = parseJson(await readInput(opts.weightsFile as string, '--weights-file'), '--weights-file');
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
    raw = Object.entries(raw).map(([k, v]) => [Number(k), v]);
  return checkWeightPairs(raw);
}

/** Parses `--weights "uid:weight,..."`; throws InvalidInputError naming the pair that is wrong. */
export function parseWeightsOption(text: string): Array<[number, number]> {
  const raw = text.split(',').map((pair, i) => {
    const m = /^\s*(\d+)\s*:\s*([0-9.eE+-]+)\s*$/.exec(pair);
    if (!m) throw new InvalidInputError(`--weights[${i}]`, `${JSON.stringify(pair)} is not uid:weight`);
    return [Number(m[1]), Number(m[2])];
  });
  return checkWeightPairs(raw);
}

/** Checks a list of [uid, weight] pairs: uids integers >= 0, weights finite numbers >= 0. */
function checkWeightPairs(raw: unknown): Array<[number, number]> {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new InvalidInputError('--weights', 'must list at least one uid:weight');
  return raw.map((p, i) => {
    const [uid, w] = Array.isArray(p) ? (p as unknown[]) : [];
    if (!Number.isSafeInteger(uid) || (uid as number) < 0)
      throw new InvalidInputError(`--weights[${i}]`, 'uid must be an integer >= 0');
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new InvalidInputError(`--weights[${i}]`, 'weight must be a finite number >= 0');
    return [uid as number, w];
  });
}

/**
 * Scales weights so that the largest is 65535 and rounds them (the ledger stores u16 weights). A positive
 * weight that would round to 0 is refused: it would be silently dropped from the vote.
 */
export function toU16Weights(pairs: Array<[number, number]>): Array<[number, number]> {
  const max = Math.max(...pairs.map(([, w]) => w));
  if (max === 0) throw new InvalidInputError('--weights', 'at least one weight must be above 0');
  return pairs.map(([uid, w], i) => {
    const scaled = Math.round((w / max) * U16_MAX);
    if (scaled === 0 && w > 0) {
      const least = (max / (2 * U16_MAX)).toPrecision(3);
      throw new InvalidInputError(
        `--weights[${i}]`,
        `${uid}:${w} is too small next to the largest weight ${max}; it would round to 0 ` +
          `(use 0, or at least about ${least})`,
      );
    }
    return [uid, scaled];
  });
}

/** `metagraph`: the neurons table. */
export function metagraphCommand(): Command {
  return new Command('metagraph')
    .description('Show the registered neurons: stake, rank, trust, consensus, incentive, dividends, emission')
    .requiredOption('--ledger <url>', LEDGER_URL_HELP)
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { ledger: string; json?: boolean }) => {
      const client = ledgerClient(opts.ledger);
      const [info, neurons] = await Promise.all([client.info(), client.neurons()]);
      if (opts.json) {
        print({ height: info.height, epoch: info.epoch, minWeights: info.minWeights, neurons });
        return;
      }
      const head = [
        'uid',
        'hotkey',
        'coldkey',
        'stake',
        'rank',
        'trust',
        'consensus',
        'incentive',
        'dividends',
        'emission',
        'updated',
        'multiaddrs',
      ];
      const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
      const f = (x: number) => x.toFixed(4);
      const rows = neurons.map((n) => [
        String(n.uid),
        short(n.hotkey),
        short(n.coldkey),
        formatAmount(n.stake),
        f(n.rank),
        f(n.trust),
        f(n.consensus),
        f(n.incentive),
        f(n.dividends),
        formatAmount(n.emission),
        n.lastUpdate < 0 ? 'never' : String(n.lastUpdate),
        n.multiaddrs.join(' ') || '-',
      ]);
      const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
      const line = (cells: string[]) =>
        cells.map((c, i) => (i >= 3 && i <= 10 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
      process.stdout.write(
        `block ${info.height}, epoch ${info.epoch}, ${neurons.length} neurons, min weights ${info.minWeights}, issued ${formatAmount(info.issuance)}\n`,
      );
      process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}${rows.length ? '\n' : ''}`);
    });
}

/** `wallet balance` and `wallet transfer`, added onto the `wallet` command. */
export function addWalletLedgerCommands(wallet: Command): void {
  wallet
    .command('balance')
    .description("Show the coldkey's free and staked balance")
    .requiredOption('--wallets <dir>', 'folder holding the wallets')
    .requiredOption('--name <name>', 'wallet name')
    .requiredOption('--ledger <url>', LEDGER_URL_HELP)
    .action(async (opts: { wallets: string; name: string; ledger: string }) => {
      const info = await readWalletInfo(opts.wallets, opts.name);
      const b = await ledgerClient(opts.ledger).balance(info.coldkey);
      print({ free: b.free, staked: b.staked });
    });
  withWalletOptions(wallet.command('transfer'))
    .description('Send tokens from the coldkey to an address; waits until a block includes it')
    .requiredOption('--to <address>', 'recipient address')
    .requiredOption('--amount <tokens>', 'amount in tokens, e.g. 1.5')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for inclusion').default('60').hideHelp())
    .action(async (opts: WalletOptions & { to: string; amount: string }) => {
      decodeAddress(opts.to, '--to');
      const amount = parseAmount(opts.amount, '--amount');
      if (amount === 0n) throw new InvalidInputError('--amount', 'must be more than 0');
      const client = ledgerClient(opts.ledger);
      const wallet = await openWallet(opts);
      const balance = await client.balance(wallet.info.coldkey);
      if (balance.free < amount) {
        throw new UserError(`insufficient funds: ${formatAmount(balance.free)} free, ${formatAmount(amount)} needed`);
      }
      print(await submitAndWait(client, wallet, 'coldkey', { type: 'transfer', to: opts.to, amount: String(amount) }));
    });
}
