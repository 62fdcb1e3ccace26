import WebSocket from 'ws';
import { UserError } from '../shared/errors.js';
import type { Block } from './block.js';
import type { NeuronInfo, TxStatus } from './rpc/methods.js';
import { RpcError, type RpcNotification, type RpcResponse, type SubscriptionTopic } from './rpc/protocol.js';
import type { EpochRecord } from './state.js';
import { signTx, type Call, type SignedTx } from './tx.js';
import type { Signer } from './wallet/keys.js';

/** The ledger could not be reached at all. */
export class LedgerUnreachableError extends UserError {
  override name = 'LedgerUnreachableError';
}

/**
 * The ledger refused a request before running it: the Host name this client reached it by, or its origin,
 * is not allowed there (HTTP 403), or the request was not JSON (415). The message says what the operator
 * can do.
 */
export class LedgerRefusedError extends UserError {
  override name = 'LedgerRefusedError';

  constructor(
    readonly status: number,
    url: string,
    reason: string,
  ) {
    super(`the ledger at ${url} refused the request (HTTP ${status}): ${reason}`);
  }
}

export interface ChainInfo {
  role: 'authority' | 'follower';
  genesisHash: string;
  authority: string;
  height: number;
  headHash: string;
  epoch: number;
  minWeights: number;
  issuance: string;
  burned: string;
  registrationBurn: string;
  neurons: number;
  params: Record<string, unknown>;
}

export interface Balance {
  free: string;
  staked: string;
  nonce: number;
}

export interface LedgerClientInit {
  /** Per-request timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/** Typed JSON-RPC client for a ledger node, used by the CLI, the neuron and the app. */
export class LedgerClient {
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    init: LedgerClientInit = {},
  ) {
    this.timeoutMs = init.timeoutMs ?? 10_000;
  }

  /** Calls a method; a JSON-RPC error becomes an RpcError (code and message), a network failure LedgerUnreachableError. */
  async call<T>(method: string, params?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new LedgerUnreachableError(`cannot reach the ledger at ${this.url} (${cause}); is it running?`);
    }
    const body = (await res.json().catch(() => undefined)) as RpcResponse | undefined;
    if (!body || typeof body !== 'object')
      throw new LedgerUnreachableError(`${this.url} did not answer JSON-RPC (HTTP ${res.status})`);
    if ((res.status === 403 || res.status === 415) && 'error' in body) {
      throw new LedgerRefusedError(res.status, this.url, body.error.message);
    }
    if ('error' in body) throw new RpcError(body.error.code, body.error.message);
    return body.result as T;
  }

  info(): Promise<ChainInfo> {
    return this.call('chain_info');
  }

  genesis(): Promise<unknown> {
    return this.call('chain_genesis');
  }

  block(height: number): Promise<Block | null> {
    return this.call('chain_block', { height });
  }

  blocks(from: number, count: number): Promise<Block[]> {
    return this.call('chain_blocks', { from, count });
  }

  balance(address: string): Promise<Balance> {
    return this.call('account_balance', { address });
  }

  neurons(): Promise<NeuronInfo[]> {
    return this.call('neuron_list');
  }

  neuron(hotkey: string): Promise<NeuronInfo | null> {
    return this.call('neuron_get', { hotkey });
  }

  epoch(epoch: number): Promise<EpochRecord | null> {
    return this.call('epoch_get', { epoch });
  }

  epochHistory(last: number): Promise<EpochRecord[]> {
    return this.call('epoch_history', { last });
  }

  async submit(tx: SignedTx): Promise<string> {
    return (await this.call<{ hash: string }>('tx_submit', { tx })).hash;
  }

  txStatus(hash: string): Promise<TxStatus> {
    return this.call('tx_status', { hash });
  }

  /** Polls until the transaction is included or rejected; throws UserError on rejection or after `timeoutMs`. */
  async waitForInclusion(hash: string, timeoutMs = 60_000, pollMs = 200): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.txStatus(hash);
      if (s.status === 'included') return s.block;
      if (s.status === 'rejected') throw new UserError(`transaction rejected: ${s.reason}`);
      if (Date.now() > deadline)
        throw new UserError(`transaction ${hash} not included after ${timeoutMs / 1000} s (${s.status})`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Signs `call` for `signer` with its next nonce (and, for a registration, the coldkey's co-signature),
   * submits it and waits until a block includes it. Returns the block height and the transaction hash.
   */
  async signAndSubmit(signer: Signer, call: Call, coldkey?: Signer): Promise<{ block: number; tx: string }> {
    const [info, account] = await Promise.all([this.info(), this.balance(signer.address)]);
    const tx = signTx({ chain: info.genesisHash, nonce: account.nonce, signer: signer.address, call }, signer, coldkey);
    const hash = await this.submit(tx);
    return { block: await this.waitForInclusion(hash), tx: hash };
  }

  /**
   * Subscribes over WebSocket to new blocks or epochs. Resolves once subscribed, with a function that
   * closes the subscription.
   */
  async subscribe(topic: SubscriptionTopic, onEvent: (result: unknown) => void): Promise<() => void> {
    const ws = new WebSocket(this.url.replace(/^http/, 'ws'));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (e) =>
        reject(new LedgerUnreachableError(`cannot reach the ledger at ${this.url} (${e.message})`)),
      );
      // A refused handshake (an origin or Host name the ledger does not allow) carries its reason in the body.
      ws.once('unexpected-response', (req, res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 500) text += chunk;
        });
        res.once('end', () => {
          req.destroy();
          const reason = text.trim().split('\n')[0]!.slice(0, 300) || `HTTP ${res.statusCode}`;
          reject(new LedgerRefusedError(res.statusCode ?? 0, this.url, reason));
        });
      });
    });
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as RpcResponse | RpcNotification;
        if ('method' in msg && msg.method === 'subscription') onEvent(msg.params.result);
        else if ('id' in msg && msg.id === id) {
          if ('error' in msg) {
            ws.close(); // a refused subscription must not leave the connection open
            reject(new RpcError(msg.error.code, msg.error.message));
          } else resolve();
        }
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'subscribe', params: { topic } }));
    });
    return () => ws.close();
  }
}
