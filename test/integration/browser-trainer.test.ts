import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINER_HEADERS } from '../../src/main/electron/policy/trainer.js';
import { TrainingHost } from '../../src/neuron/training-host.js';
import { fileStore, type TrainingStore } from '../../src/neuron/training-store.js';
import type { StepEvent, TrainingConfig, TrainingData } from '../../src/shared/training.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/headless.js';
import { until } from '../support/poll.js';
import { smallConfig, smallCorpus } from '../support/training.js';

/**
 * The trainer bundle (npm run build: dist/trainer, the desktop app's training window) in a Worker of Debian's
 * chromium: the same TrainingWorker as in Node, driven over a MessagePort with the worker protocol, as the
 * desktop app's main process drives it. Served from 127.0.0.1 with the training window's headers (its CSP, and
 * COOP/COEP: the cross-origin isolation WebAssembly threads need); WebGPU on chromium's SwiftShader adapter.
 */
const TRAINER = join(process.cwd(), 'dist', 'trainer');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
let data: TrainingData;
let textDir: string;

beforeAll(async () => {
  expect(existsSync(join(TRAINER, 'index.html')), 'dist/trainer is missing: npm run build').toBe(true);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'bt-browser-trainer-'));
  textDir = await smallCorpus(dir);
  data = await fileStore.data(smallConfig(textDir));
  server = createServer((request, response) => {
    const path = normalize(join(TRAINER, new URL(request.url ?? '/', 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(TRAINER)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { ...TRAINER_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'),
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** What the test uses of the page's globals (this file is type-checked without the DOM's types). */
interface PagePort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
interface PageGlobals {
  port: PagePort;
  seen: unknown[];
  crossOriginIsolated: boolean;
  MessageChannel: new () => { port1: PagePort; port2: unknown };
  postMessage(message: unknown, origin: string, transfer: unknown[]): void;
}

/** A worker message as the test reads it back from the page (typed arrays left out). */
type Seen = { type: string; [key: string]: unknown };

/** Opens the training page, connects a MessagePort to its worker as the desktop app does, and starts training. */
async function startInPage(config: TrainingConfig): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/index.html`);
  await page.evaluate(
    ({ config, train, validation }) => {
      const w = globalThis as unknown as PageGlobals;
      const channel = new w.MessageChannel();
      w.seen = [];
      channel.port1.onmessage = (event) => w.seen.push(event.data);
      w.port = channel.port1;
      w.postMessage('trainer:port', '*', [channel.port2]);
      const data = { train: Int32Array.from(train), validation: Int32Array.from(validation), genres: [] };
      channel.port1.postMessage({ type: 'start', seq: 1, config, data });
    },
    { config, train: Array.from(data.train), validation: Array.from(data.validation) },
  );
  return page;
}

/** The worker's messages so far, without their bulky arrays. */
const seen = (page: Page): Promise<Seen[]> =>
  page.evaluate(() =>
    (globalThis as unknown as PageGlobals).seen.map((m) => {
      const {
        serving: _s,
        checkpoint,
        ...rest
      } = m as { serving?: unknown; checkpoint?: { state: unknown; groups: object } };
      return checkpoint ? { ...rest, state: checkpoint.state, groups: Object.keys(checkpoint.groups) } : rest;
    }),
  ) as Promise<Seen[]>;

const post = (page: Page, message: unknown) =>
  page.evaluate((m) => (globalThis as unknown as PageGlobals).port.postMessage(m), message);

const steps = (messages: Seen[]) => messages.filter((m) => m.type === 'train:step').map((m) => m.event as StepEvent);

async function ready(page: Page): Promise<{ name: string; device: string; passedOver?: string[] }> {
  let found: Seen | undefined;
  await until(async () => {
    found = (await seen(page)).find((m) => ['ready', 'failed', 'error'].includes(m.type));
    return found !== undefined;
  }, 'the worker to be ready');
  if (found!.type !== 'ready') throw new Error(`the worker failed: ${JSON.stringify(found)}`);
  return found!.backend as { name: string; device: string; passedOver?: string[] };
}

describe('the trainer bundle in a browser Worker', () => {
  it('trains on WebAssembly with threads (cross-origin isolated), as Node does, and checkpoints through its host', async () => {
    const config = smallConfig(textDir, { backend: 'auto', threads: 2, checkpointFile: 'kept-by-the-host' });
    const page = await startInPage(config);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).crossOriginIsolated)).toBe(true);
    const backend = await ready(page);
    expect(backend.name).toBe('wasm');
    expect(backend.device).toBe('CPU, WebAssembly SIMD, 2 threads');
    // The software adapter is passed over in auto; native TensorFlow is not in a browser.
    expect(backend.passedOver).toEqual([
      expect.stringMatching(/^webgpu: software adapter \(.*swiftshader.*\)/i),
      'tensorflow-gpu: native TensorFlow runs only in Node',
      'tensorflow: native TensorFlow runs only in Node',
    ]);
    await until(async () => steps(await seen(page)).length >= 4, 'four steps in the browser');
    await post(page, { type: 'stop', seq: 2 });
    await until(async () => (await seen(page)).some((m) => m.type === 'stopped'), 'the worker to stop');
    const messages = await seen(page);
    const checkpoint = messages.findLast((m) => m.type === 'checkpoint')!;
    expect(messages.indexOf(checkpoint)).toBeLessThan(messages.findIndex((m) => m.type === 'stopped'));
    expect((checkpoint.state as { step: number }).step).toBe(steps(messages).at(-1)!.step);
    expect(checkpoint.groups).toEqual(['encoder', 'net', 'optimizer:adam']);

    // The same config and text in a Node worker thread (wasm, one thread): the same first steps.
    const store: TrainingStore = { ...fileStore, data: async () => data };
    const host = new TrainingHost({ forward: async () => [], backward: () => undefined, store });
    const inNode: StepEvent[] = [];
    host.events.on('train:step', (e) => inNode.push(e));
    await host.start({ ...config, backend: 'wasm', threads: 1, checkpointFile: undefined });
    await until(() => inNode.length >= 3, 'three steps in Node');
    await host.stop();
    const browserSteps = steps(messages);
    for (let i = 0; i < 3; i++) {
      expect(browserSteps[i]!.step).toBe(inNode[i]!.step);
      expect(Math.abs(browserSteps[i]!.loss - inNode[i]!.loss) / inNode[i]!.loss).toBeLessThan(1e-5);
    }
    await page.close();
  }, 120_000);

  it("trains on the browser's WebGPU (SwiftShader) when named, after its self-test matches WebAssembly", async () => {
    const page = await startInPage(smallConfig(textDir, { backend: 'webgpu' }));
    const backend = await ready(page);
    expect(backend.name).toBe('webgpu');
    expect(backend.device).toMatch(/^WebGPU, .*swiftshader.* \(browser\)$/i);
    const selfTest = (await seen(page)).find((m) => m.type === 'log' && m.message === 'backend self-test');
    const error = (selfTest!.fields as { error: { loss: number; grads: number } }).error;
    expect(error.loss).toBeLessThan(1e-5);
    expect(error.grads).toBeLessThan(1e-4);
    await until(async () => steps(await seen(page)).length >= 2, 'two steps on WebGPU');
    for (const s of steps(await seen(page))) expect(Number.isFinite(s.loss)).toBe(true);
    await post(page, { type: 'stop', seq: 2 });
    await until(async () => (await seen(page)).some((m) => m.type === 'stopped'), 'the worker to stop');
    await page.close();
  }, 180_000);
});
