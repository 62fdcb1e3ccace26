import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './cli.js';

/** How a process ended: its exit code, or the signal that ended it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A long-running `bittensor-miner` process (`ledger start`, `ledger follow`), spawned the way a user runs it:
 * `node bin/bittensor-miner.js ...`. Output is collected; `ready()` waits for its first stdout JSON line.
 */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private exit: Exit | undefined;
  private readyLine: Promise<Record<string, unknown>> | undefined;

  /** `entry`: what node runs before `args` (default the CLI; a support script with its `--import tsx`). */
  constructor(
    readonly args: readonly string[],
    env: Record<string, string> = {},
    entry: readonly string[] = [BIN],
  ) {
    this.child = spawn(process.execPath, [...entry, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.child.stdin.end();
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.exited = new Promise((resolve) => {
      // 'close' comes after the streams are drained, so stdout/stderr are complete when it resolves.
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.child.on('error', (error) => {
        this.err += `spawn error: ${error.message}\n`;
        this.exit = { code: null, signal: null };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * The first line on stdout, parsed as JSON. Rejects, with the process's stderr in the message, when it
   * exits first, prints something that is not JSON, or prints nothing within `timeoutMs`.
   */
  ready(timeoutMs = 15_000): Promise<Record<string, unknown>> {
    this.readyLine ??= new Promise((resolve, reject) => {
      const describe = (why: string) =>
        new Error(`${why}: bittensor-miner ${this.args.join(' ')}\n--- stdout:\n${this.out}--- stderr:\n${this.err}`);
      const check = (): boolean => {
        const end = this.out.indexOf('\n');
        if (end < 0) return false;
        const line = this.out.slice(0, end);
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(describe(`first stdout line is not JSON (${JSON.stringify(line.slice(0, 200))})`));
        }
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(describe(`no ready line after ${timeoutMs} ms`));
      }, timeoutMs);
      const onData = () => {
        if (check()) cleanup();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.stdout.off('data', onData);
      };
      if (check()) return cleanup();
      this.child.stdout.on('data', onData);
      void this.exited.then((exit) => {
        // Output that arrived with the exit counts; otherwise the process died before it was ready.
        if (check()) return cleanup();
        cleanup();
        reject(describe(`exited before its ready line (code ${exit.code}, signal ${exit.signal})`));
      });
    });
    return this.readyLine;
  }

  /** SIGTERM, then waits for the exit; SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL (kill -9: no handler runs, nothing is flushed by the process), then waits for the exit. */
  async kill(): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Waits for the exit; SIGKILLs it and rejects when it is still running after `timeoutMs`. */
  async waitExit(timeoutMs = 15_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`still running after ${timeoutMs} ms: bittensor-miner ${this.args.join(' ')}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Every process a test file spawned, so that one afterAll/afterEach ends them all, on failure too:
 * `const procs = new Processes(); afterAll(() => procs.stopAll());`
 */
export class Processes {
  private readonly all = new Set<CliProcess>();

  /** Spawns `node bin/bittensor-miner.js ...args` and tracks it. */
  spawn(args: readonly string[], env?: Record<string, string>): CliProcess {
    const p = new CliProcess(args, env);
    this.all.add(p);
    void p.exited.then(() => this.all.delete(p));
    return p;
  }

  /** Spawns and waits for the ready line (see CliProcess.ready). */
  async start(
    args: readonly string[],
    timeoutMs?: number,
    env?: Record<string, string>,
  ): Promise<{ proc: CliProcess; ready: Record<string, unknown> }> {
    const proc = this.spawn(args, env);
    try {
      return { proc, ready: await proc.ready(timeoutMs) };
    } catch (error) {
      await proc.kill();
      throw error;
    }
  }

  /** Stops every tracked process that still runs: SIGTERM, then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 5_000): Promise<void> {
    await Promise.all([...this.all].map((p) => p.stop(graceMs)));
  }
}

/** A TCP port that was free a moment ago (listen on port 0 on 127.0.0.1, then close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port from listen(0)'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
