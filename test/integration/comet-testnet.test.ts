import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCometbft } from '../../src/ledger/comet/binary.js';
import { configPath, genesisPath, getTomlValue } from '../../src/ledger/comet/config.js';
import { initTestnet } from '../../src/ledger/comet/testnet.js';
import { chainParamsJson, DEFAULT_CHAIN_PARAMS } from '../../src/ledger/params.js';
import { UserError } from '../../src/shared/errors.js';
import { runCli } from '../support/cli.js';
import { cometHeight } from '../support/comet-rpc.js';
import { Processes } from '../support/processes.js';

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

describe('chain testnet: an interrupted first run', () => {
  it('leaves nothing half made: the network is laid out aside and moved into place, node0 last', async () => {
    const net = join(dir, 'interrupted');
    // What a Ctrl-C during an earlier run may leave: its staging folder, half written.
    await mkdir(join(net, '.init', 'node0'), { recursive: true });
    await writeFile(join(net, '.init', 'node0', 'junk'), 'x');
    const { homes, created } = await initTestnet({ dir: net, validators: 2, cometbft, accounts: [] });
    expect(created).toBe(true);
    expect((await readdir(net)).sort()).toEqual(['node0', 'node1']);
    expect((await blockTimes(homes[1]!)).timeoutCommit).toBe(`${DEFAULT_CHAIN_PARAMS.blockTimeMs}ms`);
    expect((await initTestnet({ dir: net, validators: 2, cometbft, accounts: [] })).created).toBe(false);
  });

  it('a folder an older build left half made, or a node without node0, is refused with what to do', async () => {
    // The old layout step ran `cometbft testnet` in place and then wrote our genesis state: killed between the
    // two, it left this (a second run then failed with "an internal error" about a port in use).
    const half = join(dir, 'half');
    await promisify(execFile)(cometbft, ['testnet', '--v', '2', '--o', half, '--starting-ip-address', '127.0.0.1']);
    await expect(initTestnet({ dir: half, validators: 2, cometbft, accounts: [] })).rejects.toThrow(
      new UserError(
        `${half} was left half made by an interrupted \`chain testnet\` (${genesisPath(join(half, 'node0'))} has no app_state): delete the folder and run again`,
      ),
    );
    await rm(join(half, 'node0'), { recursive: true });
    await expect(initTestnet({ dir: half, validators: 2, cometbft, accounts: [] })).rejects.toThrow(
      /node1 is there but .*node0 is not .*: delete it or choose another --dir$/,
    );
  });
});

describe('chain testnet killed with kill -9', () => {
  it('leaves no validator running, and a second node on a home in use is one line', async () => {
    const procs = new Processes();
    try {
      const net = join(dir, 'killed');
      const first = await procs.start(['chain', 'testnet', '--validators', '1', '--dir', net, '--block-time', '200']);
      const rpc = first.ready['rpc'] as string;
      const height = () => cometHeight(rpc).catch(() => -1);
      await expect.poll(height, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

      // While it runs, its home is taken: a node started there says so (LevelDB's lock), not "an internal error".
      const second = await runCli(['chain', 'node', '--home', join(net, 'node0'), '--cometbft', cometbft]);
      expect(second.code).toBe(2);
      expect(second.stderr.trim()).toMatch(
        /^error: cannot open the application's data in .*node0\/app-data \(LEVEL_LOCKED: .*\); is a node of this home running already\? Stop it first$/,
      );

      // kill -9 of the supervisor: its node (our application and cometbft) stops as well, so that the same
      // network starts again (before, the orphans kept the home and a second run failed).
      await first.proc.kill();
      await expect.poll(height, { timeout: 30_000 }).toBe(-1);
      const again = await procs.start(['chain', 'testnet', '--validators', '1', '--dir', net, '--block-time', '200']);
      const rpcAgain = again.ready['rpc'] as string;
      expect(rpcAgain).toBe(rpc); // the same network, laid out once
      await expect.poll(height, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      // And SIGTERM (Ctrl-C) stops it and its node by themselves.
      expect(await again.proc.stop(60_000)).toEqual({ code: 0, signal: null });
      expect(await height()).toBe(-1);
    } finally {
      await procs.stopAll();
    }
  }, 120_000);
});
