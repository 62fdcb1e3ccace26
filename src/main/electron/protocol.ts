import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import type { Logger } from '../../shared/logger.js';
import { DASHBOARD_CSP } from '../csp.js';
import { TRAINER_HEADERS } from './policy/trainer.js';
import { APP_HOST, APP_SCHEME, resolveAppFile, TRAINER_HOST } from './policy/urls.js';

/**
 * Declares app:// as a standard, secure scheme, so that its pages get a real origin (app://miner), 'self' in
 * the CSP means that origin, and fetch works on it. Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the renderer build under app://miner/ in `session`, every response with the dashboard's CSP (the
 * same policy as the headless server's) and nosniff, and the trainer bundle under app://trainer/ with the
 * training window's headers (its CSP, cross-origin isolation); any path outside the builds is a 404.
 */
export function serveRenderer(session: Session, dirs: { renderer: string; trainer: string }, logger: Logger): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const trainer = new URL(request.url).hostname.toLowerCase() === TRAINER_HOST;
    const file = trainer
      ? resolveAppFile(dirs.trainer, request.url, TRAINER_HOST)
      : resolveAppFile(dirs.renderer, request.url, APP_HOST);
    const headers: Record<string, string> = trainer
      ? { ...TRAINER_HEADERS }
      : { 'content-security-policy': DASHBOARD_CSP, 'x-content-type-options': 'nosniff' };
    if (file === null || request.method !== 'GET') {
      return new Response('not found', { status: 404, headers: { ...headers, 'content-type': 'text/plain' } });
    }
    try {
      const body = await readFile(file.path);
      return new Response(body, { status: 200, headers: { ...headers, 'content-type': file.contentType } });
    } catch {
      logger.warn('a dashboard file is missing (is the dashboard built? npm run build)', { path: file.path });
      return new Response('not found (is the dashboard built? npm run build)', {
        status: 404,
        headers: { ...headers, 'content-type': 'text/plain' },
      });
    }
  });
}
