import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_CPU_SHARE } from '../../src/main/embedded-network.js';
import type { MinerSnapshot } from '../../src/shared/api.js';
import { snapshot, startHeadless, stopChild, until } from '../support/headless.js';

let dir: string;
const running: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-restart-'));
  await writeFile(join(dir, 'pw'), 'a long passphrase\n');
});
afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const fractional = (tokens: string | null) => tokens !== null && tokens.includes('.');

/** The fields of each line a peer of the embedded network logged with `message` ([] before it logged one). */
async function logged(data: string, peer: string, message: string): Promise<Array<Record<string, unknown>>> {
  const log = await readFile(join(data, 'network', 'logs', `${peer}.log`), 'utf8').catch(() => '');
  return log
    .split('\n')
    .filter((l) => l.includes(`"${message}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Pids of the processes whose command line has `arg` as one of its arguments (Linux's /proc). */
async function pidsWithArg(arg: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(arg)) pids.push(Number(entry));
  }
  return pids;
}

/** The CPU shares a peer logged when it started training part of the time. */
const shares = async (data: string, peer: string) =>
  (await logged(data, peer, 'training part of the time')).map((l) => l['cpuShare']);

describe('a miner stopped after earning starts again on the same folder', () => {
  it('embedded network with three peers (one junk): fractional stake and balance, a killed peer started again, then a restart keeps the wallet, history and checkpoint', async () => {
    const data = join(dir, 'data');
    const args = ['--password-file', join(dir, 'pw'), '--peers', '3'];
    const first = await startHeadless(data, args, running);
    // Earning: emission is split by float shares among four neurons, so our stake stops being a whole number.
    const earned = await until(
      async () => {
        const s = await snapshot(first.dashboard);
        return s.phase === 'running' && s.epochs.length >= 2 && fractional(s.wallet.staked) ? s : undefined;
      },
      'a fractional stake after a few epochs',
      240_000,
    );
    // A peer starts training after it registers (its worker tokenizes and runs the self-test first): on a busy
    // machine that can come after our first epochs.
    await until(async () => ((await shares(data, 'peer1')).length > 0 ? true : undefined), 'peer1 training', 120_000);
    // A peer that dies (killed here) is started again on its folder, and the miner's log says so.
    const peer2 = join(data, 'network', 'peer2');
    const [killed] = await pidsWithArg(peer2);
    expect(killed).toBeDefined();
    process.kill(killed!, 'SIGKILL');
    await until(
      async () => ((await pidsWithArg(peer2)).some((pid) => pid !== killed) ? true : undefined),
      'peer2 started again',
      60_000,
    );
    const restarts = await until(async () => {
      const lines = (await readFile(`${data}.log`, 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"a peer neuron of the embedded network exited; starting it again"'));
      return lines.length > 0 ? lines.map((l) => JSON.parse(l) as Record<string, unknown>) : undefined;
    }, "the miner's log of the restart");
    expect(restarts.map((r) => [r['peer'], r['exit'], r['attempt']])).toEqual([['peer2', 'signal SIGKILL', 1]]);
    expect(await stopChild(first.child)).toBe(0);
    expect(existsSync(join(data, 'neuron', 'checkpoint.bin'))).toBe(true);

    const again = await startHeadless(data, args, running);
    const resumed = await until(
      async () => {
        const s: MinerSnapshot = await snapshot(again.dashboard);
        return s.phase === 'running' && s.training.step > 0 ? s : undefined;
      },
      'the restarted miner training',
      180_000,
    );
    expect(resumed.problem).toBeNull();
    expect(resumed.wallet.coldkey).toBe(earned.wallet.coldkey);
    // Never paid twice by the faucet, never less than it had: the stake only grows.
    expect(Number(resumed.wallet.staked)).toBeGreaterThanOrEqual(Number(earned.wallet.staked));
    expect(resumed.epochs.map((e) => e.epoch).slice(0, earned.epochs.length)).toEqual(
      earned.epochs.map((e) => e.epoch),
    );
    // Training resumed from the checkpoint written at the stop, not from step 0.
    expect(resumed.training.step).toBeGreaterThanOrEqual(earned.training.step);
    expect(await stopChild(again.child)).toBe(0);
    // The miner's log and its peers' logs carry no tfjs console banner.
    const logs = [
      `${data}.log`,
      ...(await readdir(join(data, 'network', 'logs'))).map((f) => join(data, 'network', 'logs', f)),
    ];
    for (const log of logs)
      expect(await readFile(log, 'utf8'), log).not.toMatch(/looks like you are running TensorFlow\.js/);
    // The trained peers train part of the time beside the user's cores (PEER_CPU_SHARE); the junk one does not train.
    // (At least the first run's, which lasted until then: the second may stop before a peer is through registering.)
    const trained = await shares(data, 'peer1');
    expect(trained.length).toBeGreaterThanOrEqual(1);
    expect(trained.every((share) => share === PEER_CPU_SHARE)).toBe(true);
    expect(await shares(data, 'peer3')).toEqual([]);
    // And every peer runs at below-normal priority from its start, as the OS reports it (nice 10 or more here).
    for (const peer of ['peer1', 'peer2', 'peer3']) {
      const lowered = (await logged(data, peer, 'CPU priority lowered')).map((l) => l['priority']);
      expect(lowered.length, peer).toBeGreaterThanOrEqual(1);
      expect(lowered.every((p) => typeof p === 'number' && p >= constants.priority.PRIORITY_BELOW_NORMAL)).toBe(true);
    }
  }, 600_000);
});
