/**
 * `npm run bench:wire`: one forward round trip on loopback, [16, 64] INT32 token ids in, a [16, 64, 128]
 * answer out (0.5 MiB as FLOAT32, 0.25 MiB as FLOAT16), at concurrency 1 and 16, side by side in one run:
 *
 * - ours: the real Axon + Dendrite + HashingModel on neuron nodes (libp2p TCP + Noise + Yamux);
 * - bare: the same libp2p nodes and configuration, a trivial protocol that reads the request and writes a
 *   precomputed 0.5 MiB answer back, length-prefixed, one stream per request (the transport's ceiling);
 * - gRPC (@grpc/grpc-js, plaintext, unary, protobuf through proto-loader over the same bittensor.proto
 *   messages): a precomputed answer (the transport alone), and the same model and codec as the axon.
 *
 * Each stack runs in its own pair of processes, server and client (peers are different machines, and one
 * stack's garbage does not land in the other's collections). Within a pair the cases take turns in
 * interleaved rounds, so that a machine that speeds up or slows down meanwhile weighs on each alike.
 * Prints a table; asserts nothing about time.
 *
 * BENCH_WIRE_N=400,1600: requests per row at concurrency 1 and 16; BENCH_WIRE_ROUNDS=5.
 */
import '../src/shared/polyfills.js';
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import { HashingModel } from '../src/neuron/model.js';
import { decodeTensor, encodeFloatTensor, encodeIntTensor } from '../src/neuron/network/codec.js';
import { ForwardRequest, Modality, type Code, type Tensor } from '../src/neuron/network/proto/bittensor.js';
import { createNeuronNode, type NeuronNode } from '../src/neuron/node.js';
import { printTable } from './table.js';

const BATCH = 16;
const SEQ = 64;
const DIM = 128;
const ANSWER_BYTES = BATCH * SEQ * DIM * 4;
const BARE_PROTOCOL = '/bench/bare/1.0.0';
const [N1, N16] = (process.env['BENCH_WIRE_N'] ?? '400,1600').split(',').map(Number) as [number, number];
const ROUNDS = Number(process.env['BENCH_WIRE_ROUNDS'] ?? 5);
const HERE = dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);

/** The axon's per-caller limits would refuse one client's 16 parallel calls; the bench lifts them. */
const AXON_LIMITS = { perCallerConcurrency: 64, perCallerRate: 1e6 };

type Stack = 'libp2p' | 'grpc';

/** gRPC messages as proto-loader hands them over (enums as strings, bytes as Buffers): our Tensor's shape. */
interface GrpcForwardRequest {
  modality: string;
  inputs?: Tensor;
}
interface GrpcForwardResponse {
  code: keyof typeof Code;
  message: string;
  outputs?: Tensor;
}

function loadService(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(HERE, 'wire.proto'), {
    includeDirs: [join(HERE, '../src/neuron/network/proto')],
    enums: String,
    defaults: true,
  });
  return grpc.loadPackageDefinition(definition)['Neuron'] as grpc.ServiceClientConstructor;
}

const answerBytes = () => new Uint8Array(ANSWER_BYTES).map((_, i) => i * 31);

// ---------------------------------------------------------------------------------------------------
// Servers

/** Two neuron nodes (FLOAT32 and FLOAT16 answers); the first also serves the bare protocol. */
async function startLibp2pServers(): Promise<{ addresses: string[]; stop: () => Promise<void> }> {
  const answer = answerBytes();
  const nodes: NeuronNode[] = [];
  for (const halfPrecision of [false, true]) {
    nodes.push(
      await createNeuronNode(
        { model: new HashingModel(DIM) },
        { host: '127.0.0.1', dht: false, autonat: false, axon: { ...AXON_LIMITS, halfPrecision } },
      ),
    );
  }
  await nodes[0]!.libp2p.handle(
    BARE_PROTOCOL,
    async (stream: Stream) => {
      const lp = lpStream(stream, { maxDataLength: 1 << 20 });
      await lp.read();
      await lp.write(answer);
      await stream.close();
    },
    { maxInboundStreams: 1024 },
  );
  return {
    addresses: nodes.map((n) => n.multiaddrs()[0]!),
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
  };
}

/** Forward (the model, FLOAT32), ForwardHalf (FLOAT16) and ForwardRaw (a precomputed answer). */
async function startGrpcServer(): Promise<{ addresses: string[]; stop: () => Promise<void> }> {
  const answer = answerBytes();
  const model = new HashingModel(DIM);
  const run = (req: GrpcForwardRequest, half: boolean): GrpcForwardResponse => {
    const t = decodeTensor(req.inputs, 'inputs', { maxElements: BATCH * SEQ * 64, maxRank: 2 });
    if (t.kind !== 'int' || req.modality !== 'TEXT') return { code: 'BAD_REQUEST', message: 'TEXT INT32 only' };
    const [batch, seq] = t.shape as [number, number];
    const out = model.forward(t.data, batch, seq);
    return { code: 'OK', message: '', outputs: encodeFloatTensor(out, [batch, seq, DIM], half) };
  };
  type Unary = grpc.handleUnaryCall<GrpcForwardRequest, GrpcForwardResponse>;
  const forward: Unary = (call, done) => done(null, run(call.request, false));
  const forwardHalf: Unary = (call, done) => done(null, run(call.request, true));
  const forwardRaw: Unary = (_call, done) =>
    done(null, {
      code: 'OK',
      message: '',
      outputs: { dtype: 'FLOAT32' as Tensor.DType, shape: [BATCH, SEQ, DIM], data: answer },
    });
  const server = new grpc.Server();
  server.addService(loadService().service, { Forward: forward, ForwardHalf: forwardHalf, ForwardRaw: forwardRaw });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { addresses: [`127.0.0.1:${port}`], stop: async () => server.forceShutdown() };
}

/** A server child process: starts the stack's servers, sends their addresses, stops on any message. */
async function serve(stack: Stack): Promise<void> {
  const servers = stack === 'libp2p' ? await startLibp2pServers() : await startGrpcServer();
  process.send?.(servers.addresses);
  process.once('message', () => void servers.stop().then(() => process.exit(0)));
}

/** Forks `role` of this script for `stack` and waits for its first message. */
async function forkRole<T>(role: 'serve' | 'client', stack: Stack): Promise<{ child: ChildProcess; first: T }> {
  const child = fork(SELF, [role, stack], { stdio: 'inherit' });
  const first = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`the ${role} process for ${stack} exited with ${code}`)));
  });
  return { child, first };
}

// ---------------------------------------------------------------------------------------------------
// Clients

interface Case {
  transport: string;
  answer: string;
  /** One request; resolves false on a failed answer. */
  call: () => Promise<boolean>;
}

/** What one case gathered at one concurrency, over all its rounds. */
interface Tally {
  latencies: number[];
  seconds: number;
  answers: number;
  failed: number;
}

/** A row of the table, as a client process reports it. */
interface Row {
  transport: string;
  answer: string;
  c: number;
  p50: number;
  p99: number;
  perSecond: number;
  failed: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Runs `count` calls with `concurrency` in flight; adds their latencies, time and failures to `tally`. */
async function run(call: Case['call'], concurrency: number, count: number, tally?: Tally): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const t = performance.now();
      const ok = await call();
      if (!tally) continue;
      tally.latencies.push(performance.now() - t);
      if (!ok) tally.failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (!tally) return;
  tally.seconds += (performance.now() - started) / 1000;
  tally.answers += count;
}

/** Every case at `concurrency`, `count` requests each, in interleaved rounds (the order rotating), after a warm-up. */
async function measureAll(cases: Case[], concurrency: number, count: number): Promise<Row[]> {
  for (const k of cases) await run(k.call, concurrency, Math.max(50, count / 4));
  const tallies = cases.map((): Tally => ({ latencies: [], seconds: 0, answers: 0, failed: 0 }));
  const perRound = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < cases.length; j++) {
      const i = (j + round) % cases.length;
      await run(cases[i]!.call, concurrency, perRound, tallies[i]);
    }
  }
  return cases.map((k, i) => {
    const t = tallies[i]!;
    const sorted = t.latencies.sort((a, b) => a - b);
    return {
      transport: k.transport,
      answer: k.answer,
      c: concurrency,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      perSecond: t.answers / t.seconds,
      failed: t.failed,
    };
  });
}

const tokens = Int32Array.from({ length: BATCH * SEQ }, (_, i) => (i * 7919) % 50257);

/** The libp2p cases: bare stream, ours FLOAT32, ours FLOAT16; and how to stop. */
async function libp2pCases(addresses: string[]): Promise<{ cases: Case[]; stop: () => Promise<void> }> {
  const client = await createNeuronNode(
    { model: new HashingModel(DIM) },
    { host: '127.0.0.1', dht: false, autonat: false },
  );
  const [f32, f16] = addresses.map((a) => multiaddr(a)) as [ReturnType<typeof multiaddr>, ReturnType<typeof multiaddr>];
  const request = ForwardRequest.encode({ modality: Modality.TEXT, inputs: encodeIntTensor(tokens, [BATCH, SEQ]) });
  // The bare client uses the stream as the dendrite does: its end closed as soon as the request is out.
  const bare = async (): Promise<boolean> => {
    const stream = await client.libp2p.dialProtocol(f32, BARE_PROTOCOL);
    const lp = lpStream(stream, { maxDataLength: 1 << 21 });
    await lp.write(request);
    await stream.close();
    const answer = await lp.read();
    return answer.byteLength === ANSWER_BYTES;
  };
  const ours = (target: typeof f32) => async (): Promise<boolean> =>
    (await client.dendrite.forward([target], tokens, BATCH, SEQ, DIM)).mask[0] === true;
  return {
    cases: [
      { transport: 'libp2p bare stream', answer: '0.5 MiB bytes', call: bare },
      { transport: 'ours (axon/dendrite)', answer: 'FLOAT32', call: ours(f32) },
      { transport: 'ours (axon/dendrite)', answer: 'FLOAT16', call: ours(f16) },
    ],
    stop: () => client.stop(),
  };
}

/** The gRPC cases: no model, and the model answering FLOAT32 and FLOAT16; and how to stop. */
function grpcCases(addresses: string[]): { cases: Case[]; stop: () => Promise<void> } {
  const Service = loadService();
  const client = new Service(addresses[0]!, grpc.credentials.createInsecure());
  const request: GrpcForwardRequest = { modality: 'TEXT', inputs: encodeIntTensor(tokens, [BATCH, SEQ]) };
  const call = (method: string, decode: boolean) => (): Promise<boolean> =>
    new Promise((resolve) => {
      const fn = client[method] as (
        req: GrpcForwardRequest,
        done: (e: grpc.ServiceError | null, res?: GrpcForwardResponse) => void,
      ) => void;
      fn.call(client, request, (error, res) => {
        if (error || !res || res.code !== 'OK') return resolve(false);
        if (!decode) return resolve(res.outputs?.data.byteLength === ANSWER_BYTES);
        const out = decodeTensor(res.outputs, 'outputs', { maxElements: BATCH * SEQ * DIM, maxRank: 3 });
        resolve(out.kind === 'float' && out.data.length === BATCH * SEQ * DIM);
      });
    });
  return {
    cases: [
      { transport: 'gRPC, no model', answer: '0.5 MiB bytes', call: call('ForwardRaw', false) },
      { transport: 'gRPC + model', answer: 'FLOAT32', call: call('Forward', true) },
      { transport: 'gRPC + model', answer: 'FLOAT16', call: call('ForwardHalf', true) },
    ],
    stop: async () => client.close(),
  };
}

/** A client child process: starts its server, measures the stack's cases, sends the rows. */
async function client(stack: Stack): Promise<void> {
  const server = await forkRole<string[]>('serve', stack);
  const { cases, stop } = stack === 'libp2p' ? await libp2pCases(server.first) : grpcCases(server.first);
  const rows: Row[] = [];
  for (const c of [1, 16]) rows.push(...(await measureAll(cases, c, c === 1 ? N1 : N16)));
  await stop();
  server.child.send('stop');
  await new Promise((resolve) => server.child.once('exit', resolve));
  process.send?.(rows);
}

// ---------------------------------------------------------------------------------------------------
// The table

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  for (const stack of ['libp2p', 'grpc'] as const) {
    const { child, first } = await forkRole<Row[]>('client', stack);
    rows.push(...first);
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const seconds = (performance.now() - started) / 1000;

  const bare = new Map(rows.filter((r) => r.transport.includes('bare')).map((r) => [r.c, r.perSecond]));
  const anyFailed = rows.some((r) => r.failed > 0);
  const order = ['libp2p bare', 'gRPC, no model', 'gRPC + model', 'ours'];
  const rank = (r: Row) =>
    order.findIndex((o) => r.transport.startsWith(o)) * 100 + (r.answer === 'FLOAT16' ? 50 : 0) + r.c;
  console.log(
    `Forward round trip on 127.0.0.1: [${BATCH}, ${SEQ}] INT32 token ids -> [${BATCH}, ${SEQ}, ${DIM}] answer; ` +
      `${N1} requests at concurrency 1, ${N16} at 16, in ${ROUNDS} interleaved rounds after a warm-up.`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} CPUs; each stack in its own server and client processes; ` +
      `${seconds.toFixed(0)} s in all.`,
  );
  printTable(
    ['transport', 'answer', 'c', 'p50 ms', 'p99 ms', 'answers/s', 'vs bare', ...(anyFailed ? ['failed'] : [])],
    [...rows]
      .sort((a, b) => rank(a) - rank(b))
      .map((r) => [
        r.transport,
        r.answer,
        String(r.c),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        r.perSecond.toFixed(0),
        `${(r.perSecond / bare.get(r.c)!).toFixed(2)}x`,
        ...(anyFailed ? [String(r.failed)] : []),
      ]),
  );
}

const [role, stack] = process.argv.slice(2) as [string | undefined, Stack];
if (role === 'serve') await serve(stack);
else if (role === 'client') await client(stack);
else await main();
