import { Command, Option } from 'commander';
import {
  DEFAULT_COLLUSION_SCENARIO,
  formatEpochOutcome,
  MAX_EPOCH_BLOCKS,
  parseEpochRequest,
  runEpochs,
  simulateCollusion,
  type CollusionScenario,
  type CollusionSeries,
} from '../../ledger/mechanism/index.js';
import { InvalidInputError } from '../../shared/errors.js';
import { parseJson, readInput, writeOutputFile } from '../io.js';
import { parseFloatOption, parseIntOption, parseListOption } from '../options.js';

/** `bittensor-miner mechanism`: run the incentive mechanism on given inputs, or simulate an attack on it. */
export function mechanismCommand(): Command {
  const mechanism = new Command('mechanism').description('Run the incentive mechanism (Yuma consensus or EigenTrust)');

  mechanism
    .command('epoch')
    .description('Run one or more epochs on a JSON request and print the result as JSON')
    .requiredOption('-i, --input <file>', 'JSON request file, or - for standard input')
    .addHelpText(
      'after',
      `
The request: {"mechanism": "yuma"|"eigentrust", "params": {...}, "stake": [n], "weights": n x n | {"rows": [[[j, w], ...], ...]},
"bonds"?: same formats, "active"?: [n booleans], "selfWeights"?: [n] (eigentrust), "blocks"?: k (1 to ${MAX_EPOCH_BLOCKS})}.
Other fields are refused. Bad input (or numbers so large that a result would not be finite) exits with code 2
and one line on stderr naming the field.`,
    )
    .action(async (opts: { input: string }) => {
      const request = parseEpochRequest(parseJson(await readInput(opts.input, '--input'), 'input'));
      const started = performance.now();
      const outcome = runEpochs(request.request);
      const timingMs = performance.now() - started;
      process.stdout.write(`${JSON.stringify(formatEpochOutcome(outcome, request.matrixFormat, timingMs))}\n`);
    });

  const d = DEFAULT_COLLUSION_SCENARIO;
  mechanism
    .command('simulate')
    .description(
      "Simulate the whitepaper's collusion attack: an honest sub-graph against a cabal voting only for itself",
    )
    .option('--cabal-stake <shares>', "the cabal's initial stake shares, comma-separated", '0.3,0.45,0.49')
    .option('--epochs <n>', 'epochs to run', String(d.epochs))
    .option('--honest <n>', 'peers in the honest sub-graph', String(d.honestPeers))
    .option('--cabal <n>', 'peers in the cabal', String(d.cabalPeers))
    .option('--initial-stake <tokens>', 'total stake at epoch 0', String(d.initialStake))
    .option('--emission <tokens>', 'tokens minted per epoch', String(d.params.emission))
    .option('--rho <x>', 'steepness of the consensus sigmoid', String(d.params.rho))
    .option('--kappa <x>', 'trust at which consensus is 0.5', String(d.params.kappa))
    .option('--seed <n>', 'seed for the random weights', String(d.seed))
    .addOption(
      new Option('--format <format>', 'format of the per-epoch series').choices(['csv', 'json']).default('csv'),
    )
    .option('--out <file>', 'write the series to this file and print a summary instead')
    .option('--chart <file>', 'also draw the series as an SVG chart, Yuma beside the naive ranking')
    .action(async (opts: SimulateOptions) => {
      const scenarios = scenariosFrom(opts);
      const series = scenarios.map(simulateCollusion);
      const text = opts.format === 'json' ? seriesJson(scenarios[0], series) : seriesCsv(series);
      // Both files are written before anything is printed, so that a path that cannot be written ends
      // the command with its one-line error alone.
      if (opts.out !== undefined) await writeOutputFile(opts.out, text, '--out');
      if (opts.chart !== undefined) {
        // Loaded here, not at the top: ECharts costs ~0.5 s to import, which every other command would pay.
        const { renderCollusionChart } = await import('../charts/collusion-chart.js');
        await writeOutputFile(opts.chart, renderCollusionChart(series, scenarios[0]), '--chart');
      }
      if (opts.out === undefined) {
        process.stdout.write(text);
        return;
      }
      process.stdout.write(summaryTable(series, scenarios[0]?.epochs ?? 0));
      process.stdout.write(`series written to ${opts.out}\n`);
      if (opts.chart !== undefined) process.stdout.write(`chart written to ${opts.chart}\n`);
    });
  return mechanism;
}

interface SimulateOptions {
  cabalStake: string;
  epochs: string;
  honest: string;
  cabal: string;
  initialStake: string;
  emission: string;
  rho: string;
  kappa: string;
  seed: string;
  format: 'csv' | 'json';
  out?: string;
  chart?: string;
}

function scenariosFrom(opts: SimulateOptions): CollusionScenario[] {
  const d = DEFAULT_COLLUSION_SCENARIO;
  const base = {
    epochs: parseIntOption(opts.epochs, '--epochs', 1),
    honestPeers: parseIntOption(opts.honest, '--honest', 2),
    cabalPeers: parseIntOption(opts.cabal, '--cabal', 2),
    initialStake: parseFloatOption(opts.initialStake, '--initial-stake', { min: 0, exclusiveMin: true }),
    seed: parseIntOption(opts.seed, '--seed', 0),
    params: {
      ...d.params,
      emission: parseFloatOption(opts.emission, '--emission', { min: 0 }),
      rho: parseFloatOption(opts.rho, '--rho', { min: 0 }),
      kappa: parseFloatOption(opts.kappa, '--kappa', {}),
    },
  };
  return parseListOption(opts.cabalStake, '--cabal-stake', (s) => {
    const share = parseFloatOption(s, '--cabal-stake', { min: 0, max: 1, exclusiveMin: true });
    if (share >= 1) throw new InvalidInputError('--cabal-stake', 'each share must be below 1');
    return { ...base, cabalStake: share };
  });
}

function seriesCsv(series: CollusionSeries[]): string {
  const lines = ['epoch,cabal_stake,yuma_share,naive_share'];
  for (const s of series) {
    for (let e = 0; e < s.yuma.length; e++) lines.push(`${e},${s.cabalStake},${s.yuma[e]},${s.naive[e]}`);
  }
  return `${lines.join('\n')}\n`;
}

function seriesJson(scenario: CollusionScenario | undefined, series: CollusionSeries[]): string {
  const { cabalStake: _omit, ...shared } = scenario ?? { cabalStake: 0 };
  const body = series.map((s) => ({ cabalStake: s.cabalStake, yuma: Array.from(s.yuma), naive: Array.from(s.naive) }));
  return `${JSON.stringify({ scenario: shared, series: body })}\n`;
}

function summaryTable(series: CollusionSeries[], epochs: number): string {
  const rows = series.map((s) => {
    const pick = (x: Float64Array, e: number) => (x[Math.min(e, x.length - 1)] ?? 0).toFixed(4).padStart(12);
    return `${s.cabalStake.toFixed(2).padStart(11)} ${pick(s.yuma, 100)} ${pick(s.yuma, epochs)} ${pick(s.naive, epochs)}`;
  });
  const header = `cabal stake  Yuma @ 100  Yuma @ ${String(epochs).padEnd(4)} naive @ ${epochs}`;
  return `The cabal's share of all stake (it votes only for itself):\n${header}\n${rows.join('\n')}\n`;
}
