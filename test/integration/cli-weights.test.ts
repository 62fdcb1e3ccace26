import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// The weights are checked before the wallet is opened or the ledger called, so neither needs to exist.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-cli-weights-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function weightsSet(weights: string) {
  return runCli([
    'weights',
    'set',
    '--wallets',
    join(dir, 'none'),
    '--name',
    'alice',
    '--password-file',
    join(dir, 'none', 'password'),
    '--ledger',
    'http://127.0.0.1:9',
    '--weights',
    weights,
  ]);
}

describe('bittensor-miner weights set --weights', () => {
  it.each([
    [
      '1:1e-300,2:1',
      'error: --weights[0]: 1:1e-300 is too small next to the largest weight 1; it would round to 0 ' +
        '(use 0, or at least about 0.00000763)',
    ],
    ['1:1e400', 'error: --weights[0]: weight must be a finite number >= 0'],
  ])('refuses %s with exit code 2 and one line saying the rule', async (weights, line) => {
    const r = await weightsSet(weights);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });
});
