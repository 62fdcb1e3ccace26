import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The command's own entry point, so that children run exactly this build (the desktop app packs it too). */
export const CHILD_ENTRY = fileURLToPath(new URL('../../bin/bittensor-miner.js', import.meta.url));

/**
 * A `bittensor-miner` subcommand run as a child process: each JSON line it prints on stdout goes to
 * `onLine`; its stderr (logs) goes to a file. stop() sends SIGTERM and, after a grace period, SIGKILL, so
 * that no process is left behind.
 */
export class Child {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    logFile: string,
    onLine: (value: Record<string, unknown>) => void,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    // Inside Electron, process.execPath is the app's binary: ELECTRON_RUN_AS_NODE makes it the plain Node it embeds.
    const env = process.versions['electron'] ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
    this.child = spawn(process.execPath, [CHILD_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.child.stderr!.pipe(this.log);
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      try {
        const value = JSON.parse(text) as unknown;
        if (value && typeof value === 'object') onLine(value as Record<string, unknown>);
      } catch {
        this.log.write(`${text}\n`);
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
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
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}
