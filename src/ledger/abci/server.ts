import { createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { oneLine } from '../../shared/errors.js';
import { type Logger } from '../../shared/logger.js';
import { FrameError, FrameReader, frame } from './framing.js';
import { Request, Response } from './proto/abci.js';

/** What answers ABCI requests: the ledger application, or a test's. Must not throw; the server guards anyway. */
export interface AbciHandler {
  handle(request: Request): Promise<Response> | Response;
}

export interface AbciServerInit {
  /**
   * Where to listen, as CometBFT's `proxy_app` names it: `tcp://127.0.0.1:26658` or `unix:///path/app.sock`.
   * Port 0 takes any free port (`address` tells which).
   */
  listen: string;
  /** Largest frame accepted, in bytes. Default 128 MiB (CometBFT's blocks are at most 100 MB). */
  maxFrameBytes?: number;
}

export interface AbciServerComponents {
  handler: AbciHandler;
  logger: Logger;
}

/**
 * The ABCI socket server: CometBFT opens four connections (consensus, mempool, query, snapshot) and sends
 * length-prefixed `Request`s on each; every request gets its `Response` on the same connection, in request
 * order. A request that does not decode gets an `exception` response (CometBFT stops on it, a fuzzer reads
 * it); a frame longer than the limit ends that connection. Nothing a peer sends stops the server.
 */
export class AbciServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly log: Logger;
  private boundAddress = '';

  constructor(
    private readonly init: AbciServerInit,
    private readonly components: AbciServerComponents,
  ) {
    this.log = components.logger;
  }

  /** The address listened on, in `proxy_app` form (the real port when 0 was asked). */
  get address(): string {
    return this.boundAddress;
  }

  /** Listens; safe to call twice. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    const target = parseListen(this.init.listen);
    if (target.path !== undefined) await rm(target.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        resolve();
      };
      if (target.path !== undefined) server.listen(target.path, done);
      else server.listen(target.port, target.host, done);
    }).catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    server.on('error', (error) => this.log.error('abci server', { error: oneLine(error) }));
    const addr = server.address();
    this.boundAddress =
      target.path !== undefined ? `unix://${target.path}` : `tcp://${target.host}:${(addr as { port: number }).port}`;
  }

  /** Closes every connection and the listener; safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new FrameReader(this.init.maxFrameBytes ?? 128 * 1024 * 1024);
    // Requests on one connection are answered one after another, so responses keep the requests' order.
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let frames: Uint8Array[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        const message = error instanceof FrameError ? error.message : oneLine(error);
        this.log.warn('abci connection closed: unreadable frame', { error: message });
        socket.end(frame(Response.encode({ exception: { error: message } })));
        socket.destroy();
        return;
      }
      for (const bytes of frames) {
        queue = queue.then(async () => {
          const response = await this.answer(bytes);
          if (!socket.destroyed) socket.write(frame(Response.encode(response)));
        });
      }
    });
    socket.on('error', (error) => this.log.debug('abci connection', { error: oneLine(error) }));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async answer(bytes: Uint8Array): Promise<Response> {
    let request: Request;
    try {
      request = Request.decode(bytes);
    } catch (error) {
      return { exception: { error: `cannot decode the request: ${oneLine(error)}` } };
    }
    try {
      return await this.components.handler.handle(request);
    } catch (error) {
      // A handler bug: say so on the wire (CometBFT stops on an exception) and in the log.
      this.log.error('abci handler failed', { error: oneLine(error) });
      return { exception: { error: oneLine(error) } };
    }
  }
}

/** `tcp://host:port` or `unix:///path` (CometBFT's forms). */
export function parseListen(listen: string): { host: string; port: number; path?: undefined } | { path: string } {
  if (listen.startsWith('unix://')) return { path: listen.slice('unix://'.length) };
  const m = /^(?:tcp:\/\/)?([^:/]+):(\d+)$/.exec(listen);
  if (!m) throw new RangeError(`cannot listen on ${listen}: use tcp://HOST:PORT or unix:///PATH`);
  return { host: m[1]!, port: Number(m[2]) };
}
