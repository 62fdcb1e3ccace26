import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DashboardServer } from '../../../src/main/dashboard-server.js';
import type { MinerApi } from '../../../src/shared/api.js';
import { UserError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';
import { snapshotOf } from '../../support/snapshots.js';

const TOKEN = 'a-test-token-of-some-length';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An API whose snapshot works, whose pause fails inside the host, and whose other calls refuse the user. */
function testApi(): MinerApi {
  const refuse = async (): Promise<never> => {
    throw new UserError('not in this test');
  };
  return {
    snapshot: async () => snapshotOf(),
    pause: async () => {
      throw new Error('the disk is on fire');
    },
    resume: refuse,
    settings: refuse,
    updateSettings: refuse,
    createWallet: refuse,
    importWallet: refuse,
    unlock: refuse,
    lock: refuse,
    backup: refuse,
    transfer: refuse,
    stake: refuse,
    unstake: refuse,
  };
}

function serverOn(port: number) {
  const lines: string[] = [];
  const logger = createLogger('test', (l) => lines.push(l), 'debug');
  const server = new DashboardServer(
    { host: { api: testApi(), latest: () => snapshotOf() }, logger },
    { port, token: TOKEN },
  );
  const logged = (message: string) =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);
  return { server, logged };
}

const call = (url: string, path: string, method = 'GET') =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
  });

describe('DashboardServer start()/stop()', () => {
  it('two starts at once listen once (the second would find the port taken); stop() closes it; it starts again', async () => {
    const port = await freePort();
    const { server, logged } = serverOn(port);
    const first = server.start();
    const second = server.start();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await server.start();
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(logged('listening')).toEqual([expect.objectContaining({ url: server.url, name: 'test:dashboard' })]);
    expect((await call(server.url, '/api/snapshot')).status).toBe(200);

    await server.stop();
    await server.stop();
    await expect(fetch(`http://127.0.0.1:${port}/api/snapshot`)).rejects.toThrow();
    expect(() => server.url).toThrow(/not started/);

    await server.start();
    expect((await call(server.url, '/api/snapshot')).status).toBe(200);
    await server.stop();
  });

  it('stop() during a start waits for it and leaves nothing listening', async () => {
    const port = await freePort();
    const { server } = serverOn(port);
    const starting = server.start();
    await server.stop();
    await starting;
    await expect(fetch(`http://127.0.0.1:${port}/api/snapshot`)).rejects.toThrow();
  });

  it('a start that failed (port taken) can be tried again', async () => {
    const port = await freePort();
    const taken = serverOn(port).server;
    await taken.start();
    const { server } = serverOn(port);
    await expect(server.start()).rejects.toThrow(String(port));
    await taken.stop();
    await server.start();
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    await server.stop();
  });

  it('logs an API call that failed inside the host (500), not one the user got wrong (400)', async () => {
    const { server, logged } = serverOn(0);
    await server.start();
    const failed = await call(server.url, '/api/pause', 'POST');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'internal error: the disk is on fire' });
    const refused = await call(server.url, '/api/wallet/lock', 'POST');
    expect(refused.status).toBe(400);
    expect(logged('an API call failed')).toEqual([
      expect.objectContaining({ level: 'error', call: 'pause', error: 'the disk is on fire' }),
    ]);
    await server.stop();
  });
});
