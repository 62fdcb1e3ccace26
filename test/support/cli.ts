import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `bittensor-miner` entry point, run the way `npx bittensor-miner` runs it. */
export const BIN = fileURLToPath(new URL('../../bin/bittensor-miner.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with arguments and optional standard input; resolves when it exits. */
export function runCli(args: string[], stdin?: string): Promise<CliResult> {
  return runNode([BIN, ...args], stdin);
}

/**
 * Runs `node ...args` (a fresh process, no test setup) with optional standard input and variables added to the
 * environment; resolves when it exits.
 */
export function runNode(args: string[], stdin?: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
