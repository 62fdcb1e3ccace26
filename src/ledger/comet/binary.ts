import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../shared/errors.js';

/** The CometBFT release line our application speaks (ABCI 2.0). */
export const COMETBFT_VERSION = '0.38.25';
export const COMETBFT_INSTALL = `go install github.com/cometbft/cometbft/cmd/cometbft@v${COMETBFT_VERSION}`;

/** No usable cometbft binary: the message says how to install one. */
export class CometbftMissingError extends UserError {
  override name = 'CometbftMissingError';
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Finds the cometbft binary: `explicit` (--cometbft) when given, else on PATH, else in $GOPATH/bin (or
 * ~/go/bin, Go's default), and checks that it is the 0.38 line. Throws CometbftMissingError in one line.
 */
export async function findCometbft(explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const candidates = explicit
    ? [explicit]
    : [
        ...(env['PATH'] ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, 'cometbft')),
        ...(env['GOPATH'] ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, 'bin', 'cometbft')),
        join(homedir(), 'go', 'bin', 'cometbft'),
      ];
  for (const path of candidates) {
    if (!(await executable(path))) continue;
    const version = await cometbftVersion(path);
    if (!version.startsWith('0.38.')) {
      throw new CometbftMissingError(`${path} is CometBFT ${version}; this ledger needs 0.38.x: ${COMETBFT_INSTALL}`);
    }
    return path;
  }
  throw new CometbftMissingError(
    explicit
      ? `--cometbft ${explicit} is not an executable file; install CometBFT with: ${COMETBFT_INSTALL}`
      : `cometbft was not found on PATH or in $GOPATH/bin; install it with: ${COMETBFT_INSTALL} (or pass --cometbft PATH)`,
  );
}

export async function cometbftVersion(path: string): Promise<string> {
  const { stdout } = await promisify(execFile)(path, ['version'], { timeout: 10_000 });
  return stdout.trim();
}
