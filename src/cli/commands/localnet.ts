import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { LedgerClient, type EpochInfo } from '../../ledger/client.js';
import { formatAmount, tokensAsNumber } from '../../shared/amount.js';
import type { WalletInfo } from '../../ledger/wallet/index.js';
import { InvalidInputError, UserError } from '../../shared/errors.js';
import type { EvalPoint } from '../charts/localnet-chart.js';
import { Child, describeExit } from '../../main/children.js';
import { TrainLineSchema, type TrainLine } from '../../shared/train-lines.js';
import type { BackendChoice } from '../../shared/training.js';
import { ensurePasswordFile, ensureWallet } from '../../main/wallets.js';
import { writeOutputFile } from '../io.js';
import {
  BACKEND_HELP,
  parseBackendOption,
  parseFloatOption,
  parseIntOption,
  parseThreads,
  THREADS_HELP,
} from '../options.js';
import { onStopSignal } from '../signals.js';

interface LocalnetOptions {
  neurons: string;
  junk: string;
  duration: string;
  seed: string;
  data?: string;
  text?: string;
  report?: string;
  chart?: string;
  blockTime: string;
  engine: string;
  validators: string;
  backend: string;
  threads: string;
}

/** One neuron of the run as the parent sees it. */
interface NeuronState {
  index: number;
  name: string;
  junk: boolean;
  child?: Child<TrainLine>;
  /** How its process ended before the run did (code or signal), or undefined while it lives. */
  exited?: string;
  uid?: number;
  hotkey?: string;
  steps: number;
  loss?: number;
  lossStudent?: number;
  lossSolo?: number | null;
  tokensPerSecond?: number;
  evals: EvalPoint[];
  final?: Extract<TrainLine, { type: 'final' }>;
}

/** One neuron of the report (the contract tests outside the project read). */
export interface LocalnetReportNeuron {
  uid: number;
  hotkey: string;
  junk: boolean;
  incentive: number;
  emission: number;
  stake: number;
  valLoss: number | null;
  valLossSolo: number | null;
  valLossStudent: number | null;
  steps: number;
  /** How the neuron's process ended before the run did ("signal SIGKILL", "code 1"); null when it ran to the end. */
  exited: string | null;
}

/** Seconds the end of a run may take after the duration: final evaluations, the last epoch, stopping. */
const WIND_DOWN_S = 120;
/** Stake each neuron holds (equal stake), tokens; each coldkey is funded with more at genesis. */
const STAKE = 100;
const FUNDS = 1000;
const TEMPO = 10;

export function localnetCommand(): Command {
  return new Command('localnet')
    .description(
      'Run a local network: a ledger and N neurons (the last J of them junk) as processes on 127.0.0.1, each with a ' +
        'funded wallet, registered and staked, training on its own slice; then a report of losses and incentive',
    )
    .option('--neurons <n>', 'neurons in all', '4')
    .option('--junk <j>', 'how many of them serve noise (they add nothing)', '1')
    .option('--duration <seconds>', 'training time; the report follows within 120 s more', '240')
    .option('--seed <s>', 'seed of every neuron (each adds its index)', '1')
    .option('--data <dir>', "the network's state: chain, wallets, checkpoints, logs (default: a temporary folder)")
    .option('--text <dir>', 'train on the .txt files in this folder (split among the neurons by file)')
    .option('--report <file>', 'write the report as JSON here (it is printed on stdout too)')
    .option('--chart <file>', 'write the chart here (default: the report path with .svg)')
    .option('--block-time <ms>', "the ledger's block time", '1000')
    .option('--engine <engine>', 'embedded (one ledger process) or cometbft (a network of validators)', 'embedded')
    .option('--validators <n>', 'validators, with --engine cometbft', '4')
    .option('--backend <name>', `what every neuron trains on: ${BACKEND_HELP}`, 'auto')
    .option('--threads <n>', `per neuron, ${THREADS_HELP}`, '1')
    .action(async (opts: LocalnetOptions) => {
      if (opts.engine !== 'embedded' && opts.engine !== 'cometbft') {
        throw new InvalidInputError('--engine', `expected embedded or cometbft, got ${JSON.stringify(opts.engine)}`);
      }
      const validators = parseIntOption(opts.validators, '--validators', 1);
      const n = parseIntOption(opts.neurons, '--neurons', 2);
      const junk = parseIntOption(opts.junk, '--junk', 0);
      if (junk > n - 1) throw new InvalidInputError('--junk', `at most ${n - 1} of ${n} neurons (one must train)`);
      if (n > 64) throw new InvalidInputError('--neurons', 'at most 64 on one machine');
      const duration = parseFloatOption(opts.duration, '--duration', { min: 10 });
      const seed = parseIntOption(opts.seed, '--seed', 0);
      const blockTime = parseIntOption(opts.blockTime, '--block-time', 100);
      const backend = parseBackendOption(opts.backend, '--backend');
      const threads = parseThreads(opts.threads);
      await runLocalnet({
        n,
        junk,
        duration,
        seed,
        blockTime,
        backend,
        threads,
        validators: opts.engine === 'cometbft' ? validators : 0,
        ...(opts.data ? { data: opts.data } : {}),
        ...(opts.text ? { text: opts.text } : {}),
        ...(opts.report ? { report: opts.report } : {}),
        ...(opts.chart ? { chart: opts.chart } : {}),
      });
    });
}

async function runLocalnet(o: {
  n: number;
  junk: number;
  duration: number;
  seed: number;
  blockTime: number;
  /** What every neuron trains on (`neuron train --backend`). */
  backend: BackendChoice;
  /** Threads each neuron trains on, on a CPU backend (`neuron train --threads`). */
  threads: number;
  /** CometBFT validators; 0: the embedded ledger. */
  validators: number;
  data?: string;
  text?: string;
  report?: string;
  chart?: string;
}): Promise<void> {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const temporary = o.data === undefined;
  const data = o.data ?? (await mkdtemp(join(tmpdir(), 'bt-localnet-')));
  await mkdir(join(data, 'logs'), { recursive: true });
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const children: Child[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map((c) => c.stop()));
  };
  const interrupted = onStopSignal(async () => {
    say('stopping the local network...');
    await stopAll();
  });

  try {
    // Wallets, funded at genesis (kept in --data: a second run on the same folder reuses them).
    const passwordFile = join(data, 'password');
    const password = await ensurePasswordFile(passwordFile);
    const wallets = join(data, 'wallets');
    const trained = o.n - o.junk;
    const neurons: NeuronState[] = Array.from({ length: o.n }, (_, i) => ({
      index: i,
      name: `neuron${i + 1}`,
      junk: i >= trained,
      steps: 0,
      evals: [],
    }));
    const infos: WalletInfo[] = [];
    for (const nr of neurons) infos.push(await ensureWallet(wallets, nr.name, password));
    if (stopping) return;

    // The ledger: the embedded engine in one process, or a network of CometBFT validators.
    let ledgerUrl = '';
    const genesisAccounts = infos.flatMap((w) => ['--genesis-account', `${w.coldkey}:${FUNDS}`]);
    const ledgerArgs =
      o.validators > 0
        ? ['chain', 'testnet', '--dir', join(data, 'net'), '--validators', String(o.validators)]
        : ['ledger', 'start', '--data', join(data, 'chain'), '--rpc-port', '0'];
    const ledgerReady = new Promise<void>((resolve) => {
      const rpcs: string[] = [];
      const ledger = new Child(
        'ledger',
        [...ledgerArgs, '--block-time', String(o.blockTime), '--tempo', String(TEMPO), ...genesisAccounts],
        join(data, 'logs', 'ledger.log'),
        z.looseObject({ rpc: z.string().optional(), ready: z.boolean().optional() }),
        (line) => {
          if (line.rpc) rpcs.push(line.rpc);
          // The embedded ledger prints one line; a CometBFT network one per node, then {"ready": true}.
          if (o.validators === 0 || line.ready) {
            ledgerUrl = rpcs.join(',');
            resolve();
          }
        },
      );
      children.push(ledger);
      void ledger.exited.then((exit) => {
        if (!stopping) say(`the ledger exited (${describeExit(exit)}); see ${join(data, 'logs', 'ledger.log')}`);
        resolve();
      });
    });
    await Promise.race([ledgerReady, interrupted]);
    if (stopping) return;
    if (!ledgerUrl) throw new UserError(`the ledger did not start; see ${join(data, 'logs', 'ledger.log')}`);
    const client = new LedgerClient(ledgerUrl);
    say(`ledger at ${ledgerUrl}; starting ${o.n} neurons (${o.junk} junk); data in ${data}`);

    // The neurons, each training until the same moment.
    const trainFor = Math.max(5, o.duration - elapsed());
    for (const nr of neurons) {
      if (stopping) return;
      const args = [
        'neuron',
        'train',
        '--ledger',
        ledgerUrl,
        '--wallets',
        wallets,
        '--name',
        nr.name,
        '--password-file',
        passwordFile,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--stake',
        String(STAKE),
        '--seed',
        String(o.seed * 100 + nr.index),
        '--duration',
        String(Math.round(trainFor)),
        '--data',
        join(data, nr.name),
        '--backend',
        o.backend,
        '--threads',
        String(o.threads),
        ...(nr.junk ? ['--junk'] : ['--slice', `${nr.index + 1}/${trained}`]),
        ...(o.text ? ['--text', o.text] : []),
      ];
      const log = join(data, 'logs', `${nr.name}.log`);
      const child = new Child(nr.name, args, log, TrainLineSchema, (line) => onLine(nr, line));
      nr.child = child;
      children.push(child);
      void child.exited.then((exit) => {
        if (stopping || nr.final) return;
        nr.exited = describeExit(exit);
        say(`${nr.name} (uid ${nr.uid ?? '?'}) exited (${nr.exited}); see ${log}`);
      });
    }

    const table = setInterval(() => void progress(client, neurons, elapsed(), say), 15_000);
    table.unref();
    const allFinal = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        const dead = neurons.filter((nr) => nr.child && !nr.child.running && !nr.final);
        if (neurons.every((nr) => nr.final || dead.includes(nr)) || stopping) {
          clearInterval(check);
          resolve();
        }
      }, 500);
    });
    const deadline = Math.max(0, o.duration + WIND_DOWN_S - 30 - elapsed()) * 1000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allFinal, interrupted, new Promise((r) => (timer = setTimeout(r, deadline)))]);
    clearTimeout(timer);
    clearInterval(table);
    if (stopping) return;

    // Incentive from an epoch that counts the final weights.
    const lastWeights = Math.max(0, ...neurons.map((nr) => nr.final?.weightsBlock ?? 0));
    const epoch = await epochAfter(client, lastWeights, (TEMPO + 2) * o.blockTime + 5000);
    const metagraph = await client.neurons();
    const history = await client.epochHistory(1000);
    if (stopping) return;
    const report = {
      neurons: neurons.map((nr): LocalnetReportNeuron => {
        const m = metagraph.find((x) => x.hotkey === nr.hotkey);
        const e = epoch?.neurons.find((x) => x.hotkey === nr.hotkey);
        return {
          uid: nr.uid ?? -1,
          hotkey: nr.hotkey ?? '',
          junk: nr.junk,
          incentive: e?.incentive ?? 0,
          emission: e ? tokensAsNumber(e.emission) : 0,
          stake: m ? tokensAsNumber(m.stake) : 0,
          valLoss: nr.final?.valLoss ?? null,
          valLossSolo: nr.final?.valLossSolo ?? null,
          valLossStudent: nr.final?.valLossStudent ?? null,
          steps: nr.final?.steps ?? nr.steps,
          exited: nr.exited ?? null,
        };
      }),
    };
    await stopAll();
    const text = JSON.stringify(report, null, 2);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    summary(report.neurons, say);
    if (o.report) await writeOutputFile(o.report, `${text}\n`, '--report');
    const chartFile = o.chart ?? (o.report ? o.report.replace(/\.json$/i, '') + '.svg' : undefined);
    if (chartFile) {
      await mkdir(dirname(chartFile), { recursive: true });
      // The chart library (~90 MB in memory) only for the chart, at the end.
      const { renderLocalnetChart } = await import('../charts/localnet-chart.js');
      const svg = renderLocalnetChart(
        neurons.map((nr) => ({ uid: nr.uid ?? -1, junk: nr.junk, evals: nr.evals })),
        history,
      );
      await writeOutputFile(chartFile, svg, '--chart');
    }
    say(
      `done in ${Math.round(elapsed())} s${o.report ? `; report in ${o.report}` : ''}${chartFile ? `, chart in ${chartFile}` : ''}`,
    );
  } finally {
    await stopAll();
    if (temporary) await rm(data, { recursive: true, force: true });
  }
}

function onLine(nr: NeuronState, line: TrainLine): void {
  switch (line.type) {
    case 'ready':
      nr.uid = line.uid;
      nr.hotkey = line.hotkey;
      return;
    case 'step':
      nr.steps = line.step;
      nr.loss = line.loss;
      nr.lossStudent = line.lossStudent;
      nr.lossSolo = line.lossSolo;
      nr.tokensPerSecond = line.tokensPerSecond;
      return;
    case 'eval':
      nr.evals.push({
        t: line.t,
        step: line.step,
        valLoss: line.valLoss,
        valLossStudent: line.valLossStudent,
        valLossSolo: line.valLossSolo,
      });
      return;
    case 'final':
      nr.final = line;
      return;
    case 'weights':
      return;
  }
}

/** The first epoch record sealed after `block`, waiting up to `timeoutMs`; the latest one if none comes. */
async function epochAfter(client: LedgerClient, block: number, timeoutMs: number): Promise<EpochInfo | undefined> {
  const until = Date.now() + timeoutMs;
  let latest: EpochInfo | undefined;
  while (Date.now() < until) {
    latest = (await client.epochHistory(1))[0];
    if (latest && latest.block > block) return latest;
    await new Promise((r) => setTimeout(r, 500));
  }
  return latest;
}

const f3 = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(3) : '-');

async function progress(
  client: LedgerClient,
  neurons: NeuronState[],
  t: number,
  say: (s: string) => void,
): Promise<void> {
  const metagraph = await client.neurons().catch(() => []);
  const rows = neurons.map((nr) => {
    const m = metagraph.find((x) => x.hotkey === nr.hotkey);
    const role = nr.junk ? 'junk' : 'train';
    if (nr.exited) return `  ${String(nr.uid ?? '?').padStart(3)} ${role.padEnd(5)} exited (${nr.exited})`;
    return `  ${String(nr.uid ?? '?').padStart(3)} ${role.padEnd(5)} steps ${String(nr.steps).padStart(4)}  loss ${f3(nr.loss)}  solo ${f3(nr.lossSolo)}  student ${f3(nr.lossStudent)}  incentive ${m ? m.incentive.toFixed(3) : '-'}  stake ${m ? formatAmount(m.stake) : '-'}`;
  });
  say(`[${Math.round(t)} s]\n${rows.join('\n')}`);
}

function summary(rows: LocalnetReportNeuron[], say: (s: string) => void): void {
  say('uid  role   steps  valLoss  student  solo    incentive');
  for (const r of rows) {
    say(
      `${String(r.uid).padEnd(4)} ${(r.junk ? 'junk' : 'train').padEnd(6)} ${String(r.steps).padStart(5)}  ${f3(r.valLoss).padStart(7)}  ${f3(r.valLossStudent).padStart(7)}  ${f3(r.valLossSolo).padStart(6)}  ${r.incentive.toFixed(4)}${r.exited ? `  exited (${r.exited})` : ''}`,
    );
  }
}
