import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { RPC_METHODS, type LedgerService } from './methods.js';
import { RPC_ERRORS, RpcError, type RpcNotification, type RpcResponse, type SubscriptionTopic } from './protocol.js';

export interface RpcServerInit {
  /** Interface to listen on. Default 127.0.0.1 (local only). */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Largest request body or WebSocket message, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most requests in one JSON-RPC batch. Default 100. */
  maxBatch?: number;
  /** Most subscriptions per WebSocket connection. Default 16. */
  maxSubscriptions?: number;
}

type Id = string | number | null;
const idOf = (req: unknown): Id => {
  const id = (req as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
};
const fail = (id: Id, code: number, message: string): RpcResponse => ({ jsonrpc: '2.0', id, error: { code, message } });

/** Runs one JSON-RPC request object; undefined for a notification (no id). */
export async function dispatch(service: LedgerService, req: unknown): Promise<RpcResponse | undefined> {
  const id = idOf(req);
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return fail(null, RPC_ERRORS.invalidRequest, 'a request must be a JSON object');
  }
  const r = req as Record<string, unknown>;
  if (r['jsonrpc'] !== '2.0' || typeof r['method'] !== 'string') {
    return fail(id, RPC_ERRORS.invalidRequest, 'a request needs "jsonrpc": "2.0" and a "method" string');
  }
  const isNotification = !('id' in r);
  const spec = Object.hasOwn(RPC_METHODS, r['method']) ? RPC_METHODS[r['method']] : undefined;
  let response: RpcResponse;
  if (!spec) {
    response = fail(id, RPC_ERRORS.methodNotFound, `unknown method ${JSON.stringify(r['method'].slice(0, 64))}`);
  } else {
    const parsed = spec.params.safeParse(r['params']);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = ['params', ...(issue?.path ?? []).map(String)].join('.');
      response = fail(id, RPC_ERRORS.invalidParams, `${where}: ${issue?.message ?? 'invalid'}`);
    } else {
      try {
        await service.settled?.();
        response = { jsonrpc: '2.0', id, result: (await spec.run(service, parsed.data)) ?? null };
      } catch (error) {
        response =
          error instanceof RpcError
            ? fail(id, error.code, error.message)
            : fail(id, RPC_ERRORS.internal, `internal error: ${(error as Error).message ?? String(error)}`);
      }
    }
  }
  return isNotification ? undefined : response;
}

/** Runs a request body (one request or a batch) and returns the response body, or undefined for none. */
export async function handleBody(service: LedgerService, body: string, maxBatch: number): Promise<unknown> {
  let req: unknown;
  try {
    req = JSON.parse(body);
  } catch {
    return fail(null, RPC_ERRORS.parse, 'the body is not valid JSON');
  }
  if (!Array.isArray(req)) return dispatch(service, req);
  if (req.length === 0 || req.length > maxBatch) {
    return fail(null, RPC_ERRORS.invalidRequest, `a batch holds 1 to ${maxBatch} requests`);
  }
  const out = (await Promise.all(req.map((r) => dispatch(service, r)))).filter((r) => r !== undefined);
  return out.length > 0 ? out : undefined;
}

const SubscribeParams = z.strictObject({ topic: z.enum(['blocks', 'epochs']) });
const UnsubscribeParams = z.strictObject({ subscription: z.string() });

/**
 * JSON-RPC 2.0 over HTTP (POST /) and WebSocket (same port) for a ledger node, on 127.0.0.1 by default.
 * WebSocket clients may also `subscribe` to "blocks" or "epochs" and get `subscription` notifications.
 */
export class RpcServer {
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly unsubscribeChain: Array<() => void> = [];
  private readonly subscribers = new Map<WebSocket, Map<string, SubscriptionTopic>>();
  private nextSubscription = 1;
  private readonly maxBodyBytes: number;
  private readonly maxBatch: number;
  private readonly maxSubscriptions: number;

  constructor(
    private readonly init: RpcServerInit,
    private readonly service: LedgerService,
  ) {
    this.maxBodyBytes = init.maxBodyBytes ?? 1 << 20;
    this.maxBatch = init.maxBatch ?? 100;
    this.maxSubscriptions = init.maxSubscriptions ?? 16;
  }

  /** http://host:port of the running server. */
  get url(): string {
    const a = this.http?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error('RpcServer is not started');
    return `http://${this.init.host ?? '127.0.0.1'}:${a.port}`;
  }

  async start(): Promise<void> {
    if (this.http) return;
    const http = createServer((req, res) => void this.onHttp(req, res));
    const wss = new WebSocketServer({ server: http, maxPayload: this.maxBodyBytes });
    wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.init.port, this.init.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    this.wss = wss;
    const events = this.service.chain.events;
    this.unsubscribeChain.push(
      events.on('block:new', ({ block, hash }) =>
        this.notify('blocks', {
          height: block.header.height,
          hash,
          txs: block.txs.length,
          timestamp: block.header.timestamp,
        }),
      ),
      events.on('epoch:end', (epoch) => this.notify('epochs', epoch)),
    );
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribeChain.splice(0)) off();
    const http = this.http;
    const wss = this.wss;
    this.http = undefined;
    this.wss = undefined;
    if (wss) {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    this.subscribers.clear();
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method !== 'POST') {
      reply(405, fail(null, RPC_ERRORS.invalidRequest, 'send JSON-RPC requests with POST'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxBodyBytes) {
        reply(413, fail(null, RPC_ERRORS.invalidRequest, `request larger than ${this.maxBodyBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const out = await handleBody(this.service, Buffer.concat(chunks).toString('utf8'), this.maxBatch);
    reply(out === undefined ? 204 : 200, out);
  }

  private onSocket(ws: WebSocket): void {
    const subs = new Map<string, SubscriptionTopic>();
    this.subscribers.set(ws, subs);
    ws.on('close', () => this.subscribers.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      void (async () => {
        const text = data.toString();
        let out: unknown;
        const req = safeParse(text);
        const m = (req as { method?: unknown } | undefined)?.method;
        if (m === 'subscribe' || m === 'unsubscribe') out = this.onSubscription(req as Record<string, unknown>, subs);
        else out = await handleBody(this.service, text, this.maxBatch);
        if (out !== undefined && ws.readyState === ws.OPEN) ws.send(JSON.stringify(out));
      })();
    });
  }

  private onSubscription(req: Record<string, unknown>, subs: Map<string, SubscriptionTopic>): RpcResponse {
    const id = idOf(req);
    if (req['method'] === 'unsubscribe') {
      const p = UnsubscribeParams.safeParse(req['params']);
      if (!p.success) return fail(id, RPC_ERRORS.invalidParams, 'params.subscription: must be a subscription id');
      return { jsonrpc: '2.0', id, result: subs.delete(p.data.subscription) };
    }
    const p = SubscribeParams.safeParse(req['params']);
    if (!p.success) return fail(id, RPC_ERRORS.invalidParams, 'params.topic: must be "blocks" or "epochs"');
    if (subs.size >= this.maxSubscriptions) {
      return fail(id, RPC_ERRORS.rejected, `at most ${this.maxSubscriptions} subscriptions per connection`);
    }
    const sub = String(this.nextSubscription++);
    subs.set(sub, p.data.topic);
    return { jsonrpc: '2.0', id, result: sub };
  }

  private notify(topic: SubscriptionTopic, result: unknown): void {
    for (const [ws, subs] of this.subscribers) {
      for (const [subscription, t] of subs) {
        if (t !== topic || ws.readyState !== ws.OPEN) continue;
        const note: RpcNotification = {
          jsonrpc: '2.0',
          method: 'subscription',
          params: { subscription, topic, result },
        };
        ws.send(JSON.stringify(note));
      }
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
