import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  APP_START_URL,
  isAppUrl,
  mayNavigate,
  mayRequest,
  resolveAppFile,
  vetExternalUrl,
} from '../../../src/main/electron/policy/urls.js';

describe('the app origin', () => {
  it.each([APP_START_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/index-abc.js?x=1#top`, 'APP://MINER/index.html'])(
    'accepts %s as the app',
    (url) => {
      expect(isAppUrl(url)).toBe(true);
      expect(mayNavigate(url)).toBe(true);
    },
  );

  it.each([
    'app://miner.evil/index.html', // another host that starts with ours
    'app://evil/miner/index.html',
    'app://miner@evil/index.html', // credentials: the host is evil
    'app://user@miner/index.html',
    'app://miner:8080/index.html',
    'https://miner/index.html',
    'http://127.0.0.1:5173/',
    'file:///work/main/dist/renderer/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'miner/index.html',
    '',
  ])('refuses to navigate to %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
    expect(mayNavigate(url)).toBe(false);
  });

  it('treats a missing URL (a destroyed frame) as foreign', () => {
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});

describe('links to the system browser', () => {
  it('passes https URLs, normalized', () => {
    expect(vetExternalUrl('https://github.com/OWNER/bittensor-miner/releases')).toBe(
      'https://github.com/OWNER/bittensor-miner/releases',
    );
    expect(vetExternalUrl('HTTPS://Example.org/a b')).toBe('https://example.org/a%20b');
  });

  it.each([
    'http://example.org/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'smb://server/share',
    'ms-settings:privacy',
    'vscode://file/etc/passwd',
    'https://user:secret@example.org/',
    'https://user@example.org/',
    APP_START_URL,
    'not a url',
    `https://example.org/${'a'.repeat(2100)}`,
  ])('drops %s', (url) => {
    expect(vetExternalUrl(url)).toBeNull();
  });
});

describe('requests the window may make', () => {
  it('allows only its own files, DevTools and the data it made', () => {
    expect(mayRequest(`${APP_ORIGIN}/assets/app.css`)).toBe(true);
    expect(mayRequest('devtools://devtools/bundled/devtools_app.html')).toBe(true);
    expect(mayRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(mayRequest('blob:app://miner/1234')).toBe(true);
    for (const url of [
      'https://example.org/x.js',
      'http://127.0.0.1:9944/',
      'ws://127.0.0.1:1/',
      'file:///etc/hosts',
    ]) {
      expect(mayRequest(url), url).toBe(false);
    }
  });
});

describe('app:// files', () => {
  const root = join(sep, 'opt', 'app', 'dist', 'renderer');

  it('maps the origin root to index.html and paths to files of the build, with their types', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toEqual({
      path: join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/index-1.js?v=2`)).toEqual({
      path: join(root, 'assets', 'index-1.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppFile(root + sep, `${APP_ORIGIN}/assets/a.css`)?.path).toBe(join(root, 'assets', 'a.css'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/logo.svg`)?.contentType).toBe('image/svg+xml');
  });

  it.each([
    `${APP_ORIGIN}/../../../etc/passwd.html`,
    `${APP_ORIGIN}/%2e%2e/%2e%2e/secret.js`,
    `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2f..%2fsecret.js`,
    `${APP_ORIGIN}/assets/..%2f..%2f..%2fsecret.js`,
  ])('never leaves the build folder for %s', (url) => {
    const file = resolveAppFile(root, url);
    if (file !== null) expect(file.path.startsWith(root + sep)).toBe(true);
  });

  it('does not let a %-encoded slash climb out (the URL parser leaves it to us)', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/..%2f..%2f..%2fsecret.js`)).toBeNull();
  });

  it.each([
    `${APP_ORIGIN}/..%5c..%5csecret.js`,
    `${APP_ORIGIN}/index.html%00.js`,
    `${APP_ORIGIN}/%E0%A4%A.js`, // a malformed escape
    `${APP_ORIGIN}/keys.bin`, // a type the build does not contain
    `${APP_ORIGIN}/assets`, // a folder
    'app://evil/index.html',
    'file:///opt/app/dist/renderer/index.html',
  ])('serves nothing for %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });
});
