import { API_ROUTES, type ApiMethod, type MinerApi, type MinerBridge, type MinerSnapshot } from '../../shared/api.js';
import { applyDelta, type SnapshotPush } from '../../shared/snapshot-delta.js';

/**
 * Follows the host's pushes: the whole snapshot, then what changed (applied to the copy held); calls `listener`
 * with the snapshot as it is after each. A delta before any snapshot is dropped (the snapshot that follows it
 * holds its changes).
 */
export function snapshotFollower(listener: (s: MinerSnapshot) => void): {
  push(p: SnapshotPush): void;
  set(s: MinerSnapshot): void;
} {
  let held: MinerSnapshot | undefined;
  const set = (s: MinerSnapshot) => {
    held = s;
    listener(s);
  };
  return {
    set,
    push(p) {
      if (p.type === 'snapshot') set(p.snapshot);
      else if (held) set(applyDelta(held, p.delta));
    },
  };
}

/** The dashboard's side of the one typed API: the calls, and the stream of snapshots the host pushes. */
export interface DashboardTransport {
  call<M extends ApiMethod>(
    method: M,
    argument?: Parameters<MinerApi[M]>[0],
  ): Promise<Awaited<ReturnType<MinerApi[M]>>>;
  /** Calls `listener` with every snapshot the host pushes; returns a function that stops listening. */
  subscribe(listener: (s: MinerSnapshot) => void, onError: (message: string) => void): () => void;
}

/** The HTTP + WebSocket transport of the headless dashboard; the token comes from the URL the miner printed. */
export function httpTransport(location: Location): DashboardTransport {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return {
    async call(method, argument) {
      const route = API_ROUTES[method];
      const res = await fetch(route.path, {
        method: route.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(route.method === 'GET' || argument === undefined ? {} : { body: JSON.stringify(argument) }),
      });
      const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as { error?: string };
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body as never;
    },
    subscribe(listener, onError) {
      let socket: WebSocket | undefined;
      let closed = false;
      const open = () => {
        const ws = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
        socket = ws;
        const follower = snapshotFollower(listener);
        ws.onmessage = (e) => follower.push(JSON.parse(String(e.data)) as SnapshotPush);
        ws.onclose = () => {
          if (closed) return;
          onError('the miner is not answering; reconnecting...');
          setTimeout(open, 2000);
        };
      };
      open();
      return () => {
        closed = true;
        socket?.close();
      };
    },
  };
}

/** The Electron transport: the preload's bridge (IPC), which answers in envelopes. */
export function bridgeTransport(bridge: MinerBridge): DashboardTransport {
  return {
    async call(method, argument) {
      const result = await bridge.call(method, argument);
      if (!result.ok) throw new Error(result.error);
      return result.value as never;
    },
    subscribe(listener) {
      const follower = snapshotFollower(listener);
      const stop = bridge.onPush((p) => follower.push(p));
      void bridge.call('snapshot').then((r) => r.ok && follower.set(r.value));
      return stop;
    },
  };
}

/** The transport of this page: IPC inside the desktop app, HTTP + WebSocket in a browser. */
export function connect(window: Window & { minerBridge?: MinerBridge }): DashboardTransport {
  return window.minerBridge ? bridgeTransport(window.minerBridge) : httpTransport(window.location);
}
