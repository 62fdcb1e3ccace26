import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  checkContentType,
  checkHost,
  checkOrigin,
  hostName,
  LocalRequestGuard,
  LOOPBACK_HOSTS,
  normalizeAllowedHost,
} from '../../../src/ledger/rpc/guard.js';
import {
  AddressNotAvailableError,
  listenError,
  PortInUseError,
  PortNotPermittedError,
  ListenError,
} from '../../../src/shared/listen-errors.js';
import { InvalidInputError, UserError } from '../../../src/shared/errors.js';

const loopback = new Set(LOOPBACK_HOSTS);
const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('hostName', () => {
  it('drops the port and lower-cases', () => {
    expect(hostName('127.0.0.1:9944')).toBe('127.0.0.1');
    expect(hostName('LocalHost')).toBe('localhost');
    expect(hostName('[::1]:9944')).toBe('[::1]');
    expect(hostName('[::1]')).toBe('[::1]');
    expect(hostName('ledger.lan:1')).toBe('ledger.lan');
  });

  it('refuses what is not host[:port]', () => {
    for (const h of ['', ':9944', '[]', '[::1', '::1', 'a:b', 'a:99999999', 'a b', 'a/b', '[::1]x', 'x'.repeat(300)]) {
      expect(hostName(h), h).toBeUndefined();
    }
  });
});

describe('normalizeAllowedHost', () => {
  it('brackets bare IPv6, drops ports, keeps "*"', () => {
    expect(normalizeAllowedHost('::1')).toBe('[::1]');
    expect(normalizeAllowedHost('FE80::1')).toBe('[fe80::1]');
    expect(normalizeAllowedHost('Ledger.LAN:9944')).toBe('ledger.lan');
    expect(normalizeAllowedHost(' 10.0.0.7 ')).toBe('10.0.0.7');
    expect(normalizeAllowedHost('*')).toBe('*');
    expect(normalizeAllowedHost('bad host')).toBeUndefined();
  });
});

describe('checkHost', () => {
  it('allows the loopback names with any port or none', () => {
    for (const h of ['127.0.0.1', '127.0.0.1:9944', 'localhost', 'LOCALHOST:1', '[::1]', '[::1]:9944']) {
      expect(checkHost(h, loopback), h).toBeUndefined();
    }
  });

  it('refuses other names, a missing header and a malformed one with 403 and advice', () => {
    expect(checkHost('evil.example:9944', loopback, (h) => `allow ${h} with --x`)).toEqual({
      status: 403,
      message: 'host "evil.example" is not allowed; allow evil.example with --x',
    });
    for (const h of ['localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.2', '0.0.0.0', '[::2]']) {
      expect(checkHost(h, loopback)?.status, h).toBe(403);
    }
    expect(checkHost(undefined, loopback)?.message).toMatch(/no Host header/);
    expect(checkHost('  ', loopback)?.message).toMatch(/no Host header/);
    expect(checkHost('a b', loopback)?.message).toMatch(/malformed Host header "a b"/);
  });

  it('"*" allows anything, even no header', () => {
    const any = new Set([...LOOPBACK_HOSTS, '*']);
    expect(checkHost('evil.example', any)).toBeUndefined();
    expect(checkHost(undefined, any)).toBeUndefined();
  });

  it('cuts a long hostile header short in the message', () => {
    const message = checkHost(`${'x'.repeat(5000)} y`, loopback)?.message ?? '';
    expect(message.length).toBeLessThan(200);
  });
});

describe('checkOrigin', () => {
  const allowed = new Set(['http://localhost:3000']);

  it('allows no Origin and the listed ones, case-insensitively', () => {
    expect(checkOrigin(undefined, new Set())).toBeUndefined();
    expect(checkOrigin('http://localhost:3000', allowed)).toBeUndefined();
    expect(checkOrigin('HTTP://LOCALHOST:3000', allowed)).toBeUndefined();
    expect(checkOrigin('https://evil.example', new Set(['*']))).toBeUndefined();
  });

  it('refuses any other origin, "null" included', () => {
    for (const o of ['http://evil.example', 'http://localhost:3001', 'null', 'file://']) {
      expect(checkOrigin(o, allowed), o).toMatchObject({ status: 403, message: /^origin ".*" is not allowed/ });
    }
  });
});

describe('checkContentType', () => {
  it('accepts application/json with parameters, in any case', () => {
    for (const t of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      expect(checkContentType(t), t).toBeUndefined();
    }
  });

  it('refuses the types a browser sends without a preflight, and none, with 415', () => {
    for (const t of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'text/json',
      '',
    ]) {
      const r = checkContentType(t);
      expect(r?.status, t).toBe(415);
      expect(r?.message).toContain('application/json');
      expect(r?.message).not.toContain('\n');
    }
    expect(checkContentType(undefined)?.message).toMatch(/\(got none\)/);
  });
});

describe('LocalRequestGuard', () => {
  const guard = new LocalRequestGuard({
    allowedHosts: ['Ledger.LAN', '::2'],
    allowedOrigins: ['http://localhost:3000/'],
    hostHint: (h) => `use --allow ${h}`,
  });

  it('checks Host, then the content type of a request with a body', () => {
    expect(guard.checkRequest(request({ host: 'ledger.lan:9944', 'content-type': 'application/json' }), true)).toBe(
      undefined,
    );
    expect(guard.checkRequest(request({ host: '[::2]:1' }), false)).toBeUndefined();
    expect(guard.checkRequest(request({ host: 'evil.example', 'content-type': 'text/plain' }), true)).toEqual({
      status: 403,
      message: 'host "evil.example" is not allowed; use --allow evil.example',
    });
    expect(guard.checkRequest(request({ host: 'localhost', 'content-type': 'text/plain' }), true)?.status).toBe(415);
  });

  it('checks an upgrade’s Host and Origin', () => {
    expect(guard.checkUpgrade(request({ host: 'localhost:1' }))).toBeUndefined();
    expect(guard.checkUpgrade(request({ host: 'localhost:1', origin: 'http://localhost:3000' }))).toBeUndefined();
    expect(guard.checkUpgrade(request({ host: 'localhost:1', origin: 'http://evil.example' }))?.status).toBe(403);
    expect(guard.checkUpgrade(request({ host: 'evil.example' }))?.message).toMatch(/^host "evil.example"/);
    const hybi8 = request({ host: 'localhost', 'sec-websocket-origin': 'http://evil.example' });
    expect(guard.checkUpgrade(hybi8)?.status).toBe(403);
  });

  it('allows no browser origin by default', () => {
    const strict = new LocalRequestGuard();
    expect(strict.checkUpgrade(request({ host: 'localhost', origin: 'http://localhost' }))?.status).toBe(403);
  });

  it('refuses an allowed-host entry that is not a host', () => {
    expect(() => new LocalRequestGuard({ allowedHosts: ['bad host'] })).toThrow(InvalidInputError);
  });
});

describe('listenError', () => {
  const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it('turns the errors an operator can fix into one-line UserErrors', () => {
    const inUse = listenError(errno('EADDRINUSE'), '127.0.0.1', 9944);
    expect(inUse).toBeInstanceOf(PortInUseError);
    expect(inUse).toBeInstanceOf(ListenError);
    expect(inUse).toBeInstanceOf(UserError);
    expect(inUse.message).toBe(
      'port 9944 on 127.0.0.1 is already in use; stop the other program or choose another --rpc-port',
    );
    const denied = listenError(errno('EACCES'), '127.0.0.1', 80);
    expect(denied).toBeInstanceOf(PortNotPermittedError);
    expect(denied.message).toMatch(/^port 80 on 127\.0\.0\.1 needs privileges .*--rpc-port$/);
    const absent = listenError(errno('EADDRNOTAVAIL'), '10.9.9.9', 9944);
    expect(absent).toBeInstanceOf(AddressNotAvailableError);
    expect(absent.message).toMatch(/^10\.9\.9\.9 is not an address of this machine; .*--rpc-host/);
    expect(listenError(errno('ENOTFOUND'), 'nosuch', 9944).message).toMatch(/^--rpc-host nosuch does not resolve/);
    for (const e of [inUse, denied, absent]) expect(e.message).not.toContain('\n');
  });

  it('passes other errors through', () => {
    const other = errno('EMFILE');
    expect(listenError(other, '127.0.0.1', 1)).toBe(other);
  });
});
