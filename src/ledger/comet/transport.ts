import { Comet38Client, HttpClient, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { bytesToHex } from '@noble/hashes/utils.js';
import { oneLine } from '../../shared/errors.js';
import { ABCI_CODES } from '../abci/codes.js';
import { encodeTx } from '../abci/tx-codec.js';
import { LedgerUnreachableError } from '../client-errors.js';
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
    let closing = false;
    const socket = new WebsocketClient(this.url.replace(/^http/, 'ws') + '/websocket', (error: unknown) => {
      if (!closing)
        onProblem(
          new LedgerUnreachableError(
            `the CometBFT node at ${this.url} closed the ${topic} subscription (${oneLine(error)})`,
          ),
        );
    });
    try {
      await socket.connected();
    } catch (error) {
      socket.disconnect();
      throw new LedgerUnreachableError(`cannot reach the CometBFT node's websocket at ${this.url} (${oneLine(error)})`);
    }
    const client = Comet38Client.create(socket);
    const subscription = client.subscribeNewBlockHeader().subscribe({
      next: (header) => {
        if (topic === 'blocks') {
          onEvent({
            height: header.height,
            hash: bytesToHex(header.appHash),
            txs: 0,
            timestamp: header.time.getTime(),
          });
        } else if (isEpochBlock(header.height, tempo)) {
          this.call('epoch_history', { last: 1 }).then(
            (records) => {
              const last = (records as Array<{ block: number }>).at(-1);
              if (last?.block === header.height) onEvent(last);
            },
            (error: unknown) => onProblem(error instanceof Error ? error : new Error(String(error))),
          );
        }
      },
      error: (error: unknown) => {
        if (!closing)
          onProblem(new LedgerUnreachableError(`the ${topic} subscription to ${this.url} failed (${oneLine(error)})`));
      },
      complete: () => {
        if (!closing)
          onProblem(new LedgerUnreachableError(`the CometBFT node at ${this.url} closed the ${topic} subscription`));
      },
    });
    return () => {
      closing = true;
      subscription.unsubscribe();
      client.disconnect();
    };
  }
}

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
