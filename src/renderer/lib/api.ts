import { API_ROUTES, type ApiMethod, type MinerApi, type MinerBridge, type MinerSnapshot } from '../../shared/api.js';

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
        ws.onmessage = (e) => listener((JSON.parse(String(e.data)) as { snapshot: MinerSnapshot }).snapshot);
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
      void bridge.call('snapshot').then((r) => r.ok && listener(r.value));
      return bridge.onSnapshot(listener);
    },
  };
}

/** The transport of this page: IPC inside the desktop app, HTTP + WebSocket in a browser. */
export function connect(window: Window & { minerBridge?: MinerBridge }): DashboardTransport {
  return window.minerBridge ? bridgeTransport(window.minerBridge) : httpTransport(window.location);
}
