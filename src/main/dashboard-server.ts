import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { LocalRequestGuard } from '../ledger/rpc/guard.js';
import { API_METHODS, API_ROUTES, type ApiMethod, type MinerApi, type MinerSnapshot } from '../shared/api.js';
import { callApi } from '../shared/api-schema.js';
import { oneLine, UserError } from '../shared/errors.js';
import { listenError } from '../shared/listen-errors.js';
import type { Logger } from '../shared/logger.js';
import type { SnapshotPush } from '../shared/snapshot-delta.js';
import { DASHBOARD_CSP } from './csp.js';

/** The dashboard's build (vite.renderer.config.ts), next to dist/main. */
const RENDERER = fileURLToPath(new URL('../renderer/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** "METHOD /path" -> call, from the API's routes. */
const ROUTES: Record<string, ApiMethod> = Object.fromEntries(
  API_METHODS.map((m) => [`${API_ROUTES[m].method} ${API_ROUTES[m].path}`, m]),
);

export interface DashboardServerInit {
  /** Interface to listen on. Default 127.0.0.1 (another only when the user asks for it explicitly). */
  host?: string;
  port: number;
  /** The secret every request and WebSocket must carry (?token= or Authorization: Bearer). */
  token: string;
  /** Largest request body, bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** What the server serves: the host's API, and its latest snapshot for a dashboard that connects. */
export interface DashboardHost {
  readonly api: MinerApi;
  latest(): MinerSnapshot;
}

export interface DashboardServerComponents {
  /** The host whose API and snapshots the server serves. */
  host: DashboardHost;
  /** Where the server says it listens and logs the API calls that failed inside the host. */
  logger: Logger;
}

/**
 * The dashboard's API over HTTP and WebSocket, for the headless host (GPU rental boxes, tests): JSON calls
 * under /api/, and /api/events pushing snapshots. Every request without the token is refused with 401, and
 * the local-request guard (allowed Host names, JSON bodies, no foreign Origin on WebSockets) keeps web pages
 * out, as for the ledger's RPC.
 */
export class DashboardServer {
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  /** The start in progress or done: a second start() gets it. */
  private starting: Promise<void> | undefined;
  private guard: LocalRequestGuard;
  private readonly token: Buffer;
  private readonly maxBodyBytes: number;
  /** Sockets that have their first snapshot, and so can follow the pushes. */
  private readonly following = new WeakSet<WebSocket>();
  private readonly host: DashboardHost;
  private readonly log: Logger;

  constructor(
    components: DashboardServerComponents,
    private readonly init: DashboardServerInit,
  ) {
    this.host = components.host;
    this.log = components.logger.child('dashboard');
    this.token = Buffer.from(init.token);
    this.maxBodyBytes = init.maxBodyBytes ?? 64 * 1024;
    this.guard = this.guardFor(init.port);
  }

  /** The local-request guard; the dashboard's own page (this origin) may open the event WebSocket. */
  private guardFor(port: number): LocalRequestGuard {
    const host = this.init.host ?? '127.0.0.1';
    return new LocalRequestGuard({
      ...(host !== '127.0.0.1' ? { allowedHosts: [host] } : {}),
      allowedOrigins: [`http://${host.includes(':') ? `[${host}]` : host}:${port}`, `http://localhost:${port}`],
      hostHint: (h) => `open the dashboard at http://127.0.0.1, or start it with --dashboard-host ${h}`,
    });
  }

  get url(): string {
    const a = this.http?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error('the dashboard server is not started');
    return `http://${this.init.host ?? '127.0.0.1'}:${a.port}`;
  }

  /**
   * Listens. Once: a second call, even while the first is still binding its port, gets the first one's promise
   * (one server); after a start that failed it tries again.
   */
  start(): Promise<void> {
    this.starting ??= this.listen().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async listen(): Promise<void> {
    const http = createServer((req, res) => void this.onRequest(req, res));
    // Pushes are JSON full of numbers: compressed (permessage-deflate, which browsers negotiate by themselves)
    // they take a quarter of the bytes or less. Small ones go as they are.
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: { threshold: 512 } });
    http.on('upgrade', (req, socket, head) => {
      const refused =
        this.guard.checkUpgrade(req) ??
        (this.authorized(req) ? undefined : { status: 401, message: 'missing or wrong token' });
      if (refused || new URL(req.url ?? '/', 'http://x').pathname !== '/api/events') {
        socket.end(
          `HTTP/1.1 ${refused?.status ?? 404} ${refused ? 'Refused' : 'Not Found'}\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    const host = this.init.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      http.once('error', (error) =>
        reject(listenError(error, host, this.init.port, { port: '--dashboard-port', host: '--dashboard-host' })),
      );
      http.listen(this.init.port, host, () => resolve());
    });
    this.http = http;
    this.wss = wss;
    this.guard = this.guardFor((http.address() as AddressInfo).port);
    this.log.info('listening', { url: this.url });
  }

  /** Sends one of the host's pushes (a snapshot, or what changed since the last) to every open event stream. */
  push(push: SnapshotPush): void {
    const text = JSON.stringify(push);
    for (const ws of this.wss?.clients ?? []) if (ws.readyState === ws.OPEN && this.following.has(ws)) ws.send(text);
  }

  /** Closes every connection and stops listening (after a start still in progress). Safe to call twice. */
  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    const { http, wss } = this;
    this.http = undefined;
    this.wss = undefined;
    for (const ws of wss?.clients ?? []) ws.terminate();
    wss?.close();
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = Buffer.from(bearer ?? url.searchParams.get('token') ?? '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const method = req.method ?? 'GET';
    const refused = this.guard.checkRequest(req, method === 'POST' || method === 'PUT');
    if (refused) return reply(refused.status, { error: refused.message });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // The page and its assets are public files; everything it can do goes through the API, which needs the token.
    if (method === 'GET' && !path.startsWith('/api/')) return this.serveFile(path, res);
    if (!this.authorized(req))
      return reply(401, { error: 'missing or wrong token: open the dashboard URL the miner printed' });
    const route = `${method} ${path}`;
    const call = Object.hasOwn(ROUTES, route) ? ROUTES[route] : undefined;
    if (!call) return reply(404, { error: `no ${method} ${path}` });
    try {
      const body = method === 'GET' ? undefined : await this.body(req);
      return reply(200, await callApi(this.host.api, call, body));
    } catch (error) {
      if (error instanceof UserError) return reply(400, { error: error.message });
      this.log.error('an API call failed', { call, error: oneLine(error) });
      return reply(500, { error: `internal error: ${oneLine(error)}` });
    }
  }

  private async serveFile(path: string, res: ServerResponse): Promise<void> {
    const relative = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    const file = join(RENDERER, relative);
    const type = TYPES[extname(file)];
    if (!file.startsWith(RENDERER) || !type) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, {
        'content-type': type,
        'content-security-policy': DASHBOARD_CSP,
        'x-content-type-options': 'nosniff',
      });
      res.end(data);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found (is the dashboard built? npm run build)');
    }
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxBodyBytes) throw new UserError(`the body is larger than ${this.maxBodyBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new UserError('the body is not JSON');
    }
  }

  private onSocket(ws: WebSocket): void {
    ws.on('error', () => ws.terminate());
    // The latest published snapshot (publishing it may push to the others, not yet to this one); the pushes
    // that follow are relative to it. All in one turn, so none falls between.
    const first: SnapshotPush = { type: 'snapshot', snapshot: this.host.latest() };
    ws.send(JSON.stringify(first));
    this.following.add(ws);
  }
}
