import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '../../shared/errors.js';

/**
 * Checks that keep web pages away from a server meant for local programs (the ledger's JSON-RPC, and later
 * the desktop app's dashboard API). A page in a browser can reach 127.0.0.1 in two ways that need no
 * cooperation from the server: a "simple" cross-origin POST (form or text/plain body, no CORS preflight),
 * and DNS rebinding (its own name re-pointed at 127.0.0.1, so the browser sends `Host: evil.example`).
 * A WebSocket handshake from a page is never preflighted either, but always carries an Origin header.
 * So: allow only known Host names, only `application/json` bodies, and WebSockets only without an Origin
 * (non-browser clients) or from an allowed one.
 */

/** Host names always allowed: the loopback names, with any port or none. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Why a request was refused: the HTTP status to answer with and a one-line message for the caller. */
export interface GuardRefusal {
  status: 403 | 415;
  message: string;
}

/**
 * The host name of a Host header, lower-cased and without its port ("[::1]:9944" -> "[::1]"), or
 * undefined when the header is not a well-formed host[:port] (a DNS name, an IPv4 or a bracketed IPv6).
 */
export function hostName(hostHeader: string): string | undefined {
  const h = hostHeader.trim().toLowerCase();
  let name: string;
  let rest: string;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return undefined;
    name = h.slice(0, end + 1);
    rest = h.slice(end + 1);
  } else {
    const colon = h.indexOf(':');
    name = colon < 0 ? h : h.slice(0, colon);
    rest = colon < 0 ? '' : h.slice(colon);
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
  return name.length <= 253 && /^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])$/.test(name) ? name : undefined;
}

/**
 * An operator's allowed-host entry in the form Host headers are compared in: lower-cased, any port dropped,
 * a bare IPv6 address bracketed ("::1" -> "[::1]"). "*" stays "*" (any host). Undefined when the entry is
 * not a host name or address.
 */
export function normalizeAllowedHost(entry: string): string | undefined {
  const e = entry.trim().toLowerCase();
  if (e === '*') return e;
  return hostName(!e.startsWith('[') && e.split(':').length > 2 ? `[${e}]` : e);
}

/**
 * Refuses a Host header that is missing, malformed, or names a host not in `allowed` (normalized entries
 * as {@link normalizeAllowedHost} makes them; "*" allows any). `hint` turns the refused name into advice
 * on allowing it. Returns undefined when the host is allowed.
 */
export function checkHost(
  hostHeader: string | undefined,
  allowed: ReadonlySet<string>,
  hint: (host: string) => string = defaultHostHint,
): GuardRefusal | undefined {
  if (allowed.has('*')) return undefined;
  if (hostHeader === undefined || hostHeader.trim() === '') {
    return { status: 403, message: 'the request has no Host header; send one naming this server' };
  }
  const name = hostName(hostHeader);
  if (name === undefined) return { status: 403, message: `malformed Host header ${quote(hostHeader)}` };
  if (allowed.has(name)) return undefined;
  return { status: 403, message: `host ${quote(name)} is not allowed; ${hint(name)}` };
}

/**
 * Refuses an Origin header (sent by browsers, never by `ws` or `fetch` in Node) that is not in `allowed`
 * (exact origins such as "http://localhost:3000", lower-cased without a trailing slash; "*" allows any). No Origin
 * header is allowed. Returns undefined when the origin is allowed.
 */
export function checkOrigin(origin: string | undefined, allowed: ReadonlySet<string>): GuardRefusal | undefined {
  if (origin === undefined || allowed.has('*')) return undefined;
  if (allowed.has(normalizeOrigin(origin))) return undefined;
  return {
    status: 403,
    message: `origin ${quote(origin)} is not allowed; browser pages may not open this WebSocket unless the operator allows their origin`,
  };
}

/**
 * Refuses a request body that is not declared `application/json` (parameters such as a charset allowed,
 * case-insensitive). Browsers send other types cross-origin without asking the server first.
 * Returns undefined when the type is JSON.
 */
export function checkContentType(contentType: string | undefined): GuardRefusal | undefined {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/json') return undefined;
  const got = contentType === undefined ? 'none' : quote(contentType);
  return { status: 415, message: `send requests with "content-type: application/json" (got ${got})` };
}

/** What a {@link LocalRequestGuard} allows beyond the loopback names and Origin-less clients. */
export interface LocalRequestGuardInit {
  /** More Host names to allow (any port); "*" allows any Host, which turns off the DNS-rebinding check. */
  allowedHosts?: readonly string[];
  /** Origins (scheme://host[:port]) whose browser pages may open a WebSocket; "*" allows any. Default none. */
  allowedOrigins?: readonly string[];
  /** Advice appended to a refused host's message, e.g. which flag allows it. */
  hostHint?: (host: string) => string;
}

/** The checks above, bound to one server's allowed hosts and origins. */
export class LocalRequestGuard {
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;
  private readonly hint: (host: string) => string;

  /** Throws InvalidInputError for an allowed host that is not a host name or address. */
  constructor(init: LocalRequestGuardInit = {}) {
    const hosts = (init.allowedHosts ?? []).map((entry) => {
      const host = normalizeAllowedHost(entry);
      if (host === undefined)
        throw new InvalidInputError('allowed host', `${quote(entry)} is not a host name or address`);
      return host;
    });
    this.hosts = new Set([...LOOPBACK_HOSTS, ...hosts]);
    this.origins = new Set((init.allowedOrigins ?? []).map(normalizeOrigin));
    this.hint = init.hostHint ?? defaultHostHint;
  }

  /** Checks a plain HTTP request's Host; `checkBody` adds the content-type check for a request with a body. */
  checkRequest(req: IncomingMessage, checkBody: boolean): GuardRefusal | undefined {
    return (
      checkHost(req.headers.host, this.hosts, this.hint) ??
      (checkBody ? checkContentType(req.headers['content-type']) : undefined)
    );
  }

  /** Checks a WebSocket upgrade request: its Host, and its Origin when it has one. */
  checkUpgrade(req: IncomingMessage): GuardRefusal | undefined {
    // Protocol version 8 (hybi-08) named the header Sec-WebSocket-Origin; ws still accepts that version.
    const origin = req.headers.origin ?? (req.headers['sec-websocket-origin'] as string | undefined);
    return checkHost(req.headers.host, this.hosts, this.hint) ?? checkOrigin(origin, this.origins);
  }
}

/** An origin as compared: lower-cased, without a trailing slash. */
function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/$/, '');
}

function defaultHostHint(host: string): string {
  return `add ${host} to the server's allowed hosts to allow it`;
}

/** A header value quoted for a message, cut short so that a hostile header cannot flood a log line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
}
