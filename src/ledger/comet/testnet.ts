import { execFile } from 'node:child_process';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../shared/errors.js';
import { canonicalJson } from '../canonical.js';
import { DEFAULT_CHAIN_PARAMS, type ChainParams } from '../params.js';
import { configPath, editConfig, genesisPath } from './config.js';

export interface TestnetInit {
  /** Folder of the network: node0 ... node{N-1}, each a CometBFT home. */
  dir: string;
  validators: number;
  cometbft: string;
  /** Tokens credited at genesis, [address, base units]. */
  accounts: Array<[string, bigint]>;
  /**
   * Chain parameters beyond the defaults. `blockTimeMs` (default DEFAULT_CHAIN_PARAMS.blockTimeMs) is also
   * CometBFT's timeout_commit, the pause after each block: the chain reports the block time it runs at.
   */
  params?: Partial<ChainParams>;
}

export const nodeHome = (dir: string, i: number) => join(dir, `node${i}`);

/**
 * Lays out a local network of validators on 127.0.0.1 with `cometbft testnet` (keys, one genesis), then gives
 * every node its own ports, the others as persistent peers, our application's genesis state, and the block
 * pause its parameters give. Returns the node homes. A folder already laid out is used as it is (the chain
 * continues); returns false for `created` then.
 */
export async function initTestnet(init: TestnetInit): Promise<{ homes: string[]; created: boolean }> {
  const homes = Array.from({ length: init.validators }, (_, i) => nodeHome(init.dir, i));
  if (await exists(configPath(homes[0]!))) {
    for (const home of homes) {
      if (!(await exists(configPath(home))))
        throw new UserError(`${init.dir} holds another network (no ${configPath(home)})`);
      // Only a folder laid out before this was made atomic can be half made (our genesis state not written).
      if (!('app_state' in (JSON.parse(await readFile(genesisPath(home), 'utf8')) as object)))
        throw new UserError(
          `${init.dir} was left half made by an interrupted \`chain testnet\` (${genesisPath(home)} has no app_state): delete the folder and run again`,
        );
    }
    return { homes, created: false };
  }
  for (const home of homes.slice(1)) {
    if (await exists(home))
      throw new UserError(
        `${home} is there but ${homes[0]} is not (left by an interrupted \`chain testnet\`, or another network's): delete it or choose another --dir`,
      );
  }
  // Laid out in a folder of its own, then moved into place node0 last (the folder counts as a network once
  // node0 is there): a crash or a Ctrl-C halfway leaves no half-made network behind.
  const staging = join(init.dir, '.init');
  await rm(staging, { recursive: true, force: true });
  const run = promisify(execFile);
  await run(init.cometbft, [
    'testnet',
    '--v',
    String(init.validators),
    '--o',
    staging,
    '--starting-ip-address',
    '127.0.0.1',
  ]);
  const staged = homes.map((_, i) => nodeHome(staging, i));
  await layOut(init, staged);
  for (let i = homes.length - 1; i >= 0; i--) await rename(staged[i]!, homes[i]!);
  await rm(staging, { recursive: true, force: true });
  return { homes, created: true };
}

/** Our ports, peers, genesis state and block pause, written into the homes `cometbft testnet` made. */
async function layOut(init: TestnetInit, homes: string[]): Promise<void> {
  const run = promisify(execFile);
  const ports = await freePorts(init.validators * 3);
  const ids = await Promise.all(
    homes.map(async (home) => (await run(init.cometbft, ['show-node-id', '--home', home])).stdout.trim()),
  );
  const p2pPort = (i: number) => ports[i * 3 + 2]!;
  const genesis = JSON.parse(await readFile(genesisPath(homes[0]!), 'utf8')) as Record<string, unknown>;
  // Written out even when it is the default, so that a genesis says the block time its validators run at.
  const blockTimeMs = init.params?.blockTimeMs ?? DEFAULT_CHAIN_PARAMS.blockTimeMs;
  genesis['app_state'] = {
    params: JSON.parse(canonicalJson({ ...init.params, blockTimeMs })),
    accounts: init.accounts.map(([address, units]) => [address, units.toString()]),
  };
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`;
  await Promise.all(
    homes.map(async (home, i) => {
      await writeFile(genesisPath(home), genesisText);
      await editConfig(home, {
        moniker: `"node${i}"`,
        proxy_app: `"tcp://127.0.0.1:${ports[i * 3]}"`,
        'rpc.laddr': `"tcp://127.0.0.1:${ports[i * 3 + 1]}"`,
        'p2p.laddr': `"tcp://127.0.0.1:${p2pPort(i)}"`,
        'p2p.persistent_peers': `"${ids
          .map((id, j) => (j === i ? '' : `${id}@127.0.0.1:${p2pPort(j)}`))
          .filter(Boolean)
          .join(',')}"`,
        'p2p.addr_book_strict': 'false',
        'p2p.allow_duplicate_ip': 'true',
        'consensus.timeout_commit': `"${blockTimeMs}ms"`,
      });
    }),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** `count` distinct free TCP ports on 127.0.0.1 (held open together, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
