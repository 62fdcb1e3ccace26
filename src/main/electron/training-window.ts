import { BrowserWindow, MessageChannelMain } from 'electron';
import type { HostMessage, WorkerMessage } from '../../shared/training.js';
import type { TrainingWorkerFactory } from '../../neuron/training-host.js';
import { TRAINER_PORT_CHANNEL, TRAINER_URL } from './policy/trainer.js';

/**
 * The training worker in a Worker of a hidden, sandboxed window (app://trainer, the trainer bundle), where
 * Chromium's WebGPU and WebAssembly threads are: the desktop app's default (policy/trainer.ts says why and when).
 * The host talks to the worker over a MessageChannelMain whose other end the window's preload hands to its page,
 * which passes it on to the Worker: the same protocol as the worker thread's. The window's end (closed, crashed,
 * or unable to load) is the worker's exit. Pass it as the host's `trainingWorker`, with the trainer preload.
 */
export function trainingWindowWorker(preload: string): TrainingWorkerFactory {
  return () => {
    const window = new BrowserWindow({
      show: false,
      webPreferences: {
        preload,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        // Hidden windows are throttled to save power by default: training is what this one is for.
        backgroundThrottling: false,
      },
    });
    const { port1, port2 } = new MessageChannelMain();
    let closed = false;
    const gone = new Promise<void>((resolve) =>
      window.once('closed', () => {
        closed = true;
        port1.close();
        resolve();
      }),
    );
    // Messages posted before the page takes its end wait in the channel.
    window.webContents.once('did-finish-load', () =>
      window.webContents.postMessage(TRAINER_PORT_CHANNEL, null, [port2]),
    );
    void window.loadURL(TRAINER_URL).catch(() => window.destroy());
    port1.start();
    return {
      post(message: HostMessage) {
        if (!closed) port1.postMessage(message);
      },
      listen(handlers) {
        port1.on('message', (event) => handlers.message(event.data as WorkerMessage));
        window.webContents.on('render-process-gone', (_event, details) =>
          handlers.error(new Error(`the training window's process ended (${details.reason})`)),
        );
        window.webContents.on('did-fail-load', (_event, code, description) =>
          handlers.error(new Error(`the training window did not load (${description}, ${code})`)),
        );
        window.once('closed', () => handlers.exit(0));
      },
      async terminate() {
        if (!closed) window.destroy();
        await gone;
      },
    };
  };
}
