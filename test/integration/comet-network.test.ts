import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genesisFromJson } from '../../src/ledger/block.js';
import { Chain } from '../../src/ledger/chain.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { RpcError } from '../../src/ledger/rpc/protocol.js';
import { MemoryChainStore } from '../../src/ledger/storage.js';
import { parseSignedTx, signTx, type Call, type SignedTx } from '../../src/ledger/tx.js';
import type { Signer } from '../../src/ledger/wallet/keys.js';
import { key, TOKEN } from '../support/ledger.js';
import { until, untilValue } from '../support/poll.js';
import { alive, CometNet, type CometNodeProcess } from '../support/comet.js';
import { cometHeight } from '../support/comet-rpc.js';

/**
 * Four validators on 127.0.0.1, each our application plus a real cometbft process, as `chain testnet` runs
 * them: agreement, kills, a halt without quorum, crashes between FinalizeBlock and Commit.
 */

const VALIDATORS = 4;
const TEMPO = 5;
let net: CometNet;
let chainId: string;

const [alice, bob, carol] = [key(1), key(2), key(3)];
const hotkeys = [key(11), key(12), key(13)];
const coldkeys = [alice, bob, carol];
const nonces = new Map<string, number>();

const startNode = (i: number, env?: Record<string, string>) => net.start(i, env);
const killNode = (i: number) => net.kill(i);

async function rpcResult(rpc: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${rpc}/${path}`);
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: unknown };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const height = cometHeight;

async function blockAt(rpc: string, h: number) {
  const r = await rpcResult(rpc, `block?height=${h}`);
  return r['block'] as { header: { app_hash: string; time: string }; data: { txs: string[] | null } };
}

function sign(signer: Signer, call: Call, coldkey?: Signer): SignedTx {
  const nonce = nonces.get(signer.address) ?? 0;
  nonces.set(signer.address, nonce + 1);
  return signTx({ chain: chainId, nonce, signer: signer.address, call }, signer, coldkey);
}

const transfer = (from: Signer, amount = TOKEN) =>
  sign(from, { type: 'transfer', to: bob.address, amount: String(amount) });

/** Waits until every node that runs is at `h` or above. */
async function allAt(h: number): Promise<void> {
  for (const n of net.nodes)
    if (n) await until(async () => (await height(n.rpc)) >= h, `height ${h} on ${n.rpc}`, 120_000);
}

/** Every running node reports the same app hash at every height up to `top`. */
async function expectAgreement(top: number): Promise<void> {
  const running = net.nodes.filter((n): n is CometNodeProcess => n !== undefined);
  for (let h = 1; h <= top; h++) {
    const hashes = await Promise.all(running.map(async (n) => (await blockAt(n.rpc, h)).header.app_hash));
    expect(new Set(hashes).size, `app hashes at height ${h}: ${hashes.join(' ')}`).toBe(1);
  }
}

beforeAll(async () => {
  net = await CometNet.create(
    VALIDATORS,
    coldkeys.map((k) => [k.address, 1000n * TOKEN]),
    { tempo: TEMPO },
  );
  chainId = (await net.nodes[0]!.client.info()).genesisHash;
}, 180_000);

afterAll(async () => {
  await net?.stop();
});

describe('four CometBFT validators running the ledger application', () => {
  it('report the block time they run at (the genesis blockTimeMs is their timeout_commit)', async () => {
    expect((await net.nodes[0]!.client.info()).params.blockTimeMs).toBe(200);
  });

  it('include registrations, stakes, weights and transfers sent to different nodes, and agree at every height', async () => {
    const at = (i: number) => net.nodes[i % VALIDATORS]!.client;
    const submitAll = async (txs: SignedTx[]) => Promise.all(txs.map((tx, i) => at(i).submit(tx)));
    const waitAll = async (hashes: string[]) =>
      Promise.all(hashes.map((h, i) => at(i + 1).waitForInclusion(h, 120_000)));

    await waitAll(
      await submitAll(
        hotkeys.map((h, i) =>
          sign(
            h,
            { type: 'register', coldkey: coldkeys[i]!.address, multiaddrs: [], maxBurn: String(TOKEN) },
            coldkeys[i],
          ),
        ),
      ),
    );
    await waitAll(
      await submitAll(
        hotkeys.map((h, i) =>
          sign(coldkeys[i]!, { type: 'add_stake', hotkey: h.address, amount: String(100n * TOKEN) }),
        ),
      ),
    );
    const uids = (await at(0).neurons()).map((n) => n.uid);
    expect(uids).toHaveLength(3);
    const weights = hotkeys.map((h, i) =>
      sign(h, {
        type: 'set_weights',
        weights: uids.filter((_, j) => j !== i).map((u): [number, number] => [u, 1000 + u]),
      }),
    );
    // Twenty transfers with consecutive nonces, sent to the four nodes at once: some reach a node before the
    // nonce they follow (they wait in its mempool for it).
    const transfers = Array.from({ length: 20 }, () => transfer(carol));
    await waitAll(await submitAll([...weights, ...transfers]));

    const balances = await Promise.all(net.nodes.map((n) => n!.client.balance(bob.address)));
    // 1000 at genesis, 1 burned by the registration, 100 staked, 20 received.
    for (const b of balances) expect(b.free).toBe(919n * TOKEN);
    const epoch = await untilValue(
      async () => {
        const info = await at(0).info();
        return info.epoch >= 2 ? info : undefined;
      },
      'two epochs',
      120_000,
    );
    await allAt(epoch.height);
    await expectAgreement(epoch.height);
  }, 300_000);

  it("streams new blocks and finished epochs from any node's websocket, failing over past a dead URL", async () => {
    // A port with nothing behind it first: the client moves on to the next URL.
    const client = new LedgerClient(`http://127.0.0.1:9,${net.nodes[2]!.rpc}`);
    const blocks: number[] = [];
    const epochs: number[] = [];
    const problems: string[] = [];
    const offBlocks = await client.subscribe(
      'blocks',
      (b) => blocks.push(b.height),
      (e) => problems.push(e.message),
    );
    const offEpochs = await client.subscribe(
      'epochs',
      (e) => epochs.push(e.epoch),
      (e) => problems.push(e.message),
    );
    try {
      await untilValue(
        async () => (epochs.length >= 1 && blocks.length >= TEMPO ? true : undefined),
        'an epoch',
        60_000,
      );
    } finally {
      offBlocks();
      offEpochs();
    }
    // Consecutive heights, and the epoch is the one the ledger recorded.
    expect(blocks.slice(1).every((h, i) => h === blocks[i]! + 1)).toBe(true);
    expect((await client.epoch(epochs[0]!))?.epoch).toBe(epochs[0]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('replaying the committed blocks through the same state machine in process gives the same root at every height', async () => {
    const rpc = net.nodes[0]!.rpc;
    const top = await height(rpc);
    const genesis = genesisFromJson(await net.nodes[0]!.client.genesis());
    const chain = await Chain.open(new MemoryChainStore(), genesis);
    expect(chain.id).toBe(chainId);
    for (let h = 1; h < top; h++) {
      const block = await blockAt(rpc, h);
      const txs = (block.data.txs ?? []).map((b64) =>
        parseSignedTx(JSON.parse(Buffer.from(b64, 'base64').toString('utf8')), genesis.params.maxTransactionBytes),
      );
      const pending = chain.executeBlock(txs, blockTimeMs(block.header.time));
      await chain.commitBlock(pending);
      // The header of block h+1 carries the app hash after block h.
      expect(pending.block.header.stateRoot.toUpperCase(), `root after block ${h}`).toBe(
        (await blockAt(rpc, h + 1)).header.app_hash,
      );
      if (pending.epoch)
        expect(BigInt(pending.epoch.minted)).toBe((await net.nodes[0]!.client.epoch(pending.epoch.epoch))!.minted);
    }
  }, 120_000);

  it('goes on without one validator killed with -9; restarted, it catches up and agrees', async () => {
    await killNode(3);
    const h = await height(net.nodes[0]!.rpc);
    await until(async () => (await height(net.nodes[0]!.rpc)) >= h + 3, 'three blocks without node 3');
    await startNode(3);
    const target = await height(net.nodes[0]!.rpc);
    await allAt(target);
    await expectAgreement(target);
  }, 240_000);

  it('halts without quorum (two of four killed), resumes with three, and loses or repeats nothing sent meanwhile', async () => {
    await Promise.all([killNode(2), killNode(3)]);
    const rpc = net.nodes[0]!.rpc;
    const bobBefore = (await net.nodes[0]!.client.balance(bob.address)).free;
    const during = transfer(alice, 3n * TOKEN);
    const hash = await net.nodes[1]!.client.submit(during);
    // No wall clock: the halt shows in the votes. In the current round of the next height, both live
    // validators have voted as far as they can (both precommitted, or both prevoted without the 2/3 that a
    // precommit needs), and no vote can reach 3 of 4: no block can come. (A killed validator's vote may have
    // arrived before it died, so the counts are read, not assumed.)
    let stuck = -1;
    let seen = '';
    const count = (bits: string | undefined) => Number(/ (\d+)\/4 = /.exec(bits ?? '')?.[1] ?? -1);
    const halted = until(
      async () => {
        stuck = await height(rpc);
        const round = (await rpcResult(rpc, 'consensus_state'))['round_state'] as {
          'height/round/step': string;
          height_vote_set: Array<{ round: number; prevotes_bit_array: string; precommits_bit_array: string }>;
        };
        const [h, r] = round['height/round/step'].split('/').map(Number);
        const votes = round.height_vote_set.find((v) => v.round === r);
        seen = JSON.stringify([round['height/round/step'], votes?.prevotes_bit_array, votes?.precommits_bit_array]);
        const prevotes = count(votes?.prevotes_bit_array);
        const precommits = count(votes?.precommits_bit_array);
        return h === stuck + 1 && (precommits === 2 || (precommits === 0 && prevotes === 2));
      },
      'both live validators to have voted at the next height, short of a quorum',
      120_000,
    );
    await halted.catch((error: Error) => {
      throw new Error(`${error.message}; at height ${stuck} last seen ${seen}`);
    });
    expect(await height(rpc)).toBe(stuck);
    expect((await net.nodes[0]!.client.txStatus(hash)).status).not.toBe('included');

    await startNode(2);
    expect(await net.nodes[0]!.client.waitForInclusion(hash, 120_000)).toBeGreaterThan(stuck);
    await expect(net.nodes[2]!.client.submit(during)).rejects.toThrow(RpcError);
    await startNode(3);
    const target = await height(rpc);
    await allAt(target);
    await expectAgreement(target);
    for (const n of net.nodes) expect((await n!.client.balance(bob.address)).free).toBe(bobBefore + 3n * TOKEN);
  }, 300_000);

  it('recovers when the application is killed between FinalizeBlock and Commit, again and again, under load', async () => {
    let loading = true;
    const sent: string[] = [];
    const load = (async () => {
      while (loading) {
        sent.push(await net.nodes[0]!.client.submit(transfer(alice)));
        await until(
          async () => (await net.nodes[0]!.client.txStatus(sent.at(-1)!)).status !== 'unknown' || !loading,
          'the load tx to be seen',
          60_000,
        ).catch(() => undefined);
      }
    })();
    const bobBefore = (await net.nodes[0]!.client.balance(bob.address)).free;
    for (let round = 0; round < 3; round++) {
      await killNode(3);
      const crashing = await startNode(3, { BT_KILL_AT_COMMIT: String(2 + round) });
      const exit = await crashing.proc.waitExit(120_000);
      expect(exit.signal).toBe('SIGKILL');
      await until(() => !alive(crashing.cometbftPid), "the crashed node's cometbft to stop", 60_000);
      net.nodes[3] = undefined;
      await startNode(3);
      await allAt(await height(net.nodes[0]!.rpc));
    }
    loading = false;
    await load;
    for (const hash of sent) await net.nodes[0]!.client.waitForInclusion(hash, 120_000);
    const target = await height(net.nodes[0]!.rpc);
    await allAt(target);
    await expectAgreement(target);
    for (const n of net.nodes) {
      expect((await n!.client.balance(bob.address)).free).toBe(bobBefore + BigInt(sent.length) * TOKEN);
      expect((await n!.client.balance(alice.address)).nonce).toBe(nonces.get(alice.address));
    }
  }, 600_000);
});

/** CometBFT's RFC 3339 block time (nanoseconds) in milliseconds, truncated as the application does. */
function blockTimeMs(time: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time);
  if (!m) throw new Error(`unexpected block time ${time}`);
  return Date.parse(`${m[1]}Z`) + Number((m[2] ?? '0').padEnd(9, '0').slice(0, 3));
}
