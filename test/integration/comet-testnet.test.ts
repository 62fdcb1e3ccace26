import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCometbft } from '../../src/ledger/comet/binary.js';
import { configPath, genesisPath, getTomlValue } from '../../src/ledger/comet/config.js';
import { initTestnet } from '../../src/ledger/comet/testnet.js';
import { chainParamsJson, DEFAULT_CHAIN_PARAMS } from '../../src/ledger/params.js';

let dir: string;
let cometbft: string;
beforeAll(async () => {
  cometbft = await findCometbft();
  dir = await mkdtemp(join(tmpdir(), 'bt-testnet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The block time a node's genesis gives the chain, and the pause CometBFT makes after each block. */
async function blockTimes(home: string): Promise<{ genesis: number; timeoutCommit: string | undefined }> {
  const genesis = JSON.parse(await readFile(genesisPath(home), 'utf8')) as { app_state: { params: unknown } };
  return {
    genesis: chainParamsJson.parse(genesis.app_state.params).blockTimeMs,
    timeoutCommit: getTomlValue(await readFile(configPath(home), 'utf8'), 'consensus.timeout_commit'),
  };
}

describe('chain testnet: one block time, in the genesis and in CometBFT', () => {
  it("writes params.blockTimeMs into the genesis and makes it every validator's timeout_commit", async () => {
    const { homes } = await initTestnet({
      dir: join(dir, 'fast'),
      validators: 2,
      cometbft,
      accounts: [],
      params: { tempo: 3, blockTimeMs: 250 },
    });
    for (const home of homes) expect(await blockTimes(home)).toEqual({ genesis: 250, timeoutCommit: '250ms' });
  });

  it("without one, both are the chain's default", async () => {
    const { homes } = await initTestnet({ dir: join(dir, 'default'), validators: 1, cometbft, accounts: [] });
    const ms = DEFAULT_CHAIN_PARAMS.blockTimeMs;
    expect(await blockTimes(homes[0]!)).toEqual({ genesis: ms, timeoutCommit: `${ms}ms` });
  });
});
