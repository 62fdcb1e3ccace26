import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAmount } from '../../src/shared/amount.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeGenesis, sealBlock, txRoot, type Block } from '../../src/ledger/block.js';
import { ChainMismatchError } from '../../src/ledger/chain.js';
import { LedgerClient } from '../../src/ledger/client.js';
import { startAuthority, startFollower, type LedgerNode } from '../../src/ledger/node.js';
import { LevelChainStore } from '../../src/ledger/storage.js';
import { signTx, type SignedTx } from '../../src/ledger/tx.js';
import type { Signer } from '../../src/ledger/wallet/keys.js';
import { AUTHORITY, key, TOKEN } from '../support/ledger.js';
import { until } from '../support/poll.js';

const FUNDED = [1, 2, 3, 4, 5, 6].map(key);
const accounts = (): Array<[string, bigint]> => FUNDED.map((k) => [k.address, 1000n * TOKEN]);

let root: string;
let authority: LedgerNode;
let upstream: LedgerClient;
/** Height of a block holding one transfer of 5 tokens from key(1) to key(50). */
let transferHeight: number;
const nodes: LedgerNode[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bt-follower-'));
  authority = await startAuthority({
    genesis: (a) => makeGenesis(a, accounts(), { blockTimeMs: 100 }),
    authority: AUTHORITY,
    rpcPort: 0,
  });
  upstream = new LedgerClient(authority.rpcUrl, { timeoutMs: 5000 });
  // Some empty blocks first, so that a good block precedes the one that the proxies tamper with.
  await until(() => authority.chain.height >= 2, 'two blocks');
  const tx = await transfer(key(1), key(50), 5n * TOKEN);
  transferHeight = await upstream.waitForInclusion(await upstream.submit(tx), 10_000, 20);
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

afterAll(async () => {
  await authority?.stop();
  await rm(root, { recursive: true, force: true });
});

let dirs = 0;
const dataDir = () => join(root, `f${++dirs}`);

async function follower(authorityUrl: string, dir = dataDir()): Promise<LedgerNode> {
  const node = await startFollower({ authorityUrl, dataDir: dir, pollMs: 50 });
  nodes.push(node);
  return node;
}

async function transfer(from: Signer, to: Signer, amount: bigint, via = upstream): Promise<SignedTx> {
  const { nonce } = await via.balance(from.address);
  return signTx(
    {
      chain: authority.chain.id,
      nonce,
      signer: from.address,
      call: { type: 'transfer', to: to.address, amount: String(amount) },
    },
    from,
  );
}

/** Waits until the follower is at the authority's height, and returns both roots read at that same moment. */
async function inStep(f: LedgerNode, atLeast: number) {
  let seen: { height: number; follower: string; authority: string; fHash: string; aHash: string } | undefined;
  await until(() => {
    const h = f.chain.height;
    if (h < atLeast || h !== authority.chain.height) return false;
    seen = {
      height: h,
      follower: f.chain.state.root(),
      authority: authority.chain.state.root(),
      fHash: f.chain.hash,
      aHash: authority.chain.hash,
    };
    return true;
  }, `the follower to reach height ${atLeast}`);
  return seen!;
}

describe('follower', () => {
  it('replays the chain to the same state, serves reads, and forwards submissions', async () => {
    const f = await follower(authority.rpcUrl);
    expect(f.role).toBe('follower');
    expect(f.chain.id).toBe(authority.chain.id);

    const txs = await Promise.all([
      transfer(key(2), key(51), 7n * TOKEN),
      transfer(key(3), key(51), 1n),
      transfer(key(4), key(52), TOKEN / 2n),
    ]);
    const hashes = await Promise.all(txs.map((tx) => upstream.submit(tx)));
    const heights = await Promise.all(hashes.map((h) => upstream.waitForInclusion(h, 10_000, 20)));

    const step = await inStep(f, Math.max(...heights));
    expect(step.follower).toBe(step.authority);
    expect(step.fHash).toBe(step.aHash);

    const local = new LedgerClient(f.rpcUrl, { timeoutMs: 5000 });
    const info = await local.info();
    expect(info).toMatchObject({ role: 'follower', genesisHash: authority.chain.id, authority: AUTHORITY.address });
    expect(await local.balance(key(51).address)).toEqual({
      free: parseAmount('7.000000001'),
      staked: parseAmount('0'),
      nonce: 0,
    });
    expect(await local.balance(key(50).address)).toEqual({
      free: parseAmount('5'),
      staked: parseAmount('0'),
      nonce: 0,
    });
    expect(await local.balance(key(2).address)).toEqual({
      free: parseAmount('993'),
      staked: parseAmount('0'),
      nonce: 1,
    });
    expect(await local.blocks(1, step.height)).toEqual(await upstream.blocks(1, step.height));
    for (const [i, hash] of hashes.entries())
      expect(await local.txStatus(hash)).toEqual({ status: 'included', block: heights[i] });

    // A transaction sent to the follower goes to the authority and comes back in a block.
    const tx = await transfer(key(5), key(53), 3n * TOKEN, local);
    const hash = await local.submit(tx);
    const height = await local.waitForInclusion(hash, 10_000, 20);
    expect(await upstream.txStatus(hash)).toEqual({ status: 'included', block: height });
    await until(async () => (await f.chain.store.txHeight(hash)) === height, 'the follower to store the block');
    expect(await local.balance(key(53).address)).toMatchObject({ free: parseAmount('3') });
    // The authority's refusal comes back through the follower with its code.
    await expect(local.submit(tx)).rejects.toMatchObject({ code: -32000, message: /already used/ });
    const after = await inStep(f, height);
    expect(after.follower).toBe(after.authority);
    expect(f.lastSyncError).toBeUndefined();
  });

  it('restarts from its data folder and catches up', async () => {
    const dir = dataDir();
    const first = await follower(authority.rpcUrl, dir);
    await inStep(first, transferHeight);
    await first.stop();
    const stoppedAt = first.chain.height;
    const again = await follower(authority.rpcUrl, dir);
    expect(again.chain.height).toBeGreaterThanOrEqual(stoppedAt);
    const step = await inStep(again, stoppedAt + 3);
    expect(step.follower).toBe(step.authority);
  });
});

/** A JSON-RPC proxy in front of the authority that passes everything through but rewrites chain_blocks results. */
async function tamperingProxy(tamper: (block: Block) => Block): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const upstreamRes = await fetch(authority.rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        let text = await upstreamRes.text();
        const request = JSON.parse(body) as { method?: string };
        if (request.method === 'chain_blocks' && text) {
          const response = JSON.parse(text) as { result?: Block[] };
          if (Array.isArray(response.result)) {
            response.result = response.result.map((b) => (b.header.height === transferHeight ? tamper(b) : b));
            text = JSON.stringify(response);
          }
        }
        res.writeHead(upstreamRes.status, { 'content-type': 'application/json' });
        res.end(text);
      })().catch(() => {
        res.writeHead(502);
        res.end();
      });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const copy = (b: Block): Block => JSON.parse(JSON.stringify(b)) as Block;
/** Re-seals a changed block with the real authority key: everything a forger with the key could do. */
const reseal = (b: Block): Block => {
  const header = { ...b.header, txRoot: txRoot(b.txs) };
  return sealBlock(header, b.txs, AUTHORITY);
};
const raiseAmount = (b: Block): Block => {
  const c = copy(b);
  const call = c.txs[0]!.body.call as { type: string; amount: string };
  expect(call.type).toBe('transfer');
  call.amount = String(BigInt(call.amount) * 100n);
  return c;
};

const TAMPERS: Array<[string, (b: Block) => Block, RegExp]> = [
  ['a transfer amount', raiseAmount, /block\.header\.txRoot/],
  [
    'a transfer amount, re-sealed by the authority key',
    (b) => reseal(raiseAmount(b)),
    /block\.txs\[0\]: tx\.signature/,
  ],
  ['the state root', (b) => ({ ...copy(b), header: { ...b.header, stateRoot: 'ab'.repeat(32) } }), /block\.signature/],
  [
    'the state root, re-sealed by the authority key',
    (b) => reseal({ ...copy(b), header: { ...b.header, stateRoot: 'ab'.repeat(32) } }),
    /block\.header\.stateRoot/,
  ],
  ['a dropped transaction, re-sealed by the authority key', (b) => reseal({ ...copy(b), txs: [] }), /stateRoot/],
  [
    'the signature',
    (b) => ({ ...copy(b), signature: (b.signature[0] === 'a' ? 'b' : 'a') + b.signature.slice(1) }),
    /block\.signature/,
  ],
];

describe('follower facing a tampered block', () => {
  it.each(TAMPERS)('refuses %s and keeps its state and its RPC', async (_name, tamper, reason) => {
    const proxy = await tamperingProxy(tamper);
    const dir = dataDir();
    const f = await follower(proxy, dir);
    await until(() => (f.lastSyncError ?? '').includes('refused block'), 'the follower to refuse the block');
    expect(f.lastSyncError).toContain(`refused block ${transferHeight}:`);
    expect(f.lastSyncError).toMatch(reason);
    const good = transferHeight - 1;
    expect(good).toBeGreaterThanOrEqual(2);

    // It keeps refusing on later polls, never moves past the last good block, and keeps answering.
    const local = new LedgerClient(f.rpcUrl, { timeoutMs: 5000 });
    for (let i = 0; i < 4; i++) {
      expect(await local.info()).toMatchObject({ role: 'follower', height: good });
      expect(await local.balance(key(1).address)).toEqual({
        free: parseAmount('1000'),
        staked: parseAmount('0'),
        nonce: 0,
      });
      expect(await local.balance(key(50).address)).toEqual({
        free: parseAmount('0'),
        staked: parseAmount('0'),
        nonce: 0,
      });
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(f.lastSyncError).toContain(`refused block ${transferHeight}:`);

    // Stopped (after its last attempt has finished), its chain is exactly the last good block's.
    await f.stop();
    const goodBlock = (await authority.chain.store.getBlock(good))!;
    expect(f.chain.height).toBe(good);
    expect(f.chain.state.root()).toBe(goodBlock.header.stateRoot);
    expect(f.chain.hash).toBe((await authority.chain.store.getBlock(transferHeight))!.header.parentHash);
    const store = new LevelChainStore(join(dir, 'chain'));
    await store.open();
    try {
      expect(await store.headHeight()).toBe(good);
      expect(await store.getBlock(good)).toEqual(goodBlock);
      expect(await store.getBlock(transferHeight)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('follower and another chain', () => {
  it('refuses to start when the authority runs another chain than its data folder holds', async () => {
    const dir = dataDir();
    const first = await follower(authority.rpcUrl, dir);
    await inStep(first, 1);
    await first.stop();

    const other = await startAuthority({
      genesis: (a) => makeGenesis(a, accounts().slice(1), { blockTimeMs: 100 }),
      rpcPort: 0,
    });
    nodes.push(other);
    await expect(startFollower({ authorityUrl: other.rpcUrl, dataDir: dir, pollMs: 50 })).rejects.toThrow(
      ChainMismatchError,
    );
    // The refused start closed the data folder again: the right authority can still be followed from it.
    const back = await follower(authority.rpcUrl, dir);
    expect(back.chain.id).toBe(authority.chain.id);
    expect(back.chain.height).toBeGreaterThanOrEqual(first.chain.height);
  });
});
