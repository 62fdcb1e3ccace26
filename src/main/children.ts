import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { STOP_WITH_STDIN } from '../shared/child-env.js';
import { LogFile } from '../ledger/log-file.js';
import { firstIssue } from '../shared/validate.js';

/** The command's own entry point, so that children run exactly this build (the desktop app packs it too). */
export const CHILD_ENTRY = fileURLToPath(new URL('../../bin/bittensor-miner.js', import.meta.url));

/** How a child process ended: its exit code, or the signal that ended it, and the error it gave, if any. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its last line on stderr when that is a command's one-line error (`error: ...`), without the prefix. */
  error?: string;
}

/** "code 1", "signal SIGKILL", or "code 2: wrong password for ..." when it said why. */
export const describeExit = (e: ChildExit): string =>
  `${e.signal ? `signal ${e.signal}` : `code ${e.code}`}${e.error ? `: ${e.error}` : ''}`;

/**
 * A `bittensor-miner` subcommand run as a child process: each line it prints on stdout that `schema` accepts
 * goes to `onLine` (anything else to its log, with what was wrong); its stderr (logs) goes to a file. stop()
 * sends SIGTERM and, after a grace period, SIGKILL, so that no process is left behind.
 */
export class Child<T = unknown> {
  private readonly child: ChildProcess;
  private readonly log: LogFile;
  readonly exited: Promise<ChildExit>;

  constructor(
    readonly name: string,
    args: string[],
    logFile: string,
    schema: z.ZodType<T>,
    onLine: (value: T) => void,
  ) {
    // A log that cannot be written (a full disk) loses lines, not the process that hosts the child.
    this.log = new LogFile({ path: logFile });
    // Inside Electron, process.execPath is the app's binary: ELECTRON_RUN_AS_NODE makes it the plain Node it embeds.
    // Its stdin is a pipe from here, whose end stops it: this process dying, even by kill -9, leaves it no orphan.
    const env = {
      ...process.env,
      [STOP_WITH_STDIN]: '1',
      ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
    };
    this.child = spawn(process.execPath, [CHILD_ENTRY, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stderr!.on('data', (chunk: Buffer) => this.log.write(chunk));
    // A command that fails prints one line, "error: ...", last: kept to say why it exited (an earlier one is
    // someone else's, such as a graphics driver's).
    let last = '';
    createInterface({ input: this.child.stderr! }).on('line', (text) => {
      if (text.trim()) last = text;
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        this.log.write(`${text}\n`);
        return;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) onLine(parsed.data);
      else this.log.write(`[a line of another shape: ${firstIssue(parsed.error, 'line').message}] ${text}\n`);
    });
    // Its error line may still be in the pipe at 'exit': wait for stderr's end, at most a second (a process
    // it started may hold the pipe open after it exited).
    const stderrEnded = new Promise<void>((resolve) => this.child.stderr!.once('close', resolve));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        let timer: NodeJS.Timeout | undefined;
        void Promise.race([stderrEnded, new Promise((r) => (timer = setTimeout(r, 1000)))]).then(() => {
          clearTimeout(timer);
          const error = last.startsWith('error: ') ? last.slice('error: '.length).trim() : '';
          resolve({ code, signal, ...(error ? { error } : {}) });
        });
      }),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(graceMs = 15_000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.log.end();
  }
}
