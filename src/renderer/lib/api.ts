import type { MinerSnapshot } from '../../shared/api.js';

/** The dashboard's side of the one typed API, over HTTP + WebSocket (the Electron build uses IPC instead). */
export interface DashboardTransport {
  pause(): Promise<MinerSnapshot>;
  resume(): Promise<MinerSnapshot>;
  /** Calls `listener` with every snapshot the host pushes; returns a function that stops listening. */
  subscribe(listener: (s: MinerSnapshot) => void, onError: (message: string) => void): () => void;
}

/** The HTTP + WebSocket transport; the token comes from the dashboard URL the miner printed. */
export function connectDashboard(location: Location): DashboardTransport {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const call = async (path: string): Promise<MinerSnapshot> => {
    const res = await fetch(`/api/${path}?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(((await res.json()) as { error?: string }).error ?? `HTTP ${res.status}`);
    return (await res.json()) as MinerSnapshot;
  };
  return {
    pause: () => call('pause'),
    resume: () => call('resume'),
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
