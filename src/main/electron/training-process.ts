import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import type { HostMessage, WorkerMessage } from '../../shared/training.js';
import type { TrainingWorkerFactory } from '../../neuron/training-host.js';

/**
 * The training worker in an Electron utilityProcess: a separate, crash-isolated process (a fatal error in the
 * ML backend ends it, not the app) that runs the same worker entry over the same protocol as the worker
 * thread (its entry finds the port on process.parentPort). Forked only after the app is ready: the host starts
 * training after that. Pass it as the host's `trainingWorker`.
 */
export const utilityProcessWorker: TrainingWorkerFactory = (entry) => {
  const child = utilityProcess.fork(fileURLToPath(entry), [], {
    serviceName: 'Bittensor Miner training',
    stdio: 'inherit',
  });
  let spawned = false;
  let exited = false;
  const early: HostMessage[] = []; // posted before the process is up
  child.once('spawn', () => {
    spawned = true;
    for (const message of early.splice(0)) child.postMessage(message);
  });
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    post(message) {
      if (exited) return;
      if (spawned) child.postMessage(message);
      else early.push(message);
    },
    listen(handlers) {
      child.on('message', (m: WorkerMessage) => handlers.message(m));
      child.on('error', (type, location) =>
        handlers.error(new Error(`the training process failed: ${type} at ${location}`)),
      );
      child.on('exit', (code) => handlers.exit(code));
    },
    async terminate() {
      if (exited) return;
      child.kill();
      await exit;
    },
  };
};
