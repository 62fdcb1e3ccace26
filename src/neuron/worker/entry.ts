// The training worker's entry: wires TrainingWorker to its parent, a worker_threads Worker's port (headless,
// tests) or an Electron utilityProcess's process.parentPort (the desktop app). No electron import: the
// utilityProcess port is found on `process`, where Electron puts it.
import '../../shared/polyfills.js';
import { parentPort } from 'node:worker_threads';
import type { HostMessage, WorkerMessage } from '../../shared/training.js';
import { TrainingWorker } from './training-worker.js';

/** What Electron's utilityProcess gives a child as process.parentPort. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: HostMessage }) => void): void;
  postMessage(message: WorkerMessage): void;
}

const utilityPort = (process as { parentPort?: UtilityParentPort }).parentPort;
if (parentPort) {
  const port = parentPort;
  const worker = new TrainingWorker((message: WorkerMessage, transfer?: ArrayBuffer[]) =>
    port.postMessage(message, transfer),
  );
  port.on('message', (message: HostMessage) => worker.handle(message));
} else if (utilityPort) {
  // A utilityProcess port copies every message (structured clone); it takes no transfer list.
  const worker = new TrainingWorker((message: WorkerMessage) => utilityPort.postMessage(message));
  utilityPort.on('message', (event) => worker.handle(event.data));
} else {
  throw new Error('the training worker runs in a worker thread or an Electron utility process');
}
