// The training worker's entry in a worker_threads Worker: wires TrainingWorker to the parent port.
import '../../shared/polyfills.js';
import { parentPort } from 'node:worker_threads';
import type { HostMessage, WorkerMessage } from '../../shared/training.js';
import { TrainingWorker } from './training-worker.js';

if (!parentPort) throw new Error('the training worker runs in a worker thread');
const port = parentPort;
const worker = new TrainingWorker((message: WorkerMessage, transfer?: ArrayBuffer[]) =>
  port.postMessage(message, transfer),
);
port.on('message', (message: HostMessage) => worker.handle(message));
