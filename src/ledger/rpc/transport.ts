import WebSocket from 'ws';
import { oneLine } from '../../shared/errors.js';
import { LedgerAnswerError, LedgerRefusedError, LedgerUnreachableError, NotJsonRpcError } from '../client-errors.js';
import type { LedgerTransport } from '../transport.js';
import type { SignedTx } from '../tx.js';
import { RpcError, type RpcNotification, type RpcResponse, type SubscriptionTopic } from './protocol.js';

/** Our own JSON-RPC over HTTP, with subscriptions over its WebSocket (the embedded ledger's server). */
export class JsonRpcTransport implements LedgerTransport {
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async call(method: string, params?: unknown): Promise<unknown> {
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
      throw new NotJsonRpcError(`${this.url} did not answer JSON-RPC (HTTP ${res.status})`);
    if ((res.status === 403 || res.status === 415) && 'error' in body) {
      throw new LedgerRefusedError(res.status, this.url, body.error.message);
    }
    if ('error' in body) throw new RpcError(body.error.code, body.error.message);
    return body.result;
  }

  async submit(tx: SignedTx): Promise<string> {
    const result = (await this.call('tx_submit', { tx })) as { hash?: unknown } | null;
    if (typeof result?.hash !== 'string')
      throw new LedgerAnswerError(this.url, 'tx_submit', 'result.hash: must be a string');
    return result.hash;
  }

  async subscribe(
    topic: SubscriptionTopic,
    onEvent: (raw: unknown) => void,
    onProblem: (error: Error) => void,
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
