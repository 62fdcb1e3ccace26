import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { printTable } from './table.js';

/**
 * The trust graph at dashboard sizes in Debian's chromium (headless, SwiftShader WebGL): ForceAtlas2 layout
 * (100 iterations), sigma's first draw, and redraws while the camera moves. Prints a table; asserts nothing.
 */
const out = await mkdtemp(join(tmpdir(), 'bt-bench-graph-'));
try {
  await build({ root: 'bench/graph', base: './', logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
  const server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/');
    readFile(join(out, path.replace(/\.\./g, ''))).then(
      (data) =>
        res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'text/html' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const results = (await page
      .waitForFunction(() => (globalThis as { results?: unknown }).results, null, {
        timeout: 120_000,
      })
      .then((h) => h.jsonValue())) as Array<Record<string, number>> | { error: string };
    if (!Array.isArray(results)) throw new Error(results.error);
    printTable(
      ['nodes', 'edges', 'layout (ms)', 'first draw (ms)', 'redraw p50 (ms)'],
      results.map((r) => [
        String(r['nodes']),
        String(r['edges']),
        r['layoutMs']!.toFixed(0),
        r['firstDrawMs']!.toFixed(0),
        r['frameP50Ms']!.toFixed(1),
      ]),
    );
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  await rm(out, { recursive: true, force: true });
}
