// The training worker's entry in a browser Worker (the desktop app's training window; the browser tests): the
// same TrainingWorker as in Node, with the browser's backends. Its host's port arrives in the first message
// ('trainer:port'), from the page that started it; from then on the protocol is shared/training.ts's.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { crossed, type HostMessage, type WorkerMessage } from '../../shared/training.js';
import { TrainingWorker } from '../worker/training-worker.js';
import { browserBackends } from './backend.js';

/** What is used here of a DedicatedWorkerGlobalScope. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

function connect(port: MessagePort): void {
  let threads = 1;
  const send = (message: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);
  const training = new TrainingWorker({
    send,
    loadBackend: browserBackends({
      wasmFiles: {
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
      threads: () => threads,
    }),
  });
  // What nothing else caught ends this worker's training, as an exception in a worker thread would; handled
  // here, so that it does not reach the page (which ends the window for a worker that cannot load).
  const fatal = (event: Event, error: unknown) => {
    event.preventDefault();
    send({ type: 'error', error: crossed(error) });
  };
  scope.addEventListener('error', (event) => fatal(event, event.error ?? new Error(event.message || 'an error event')));
  scope.addEventListener('unhandledrejection', (event) => fatal(event, event.reason));
  port.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    const message = event.data;
    if (message.type === 'start') threads = message.config.threads ?? 1;
    training.handle(message);
  });
  port.start();
}

let connected = false;
scope.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (connected || event.data !== 'trainer:port' || !port) return;
  connected = true;
  connect(port);
});
