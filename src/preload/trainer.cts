/**
 * The preload of the training window (app://trainer): hands the page the port to its host, which the main
 * process sends once the page has loaded, and exposes nothing else. CommonJS (.cts) and requiring nothing but
 * 'electron', as a sandboxed preload must; the channel's name is spelled here and in
 * main/electron/policy/trainer.ts, and a test checks that they agree.
 */
import electron = require('electron');

const PORT_CHANNEL = 'trainer:port';

/** The window, as far as it is used here (this file is type-checked without the DOM's types). */
const page = globalThis as unknown as { postMessage(message: string, origin: string, transfer: unknown[]): void };

electron.ipcRenderer.on(PORT_CHANNEL, (event) => {
  // The page (src/neuron/browser/page.ts) takes a port posted by its own window and passes it to the Worker.
  page.postMessage(PORT_CHANNEL, '*', event.ports);
});
