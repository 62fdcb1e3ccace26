import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { LocalRequestGuard, normalizeAllowedHost } from './guard.js';
import { oneLine } from '../../shared/errors.js';
import { exceedsJsonDepth } from './json-depth.js';
import { listenError } from '../../shared/listen-errors.js';
import { callMethod, epochToWire, type LedgerService } from './methods.js';
import {
  RPC_ERRORS,
  RpcError,
  type RpcId,
  type RpcNotification,
  type RpcResponse,
  type SubscriptionTopic,
} from './protocol.js';

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
  /** Deepest nesting of arrays and objects a request may have ("[[1]]" is 2). Default 32. */
  maxJsonDepth?: number;
  /**
   * Host header names to accept besides 127.0.0.1, localhost, [::1] and `host` itself, with any port:
   * the names a non-loopback interface is reached by. "*" accepts any Host (no DNS-rebinding check).
   */
  allowedHosts?: string[];
  /**
   * Origins (scheme://host[:port]) whose browser pages may open a WebSocket. Default none: clients that
   * send no Origin (`ws`, the CLI, the neuron) are always served, browser pages never. "*" allows any.
   */
  allowedOrigins?: string[];
}

/** The limits a request body is held to before its requests run. */
export interface BodyLimits {
  /** Most requests in one batch. */
  maxBatch: number;
  /** Deepest nesting of arrays and objects. */
  maxJsonDepth: number;
}

/** How one transport answers `subscribe` and `unsubscribe` (the WebSocket serves them, HTTP refuses them). */
export type SubscriptionHandler = (method: 'subscribe' | 'unsubscribe', params: unknown, id: RpcId) => RpcResponse;

const idOf = (req: unknown): RpcId => {
  const id = (req as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
};
const fail = (id: RpcId, code: number, message: string): RpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});
const noSubscriptions: SubscriptionHandler = (method, _params, id) =>
  fail(id, RPC_ERRORS.methodNotFound, `${method} needs a WebSocket connection`);

/**
 * Runs one JSON-RPC request object; undefined for a notification (no id). `subscribe` and `unsubscribe`
 * go to `subscriptions`, which by default refuses them.
 */
export async function dispatch(
  service: LedgerService,
  req: unknown,
  subscriptions: SubscriptionHandler = noSubscriptions,
): Promise<RpcResponse | undefined> {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return fail(null, RPC_ERRORS.invalidRequest, 'a request must be a JSON object');
  }
  const r = req as Record<string, unknown>;
  const rawId = r['id'];
  if ('id' in r && rawId !== null && typeof rawId !== 'string' && typeof rawId !== 'number') {
    return fail(null, RPC_ERRORS.invalidRequest, 'a request id must be a string, a number or null');
  }
  const id = idOf(req);
  if (r['jsonrpc'] !== '2.0' || typeof r['method'] !== 'string') {
    return fail(id, RPC_ERRORS.invalidRequest, 'a request needs "jsonrpc": "2.0" and a "method" string');
  }
  const isNotification = !('id' in r);
  const name = r['method'];
  let response: RpcResponse;
  if (name === 'subscribe' || name === 'unsubscribe') {
    response = subscriptions(name, r['params'], id);
  } else {
    response = await run(service, name, r['params'], id);
  }
  return isNotification ? undefined : response;
}

async function run(service: LedgerService, name: string, params: unknown, id: RpcId): Promise<RpcResponse> {
  try {
    return { jsonrpc: '2.0', id, result: await callMethod(service, name, params) };
  } catch (error) {
    return error instanceof RpcError
      ? fail(id, error.code, error.message)
      : fail(id, RPC_ERRORS.internal, oneLine(error));
  }
}

/** Runs a request body (one request or a batch) and returns the response body, or undefined for none. */
export async function handleBody(
  service: LedgerService,
  body: string,
  limits: BodyLimits,
  subscriptions?: SubscriptionHandler,
): Promise<unknown> {
  // Checked before parsing: a deep value parses fine but overflows the stack of whatever walks it next.
  if (exceedsJsonDepth(body, limits.maxJsonDepth)) {
    return fail(null, RPC_ERRORS.invalidRequest, `JSON nested deeper than ${limits.maxJsonDepth} levels`);
  }
  let req: unknown;
  try {
    req = JSON.parse(body);
  } catch {
    return fail(null, RPC_ERRORS.parse, 'the body is not valid JSON');
  }
  if (!Array.isArray(req)) return dispatch(service, req, subscriptions);
  if (req.length === 0 || req.length > limits.maxBatch) {
    return fail(null, RPC_ERRORS.invalidRequest, `a batch holds 1 to ${limits.maxBatch} requests`);
  }
  const out = (await Promise.all(req.map((r) => dispatch(service, r, subscriptions)))).filter((r) => r !== undefined);
  return out.length > 0 ? out : undefined;
}

const SubscribeParams = z.strictObject({ topic: z.enum(['blocks', 'epochs']) });
const UnsubscribeParams = z.strictObject({ subscription: z.string() });

/**
 * JSON-RPC 2.0 over HTTP (POST /) and WebSocket (same port) for a ledger node, on 127.0.0.1 by default.
 * WebSocket clients may also `subscribe` to "blocks" or "epochs" and get `subscription` notifications.
 * Web pages are kept out (see guard.ts): only allowed Host names, only application/json POSTs, and no
 * WebSocket from a browser origin that is not allowed.
 */
export class RpcServer {
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly unsubscribeChain: Array<() => void> = [];
  private readonly subscribers = new Map<WebSocket, Map<string, SubscriptionTopic>>();
  private nextSubscription = 1;
  private readonly host: string;
  private readonly maxBodyBytes: number;
  private readonly limits: BodyLimits;
  private readonly maxSubscriptions: number;
  private readonly guard: LocalRequestGuard;

  /** Throws InvalidInputError for an allowed host that is not a host name or address. */
  constructor(
    private readonly init: RpcServerInit,
    private readonly service: LedgerService,
  ) {
    this.host = init.host ?? '127.0.0.1';
    this.maxBodyBytes = init.maxBodyBytes ?? 1 << 20;
    this.limits = { maxBatch: init.maxBatch ?? 100, maxJsonDepth: init.maxJsonDepth ?? 32 };
    this.maxSubscriptions = init.maxSubscriptions ?? 16;
    const own = normalizeAllowedHost(this.host);
    this.guard = new LocalRequestGuard({
      allowedHosts: [...(init.allowedHosts ?? []), ...(own === undefined ? [] : [own])],
      allowedOrigins: init.allowedOrigins ?? [],
      hostHint: (host) => `start the ledger with --rpc-allow-host ${host} to allow it`,
    });
  }

  /** http://host:port of the running server. */
  get url(): string {
    const a = this.http?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error('RpcServer is not started');
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${a.port}`;
  }

  /**
   * Listens on the host and port. Rejects with a ListenError (a UserError) when the port is taken or
   * privileged, or the host is not an address of this machine.
   */
  async start(): Promise<void> {
    if (this.http) return;
    // The guard answers a missing Host itself, with a JSON-RPC body instead of Node's bare 400.
    const http = createServer({ requireHostHeader: false }, (req, res) => void this.onHttp(req, res));
    const wss = new WebSocketServer({
      server: http,
      maxPayload: this.maxBodyBytes,
      verifyClient: ({ req }, done) => {
        const refusal = this.guard.checkUpgrade(req);
        if (refusal) done(false, refusal.status, refusal.message, { 'content-type': 'text/plain; charset=utf-8' });
        else done(true);
      },
    });
    // ws re-emits the HTTP server's errors; listen() failures are handled below, and there are no others.
    wss.on('error', () => undefined);
    wss.on('connection', (ws) => this.onSocket(ws));
    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(this.init.port, this.host, () => {
          http.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      wss.close();
      throw listenError(error, this.host, this.init.port);
    }
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
      events.on('epoch:end', (epoch) => this.notify('epochs', epochToWire(epoch))),
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
    const refusal = this.guard.checkRequest(req, req.method === 'POST');
    if (refusal) {
      reply(refusal.status, fail(null, RPC_ERRORS.invalidRequest, refusal.message));
      return;
    }
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
    // The Host header passed the guard, so it names this server as the client reached it.
    const wsUrl = `ws://${req.headers.host ?? this.url.slice('http://'.length)}`;
    const overHttp: SubscriptionHandler = (method, _params, id) =>
      fail(id, RPC_ERRORS.methodNotFound, `${method} needs a WebSocket connection (${wsUrl}); HTTP serves plain calls`);
    const out = await handleBody(this.service, Buffer.concat(chunks).toString('utf8'), this.limits, overHttp);
    reply(out === undefined ? 204 : 200, out);
  }

  private onSocket(ws: WebSocket): void {
    const subs = new Map<string, SubscriptionTopic>();
    this.subscribers.set(ws, subs);
    ws.on('close', () => this.subscribers.delete(ws));
    ws.on('error', () => ws.terminate());
    const subscriptions: SubscriptionHandler = (method, params, id) => this.onSubscription(method, params, id, subs);
    ws.on('message', (data) => {
      void (async () => {
        const out = await handleBody(this.service, data.toString(), this.limits, subscriptions);
        if (out !== undefined && ws.readyState === ws.OPEN) ws.send(JSON.stringify(out));
      })();
    });
  }

  private onSubscription(
    method: 'subscribe' | 'unsubscribe',
    params: unknown,
    id: RpcId,
    subs: Map<string, SubscriptionTopic>,
  ): RpcResponse {
    if (method === 'unsubscribe') {
      const p = UnsubscribeParams.safeParse(params);
      if (!p.success) return fail(id, RPC_ERRORS.invalidParams, 'params.subscription: must be a subscription id');
      return { jsonrpc: '2.0', id, result: subs.delete(p.data.subscription) };
    }
    const p = SubscribeParams.safeParse(params);
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
