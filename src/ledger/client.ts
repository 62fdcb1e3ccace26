import WebSocket from 'ws';
import { oneLine, UserError } from '../shared/errors.js';
import { firstIssue } from '../shared/validate.js';
import { z } from 'zod';
import type { Block } from './block.js';
import {
  balanceAnswer,
  chainInfoAnswer,
  epochAnswer,
  neuronAnswer,
  txStatusAnswer,
  type Balance,
  type ChainInfo,
  type EpochInfo,
  type NeuronInfo,
  type TxStatus,
} from './rpc/answers.js';
import { RpcError, type RpcNotification, type RpcResponse, type SubscriptionTopic } from './rpc/protocol.js';
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

export type { Balance, ChainInfo, EpochInfo, NeuronInfo, TxStatus };

/** The ledger answered with something this client cannot read (another program, or an incompatible version). */
export class LedgerAnswerError extends UserError {
  override name = 'LedgerAnswerError';

  constructor(url: string, method: string, problem: string) {
    super(
      `the ledger at ${url} answered ${method} with something this miner cannot read (${problem}); is it a bittensor-miner ledger of this version?`,
    );
  }
}

/** Reads a subscription's notifications: new blocks, or finished epochs (amounts in base units). */
export interface SubscriptionEvents {
  blocks: z.output<typeof blockNotice>;
  epochs: EpochInfo;
}
const blockNotice = z.object({ height: z.int().min(0), hash: z.string(), txs: z.int().min(0), timestamp: z.number() });
const NOTICES = { blocks: blockNotice, epochs: epochAnswer } satisfies Record<SubscriptionTopic, z.ZodType>;

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

  /**
   * Calls a method and checks its answer against `answer`; a JSON-RPC error becomes an RpcError (code and
   * message), a network failure LedgerUnreachableError, an answer of another shape LedgerAnswerError.
   */
  async call<S extends z.ZodType>(method: string, params: unknown, answer: S): Promise<z.output<S>> {
    const result = await this.callRaw(method, params);
    const parsed = answer.safeParse(result);
    if (!parsed.success) throw new LedgerAnswerError(this.url, method, firstIssue(parsed.error, 'result').message);
    return parsed.data;
  }

  /** Calls a method and returns its result unchecked (blocks and genesis, which their readers verify). */
  async callRaw(method: string, params?: unknown): Promise<unknown> {
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
    return body.result;
  }

  info(): Promise<ChainInfo> {
    return this.call('chain_info', undefined, chainInfoAnswer);
  }

  /** The genesis in its JSON form (genesisFromJson validates it). */
  genesis(): Promise<unknown> {
    return this.callRaw('chain_genesis');
  }

  /** A block as stored (verifyBlockEnvelope checks it before anything uses it). */
  async block(height: number): Promise<Block | null> {
    return (await this.callRaw('chain_block', { height })) as Block | null;
  }

  async blocks(from: number, count: number): Promise<Block[]> {
    const result = await this.callRaw('chain_blocks', { from, count });
    if (!Array.isArray(result)) throw new LedgerAnswerError(this.url, 'chain_blocks', 'result: must be an array');
    return result as Block[];
  }

  balance(address: string): Promise<Balance> {
    return this.call('account_balance', { address }, balanceAnswer);
  }

  neurons(): Promise<NeuronInfo[]> {
    return this.call('neuron_list', undefined, z.array(neuronAnswer));
  }

  neuron(hotkey: string): Promise<NeuronInfo | null> {
    return this.call('neuron_get', { hotkey }, neuronAnswer.nullable());
  }

  epoch(epoch: number): Promise<EpochInfo | null> {
    return this.call('epoch_get', { epoch }, epochAnswer.nullable());
  }

  epochHistory(last: number): Promise<EpochInfo[]> {
    return this.call('epoch_history', { last }, z.array(epochAnswer));
  }

  async submit(tx: SignedTx): Promise<string> {
    return (await this.call('tx_submit', { tx }, z.object({ hash: z.string() }))).hash;
  }

  txStatus(hash: string): Promise<TxStatus> {
    return this.call('tx_status', { hash }, txStatusAnswer);
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
   * closes the subscription; `onProblem` hears of a notification that does not read and of a connection that
   * ended without being closed.
   */
  async subscribe<T extends SubscriptionTopic>(
    topic: T,
    onEvent: (result: SubscriptionEvents[T]) => void,
    onProblem: (error: Error) => void = () => undefined,
  ): Promise<() => void> {
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
          const reason = text.trim() ? oneLine(text) : `HTTP ${res.statusCode}`;
          reject(new LedgerRefusedError(res.statusCode ?? 0, this.url, reason));
        });
      });
    });
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        let msg: RpcResponse | RpcNotification;
        try {
          msg = JSON.parse(data.toString()) as RpcResponse | RpcNotification;
        } catch {
          return onProblem(new LedgerAnswerError(this.url, topic, 'a notification that is not JSON'));
        }
        if ('method' in msg && msg.method === 'subscription') {
          const parsed = NOTICES[topic].safeParse(msg.params.result);
          if (parsed.success) onEvent(parsed.data as SubscriptionEvents[T]);
          else onProblem(new LedgerAnswerError(this.url, topic, firstIssue(parsed.error, 'result').message));
        } else if ('id' in msg && msg.id === id) {
          if ('error' in msg) {
            ws.close(); // a refused subscription must not leave the connection open
            reject(new RpcError(msg.error.code, msg.error.message));
          } else resolve();
        }
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'subscribe', params: { topic } }));
    });
    // A connection that ends without our asking (the ledger stopped, the network failed) is a problem to report.
    let closing = false;
    ws.on('error', () => undefined); // 'close' follows and says it
    ws.on('close', () => {
      if (!closing) onProblem(new LedgerUnreachableError(`the ledger at ${this.url} closed the ${topic} subscription`));
    });
    return () => {
      closing = true;
      ws.close();
    };
  }
}
