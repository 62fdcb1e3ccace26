import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeGenesis } from '../ledger/block.js';
import { LedgerClient } from '../ledger/client.js';
import { startLedger, type LedgerNode } from '../ledger/node.js';
import { loadWallet, WrongPasswordError, type WalletInfo } from '../ledger/wallet/index.js';
import type { Logger } from '../shared/logger.js';
import { RestartBackoff, type Restart, type RestartPolicy } from '../shared/restart-backoff.js';
import type { BackendChoice } from '../shared/training.js';
import { TrainLineSchema } from '../shared/train-lines.js';
import { Child, describeExit, type ChildExit } from './children.js';
import { ensurePasswordFile, ensureWallet } from './wallets.js';

/** Tokens the faucet gives this node's wallet once, and each peer gets at genesis (base units). */
const FUNDS = 1000n * 10n ** 9n;
const FAUCET_FUNDS = 1_000_000n * 10n ** 9n;

export interface EmbeddedNetworkInit {
  /** The network's folder (the miner's data folder + /network): chain, peers' wallets and data, logs. */
  dir: string;
  /** Peer neurons: trained ones, then (from 3 peers) one junk neuron. */
  peers: number;
  /** The backend the peers train on (`neuron train --backend`). Default auto. */
  backend?: BackendChoice;
  /**
   * The share of the time each peer trains (`neuron train --cpu-share`): the peers are the network the user's
   * neuron learns from and is priced by, not the user's contribution, so they take little of the machine
   * beside the cores the user allows. Default PEER_CPU_SHARE.
   */
  peerCpuShare?: number;
}

/** Each embedded peer trains a quarter of the time: two trained peers take half a core between them. */
export const PEER_CPU_SHARE = 0.25;

export interface EmbeddedNetworkComponents {
  logger: Logger;
}

/** The embedded local network: an in-process ledger and peer neurons as child processes. */
export interface EmbeddedNetwork {
  readonly ledgerUrl: string;
  /** Slices of the training text: the peers take the first ones, this node the last. */
  readonly slices: number;
  /**
   * What keeps the network from working as it should, in one line with what to do (its wallets locked, a peer
   * neuron left stopped after exiting again and again); undefined when nothing does. The dashboard shows it.
   */
  readonly problem: string | undefined;
  /** Gives `coldkey` its starting funds from the network's faucet, once (no-op when it holds any tokens). */
  fund(coldkey: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded network, kept in `dir` so that a restart continues the same chain. The chain's funds
 * sit in a faucet wallet of the network's own, so the ledger can start before this node has a wallet (the
 * dashboard may still be asking for one); `fund` pays the node once it has.
 */
export async function startEmbeddedNetwork(
  init: EmbeddedNetworkInit,
  components: EmbeddedNetworkComponents,
): Promise<EmbeddedNetwork> {
  const { dir, peers } = init;
  const { logger } = components;
  await mkdir(join(dir, 'logs'), { recursive: true });
  const passwordFile = join(dir, 'password');
  const password = await ensurePasswordFile(passwordFile);
  const wallets = join(dir, 'wallets');
  const faucet = await ensureWallet(wallets, 'faucet', password);
  // Every wallet here shares the password file: one that no longer opens them (changed, or deleted and made
  // again) would have each peer exit at its start, again and again. Checked once, on the faucet.
  const locked = await loadWallet(wallets, 'faucet', password).then(
    () => false,
    (error: unknown) => {
      if (error instanceof WrongPasswordError) return true;
      throw error;
    },
  );
  let problem = locked
    ? `the embedded network's wallets do not open with its password file (${passwordFile}): no peer neuron runs; put back the password file they were made with, then restart the miner`
    : undefined;
  if (locked) {
    logger.error(
      "the embedded network's wallets do not open with its password file; its peer neurons are not started",
      {
        passwordFile,
        wallets,
        advice: 'put back the password file they were made with, then restart the miner',
      },
    );
  }
  const names = Array.from({ length: peers }, (_, i) => `peer${i + 1}`);
  const infos: WalletInfo[] = [];
  for (const name of names) infos.push(await ensureWallet(wallets, name, password));
  const ledger: LedgerNode = await startLedger(
    {
      dataDir: join(dir, 'chain'),
      genesis: () =>
        makeGenesis(
          [
            [faucet.coldkey, FAUCET_FUNDS] as [string, bigint],
            ...infos.map((w): [string, bigint] => [w.coldkey, FUNDS]),
          ],
          { blockTimeMs: 1000, tempo: 10 },
        ),
    },
    { logger },
  );
  const junk = peers >= 3 ? 1 : 0;
  const slices = peers - junk + 1;
  const peerArgs = (name: string, i: number): string[] => [
    'neuron',
    'train',
    '--ledger',
    ledger.rpcUrl,
    '--wallets',
    wallets,
    '--name',
    name,
    '--password-file',
    passwordFile,
    '--host',
    '127.0.0.1',
    '--stake',
    '100',
    '--seed',
    String(100 + i),
    '--data',
    join(dir, name),
    '--backend',
    init.backend ?? 'auto',
    // Small models, trained part of the time: these peers share the machine (and its GPU) with the user's
    // own neuron.
    '--preset',
    'small',
    '--cpu-share',
    String(init.peerCpuShare ?? PEER_CPU_SHARE),
    ...(i >= peers - junk ? ['--junk'] : ['--slice', `${i + 1}/${slices}`]),
  ];
  const kept = (locked ? [] : names).map((name, i) =>
    keepRunning(
      () => new Child(name, peerArgs(name, i), join(dir, 'logs', `${name}.log`), TrainLineSchema, () => undefined),
      (exit, restart) => {
        const fields = { peer: name, exit: describeExit(exit), log: join(dir, 'logs', `${name}.log`) };
        if (restart)
          logger.warn('a peer neuron of the embedded network exited; starting it again', { ...fields, ...restart });
        else {
          logger.error(
            'a peer neuron of the embedded network keeps exiting; left stopped until the miner restarts',
            fields,
          );
          problem ??= `peer neuron ${name} of the embedded network keeps exiting (${fields.exit}); left stopped until the miner restarts (its log: ${fields.log})`;
        }
      },
    ),
  );
  const client = new LedgerClient(ledger.rpcUrl);
  return {
    ledgerUrl: ledger.rpcUrl,
    slices,
    get problem() {
      return problem;
    },
    async fund(coldkey) {
      const balance = await client.balance(coldkey);
      if (balance.free + balance.staked > 0n || balance.nonce > 0) return;
      const keys = await loadWallet(wallets, 'faucet', password);
      await client.signAndSubmit(keys.coldkey, { type: 'transfer', to: coldkey, amount: String(FUNDS) });
    },
    async stop() {
      const started = Date.now();
      await Promise.all(kept.map((k) => k.stop()));
      logger.info('stopped the peer neurons', { ms: Date.now() - started });
      await ledger.stop();
    },
  };
}

/**
 * How a peer that exited is started again: after 1, 5, 15, 60 s by its quick exits in a row; a run of 5 minutes
 * starts the count over; after 5 quick exits in a row it is left stopped (its log says why; a miner restart
 * tries again).
 */
const PEER_RESTARTS: RestartPolicy = { delaysMs: [1000, 5000, 15_000, 60_000], max: 5, stableMs: 5 * 60_000 };

/**
 * Keeps a child running until stop(): one that exits is started again as PEER_RESTARTS says. `onExit` hears of
 * each exit before stop(), with the restart to come (undefined when it gives up).
 */
function keepRunning(
  spawn: () => Child,
  onExit: (exit: ChildExit, restart: Restart | undefined) => void,
): { stop(): Promise<void> } {
  let child: Child;
  const backoff = new RestartBackoff(PEER_RESTARTS);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const start = () => {
    child = spawn();
    backoff.started();
    void child.exited.then((exit) => {
      if (stopped) return;
      const restart = backoff.failed();
      onExit(exit, restart);
      if (restart) timer = setTimeout(start, restart.retryInMs);
    });
  };
  start();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await child.stop();
    },
  };
}
