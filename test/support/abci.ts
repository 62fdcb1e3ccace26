import { connect, type Socket } from 'node:net';
import { FrameReader, frame } from '../../src/ledger/abci/framing.js';
import { parseListen } from '../../src/ledger/abci/server.js';
import { Request, Response } from '../../src/ledger/abci/proto/abci.js';
import { canonicalJson } from '../../src/ledger/canonical.js';

/** A raw ABCI socket connection, as CometBFT opens one: frames out, frames back in order. */
export class AbciConnection {
  private readonly reader = new FrameReader(1 << 30);
  private readonly frames: Uint8Array[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.reader.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(address: string): Promise<AbciConnection> {
    const target = parseListen(address);
    const socket =
      target.path !== undefined
        ? connect(target.path)
        : connect((target as { port: number }).port, (target as { host: string }).host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new AbciConnection(socket);
  }

  /** Writes raw bytes (a frame, part of one, or anything). */
  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  send(request: Request): void {
    this.write(frame(Request.encode(request)));
  }

  /** The next response (rejects when the connection closes first). */
  async next(): Promise<Response> {
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('the ABCI connection closed');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return Response.decode(this.frames.shift()!);
  }

  async call(request: Request): Promise<Response> {
    this.send(request);
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** CometBFT's InitChain for a chain whose accounts are given, as its genesis.json would send it. */
export function initChainRequest(
  accounts: Array<[string, bigint]>,
  params: Record<string, unknown> = {},
  chainId = 'test-chain',
): Request {
  const appState = { params, accounts: accounts.map(([a, v]) => [a, v.toString()]) };
  return {
    initChain: {
      time: { seconds: 1_700_000_000n, nanos: 0 },
      chainId,
      appStateBytes: new TextEncoder().encode(canonicalJson(appState)),
      initialHeight: 1n,
    },
  };
}
