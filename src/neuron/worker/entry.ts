// The training worker's entry in Node: wires TrainingWorker to its parent, a worker_threads Worker's port
// (headless, tests) or an Electron utilityProcess's process.parentPort (the desktop app, off WebGPU), with
// Node's backend loader and data-parallel replicas in worker threads. No electron import: the utilityProcess
// port is found on `process`, where Electron puts it. (browser/worker.ts is the same worker in a browser.)
import '../../shared/polyfills.js';
import { parentPort } from 'node:worker_threads';
import type { HostMessage, WorkerMessage } from '../../shared/training.js';
import { loadBackend } from '../ml/backend.js';
import { DataParallelTrainer } from './replicas.js';
import { TrainingWorker, type ParallelFactory } from './training-worker.js';

/** What Electron's utilityProcess gives a child as process.parentPort. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: HostMessage }) => void): void;
  postMessage(message: WorkerMessage): void;
}

function worker(send: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void): TrainingWorker {
  const log = (level: 'info' | 'warn') => (message: string, fields?: Record<string, unknown>) =>
    send({ type: 'log', level, message, ...(fields ? { fields } : {}) });
  const parallel: ParallelFactory = (trainer, init) =>
    new DataParallelTrainer({ trainer, logger: { info: log('info'), warn: log('warn') } }, init);
  return new TrainingWorker({ send, loadBackend, parallel });
}

const utilityPort = (process as { parentPort?: UtilityParentPort }).parentPort;
if (parentPort) {
  const port = parentPort;
  const training = worker((message, transfer) => port.postMessage(message, transfer));
  port.on('message', (message: HostMessage) => training.handle(message));
} else if (utilityPort) {
  // A utilityProcess port copies every message (structured clone); it takes no transfer list.
  const training = worker((message) => utilityPort.postMessage(message));
  utilityPort.on('message', (event) => training.handle(event.data));
} else {
  throw new Error('the training worker runs in a worker thread or an Electron utility process');
}
