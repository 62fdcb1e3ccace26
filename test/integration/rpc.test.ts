import fc from 'fast-check';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { blockHash, makeGenesis } from '../../src/ledger/block.js';
import { LedgerClient, LedgerRefusedError } from '../../src/ledger/client.js';
import { startLedger, type LedgerNode } from '../../src/ledger/node.js';
import { AddressNotAvailableError, PortInUseError } from '../../src/shared/listen-errors.js';
import { RPC_METHODS, type LedgerService } from '../../src/ledger/rpc/methods.js';
import { RPC_ERRORS, RpcError, type SubscriptionTopic } from '../../src/ledger/rpc/protocol.js';
import { RpcServer, type RpcServerInit } from '../../src/ledger/rpc/server.js';
import type { EpochInfo } from '../../src/ledger/client.js';
import { parseAmount } from '../../src/shared/amount.js';
import { signTx, txHash, type Call, type SignedTx } from '../../src/ledger/tx.js';
import type { Signer } from '../../src/ledger/wallet/keys.js';
import { InvalidInputError, UserError } from '../../src/shared/errors.js';
import { key, TOKEN } from '../support/ledger.js';
import { until } from '../support/poll.js';

/** Tokens as the client gives them: base units. */
const tok = (tokens: string): bigint => parseAmount(tokens);

const FUNDED = [1, 2, 3, 4, 5, 6].map(key);
const TEMPO = 5;
let node: LedgerNode;
let client: LedgerClient;

beforeAll(async () => {
  node = await startLedger({
    genesis: () =>
      makeGenesis(
        FUNDED.map((k) => [k.address, 1000n * TOKEN]),
        { blockTimeMs: 100, tempo: TEMPO },
      ),
    rpcPort: 0,
  });
  client = new LedgerClient(node.rpcUrl, { timeoutMs: 5000 });
});

afterAll(async () => {
  await node?.stop();
});

interface Raw {
  status: number;
  text: string;
  body: unknown;
}

/** POSTs a raw body (a string is sent as is, anything else as JSON); never waits more than 5 s. */
async function post(body: unknown, method = 'POST'): Promise<Raw> {
  const res = await fetch(node.rpcUrl, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = Symbol('not json');
  }
  return { status: res.status, text, body: parsed };
}

const call = (method: string, params?: unknown, id: number | string | null = 1) =>
  post({ jsonrpc: '2.0', id, method, params });

async function sign(signer: Signer, call: Call, nonce?: number): Promise<SignedTx> {
  const n = nonce ?? (await client.balance(signer.address)).nonce;
  return signTx({ chain: node.chain.id, nonce: n, signer: signer.address, call }, signer);
}

const KNOWN_CODES = new Set<number>(Object.values(RPC_ERRORS));

/** Checks one JSON-RPC response object; returns its error code, or undefined for a result. */
function checkResponse(r: unknown, id?: unknown): number | undefined {
  expect(r).toBeTypeOf('object');
  const o = r as Record<string, unknown>;
  expect(o['jsonrpc']).toBe('2.0');
  if (id !== undefined) expect(o['id']).toEqual(id);
  else expect(['string', 'number', 'object']).toContain(typeof o['id']);
  expect('result' in o !== 'error' in o).toBe(true);
  if (!('error' in o)) return undefined;
  const e = o['error'] as { code: unknown; message: unknown };
  expect(KNOWN_CODES.has(e.code as number)).toBe(true);
  expect(e.message).toBeTypeOf('string');
  expect((e.message as string).length).toBeGreaterThan(0);
  return e.code as number;
}

describe('RPC methods', () => {
  it('chain_info describes the chain', async () => {
    const info = await client.info();
    expect(info.role).toBe('embedded');
    expect(info.genesisHash).toBe(node.chain.id);
    expect(info.height).toBeGreaterThanOrEqual(0);
    expect(info.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect(info.issuance).toBeTypeOf('bigint');
    expect(info.params.blockTimeMs).toBe(100);
    expect(info.params.tempo).toBe(TEMPO);
    expect(info.params.emissionPerBlock).toBe(TOKEN); // a string of base units on the wire, a bigint here
  });

  it('account_balance reads balances, zero for an unknown account', async () => {
    expect(await client.balance(key(6).address)).toEqual({ free: tok('1000'), staked: tok('0'), nonce: 0 });
    expect(await client.balance(key(77).address)).toEqual({ free: tok('0'), staked: tok('0'), nonce: 0 });
  });

  it('tx_submit queues a transfer that is then included', async () => {
    const tx = await sign(key(1), { type: 'transfer', to: key(70).address, amount: String(TOKEN + TOKEN / 2n) });
    const hash = await client.submit(tx);
    expect(hash).toBe(txHash(tx));
    const height = await client.waitForInclusion(hash, 10_000, 20);
    expect(await client.txStatus(hash)).toEqual({ status: 'included', block: height });
    const block = await client.block(height);
    expect(block?.txs).toContainEqual(tx);
    expect(await client.balance(key(70).address)).toEqual({ free: tok('1.5'), staked: tok('0'), nonce: 0 });
    expect(await client.balance(key(1).address)).toEqual({ free: tok('998.5'), staked: tok('0'), nonce: 1 });
    // The same transaction again is a replay.
    await expect(client.submit(tx)).rejects.toMatchObject({ code: RPC_ERRORS.rejected, message: /already used/ });
  });

  it('tx_status tells unknown, pending and included apart', async () => {
    expect(await client.txStatus('0'.repeat(64))).toEqual({ status: 'unknown' });
    // Nonce 1 before nonce 0: it waits in the mempool, block after block.
    const later = await sign(key(2), { type: 'transfer', to: key(71).address, amount: '2' }, 1);
    const laterHash = await client.submit(later);
    const start = node.chain.height;
    await until(() => node.chain.height >= start + 2, 'two more blocks');
    expect(await client.txStatus(laterHash)).toEqual({ status: 'pending' });
    const first = await sign(key(2), { type: 'transfer', to: key(71).address, amount: '1' }, 0);
    const firstHash = await client.submit(first);
    const [h0, h1] = [await client.waitForInclusion(firstHash, 10_000, 20), await client.waitForInclusion(laterHash)];
    expect(h0).toBe(h1);
    expect(await client.balance(key(71).address)).toMatchObject({ free: tok('0.000000003') });
  });

  it('reports a transaction that a block refused as rejected', async () => {
    // Both arrive in one batch, the later nonce first: it is admitted unchecked (ahead of the account's next
    // nonce), then cannot follow the first in the block, and the recheck after the block drops it.
    const a = await sign(key(3), { type: 'transfer', to: key(72).address, amount: String(600n * TOKEN) }, 0);
    const b = await sign(key(3), { type: 'transfer', to: key(72).address, amount: String(600n * TOKEN) }, 1);
    const res = await post([
      { jsonrpc: '2.0', id: 'b', method: 'tx_submit', params: { tx: b } },
      { jsonrpc: '2.0', id: 'a', method: 'tx_submit', params: { tx: a } },
    ]);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', id: 'a', result: { hash: txHash(a) } },
        { jsonrpc: '2.0', id: 'b', result: { hash: txHash(b) } },
      ]),
    );
    await client.waitForInclusion(txHash(a), 10_000, 20);
    await expect(client.waitForInclusion(txHash(b), 10_000, 20)).rejects.toThrow(/insufficient funds/);
    expect(await client.txStatus(txHash(b))).toMatchObject({ status: 'rejected', reason: /insufficient funds/ });
  });

  it('tx_submit refuses bad transactions with -32000 and the reason', async () => {
    const tx = await sign(key(4), { type: 'transfer', to: key(73).address, amount: '1' });
    const forged = { ...tx, signature: (await sign(key(5), tx.body.call)).signature };
    await expect(client.submit(forged)).rejects.toMatchObject({ code: RPC_ERRORS.rejected, message: /tx\.signature/ });
    const broke = await sign(key(4), { type: 'transfer', to: key(73).address, amount: String(5000n * TOKEN) });
    await expect(client.submit(broke)).rejects.toMatchObject({ message: /insufficient funds/ });
    const r = await call('tx_submit', { tx: 5 });
    expect(r.body).toMatchObject({ id: 1, error: { code: RPC_ERRORS.rejected, message: /^tx: / } });
    expect(await client.balance(key(4).address)).toEqual({ free: tok('1000'), staked: tok('0'), nonce: 0 });
  });

  it('chain_blocks, chain_block, epoch_get and epoch_history read the stored chain', async () => {
    await until(() => node.chain.state.epoch >= 1, 'the first epoch');
    const blocks = await client.blocks(1, 3);
    expect(blocks.map((b) => b.header.height)).toEqual([1, 2, 3]);
    expect(blocks[1]!.header.parentHash).toBe(blockHash(blocks[0]!.header));
    expect(await client.block(1)).toEqual(blocks[0]);
    expect(await client.block(10 ** 9)).toBeNull();
    expect(await client.blocks(10 ** 9, 5)).toEqual([]);
    const epoch = await client.epoch(1);
    expect(epoch).toMatchObject({ epoch: 1, block: TEMPO });
    expect(await client.epochHistory(1000)).toContainEqual(epoch);
    expect(await client.epoch(10 ** 6)).toBeNull();
    expect(await client.neurons()).toEqual([]);
    expect(await client.neuron(key(1).address)).toBeNull();
  });
});

/** For every method, params that fail its schema and the start of the error message that names them. */
const INVALID: Record<string, [unknown, string]> = {
  chain_info: [{ verbose: true }, 'params'],
  chain_genesis: [[1], 'params'],
  chain_block: [{ height: -1 }, 'params.height'],
  chain_blocks: [{ from: 1, count: 101 }, 'params.count'],
  account_balance: [{ address: 'nobody' }, 'params.address'],
  neuron_list: ['all', 'params'],
  neuron_changes: [{ since: -2 }, 'params.since'],
  neuron_get: [{ hotkey: 5 }, 'params.hotkey'],
  epoch_get: [{ epoch: 0 }, 'params.epoch'],
  epoch_history: [{ last: 1001 }, 'params.last'],
  tx_submit: [{ tx: {}, fee: 1 }, 'params'],
  tx_status: [{ hash: 'abc' }, 'params.hash'],
};

describe('RPC protocol errors', () => {
  it('answers malformed JSON with -32700', async () => {
    for (const body of ['{"jsonrpc":', '', 'nul', '{]', '\u0000']) {
      const r = await post(body);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.any(String) } });
    }
  });

  it('answers a request that is not an object with -32600', async () => {
    for (const body of [42, '"chain_info"', null, true]) {
      const r = await post(typeof body === 'string' ? body : JSON.stringify(body));
      expect(r.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    }
  });

  it('answers a request without "jsonrpc": "2.0" or a method string with -32600', async () => {
    for (const req of [
      { id: 5, method: 'chain_info' },
      { jsonrpc: '1.0', id: 5, method: 'chain_info' },
      { jsonrpc: 2, id: 5, method: 'chain_info' },
      { jsonrpc: '2.0', id: 5 },
      { jsonrpc: '2.0', id: 5, method: ['chain_info'] },
    ]) {
      const r = await post(req);
      expect(r.body).toMatchObject({ jsonrpc: '2.0', id: 5, error: { code: -32600 } });
    }
  });

  it('answers an unknown method with -32601, including inherited property names', async () => {
    for (const method of [
      'chain_nope',
      '',
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'x'.repeat(5000),
    ]) {
      const r = await call(method, undefined, 'q');
      expect(r.body).toMatchObject({ id: 'q', error: { code: -32601 } });
      expect((r.body as { error: { message: string } }).error.message.length).toBeLessThan(200);
    }
  });

  it('answers invalid params with -32602 naming the field, for every method', async () => {
    expect(Object.keys(INVALID).sort()).toEqual(Object.keys(RPC_METHODS).sort());
    for (const [method, [params, field]] of Object.entries(INVALID)) {
      for (const p of [params, 7, 'x', { bogus: true }]) {
        const r = await call(method, p, method);
        expect(r.status).toBe(200);
        const body = r.body as { id: unknown; error?: { code: number; message: string } };
        expect(body.id, method).toBe(method);
        expect(body.error?.code, `${method} ${JSON.stringify(p)}`).toBe(RPC_ERRORS.invalidParams);
        expect(body.error?.message).toMatch(/^params(\.\w+)*: /);
        if (p === params) expect(body.error?.message.startsWith(`${field}: `), body.error?.message).toBe(true);
      }
    }
  });

  it('refuses GET and bodies over the size limit', async () => {
    const get = await post(undefined, 'GET');
    expect(get.status).toBe(405);
    const big = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_info', pad: 'x'.repeat(1 << 20) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ id: null, error: { code: -32600, message: /larger than 1048576 bytes/ } });
    expect((await call('chain_info')).status).toBe(200);
  });

  it('runs batches: mixed results and errors by id, notifications left out', async () => {
    const r = await post([
      { jsonrpc: '2.0', id: 1, method: 'chain_info' },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
      { jsonrpc: '2.0', method: 'chain_info' },
      42,
      { jsonrpc: '2.0', id: 3, method: 'account_balance', params: { address: key(6).address } },
      { jsonrpc: '2.0', id: 4, method: 'chain_block', params: { height: 'one' } },
    ]);
    expect(r.status).toBe(200);
    const out = r.body as Array<Record<string, unknown>>;
    expect(out).toHaveLength(5);
    for (const o of out) checkResponse(o);
    const byId = new Map(out.map((o) => [o['id'], o]));
    expect(byId.get(1)).toMatchObject({ result: { role: 'embedded' } });
    expect(byId.get(2)).toMatchObject({ error: { code: -32601 } });
    expect(byId.get(null)).toMatchObject({ error: { code: -32600 } });
    expect(byId.get(3)).toMatchObject({ result: { free: '1000' } });
    expect(byId.get(4)).toMatchObject({ error: { code: -32602, message: /^params\.height: / } });
  });

  it('refuses an empty batch and one over the limit; a batch of notifications gets no body', async () => {
    expect((await post([])).body).toMatchObject({ id: null, error: { code: -32600, message: /1 to 100/ } });
    const one = { jsonrpc: '2.0', id: 1, method: 'chain_genesis' };
    expect((await post(Array.from({ length: 101 }, () => one))).body).toMatchObject({ error: { code: -32600 } });
    const full = await post(Array.from({ length: 100 }, (_, i) => ({ ...one, id: i })));
    expect((full.body as unknown[]).length).toBe(100);
    const quiet = await post([
      { jsonrpc: '2.0', method: 'chain_info' },
      { jsonrpc: '2.0', method: 'nope' },
    ]);
    expect(quiet.status).toBe(204);
    expect(quiet.text).toBe('');
  });

  it('answers a notification (no id) with an empty 204, whatever it asked', async () => {
    for (const req of [
      { jsonrpc: '2.0', method: 'chain_info' },
      { jsonrpc: '2.0', method: 'nope' },
      { jsonrpc: '2.0', method: 'chain_block', params: { height: -5 } },
    ]) {
      const r = await post(req);
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
    }
  });
});

const METHODS = [...Object.keys(RPC_METHODS), 'subscribe', 'unsubscribe', '__proto__', 'toString'];
const PARAM_KEYS = ['height', 'from', 'count', 'address', 'hotkey', 'epoch', 'last', 'tx', 'hash', 'topic'];
const paramsArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(...PARAM_KEYS),
    fc.oneof(fc.integer({ min: -5, max: 200 }), fc.jsonValue(), fc.constantFrom(key(6).address, 'f'.repeat(64))),
    { maxKeys: 3 },
  ),
);
const idArb = fc.option(fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)), { nil: undefined });
const requestArb = fc.record(
  {
    jsonrpc: fc.oneof({ weight: 5, arbitrary: fc.constant('2.0') }, fc.jsonValue()),
    id: idArb,
    method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...METHODS) }, fc.string({ maxLength: 12 })),
    params: paramsArb,
  },
  { requiredKeys: ['jsonrpc', 'method'] },
);

describe('RPC fuzzing', () => {
  it('always answers random requests with a valid JSON-RPC response or an empty 204', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (generated) => {
        const req = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>; // as sent: no undefined keys
        const r = await post(req);
        expect([200, 204]).toContain(r.status);
        const isRequest = req['jsonrpc'] === '2.0' && typeof req['method'] === 'string';
        if (isRequest && !('id' in req)) {
          expect(r.status).toBe(204);
          expect(r.text).toBe('');
          return;
        }
        expect(r.status).toBe(200);
        const id = typeof req['id'] === 'string' || typeof req['id'] === 'number' ? req['id'] : null;
        checkResponse(r.body, id);
      }),
      { numRuns: 200 },
    );
    expect((await client.info()).role).toBe('embedded');
  });

  it('always answers random bodies (JSON values, text, batches) with 200, 204 or 413 and valid JSON-RPC', async () => {
    const bodyArb = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.string({ maxLength: 40 }),
      fc.array(fc.oneof(requestArb, fc.jsonValue()), { maxLength: 6 }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodyArb, async (body) => {
        const r = await post(body);
        expect([200, 204, 413]).toContain(r.status);
        if (r.status === 204) expect(r.text).toBe('');
        else if (Array.isArray(r.body)) {
          expect(r.body.length).toBeGreaterThan(0);
          for (const o of r.body) checkResponse(o);
        } else checkResponse(r.body);
      }),
      { numRuns: 200 },
    );
    const info = await client.info();
    expect(info.genesisHash).toBe(node.chain.id);
  });
});

/** A raw WebSocket connection to the node with a queue of received messages. */
async function socket(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(node.rpcUrl.replace(/^http/, 'ws'));
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as Record<string, unknown>;
    const w = waiters.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const m = queue.shift();
      if (m) return resolve(m);
      const timer = setTimeout(() => reject(new Error('no message within 3 s')), 3000);
      waiters.push((msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
  return { ws, next };
}

/** The next message that is not a subscription notification. */
async function reply(next: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  for (;;) {
    const m = await next();
    if (m['method'] !== 'subscription') return m;
  }
}

describe('WebSocket', () => {
  it('pushes new blocks to a "blocks" subscriber', async () => {
    const seen: Array<{ height: number; hash: string; txs: number; timestamp: number }> = [];
    const close = await client.subscribe('blocks', (b) => seen.push(b));
    try {
      await until(() => seen.length >= 3, 'three blocks');
    } finally {
      close();
    }
    const heights = seen.map((b) => b.height);
    expect(heights.slice(1)).toEqual(heights.slice(0, -1).map((h) => h + 1));
    for (const b of seen) {
      const stored = await node.chain.store.getBlock(b.height);
      expect(b.hash).toBe(blockHash(stored!.header));
      expect(b.txs).toBe(stored!.txs.length);
      expect(b.timestamp).toBe(stored!.header.timestamp);
    }
  });

  it('pushes epoch records to an "epochs" subscriber', async () => {
    const seen: EpochInfo[] = [];
    const close = await client.subscribe('epochs', (e) => seen.push(e));
    try {
      await until(() => seen.length >= 1, 'an epoch');
    } finally {
      close();
    }
    const [e] = seen;
    expect(e!.block % TEMPO).toBe(0);
    expect(await client.epoch(e!.epoch)).toEqual(e);
  });

  it('refuses bad subscribe params with -32602', async () => {
    const err = await client.subscribe('nope' as SubscriptionTopic, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: RPC_ERRORS.invalidParams, message: /^params\.topic: / });

    const { ws, next } = await socket();
    try {
      for (const params of [undefined, {}, { topic: 'blocks', extra: 1 }, { topic: 5 }, ['blocks']]) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'subscribe', params }));
        expect(await reply(next)).toMatchObject({ id: 9, error: { code: RPC_ERRORS.invalidParams } });
      }
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'unsubscribe', params: { subscription: 7 } }));
      expect(await reply(next)).toMatchObject({ id: 10, error: { code: RPC_ERRORS.invalidParams } });
    } finally {
      ws.close();
    }
  });

  it('serves plain calls, unsubscribes, and limits subscriptions per connection', async () => {
    const { ws, next } = await socket();
    try {
      ws.send('{"jsonrpc":"2.0","id":1,"method":"chain_info"}');
      expect(await reply(next)).toMatchObject({ id: 1, result: { role: 'embedded' } });
      ws.send('{oops');
      expect(await reply(next)).toMatchObject({ id: null, error: { code: RPC_ERRORS.parse } });
      const subs: string[] = [];
      for (let i = 0; i < 16; i++) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 100 + i, method: 'subscribe', params: { topic: 'epochs' } }));
        const r = await reply(next);
        expect(r['id']).toBe(100 + i);
        subs.push(r['result'] as string);
      }
      expect(new Set(subs).size).toBe(16);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 200, method: 'subscribe', params: { topic: 'blocks' } }));
      expect(await reply(next)).toMatchObject({ id: 200, error: { code: RPC_ERRORS.rejected } });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 201, method: 'unsubscribe', params: { subscription: subs[0] } }));
      expect(await reply(next)).toEqual({ jsonrpc: '2.0', id: 201, result: true });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 202, method: 'unsubscribe', params: { subscription: subs[0] } }));
      expect(await reply(next)).toEqual({ jsonrpc: '2.0', id: 202, result: false });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 203, method: 'subscribe', params: { topic: 'blocks' } }));
      expect(await reply(next)).toMatchObject({ id: 203, result: expect.any(String) });
      const note = await next();
      expect(note).toMatchObject({ method: 'subscription', params: { topic: expect.any(String) } });
    } finally {
      ws.close();
    }
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const { ws } = await socket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat((1 << 20) + 1));
    expect(await closed).toBe(1009);
    expect((await client.info()).role).toBe('embedded');
  });

  it('LedgerClient.subscribe closes its connection when the subscription is refused', async () => {
    // A peer that refuses every subscription, and watches whether the client hangs up afterwards.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const port = (wss.address() as { port: number }).port;
    const hungUp = new Promise<void>((resolve) =>
      wss.on('connection', (ws) => {
        ws.on('message', (data) => {
          const { id } = JSON.parse(data.toString()) as { id: number };
          ws.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32602, message: 'params.topic: no' } }));
        });
        ws.on('close', () => resolve());
      }),
    );
    try {
      const c = new LedgerClient(`http://127.0.0.1:${port}`);
      await expect(c.subscribe('blocks', () => undefined)).rejects.toBeInstanceOf(RpcError);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still open'), 2000)));
      expect(await Promise.race([hungUp.then(() => 'closed'), timeout])).toBe('closed');
      clearTimeout(timer);
    } finally {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});

/**
 * A request through node:http, which (unlike fetch) sends any Host and content-type. By default it POSTs
 * JSON to the node with its own Host; a header set to undefined is left out.
 */
async function rawPost(
  body: string,
  headers: Record<string, string | undefined> = {},
  url = node.rpcUrl,
  method = 'POST',
): Promise<Raw> {
  const u = new URL(url);
  const all: Record<string, string | undefined> = { host: u.host, 'content-type': 'application/json', ...headers };
  const sent = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise<Raw>((resolve, reject) => {
    const req = httpRequest(
      { hostname: u.hostname, port: u.port, path: '/', method, headers: sent, setHost: false, timeout: 5000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = Symbol('not json');
          }
          resolve({ status: res.statusCode ?? 0, text, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end(body);
  });
}

const INFO = '{"jsonrpc":"2.0","id":1,"method":"chain_info"}';

/** Opens a WebSocket with extra handshake headers: "open", or the refusal's HTTP status and body. */
async function handshake(
  headers: Record<string, string>,
  url = node.rpcUrl,
): Promise<'open' | { status: number; body: string }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers, handshakeTimeout: 5000 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', reject);
  });
}

/** The node's chain behind a second RpcServer with other options (reads only). */
const readOnly = (): LedgerService => ({
  chain: node.chain,
  role: 'validator',
  submit: () => Promise.reject(new UserError('read only')),
  txStatus: () => Promise.resolve({ status: 'unknown' }),
});

async function withServer(init: Omit<RpcServerInit, 'port'>, use: (server: RpcServer) => Promise<void>) {
  const server = new RpcServer({ port: 0, ...init }, readOnly());
  await server.start();
  try {
    await use(server);
  } finally {
    await server.stop();
  }
}

describe('keeping web pages out (Host, content type, Origin)', () => {
  it('serves the loopback names with any port or none', async () => {
    for (const host of ['127.0.0.1', '127.0.0.1:9944', 'localhost', 'LocalHost:80', '[::1]', '[::1]:9944']) {
      const r = await rawPost(INFO, { host });
      expect(r.status, host).toBe(200);
      expect(r.body, host).toMatchObject({ id: 1, result: { role: 'embedded' } });
    }
  });

  it('refuses another Host (DNS rebinding) with 403 and the flag that allows it', async () => {
    const r = await rawPost(INFO, { host: 'evil.example:9944' });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: RPC_ERRORS.invalidRequest,
        message: 'host "evil.example" is not allowed; start the ledger with --rpc-allow-host evil.example to allow it',
      },
    });
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.2', 'a b']) {
      expect((await rawPost(INFO, { host })).status, host).toBe(403);
    }
    // Checked before anything else, GET included.
    expect((await rawPost('', { host: 'evil.example' }, node.rpcUrl, 'GET')).status).toBe(403);
  });

  it('refuses a request without a Host header with 403', async () => {
    const r = await rawPost(INFO, { host: undefined });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest, message: /no Host header/ } });
  });

  it('refuses bodies that are not application/json (a simple cross-origin request) with 415', async () => {
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      const r = await rawPost(INFO, { 'content-type': type });
      expect(r.status, type).toBe(415);
      const message = (r.body as { error: { message: string } }).error.message;
      expect(message).toMatch(/application\/json/);
      expect(message).not.toContain('\n');
    }
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset=UTF-8']) {
      expect((await rawPost(INFO, { 'content-type': type })).body, type).toMatchObject({ result: {} });
    }
  });

  it('serves the hosts an operator allows, its own listen address, and any with "*"', async () => {
    await withServer({ allowedHosts: ['Ledger.LAN', '10.0.0.7:9944', '::2'] }, async (server) => {
      for (const host of ['ledger.lan:9944', 'LEDGER.lan', '10.0.0.7', '[::2]:1', 'localhost']) {
        expect((await rawPost(INFO, { host }, server.url)).status, host).toBe(200);
      }
      expect((await rawPost(INFO, { host: 'other.lan' }, server.url)).status).toBe(403);
    });
    await withServer({ host: '127.0.0.2' }, async (server) => {
      expect((await rawPost(INFO, {}, server.url)).status).toBe(200); // Host: 127.0.0.2:port
      expect((await rawPost(INFO, { host: 'evil.example' }, server.url)).status).toBe(403);
    });
    await withServer({ allowedHosts: ['*'] }, async (server) => {
      expect((await rawPost(INFO, { host: 'evil.example' }, server.url)).status).toBe(200);
      expect((await rawPost(INFO, { 'content-type': 'text/plain' }, server.url)).status).toBe(415);
    });
    expect(() => new RpcServer({ port: 0, allowedHosts: ['bad host'] }, readOnly())).toThrow(InvalidInputError);
  });

  it('opens a WebSocket without an Origin (ws, the CLI) and refuses one from a browser page', async () => {
    expect(await handshake({})).toBe('open');
    const page = await handshake({ origin: 'http://evil.example' });
    expect(page).toMatchObject({ status: 403, body: expect.stringMatching(/origin "http:\/\/evil.example" is not/) });
    expect(await handshake({ origin: 'http://localhost:3000' })).toMatchObject({ status: 403 });
    expect(await handshake({ origin: 'null' })).toMatchObject({ status: 403 });
  });

  it('refuses a WebSocket upgrade with another Host, Origin or not', async () => {
    const r = await handshake({ host: 'evil.example' });
    expect(r).toMatchObject({ status: 403, body: expect.stringMatching(/--rpc-allow-host evil.example/) });
    expect(await handshake({ host: 'evil.example', origin: 'http://evil.example' })).toMatchObject({ status: 403 });
  });

  it('lets allowed origins open a WebSocket', async () => {
    await withServer({ allowedOrigins: ['http://localhost:3000'] }, async (server) => {
      expect(await handshake({ origin: 'http://localhost:3000' }, server.url)).toBe('open');
      expect(await handshake({ origin: 'http://evil.example' }, server.url)).toMatchObject({ status: 403 });
    });
  });

  it('LedgerClient reports a refusal as a LedgerRefusedError (a UserError) with the reason', async () => {
    const reason = 'host "x" is not allowed; start the ledger with --rpc-allow-host x to allow it';
    const refusing = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.invalidRequest, message: reason } }),
      );
    });
    refusing.on('upgrade', (_req, socket) => {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    try {
      const c = new LedgerClient(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, { timeoutMs: 5000 });
      for (const attempt of [() => c.info(), () => c.subscribe('blocks', () => undefined)]) {
        const err = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(LedgerRefusedError);
        expect(err).toBeInstanceOf(UserError);
        expect((err as Error).message).toContain(`(HTTP 403): ${reason}`);
      }
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});

describe('over-deep JSON', () => {
  const DEEP = '['.repeat(100_000);

  it('refuses a 100,000-deep body with -32600 before parsing it, and keeps serving', async () => {
    for (const body of [DEEP, `${DEEP}${']'.repeat(100_000)}`]) {
      const r = await rawPost(body);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: RPC_ERRORS.invalidRequest, message: 'JSON nested deeper than 32 levels' },
      });
    }
    // The request that overflowed the stack: a deep value where a transaction goes.
    const tx = `{"jsonrpc":"2.0","id":1,"method":"tx_submit","params":{"tx":${DEEP}${']'.repeat(100_000)}}}`;
    expect((await rawPost(tx)).body).toMatchObject({ error: { code: RPC_ERRORS.invalidRequest } });
    expect((await client.info()).role).toBe('embedded');
  });

  it('lets requests 32 levels deep through, and does not count brackets inside strings', async () => {
    const nested = (levels: number) =>
      `{"jsonrpc":"2.0","id":1,"method":"chain_info","params":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect((await rawPost(nested(31))).body).toMatchObject({ error: { code: RPC_ERRORS.invalidParams } });
    expect((await rawPost(nested(32))).body).toMatchObject({ error: { code: RPC_ERRORS.invalidRequest } });
    const address = `"\\"${'['.repeat(1000)}"`;
    const inString = `{"jsonrpc":"2.0","id":1,"method":"account_balance","params":{"address":${address}}}`;
    expect((await rawPost(inString)).body).toMatchObject({ error: { code: RPC_ERRORS.invalidParams } });
  });

  it('fits real requests: set_weights in a batch', async () => {
    const weights = Array.from({ length: 50 }, (_, i): [number, number] => [i, i + 1]);
    const tx = await sign(key(6), { type: 'set_weights', weights });
    const r = await post([
      { jsonrpc: '2.0', id: 1, method: 'tx_submit', params: { tx } },
      { jsonrpc: '2.0', id: 2, method: 'chain_info' },
    ]);
    const [first, second] = r.body as Array<{ error?: { code: number } }>;
    expect(first?.error?.code).not.toBe(RPC_ERRORS.invalidRequest);
    expect(second).toMatchObject({ result: { role: 'embedded' } });
  });

  it('refuses it over a WebSocket too, keeping the connection', async () => {
    const { ws, next } = await socket();
    try {
      ws.send(DEEP);
      expect(await reply(next)).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } });
      ws.send(INFO);
      expect(await reply(next)).toMatchObject({ id: 1, result: { role: 'embedded' } });
    } finally {
      ws.close();
    }
  });
});

describe('request ids and transports', () => {
  it('answers an id that is an object, an array or a boolean with -32600 and id null', async () => {
    for (const id of [{ a: 1 }, [1], true, false, {}]) {
      const r = await post({ jsonrpc: '2.0', id, method: 'chain_genesis' });
      expect(r.body, JSON.stringify(id)).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: RPC_ERRORS.invalidRequest, message: expect.stringMatching(/id/) },
      });
    }
    const batch = await post([
      { jsonrpc: '2.0', id: [7], method: 'chain_info' },
      { jsonrpc: '2.0', id: 8, method: 'chain_info' },
    ]);
    expect(batch.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: null, error: expect.objectContaining({ code: RPC_ERRORS.invalidRequest }) }),
        expect.objectContaining({ id: 8, result: expect.any(Object) }),
      ]),
    );
    const { ws, next } = await socket();
    try {
      ws.send('{"jsonrpc":"2.0","id":{"x":1},"method":"subscribe","params":{"topic":"blocks"}}');
      expect(await reply(next)).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } });
    } finally {
      ws.close();
    }
  });

  it('answers subscribe and unsubscribe over HTTP with -32601 saying they need a WebSocket', async () => {
    const sub = await call('subscribe', { topic: 'blocks' }, 'a');
    expect(sub.body).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      error: {
        code: RPC_ERRORS.methodNotFound,
        message: expect.stringMatching(/^subscribe needs a WebSocket connection \(ws:\/\/127\.0\.0\.1:\d+\)/),
      },
    });
    const unsub = await call('unsubscribe', { subscription: '1' }, 'b');
    expect(unsub.body).toMatchObject({ id: 'b', error: { message: /^unsubscribe needs a WebSocket connection/ } });
  });

  it('serves subscribe inside a WebSocket batch', async () => {
    const { ws, next } = await socket();
    try {
      ws.send(
        JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'subscribe', params: { topic: 'blocks' } },
          { jsonrpc: '2.0', id: 2, method: 'chain_info' },
        ]),
      );
      const out = (await reply(next)) as unknown as Array<Record<string, unknown>>;
      expect(out).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 1, result: expect.any(String) }),
          expect.objectContaining({ id: 2, result: expect.objectContaining({ role: 'embedded' }) }),
        ]),
      );
    } finally {
      ws.close();
    }
  });
});

describe('RpcServer.start failures', () => {
  it('rejects with PortInUseError, one line naming the flag, when the port is taken', async () => {
    const port = Number(new URL(node.rpcUrl).port);
    const server = new RpcServer({ host: '127.0.0.1', port }, readOnly());
    const err = await server.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortInUseError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `port ${port} on 127.0.0.1 is already in use; stop the other program or choose another --rpc-port`,
    );
    // The node it collided with is unharmed.
    expect((await client.info()).role).toBe('embedded');
  });

  it('rejects with AddressNotAvailableError for an address this machine does not have', async () => {
    const server = new RpcServer({ host: '192.0.2.1', port: 0 }, readOnly()); // TEST-NET-1, never local
    const err = await server.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AddressNotAvailableError);
    expect((err as Error).message).toMatch(/^192\.0\.2\.1 is not an address of this machine; .*--rpc-host/);
  });
});
