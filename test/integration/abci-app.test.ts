import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABCI_CODES } from '../../src/ledger/abci/codes.js';
import { LedgerApp } from '../../src/ledger/abci/app.js';
import { frame } from '../../src/ledger/abci/framing.js';
import { CheckTxType, Request, RequestEcho, ResponseProcessProposal } from '../../src/ledger/abci/proto/abci.js';
import { AbciServer } from '../../src/ledger/abci/server.js';
import { encodeTx } from '../../src/ledger/abci/tx-codec.js';
import { MemoryChainStore } from '../../src/ledger/storage.js';
import { signTx, type Call, type SignedTx } from '../../src/ledger/tx.js';
import type { Signer } from '../../src/ledger/wallet/keys.js';
import { silentLogger } from '../../src/shared/logger.js';
import { AbciConnection, initChainRequest } from '../support/abci.js';
import { key, TOKEN } from '../support/ledger.js';

const alice = key(1);
const bob = key(2);
let app: LedgerApp;
let server: AbciServer;
let conn: AbciConnection;
let chainId: string;
let height = 0;

beforeAll(async () => {
  app = new LedgerApp({ store: new MemoryChainStore(), logger: silentLogger });
  await app.start();
  server = new AbciServer({ listen: 'tcp://127.0.0.1:0' }, { handler: app, logger: silentLogger });
  await server.start();
  conn = await AbciConnection.open(server.address);
});

afterAll(async () => {
  conn?.close();
  await server?.stop();
  await app?.stop();
});

const tx = (signer: Signer, nonce: number, call: Call, chain = chainId): SignedTx =>
  signTx({ chain, nonce, signer: signer.address, call }, signer);
const transfer = (nonce: number, amount = TOKEN, chain = chainId) =>
  tx(alice, nonce, { type: 'transfer', to: bob.address, amount: String(amount) }, chain);
const checkTx = async (bytes: Uint8Array) =>
  (await conn.call({ checkTx: { tx: bytes as Uint8Array<ArrayBuffer>, type: CheckTxType.NEW } })).checkTx!;

/** Finalizes and commits one block of `txs` over the socket; returns FinalizeBlock's response. */
async function block(txs: Uint8Array[]) {
  height += 1;
  const finalize: Request = {
    finalizeBlock: {
      txs: txs as Array<Uint8Array<ArrayBuffer>>,
      hash: new Uint8Array(32),
      height: BigInt(height),
      time: { seconds: 1_700_000_000n + BigInt(height), nanos: 0 },
      nextValidatorsHash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    },
  };
  const res = (await conn.call(finalize)).finalizeBlock!;
  expect((await conn.call({ commit: {} })).commit).toBeDefined();
  return res;
}

describe('the ABCI application over the socket protocol', () => {
  it('answers Info before InitChain with height 0, then initializes from app_state', async () => {
    const info = (
      await conn.call({ info: { version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' } })
    ).info!;
    expect(info.lastBlockHeight).toBe(0n);
    expect(info.lastBlockAppHash.length).toBe(0);
    expect((await checkTx(encodeTx(transfer(0)))).code).toBe(ABCI_CODES.notReady);
    const init = (await conn.call(initChainRequest([[alice.address, 100n * TOKEN]]))).initChain!;
    expect(init.appHash.length).toBe(32);
    chainId = app.committed!.id;
    const q = (
      await conn.call({
        query: {
          path: 'account_balance',
          data: new TextEncoder().encode(JSON.stringify({ address: alice.address })),
          height: 0n,
          prove: false,
        },
      })
    ).query!;
    expect(q.code).toBe(0);
    expect(JSON.parse(new TextDecoder().decode(q.value))).toEqual({ free: '100', staked: '0', nonce: 0 });
  });

  it('answers pipelined requests in order, Flush included', async () => {
    const echo = (message: string): Request => ({ echo: { message } });
    conn.write(
      new Uint8Array([
        ...frame(Request.encode(echo('a'))),
        ...frame(Request.encode({ flush: {} })),
        ...frame(Request.encode(echo('b'))),
      ]),
    );
    expect((await conn.next()).echo?.message).toBe('a');
    expect((await conn.next()).flush).toEqual({});
    expect((await conn.next()).echo?.message).toBe('b');
  });

  it('reads a request split across writes, and skips fields it does not know', async () => {
    const bytes = frame(Request.encode({ echo: { message: 'split' } }));
    conn.write(bytes.subarray(0, 3));
    conn.write(bytes.subarray(3));
    expect((await conn.next()).echo?.message).toBe('split');
    // RequestEcho with an extra field 9 (varint 1): proto3 readers skip unknown fields.
    const echo = RequestEcho.encode({ message: 'extra' });
    const withUnknown = new Uint8Array([...echo, 9 << 3, 1]);
    conn.write(frame(new Uint8Array([(1 << 3) | 2, withUnknown.length, ...withUnknown])));
    expect((await conn.next()).echo?.message).toBe('extra');
  });

  it('gives every bad transaction a code and keeps serving: garbage, non-canonical, other chain, 10 MB', async () => {
    expect((await checkTx(new TextEncoder().encode('not json'))).code).toBe(ABCI_CODES.malformed);
    expect((await checkTx(new Uint8Array([0xff, 0xfe, 0x00]))).code).toBe(ABCI_CODES.malformed);
    const good = transfer(0);
    const spaced = new TextEncoder().encode(JSON.stringify(good, null, 1));
    expect((await checkTx(spaced)).log).toMatch(/canonical/);
    expect((await checkTx(encodeTx(transfer(0, TOKEN, 'ab'.repeat(32))))).code).toBe(ABCI_CODES.wrongChain);
    const forged = {
      ...good,
      body: { ...good.body, call: { ...good.body.call, amount: String(99n * TOKEN) } },
    } as SignedTx;
    expect((await checkTx(encodeTx(forged))).log).toMatch(/signature/);
    const huge = new Uint8Array(10 * 1024 * 1024).fill(0x41);
    const res = await checkTx(huge);
    expect(res.code).toBe(ABCI_CODES.malformed);
    expect(res.log).toMatch(/bytes, more than/);
    expect((await conn.call({ echo: { message: 'still here' } })).echo?.message).toBe('still here');
  });

  it('answers a request that does not decode with an exception, and the connection goes on', async () => {
    conn.write(frame(new Uint8Array([0xff, 0xff, 0xff])));
    expect((await conn.next()).exception?.error).toMatch(/cannot decode/);
    expect((await conn.call({ echo: { message: 'after' } })).echo?.message).toBe('after');
  });

  it('serves new connections after one closes mid-frame, or sends a length over the limit', async () => {
    const broken = await AbciConnection.open(server.address);
    broken.write(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08])); // 2 GiB announced
    await expect(broken.next()).resolves.toMatchObject({ exception: { error: expect.stringMatching(/over the/) } });
    const truncated = await AbciConnection.open(server.address);
    truncated.write(frame(Request.encode({ echo: { message: 'never finished' } })).subarray(0, 5));
    truncated.close();
    const fresh = await AbciConnection.open(server.address);
    expect((await fresh.call({ echo: { message: 'ok' } })).echo?.message).toBe('ok');
    fresh.close();
  });

  it('admits a nonce gap to the mempool and proposes the account in nonce order', async () => {
    const [t0, t1] = [encodeTx(transfer(0)), encodeTx(transfer(1))];
    expect((await checkTx(t1)).code).toBe(ABCI_CODES.ok); // waits for nonce 0
    expect((await checkTx(t0)).code).toBe(ABCI_CODES.ok);
    expect((await checkTx(encodeTx(transfer(200)))).code).toBe(ABCI_CODES.rejected); // too far ahead
    const prepared = (
      await conn.call({
        prepareProposal: {
          maxTxBytes: 1_000_000n,
          txs: [t1, t0],
          height: BigInt(height + 1),
          nextValidatorsHash: new Uint8Array(0),
          proposerAddress: new Uint8Array(0),
        },
      })
    ).prepareProposal!;
    expect(prepared.txs.map(bytesToHex)).toEqual([t0, t1].map(bytesToHex));
    const small = (
      await conn.call({
        prepareProposal: {
          maxTxBytes: BigInt(t0.length + 8),
          txs: [t1, t0],
          height: BigInt(height + 1),
          nextValidatorsHash: new Uint8Array(0),
          proposerAddress: new Uint8Array(0),
        },
      })
    ).prepareProposal!;
    expect(small.txs.map(bytesToHex)).toEqual([bytesToHex(t0)]);
    const accepted = (
      await conn.call({
        processProposal: {
          txs: [t0, t1],
          hash: new Uint8Array(0),
          height: BigInt(height + 1),
          nextValidatorsHash: new Uint8Array(0),
          proposerAddress: new Uint8Array(0),
        },
      })
    ).processProposal!;
    expect(accepted.status).toBe(ResponseProcessProposal.ProposalStatus.ACCEPT);
    const refused = (
      await conn.call({
        processProposal: {
          txs: [t0, new TextEncoder().encode('junk')],
          hash: new Uint8Array(0),
          height: BigInt(height + 1),
          nextValidatorsHash: new Uint8Array(0),
          proposerAddress: new Uint8Array(0),
        },
      })
    ).processProposal!;
    expect(refused.status).toBe(ResponseProcessProposal.ProposalStatus.REJECT);

    const res = await block([t0, t1]);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    const info = (await conn.call({ info: { version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' } })).info!;
    expect(info.lastBlockHeight).toBe(1n);
    expect(bytesToHex(info.lastBlockAppHash)).toBe(bytesToHex(res.appHash));
    expect(app.committed!.state.account(bob.address).free).toBe(2n * TOKEN);
  });

  it('refuses a replay after commit, in CheckTx and in a block, and the state does not move', async () => {
    const replay = encodeTx(transfer(0));
    const check = await checkTx(replay);
    expect(check.code).toBe(ABCI_CODES.rejected);
    expect(check.log).toMatch(/already used/);
    const before = app.committed!.state.root();
    const res = await block([replay, new TextEncoder().encode('garbage')]);
    expect(res.txResults.map((r) => r.code)).toEqual([ABCI_CODES.rejected, ABCI_CODES.malformed]);
    expect(app.committed!.state.account(bob.address).free).toBe(2n * TOKEN);
    expect(app.committed!.state.root()).not.toBe(before); // the height moved, nothing else
    expect(app.committed!.state.account(alice.address).nonce).toBe(2);
  });
});
