// The training window's page (a hidden, sandboxed window of the desktop app; a tab in the browser tests): starts
// the training Worker, where WebGPU and WebAssembly threads are at hand, and passes it the port to its host. The
// port comes from this window itself (the preload in Electron, the test harness in a browser). A Worker that
// fails to load closes the window, which its host sees as the worker's exit.
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.addEventListener('error', () => window.close());
window.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (event.source !== window || event.data !== 'trainer:port' || !port) return;
  worker.postMessage('trainer:port', [port]);
});
