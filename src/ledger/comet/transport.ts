import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc';
import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import { bytesToHex } from '@noble/hashes/utils.js';
import { oneLine } from '../../shared/errors.js';
import { ABCI_CODES } from '../abci/codes.js';
import { encodeTx } from '../abci/tx-codec.js';
import { LedgerAnswerError, LedgerUnreachableError } from '../client-errors.js';
import { isEpochBlock } from '../epoch.js';
import { RPC_ERRORS, RpcError, type SubscriptionTopic } from '../rpc/protocol.js';
import type { LedgerTransport } from '../transport.js';
import type { SignedTx } from '../tx.js';

/**
 * A CometBFT node's RPC, through @cosmjs/tendermint-rpc's Comet38Client: reads are `abci_query` with the
 * method name as path and its params as JSON data (our application answers them as the JSON-RPC server
 * would), transactions go through `broadcast_tx_sync` (CheckTx's refusal comes back at once), new blocks
 * through the node's websocket; an epoch is a block at a multiple of the tempo, read once it is committed.
 */
export class CometTransport implements LedgerTransport {
  private client: Promise<Comet38Client> | undefined;

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  private http(): Promise<Comet38Client> {
    this.client ??= Promise.resolve(Comet38Client.create(new HttpClient(this.url, this.timeoutMs)));
    return this.client;
  }

  /**
   * Runs a CometBFT RPC call. The node's JSON-RPC error (Comet38Client throws it as JSON text: "tx already
   * exists in cache", a full mempool) becomes an RpcError; a failure to reach it, LedgerUnreachableError.
   */
  private async rpc<T>(op: (c: Comet38Client) => Promise<T>): Promise<T> {
    const client = await this.http();
    try {
      return await op(client);
    } catch (error) {
      const refusal = jsonRpcError(error);
      if (refusal) throw new RpcError(RPC_ERRORS.rejected, refusal);
      const e = error as { cause?: { code?: string } };
      throw new LedgerUnreachableError(
        `cannot reach the CometBFT node at ${this.url} (${e.cause?.code ?? oneLine(error)}); is it running?`,
      );
    }
  }

  async call(method: string, params?: unknown): Promise<unknown> {
    const data = params === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(params));
    const res = await this.rpc((c) => c.abciQuery({ path: method, data }));
    if ((res.code ?? 0) !== ABCI_CODES.ok) {
      throw new RpcError(
        res.code === ABCI_CODES.badQuery ? RPC_ERRORS.invalidParams : RPC_ERRORS.rejected,
        res.log ?? 'refused',
      );
    }
    return JSON.parse(new TextDecoder().decode(res.value)) as unknown;
  }

  async submit(tx: SignedTx): Promise<string> {
    const res = await this.rpc((c) => c.broadcastTxSync({ tx: encodeTx(tx) }));
    if (res.code !== ABCI_CODES.ok) throw new RpcError(RPC_ERRORS.rejected, res.log ?? `refused (code ${res.code})`);
    return bytesToHex(res.hash);
  }

  async subscribe(
    topic: SubscriptionTopic,
    onEvent: (raw: unknown) => void,
    onProblem: (error: Error) => void,
  ): Promise<() => void> {
    const tempo =
      topic === 'epochs' ? (((await this.call('chain_info')) as { params: { tempo?: number } }).params.tempo ?? 10) : 0;
    const onHeader = (header: { height: string; app_hash: string; time: string }) => {
      const height = Number(header.height);
      if (topic === 'blocks') {
        onEvent({ height, hash: header.app_hash.toLowerCase(), txs: 0, timestamp: Date.parse(header.time) });
      } else if (isEpochBlock(height, tempo)) {
        this.call('epoch_history', { last: 1 }).then(
          (records) => {
            const last = (records as Array<{ block: number }>).at(-1);
            if (last?.block === height) onEvent(last);
          },
          (error: unknown) => onProblem(error instanceof Error ? error : new Error(String(error))),
        );
      }
    };
    return subscribeHeaders(this.url, this.timeoutMs, topic, onHeader, onProblem);
  }
}

/**
 * Subscribes to a CometBFT node's NewBlockHeader events over its websocket (JSON-RPC `subscribe`); resolves
 * once the node confirms, with a function that closes the socket. Written here rather than through cosmjs's
 * WebsocketClient (0.39), whose socket reconnects after it was told to disconnect (a process using it never
 * exits) and never sends a request queued after it connected with an empty queue. A connection that ends is
 * reported to `onProblem`; the caller subscribes again (ChainFeed does, with backoff).
 */
function subscribeHeaders(
  url: string,
  timeoutMs: number,
  topic: SubscriptionTopic,
  onHeader: (header: { height: string; app_hash: string; time: string }) => void,
  onProblem: (error: Error) => void,
): Promise<() => void> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/websocket`);
  let closing = false;
  const close = () => {
    closing = true;
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    ws.terminate();
  };
  return new Promise((resolve, reject) => {
    let subscribed = false;
    const fail = (why: string) => {
      close();
      reject(new LedgerUnreachableError(`cannot subscribe to the CometBFT node at ${url} (${why})`));
    };
    const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
    ws.on('open', () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: NEW_BLOCK_HEADER } }));
    });
    ws.on('message', (data: RawData) => {
      let message: {
        error?: { message?: string; data?: string };
        result?: { data?: { value?: { header?: unknown } } };
      };
      try {
        // binaryType is ws's default, 'nodebuffer': a whole message arrives as one Buffer.
        message = JSON.parse((data as Buffer).toString('utf8')) as typeof message;
      } catch {
        onProblem(new LedgerAnswerError(url, topic, 'a websocket message that is not JSON'));
        return;
      }
      if (message.error) {
        clearTimeout(timer);
        const why = message.error.data || message.error.message || 'refused';
        if (subscribed) onProblem(new LedgerUnreachableError(`the ${topic} subscription to ${url} failed (${why})`));
        else fail(why);
        return;
      }
      if (!subscribed) {
        subscribed = true;
        clearTimeout(timer);
        resolve(close);
      }
      const header = headerShape.safeParse(message.result?.data?.value?.header);
      if (header.success) onHeader(header.data);
    });
    ws.on('error', (error) => {
      if (!subscribed) {
        clearTimeout(timer);
        fail(oneLine(error));
      }
    });
    ws.on('close', () => {
      if (subscribed && !closing)
        onProblem(new LedgerUnreachableError(`the CometBFT node at ${url} closed the ${topic} subscription`));
    });
  });
}

const NEW_BLOCK_HEADER = "tm.event='NewBlockHeader'";
const headerShape = z.object({ height: z.string().regex(/^\d+$/), app_hash: z.string(), time: z.string() });

/** The reason in a JSON-RPC error object that Comet38Client threw as its message, if it is one. */
function jsonRpcError(error: unknown): string | undefined {
  try {
    const body = JSON.parse((error as Error).message) as { code?: unknown; message?: unknown; data?: unknown };
    if (typeof body.code !== 'number') return undefined;
    return typeof body.data === 'string' && body.data ? body.data : String(body.message);
  } catch {
    return undefined;
  }
}
