import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerClient } from '../../src/ledger/client.js';
import { findCometbft } from '../../src/ledger/comet/binary.js';
import { initTestnet } from '../../src/ledger/comet/testnet.js';
import type { ChainParams } from '../../src/ledger/params.js';
import { until } from './poll.js';
import { Processes, type CliProcess } from './processes.js';

/** One validator: its `chain node` process (our application) and the cometbft it runs. */
export interface CometNodeProcess {
  proc: CliProcess;
  rpc: string;
  cometbftPid: number;
  client: LedgerClient;
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A CometBFT network on 127.0.0.1 for tests, laid out as `chain testnet` does, each validator a
 * `chain node --home` process the test can kill and restart on its own.
 */
export class CometNet {
  readonly nodes: Array<CometNodeProcess | undefined> = [];
  private readonly procs = new Processes();

  private constructor(
    readonly dir: string,
    readonly homes: string[],
    private readonly cometbft: string,
  ) {}

  /** `params` beyond the defaults; blocks come every 200 ms unless `params.blockTimeMs` says otherwise. */
  static async create(
    validators: number,
    accounts: Array<[string, bigint]>,
    params: Partial<ChainParams> = {},
  ): Promise<CometNet> {
    const cometbft = await findCometbft();
    const dir = await mkdtemp(join(tmpdir(), 'bt-comet-'));
    const { homes } = await initTestnet({
      dir,
      validators,
      cometbft,
      accounts,
      params: { blockTimeMs: 200, ...params },
    });
    const net = new CometNet(dir, homes, cometbft);
    await Promise.all(homes.map((_, i) => net.start(i)));
    return net;
  }

  /** The RPC URLs of the running nodes, comma-separated (what --ledger takes). */
  get urls(): string {
    return this.nodes.flatMap((n) => (n ? [n.rpc] : [])).join(',');
  }

  async start(i: number, env?: Record<string, string>): Promise<CometNodeProcess> {
    const { proc, ready } = await this.procs.start(
      ['chain', 'node', '--home', this.homes[i]!, '--cometbft', this.cometbft, '--log-level', 'warn'],
      90_000,
      env,
    );
    const rpc = ready['rpc'] as string;
    const node = { proc, rpc, cometbftPid: ready['cometbftPid'] as number, client: new LedgerClient(rpc) };
    this.nodes[i] = node;
    return node;
  }

  /** kill -9 of a validator: its application process and its cometbft. */
  async kill(i: number): Promise<void> {
    const node = this.nodes[i]!;
    if (alive(node.cometbftPid)) process.kill(node.cometbftPid, 'SIGKILL');
    await node.proc.kill();
    await until(() => !alive(node.cometbftPid), `node ${i}'s cometbft to exit`);
    this.nodes[i] = undefined;
  }

  async stop(): Promise<void> {
    await this.procs.stopAll();
    await rm(this.dir, { recursive: true, force: true });
  }
}
