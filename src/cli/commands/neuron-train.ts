import type { TrainLine } from '../../shared/train-lines.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../shared/errors.js';
import { createLogger, type LogLevel } from '../../shared/logger.js';
import { MODEL_PRESETS, type TrainingConfig } from '../../shared/training.js';
import type { NeuronRole } from '../../neuron/trained-neuron.js';
import {
  BACKEND_HELP,
  LEDGER_URL_HELP,
  parseBackendOption,
  parseBootstrap,
  parseFloatOption,
  parseIntOption,
  parsePortOption,
  parseThreads,
  THREADS_HELP,
  parseChoice,
} from '../options.js';
import { lowerPriority } from '../priority.js';
import { onStopSignal } from '../signals.js';

interface TrainOptions {
  port: string;
  host: string;
  ledger: string;
  wallets: string;
  name: string;
  passwordFile: string;
  slice: string;
  text?: string;
  junk?: boolean;
  model?: string;
  seed: string;
  duration?: string;
  data?: string;
  stake?: string;
  batch: string;
  seq: string;
  vocab: string;
  topK: string;
  learningRate: string;
  applyGradients: boolean;
  solo: boolean;
  finalBatches: string;
  backend: string;
  threads: string;
  cpuShare: string;
  preset: string;
  bootstrap: string[];
  logLevel: LogLevel;
}

/** Parses "i/N" (1-based for people: 1/3 is the first of three). */
function parseSlice(raw: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InvalidInputError('--slice', `expected i/N with 1 <= i <= N (e.g. 2/3), got ${JSON.stringify(raw)}`);
  }
  return { index: index - 1, count };
}

/** One line of the protocol localnet and the embedded network read (shared/train-lines.ts). */
const line = (value: TrainLine) => process.stdout.write(`${JSON.stringify(value)}\n`);

/**
 * `neuron train`: a neuron that learns from its peers. It registers (and stakes), serves a copy of its
 * encoder, trains in a worker thread on its slice of the text with peers' answers through the gate, sends
 * them gradients, distils a student, scores peers and sets weights. One JSON line per event on stdout.
 */
export function addTrainCommand(neuron: Command): void {
  neuron
    .command('train')
    .description('Serve and train: learn from peers through a sparse gate, distil a student, set weights on the ledger')
    .requiredOption('--ledger <url>', LEDGER_URL_HELP)
    .requiredOption('--wallets <dir>', 'wallets folder')
    .requiredOption('--name <name>', 'wallet name (its hotkey is the neuron identity)')
    .requiredOption('--password-file <file>', "file holding the wallet's password")
    .option('--port <port>', 'TCP port to listen on (0 picks one)', '0')
    .option('--host <host>', 'interface to listen on', '0.0.0.0')
    .option('--slice <i/N>', 'train on the i-th of N shares of the text (by genre, or by file with --text)', '1/1')
    .option('--text <dir>', 'train on the .txt files in this folder instead of the bundled Brown corpus')
    .option('--junk', 'serve noise unrelated to the input (a peer that adds nothing, for experiments)')
    .option('--model <dir>', 'serve a pretrained TF.js layers model from this folder, without training it')
    .option('--seed <n>', 'seed for initialization and batch order', '1')
    .option('--duration <seconds>', 'train this long, then evaluate, set weights, and keep serving until stopped')
    .option('--data <dir>', 'folder for the checkpoint (a restart resumes from it)')
    .option('--stake <tokens>', 'stake to hold on the hotkey (added from the coldkey at start)')
    .option('--batch <n>', 'sequences per step', '8')
    .option('--seq <n>', 'tokens per sequence', '64')
    .option('--vocab <n>', 'output vocabulary: the most frequent tokens, plus one unknown class', '2048')
    .option('--top-k <n>', 'peers queried per step', '4')
    .option('--learning-rate <x>', 'Adam learning rate', '0.002')
    .option('--no-apply-gradients', "ignore peers' gradients (learn from the own loss only)")
    .option('--no-solo', 'do not train the solo twin (the baseline that never sees peers)')
    .option('--final-batches <n>', 'held-out batches in the final evaluation', '12')
    .option('--backend <name>', BACKEND_HELP, 'auto')
    .option('--threads <n>', THREADS_HELP, '1')
    .option(
      '--cpu-share <x>',
      'share of the time each training thread works, 0.05 to 1: it rests between steps, and below 1 the process runs at below-normal CPU priority (a neuron sharing the machine)',
      '1',
    )
    .option(
      '--preset <size>',
      `the model's size: ${MODEL_PRESETS.join(', ')} (auto: large on a GPU backend; a checkpoint keeps its model)`,
      'auto',
    )
    .option('--bootstrap <multiaddr...>', 'peers to dial at start', [])
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr)', 'info')
    .action(async (opts: TrainOptions) => {
      const logger = createLogger('bt', (l) => process.stderr.write(`${l}\n`), opts.logLevel);
      const port = parsePortOption(opts.port, '--port');
      const bootstrap = opts.bootstrap.map((a, i) => parseBootstrap(a, `--bootstrap[${i}]`));
      const backend = parseBackendOption(opts.backend, '--backend');
      const threads = parseThreads(opts.threads);
      const cpuShare = parseFloatOption(opts.cpuShare, '--cpu-share', { min: 0.05, max: 1 });
      if (cpuShare < 1) {
        // Before anything heavy: tokenizing and the backend's self-test run at full speed, but yield.
        const lowered = lowerPriority();
        if ('error' in lowered) logger.warn('cannot lower the CPU priority; the process runs at its own', lowered);
        else logger.info('CPU priority lowered', lowered);
      }
      const preset = parseChoice(opts.preset, '--preset', MODEL_PRESETS);
      const [{ startLearningNeuron }, { ledgerClient, openWallet }] = await Promise.all([
        import('../../neuron/trained-neuron.js'),
        import('../ledger-access.js'),
      ]);
      const client = ledgerClient(opts.ledger);
      const wallet = await openWallet(opts);
      const seed = parseIntOption(opts.seed, '--seed', 0);
      const duration =
        opts.duration === undefined ? undefined : parseFloatOption(opts.duration, '--duration', { min: 0 });
      const dim = (await client.info()).params.networkDim;
      const config: TrainingConfig = {
        seed,
        dim,
        slice: parseSlice(opts.slice),
        ...(opts.text ? { textDir: opts.text } : {}),
        batch: parseIntOption(opts.batch, '--batch', 1),
        seq: parseIntOption(opts.seq, '--seq', 2),
        vocab: parseIntOption(opts.vocab, '--vocab', 16),
        topK: parseIntOption(opts.topK, '--top-k', 1),
        learningRate: parseFloatOption(opts.learningRate, '--learning-rate', { min: 0, exclusiveMin: true, max: 1 }),
        applyRemote: opts.applyGradients,
        solo: opts.solo,
        servingEvery: 5,
        evaluateEvery: 25,
        evaluateBatches: 4,
        checkpointEvery: 50,
        ...(opts.data ? { checkpointFile: join(opts.data, 'checkpoint.bin') } : {}),
        backend,
        threads,
        preset,
      };
      const role: NeuronRole = opts.junk
        ? { kind: 'junk', seed, dim }
        : opts.model
          ? { kind: 'pretrained', path: opts.model }
          : { kind: 'train', config };
      const neuron = await startLearningNeuron(
        { client, keys: wallet, logger },
        {
          role,
          node: { port, host: opts.host, bootstrap, upnp: false, mdns: false },
          ...(opts.stake ? { stake: opts.stake } : {}),
        },
      );
      if (cpuShare < 1 && role.kind === 'train') {
        neuron.throttle(cpuShare);
        logger.info('training part of the time', { cpuShare });
      }
      const stopped = onStopSignal(() => neuron.stop());
      const started = Date.now();
      const t = () => Math.round((Date.now() - started) / 100) / 10;
      line({
        type: 'ready',
        uid: neuron.uid,
        hotkey: neuron.node.hotkey,
        peerId: neuron.node.peerId.toString(),
        multiaddrs: neuron.node.multiaddrs(),
        role: role.kind,
        backend: neuron.backend,
      });
      neuron.events.on('train:step', (e) => line({ type: 'step', t: t(), ...e }));
      neuron.events.on('gate:update', (e) => line({ type: 'eval', t: t(), ...e }));
      neuron.events.on('weights:set', (e) => line({ type: 'weights', t: t(), ...e }));
      if (duration !== undefined) {
        const timer = setTimeout(() => void finish(), duration * 1000);
        timer.unref();
        void stopped.then(() => clearTimeout(timer));
      }
      /** The end of a timed run: stop training, a full evaluation, the last weights; then keep serving. */
      async function finish(): Promise<void> {
        neuron.pause();
        // A worker that dies during it rejects the evaluation: the report then has no losses, and serving goes on.
        const e = await neuron
          .evaluate(parseIntOption(opts.finalBatches, '--final-batches', 1))
          .catch((error: unknown) => {
            logger.error('the final evaluation failed', { error: (error as Error).message });
            return undefined;
          });
        const block = await neuron.submitWeights();
        line({
          type: 'final',
          t: t(),
          uid: neuron.uid,
          junk: role.kind === 'junk',
          steps: e?.step ?? 0,
          valLoss: e?.valLoss ?? null,
          valLossStudent: e?.valLossStudent ?? null,
          valLossSolo: e?.valLossSolo ?? null,
          peers: e?.peers ?? [],
          weightsBlock: block ?? null,
        });
      }
      await stopped;
    });
}
