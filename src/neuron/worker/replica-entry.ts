// A data-parallel replica's entry: wires TrainerReplica to its parent, the training worker (a worker thread
// started by replicas.ts).
import '../../shared/polyfills.js';
import { parentPort } from 'node:worker_threads';
import type { ReplicaMessage, ReplicaRequest } from './replica-protocol.js';
import { TrainerReplica } from './replica.js';

if (!parentPort) throw new Error('a training replica runs in a worker thread');
const port = parentPort;
const replica = new TrainerReplica((message: ReplicaMessage) => port.postMessage(message));
port.on('message', (message: ReplicaRequest) => replica.handle(message));
