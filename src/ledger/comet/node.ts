import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine, UserError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { LedgerApp } from '../abci/app.js';
import { AbciServer } from '../abci/server.js';
import { LevelChainStore } from '../storage.js';
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
      await app.start();
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
    const logFile = createWriteStream(join(home, 'cometbft.log'), { flags: 'a' });
    const child = spawn(cometbft, ['start', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(logFile);
    child.stderr.pipe(logFile);
    this.child = child;
    this.exitedPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
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
    await this.server?.stop();
    this.server = undefined;
    await this.app?.stop();
    this.app = undefined;
  }
}
