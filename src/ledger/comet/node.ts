import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { oneLine, UserError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { LedgerApp } from '../abci/app.js';
import { AbciServer } from '../abci/server.js';
import { LogFile } from '../log-file.js';
import { isLockedByAnother, LevelChainStore, levelCode } from '../storage.js';
import { httpUrl, readNodeAddresses } from './config.js';

export interface CometNodeInit {
  /** The node's CometBFT home (config/, data/); the application keeps its own data in `app-data/` there. */
  home: string;
  /** The cometbft binary (findCometbft). */
  cometbft: string;
  /** How long to wait for the node's RPC to answer, ms. Default 60000. */
  readyTimeoutMs?: number;
  /** Crash tests only: see LedgerAppInit.killAtCommit. */
  killAtCommit?: number | undefined;
}

export interface CometNodeComponents {
  logger: Logger;
}

/** CometBFT stopped on its own (a crash, an ABCI connection error, a bad config). */
export class CometbftExitedError extends UserError {
  override name = 'CometbftExitedError';
}

/**
 * One node of a CometBFT network: our ledger application listening on the node's `proxy_app` address, and
 * the `cometbft` process that drives it (consensus, block sync, crash replay). CometBFT's output goes to
 * `cometbft.log` in the home folder.
 */
export class CometNode {
  private app: LedgerApp | undefined;
  private server: AbciServer | undefined;
  private child: ChildProcess | undefined;
  private logFile: LogFile | undefined;
  /** Resolves when cometbft's output has ended (after its exit). */
  private outputEnded: Promise<void> | undefined;
  private exitedPromise: Promise<number | string> | undefined;
  private rpc = '';
  private p2p = '';
  private readonly log: Logger;

  constructor(
    private readonly init: CometNodeInit,
    components: CometNodeComponents,
  ) {
    this.log = components.logger;
  }

  /** The node's CometBFT RPC URL (http). */
  get rpcUrl(): string {
    return this.rpc;
  }

  /** The cometbft process's id while it runs. */
  get cometbftPid(): number | undefined {
    return this.child?.pid;
  }

  get p2pAddress(): string {
    return this.p2p;
  }

  /** Resolves with cometbft's exit code or signal when it stops; undefined before start(). */
  get exited(): Promise<number | string> | undefined {
    return this.exitedPromise;
  }

  /** Starts the application, then cometbft, and waits until the node's RPC answers. Safe to call twice. */
  async start(): Promise<void> {
    if (this.app) return;
    const { home } = this.init;
    const addresses = await readNodeAddresses(home);
    this.rpc = httpUrl(addresses.rpc);
    this.p2p = addresses.p2p;
    const app = new LedgerApp(
      { store: new LevelChainStore(join(home, 'app-data')), logger: this.log.child('app') },
      { killAtCommit: this.init.killAtCommit },
    );
    this.app = app;
    try {
      await app.start().catch((error: unknown) => {
        // Another process has it open: this home's node is running already (or its application is exiting).
        if (isLockedByAnother(error))
          throw new UserError(
            `cannot open the application's data in ${join(home, 'app-data')} (${levelCode(error)}); is a node of this home running already? Stop it first`,
          );
        throw error;
      });
      this.server = new AbciServer({ listen: addresses.proxyApp }, { handler: app, logger: this.log.child('abci') });
      await this.server.start();
      await this.spawnCometbft();
      await this.waitForRpc();
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.log.info('node started', { home, rpc: this.rpc });
  }

  private async spawnCometbft(): Promise<void> {
    const { home, cometbft } = this.init;
    await mkdir(home, { recursive: true });
    // A full disk loses cometbft's lines (counted in the file when there is room again), not this process.
    const logFile = (this.logFile = new LogFile(
      { path: join(home, 'cometbft.log') },
      {
        onError: (error) =>
          this.log.error('cannot write cometbft.log; its lines are lost until there is room', {
            error: oneLine(error),
          }),
      },
    ));
    const child = spawn(cometbft, ['start', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let failure: string | undefined;
    for (const output of [child.stdout, child.stderr]) {
      output.on('data', (chunk: Buffer) => logFile.write(chunk));
      createInterface({ input: output }).on('line', (line) => {
        const reason = consensusFailure(line);
        if (reason === undefined || failure !== undefined) return;
        // CometBFT's consensus stops for good on such a failure (a full disk, say) while the process and its RPC
        // live on: a validator that looks alive and makes no block. Stopping it says so, and a restart, once
        // the cause is gone, replays from its last block.
        failure = reason;
        this.log.error('cometbft stopped making blocks: stopping it', { error: reason });
        child.kill('SIGTERM');
      });
    }
    this.child = child;
    this.outputEnded = new Promise((resolve) => child.once('close', () => resolve()));
    this.exitedPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve(failure !== undefined ? `consensus failure: ${failure}` : (signal ?? code ?? 0));
      });
      child.once('error', (error) => resolve(oneLine(error)));
    });
  }

  private async waitForRpc(): Promise<void> {
    const deadline = Date.now() + (this.init.readyTimeoutMs ?? 60_000);
    let exited: number | string | undefined;
    void this.exitedPromise?.then((e) => (exited = e));
    for (;;) {
      if (exited !== undefined)
        throw new CometbftExitedError(`cometbft stopped (${exited}) before it served: ${await this.lastLog()}`);
      const ok = await fetch(`${this.rpc}/status`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline)
        throw new CometbftExitedError(`cometbft's RPC at ${this.rpc} did not answer: ${await this.lastLog()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The last meaningful line of cometbft.log, for one-line errors. */
  private async lastLog(): Promise<string> {
    const text = await readFile(join(this.init.home, 'cometbft.log'), 'utf8').catch(() => '');
    const lines = text
      .trim()
      .split('\n')
      .filter((l) => /ERR|error|panic/i.test(l));
    return oneLine(lines.at(-1) ?? text.trim().split('\n').at(-1) ?? 'no output');
  }

  /** Stops cometbft (SIGTERM, then SIGKILL after 10 s), then the ABCI server and the application. Safe twice. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await this.exitedPromise;
      clearTimeout(timer);
    }
    // Its last lines written (or their loss reported) before this returns: a caller's error line comes last.
    if (child) await this.outputEnded;
    await this.logFile?.end();
    this.logFile = undefined;
    await this.server?.stop();
    this.server = undefined;
    await this.app?.stop();
    this.app = undefined;
  }
}

/**
 * The reason in a line of CometBFT's log that says its consensus failed (`CONSENSUS FAILURE!!! ... err="..."`),
 * unquoted; undefined for any other line.
 */
export function consensusFailure(line: string): string | undefined {
  if (!line.includes('CONSENSUS FAILURE')) return undefined;
  const quoted = /\berr="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
  if (quoted === undefined) return oneLine(line.replace(/^.*CONSENSUS FAILURE!*\s*/, '')) || 'no reason given';
  return oneLine(quoted.replace(/\\(.)/g, '$1'));
}
