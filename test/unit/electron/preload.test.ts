import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CALL_CHANNEL, SNAPSHOT_CHANNEL } from '../../../src/main/electron/policy/bridge.js';
import { TRAINER_PORT_CHANNEL } from '../../../src/main/electron/policy/trainer.js';
import type { MinerBridge } from '../../../src/shared/api.js';
import { snapshotOf } from './fixtures.js';

const preloadSource = (file: string) => new URL(`../../../src/preload/${file}`, import.meta.url);

type Listener = (event: unknown, ...args: unknown[]) => void;

/**
 * Runs the preload as a sandboxed renderer does: compiled to CommonJS, wrapped in a function whose `require`
 * knows only 'electron' (here a fake contextBridge and ipcRenderer that record what the preload does).
 */
function loadPreload(file = 'index.cts') {
  const { outputText } = ts.transpileModule(readFileSync(preloadSource(file), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  /** What the preload posts to its window (window.postMessage). */
  const posted: unknown[][] = [];
  const exposed = new Map<string, unknown>();
  const invokes: unknown[][] = [];
  const listeners = new Map<string, Listener[]>();
  const ipcRenderer = {
    invoke: (...args: unknown[]) => {
      invokes.push(args);
      return Promise.resolve({ ok: true, value: 'answer' });
    },
    on: (channel: string, listener: Listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
      return ipcRenderer;
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        expect(exposed.has(key)).toBe(false);
        exposed.set(key, api);
      },
    },
    ipcRenderer,
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name} (a sandboxed preload can require only electron)`);
  };
  const module = { exports: {} };
  const page = { postMessage: (...args: unknown[]) => posted.push(args) };
  const wrapper = runInNewContext(`(function (require, exports, module) {\n${outputText}\n})`, page) as (
    r: typeof sandboxRequire,
    e: unknown,
    m: unknown,
  ) => void;
  wrapper(sandboxRequire, module.exports, module);
  const emitEvent = (channel: string, event: object, ...args: unknown[]) =>
    (listeners.get(channel) ?? []).forEach((l) => l(event, ...args));
  const emit = (channel: string, ...args: unknown[]) => emitEvent(channel, {}, ...args);
  return { exposed, invokes, listeners, required, emit, emitEvent, posted };
}

describe('the preload', () => {
  it('requires only electron and exposes exactly minerBridge, shaped as MinerBridge', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['minerBridge']);
    const bridge = exposed.get('minerBridge') as Record<string, unknown>;
    const shape: Record<keyof MinerBridge, 'function'> = { call: 'function', onPush: 'function' };
    expect(Object.fromEntries(Object.entries(bridge).map(([k, v]) => [k, typeof v]))).toEqual(shape);
    // Nothing of ipcRenderer leaks: no invoke, send, on, or the object itself.
    expect(Object.values(bridge).some((v) => typeof v === 'object')).toBe(false);
  });

  it("calls a method over the main process's call channel and hands back its envelope", async () => {
    const { exposed, invokes } = loadPreload();
    const bridge = exposed.get('minerBridge') as MinerBridge;
    expect(await bridge.call('unlock', { password: 'correct horse' })).toEqual({ ok: true, value: 'answer' });
    await bridge.call('pause');
    expect(invokes).toEqual([
      [CALL_CHANNEL, 'unlock', { password: 'correct horse' }],
      [CALL_CHANNEL, 'pause', undefined],
    ]);
  });

  it("delivers the host's pushes without the IPC event, until unsubscribed", () => {
    const { exposed, listeners, emit } = loadPreload();
    const bridge = exposed.get('minerBridge') as MinerBridge;
    const seen: unknown[][] = [];
    const stop = bridge.onPush((...args: unknown[]) => seen.push(args));
    const push = { type: 'snapshot', snapshot: snapshotOf() };
    emit(SNAPSHOT_CHANNEL, push);
    expect(seen).toEqual([[push]]);
    stop();
    emit(SNAPSHOT_CHANNEL, push);
    expect(seen).toHaveLength(1);
    expect(listeners.get(SNAPSHOT_CHANNEL)).toEqual([]);
  });
});

describe("the training window's preload", () => {
  it('requires only electron, exposes nothing, and hands the page the port the main process sends', () => {
    const { exposed, required, emitEvent, posted, listeners } = loadPreload('trainer.cts');
    expect(required).toEqual(['electron']);
    expect(exposed.size).toBe(0);
    expect([...listeners.keys()]).toEqual([TRAINER_PORT_CHANNEL]);
    const port = { a: 'port' };
    emitEvent(TRAINER_PORT_CHANNEL, { ports: [port] });
    expect(posted).toEqual([[TRAINER_PORT_CHANNEL, '*', [port]]]);
  });
});
