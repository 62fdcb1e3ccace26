import { extname, join, sep } from 'node:path';

/**
 * Where the desktop window's pages come from, and which other URLs it may reach. Pure: no electron import, so
 * plain-Node tests cover every rule the Electron adapters apply.
 *
 * The page is served under a privileged custom scheme (`app://miner/...`, see ../protocol.ts) rather than
 * file://: it gets a real origin that CSP's 'self' and the IPC sender check can name, and the page can reach
 * only the files the handler chooses to serve (a file:// page may load any other file:// URL).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'miner';
/** The page's origin as Chromium reports it for a standard scheme (Node's URL says "null" for non-web schemes). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;
/** The training window's host (`app://trainer/...`, the trainer bundle: see trainer.ts), an origin of its own. */
export const TRAINER_HOST = 'trainer';

/** Longest URL handed to the system browser; anything longer is refused. */
const MAX_EXTERNAL_URL = 2048;

function parse(url: string | undefined | null): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` is one of the app's own pages: scheme app:, host `miner` (or `host`), no port and no credentials.
 * Compared field by field on the parsed URL, never by string prefix (`app://miner.evil/` and `app://miner@evil/`
 * are not).
 */
export function isAppUrl(url: string | undefined | null, host: string = APP_HOST): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname.toLowerCase() === host && // Node keeps a non-web scheme's host as written; Chromium lowercases it
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** Whether the window may navigate to `url`: only within the app's own origin (a reload, a hash change). */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/**
 * The URL to hand to the system browser (shell.openExternal) for a link the page tried to open, or null to
 * drop it: https only, no user name or password in it, a host name, at most 2,048 characters. http:, file:,
 * javascript:, custom schemes (which could start other programs) and the app's own pages are all refused.
 */
export function vetExternalUrl(url: string): string | null {
  if (url.length > MAX_EXTERNAL_URL) return null;
  const u = parse(url);
  if (u === null || u.protocol !== 'https:') return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}

/**
 * Whether the window's session may make a request to `url` at all (checked before every request, in addition to
 * the CSP): the app's own files (the dashboard's and the training window's), DevTools, and data:/blob: URLs the
 * page made itself. Nothing on the network.
 */
export function mayRequest(url: string): boolean {
  if (isAppUrl(url) || isAppUrl(url, TRAINER_HOST)) return true;
  const u = parse(url);
  return u !== null && (u.protocol === 'devtools:' || u.protocol === 'data:' || u.protocol === 'blob:');
}

/** Content types of the files the renderer build contains; anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** A file of the renderer build that an app:// request maps to. */
export interface AppFile {
  path: string;
  contentType: string;
}

/**
 * The file under `rendererDir` that the app:// request `url` asks for ("/" is index.html), or null when it asks
 * for anything else: another origin than `host`'s, a path that climbs out of the folder (also when
 * percent-encoded), a NUL, or a type the build does not contain.
 */
export function resolveAppFile(rendererDir: string, url: string, host: string = APP_HOST): AppFile | null {
  if (!isAppUrl(url, host)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // a malformed %-escape
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const root = rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep;
  const file = join(root, path);
  if (!file.startsWith(root)) return null;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  return contentType === undefined ? null : { path: file, contentType };
}
