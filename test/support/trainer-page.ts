import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TRAINER_HEADERS } from '../../src/main/electron/policy/trainer.js';
import type { BackendReport, StepEvent, TrainingConfig, TrainingData } from '../../src/shared/training.js';
import { CHROMIUM, CHROMIUM_ARGS } from './headless.js';

/**
 * The trainer bundle (dist/trainer: the desktop app's training window) in Debian's chromium, driven as the
 * desktop app's main process drives it: its files served from 127.0.0.1 with the training window's headers
 * (its CSP, COOP/COEP), a MessagePort handed to the page's Worker, the worker protocol over it. WebGPU on
 * chromium's SwiftShader adapter. For the browser tests and bench:train.
 */
export const TRAINER_DIR = join(process.cwd(), 'dist', 'trainer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** A worker message as read back from the page (serving snapshots left out; a checkpoint as its state and groups). */
export type Seen = { type: string; [key: string]: unknown };

/** What is used of the page's globals (this file is type-checked without the DOM's types). */
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

/** One training page and its worker. */
export class TrainerPage {
  constructor(readonly page: Page) {}

  /** The worker's messages so far. */
  seen(): Promise<Seen[]> {
    return this.page.evaluate(() =>
      (globalThis as unknown as PageGlobals).seen.map((m) => {
        const {
          serving: _s,
          checkpoint,
          ...rest
        } = m as {
          serving?: unknown;
          checkpoint?: { state: unknown; groups: object };
        };
        return checkpoint ? { ...rest, state: checkpoint.state, groups: Object.keys(checkpoint.groups) } : rest;
      }),
    ) as Promise<Seen[]>;
  }

  post(message: unknown): Promise<void> {
    return this.page.evaluate((m) => (globalThis as unknown as PageGlobals).port.postMessage(m), message);
  }

  crossOriginIsolated(): Promise<boolean> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).crossOriginIsolated);
  }

  async steps(): Promise<StepEvent[]> {
    return (await this.seen()).filter((m) => m.type === 'train:step').map((m) => m.event as StepEvent);
  }

  /**
   * Waits (polling in the page: no fixed sleep) until the worker has sent `count` messages of one of `types`, or
   * reported an error; throws with that error.
   */
  async waitFor(types: string[], count = 1, timeoutMs = 90_000): Promise<void> {
    await this.page.waitForFunction(
      ({ types, count }) => {
        const seen = (globalThis as unknown as PageGlobals).seen as Array<{ type: string }>;
        return (
          seen.some((m) => m.type === 'error' || m.type === 'failed') ||
          seen.filter((m) => types.includes(m.type)).length >= count
        );
      },
      { types, count },
      { timeout: timeoutMs, polling: 100 },
    );
    const failed = (await this.seen()).find((m) => m.type === 'error' || m.type === 'failed');
    if (failed) throw new Error(`the worker failed: ${JSON.stringify(failed)}`);
  }

  /** The backend the worker reported ready with; throws with the worker's error if it failed instead. */
  async ready(timeoutMs = 90_000): Promise<BackendReport> {
    await this.waitFor(['ready'], 1, timeoutMs);
    const ready = (await this.seen()).find((m) => m.type === 'ready')!;
    return ready.backend as BackendReport;
  }

  /** Asks the worker to stop and waits for 'stopped' (the step in progress ends first). */
  async stop(timeoutMs = 90_000): Promise<void> {
    await this.post({ type: 'stop', seq: 1_000_000 });
    await this.waitFor(['stopped'], 1, timeoutMs);
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

/** The served trainer bundle and a chromium to open it in. */
export interface TrainerPages {
  /** Opens a training page and starts its worker on `config` and `data`, as the host's 'start' does. */
  open(config: TrainingConfig, data: TrainingData): Promise<TrainerPage>;
  close(): Promise<void>;
}

export async function startTrainerPages(): Promise<TrainerPages> {
  if (!existsSync(join(TRAINER_DIR, 'index.html'))) throw new Error('dist/trainer is missing: npm run build');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  const server = createServer((request, response) => {
    const path = normalize(join(TRAINER_DIR, new URL(request.url ?? '/', 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(TRAINER_DIR)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { ...TRAINER_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'),
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
      ],
    });
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    async open(config, data) {
      const page = await browser.newPage();
      await page.goto(`${origin}/index.html`);
      await page.evaluate(
        ({ config, train, validation, genres }) => {
          const w = globalThis as unknown as PageGlobals;
          const channel = new w.MessageChannel();
          w.seen = [];
          channel.port1.onmessage = (event) => w.seen.push(event.data);
          w.port = channel.port1;
          w.postMessage('trainer:port', '*', [channel.port2]);
          const data = { train: Int32Array.from(train), validation: Int32Array.from(validation), genres };
          channel.port1.postMessage({ type: 'start', seq: 1, config, data });
        },
        { config, train: Array.from(data.train), validation: Array.from(data.validation), genres: data.genres },
      );
      return new TrainerPage(page);
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
