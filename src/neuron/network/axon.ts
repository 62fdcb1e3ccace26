// libp2p's streams call Promise.withResolvers (Node 22+): this module works as a library on older runtimes too.
import '../../shared/polyfills.js';
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Uint8ArrayList } from 'uint8arraylist';
import { InvalidInputError } from '../../shared/errors.js';
import { silentLogger, type Logger } from '../../shared/logger.js';
import type { NeuronModel } from '../model.js';
import { Admission, AdmissionRefused } from './admission.js';
import {
  decodeTensor,
  encodeFloatTensor,
  encodeWithTensor,
  firstOutOfBound,
  joinAligned,
  type TensorData,
} from './codec.js';
import type { Tensor } from './proto/bittensor.js';
import {
  BackwardRequest,
  BackwardResponse,
  Code,
  ForwardRequest,
  ForwardResponse,
  Modality,
} from './proto/bittensor.js';

export const FORWARD_PROTOCOL = '/bittensor/forward/1.0.0';
export const BACKWARD_PROTOCOL = '/bittensor/backward/1.0.0';

/** Field numbers in bittensor.proto: ForwardResponse.outputs, BackwardRequest.grads (each the last field). */
export const OUTPUTS_FIELD = 3;
export const GRADS_FIELD = 3;

/** GPT-2 BPE, the network-standard tokenizer. */
export const VOCAB_SIZE = 50257;

export interface AxonInit {
  /** Largest batch served. Default 64. */
  maxBatch?: number;
  /** Longest sequence served. Default 512. */
  maxSeq?: number;
  /** Largest request frame; a larger declared length is refused before it is read. Default: room for a full batch of gradients. */
  maxMessageBytes?: number;
  /** Time to read a request, wait for a slot and answer, ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Requests served at once. Default 16. */
  maxConcurrent?: number;
  /** Requests waiting for a slot. Default 256. */
  maxQueue?: number;
  /** Requests one caller may have in progress or waiting. Default 8. */
  perCallerConcurrency?: number;
  /** Requests per second one caller may start. Default 200. */
  perCallerRate?: number;
  /** 'serve' (default): callers unknown to the ledger are served at the lowest priority; 'refuse': UNKNOWN_CALLER. */
  unknownCallers?: 'serve' | 'refuse';
  /** Answer forward requests in FLOAT16 (half the bytes). Default false. */
  halfPrecision?: boolean;
  /**
   * Largest magnitude of a gradient entry accepted; a larger one is BAD_REQUEST and never applied. A real
   * gradient of a mean loss is far smaller. Default 100.
   */
  maxGradient?: number;
  /** The clock of the per-caller rate limit, ms (tests pass their own). Default performance.now. */
  now?: () => number;
}

export interface AxonComponents {
  libp2p: Libp2p;
  model: NeuronModel;
  /** The caller's stake, or undefined when the ledger does not know it. Sets its priority. */
  stakeOf(peer: PeerId): number | undefined;
  logger?: Logger;
}

/** Statistics a dashboard can show. */
export interface AxonStats {
  served: number;
  refused: Partial<Record<Code, number>>;
}

/** A request that gets an error code, not a crash. */
class RequestError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The serving side of a neuron: answers /bittensor/forward and /bittensor/backward with its model. One
 * request and one response per stream, each a varint-length-prefixed protobuf message. Every malformed,
 * oversized or over-limit request gets its error code; a frame too large to accept is refused before it is read.
 */
export class Axon {
  readonly stats: AxonStats = { served: 0, refused: {} };
  private readonly limits: Required<AxonInit>;
  private readonly admission: Admission;
  private readonly log: Logger;
  private started = false;

  constructor(
    private readonly components: AxonComponents,
    init: AxonInit = {},
  ) {
    const dim = components.model.dim;
    const maxBatch = init.maxBatch ?? 64;
    const maxSeq = init.maxSeq ?? 512;
    this.limits = {
      maxBatch,
      maxSeq,
      maxMessageBytes: init.maxMessageBytes ?? maxBatch * maxSeq * (dim + 1) * 4 + 4096,
      requestTimeoutMs: init.requestTimeoutMs ?? 10_000,
      maxConcurrent: init.maxConcurrent ?? 16,
      maxQueue: init.maxQueue ?? 256,
      perCallerConcurrency: init.perCallerConcurrency ?? 8,
      perCallerRate: init.perCallerRate ?? 200,
      unknownCallers: init.unknownCallers ?? 'serve',
      halfPrecision: init.halfPrecision ?? false,
      maxGradient: init.maxGradient ?? 100,
      now: init.now ?? (() => performance.now()),
    };
    this.admission = new Admission(this.limits, this.limits.now);
    this.log = (components.logger ?? silentLogger).child('axon');
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const opts = { maxInboundStreams: this.limits.maxConcurrent + this.limits.maxQueue, runOnLimitedConnection: false };
    await this.components.libp2p.handle(FORWARD_PROTOCOL, (s, c) => this.serve(s, c, 'forward'), opts);
    await this.components.libp2p.handle(BACKWARD_PROTOCOL, (s, c) => this.serve(s, c, 'backward'), opts);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.components.libp2p.unhandle([FORWARD_PROTOCOL, BACKWARD_PROTOCOL]);
  }

  private async serve(stream: Stream, connection: Connection, kind: 'forward' | 'backward'): Promise<void> {
    const signal = AbortSignal.timeout(this.limits.requestTimeoutMs);
    const lp = lpStream(stream, framing(this.limits.maxMessageBytes));
    const codec = kind === 'forward' ? ForwardResponse : BackwardResponse;
    let release: (() => void) | undefined;
    try {
      let frame;
      try {
        frame = await lp.read({ signal });
      } catch (error) {
        const name = (error as Error).name;
        // A declared length over the limit, or one whose varint is longer than any allowed length's.
        if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError')
          throw new RequestError(Code.TOO_LARGE, `request larger than ${this.limits.maxMessageBytes} bytes`);
        if (signal.aborted) throw new RequestError(Code.TIMEOUT, 'request not received in time');
        throw error;
      }
      const caller = connection.remotePeer;
      const stake = this.components.stakeOf(caller);
      if (stake === undefined && this.limits.unknownCallers === 'refuse') {
        throw new RequestError(Code.UNKNOWN_CALLER, 'this neuron serves registered callers only');
      }
      try {
        release = await this.admission.acquire(caller.toString(), stake ?? -1, signal);
      } catch (error) {
        if (error instanceof AdmissionRefused) {
          throw new RequestError(error.reason === 'timeout' ? Code.TIMEOUT : Code.OVERLOADED, error.message);
        }
        throw error;
      }
      const response =
        kind === 'forward'
          ? this.forward(frame.subarray())
          : BackwardResponse.encode(this.backward(frame, caller.toString()));
      await lp.write(response, { signal });
      this.stats.served++;
      await stream.close({ signal });
    } catch (error) {
      const code = error instanceof RequestError ? error.code : Code.INTERNAL;
      this.stats.refused[code] = (this.stats.refused[code] ?? 0) + 1;
      if (code === Code.INTERNAL) this.log.warn('request failed', { error: (error as Error).message });
      try {
        if (stream.status === 'open' && !signal.aborted) {
          await lp.write(codec.encode({ code, message: (error as Error).message.slice(0, 200) }), { signal });
          await stream.close({ signal });
        } else {
          stream.abort(error as Error);
        }
      } catch {
        stream.abort(error as Error);
      }
    } finally {
      release?.();
    }
  }

  /** The encoded ForwardResponse; its chunks reference the model's output, not a copy. */
  private forward(bytes: Uint8Array): Uint8ArrayList {
    const req = decode(() => ForwardRequest.decode(bytes));
    const { data, batch, seq } = this.tokens(req.modality, req.inputs);
    const out = this.components.model.forward(data, batch, seq);
    const outputs = encodeFloatTensor(out, [batch, seq, this.components.model.dim], this.limits.halfPrecision);
    return encodeWithTensor(ForwardResponse.encode({ code: Code.OK, message: '' }), OUTPUTS_FIELD, outputs);
  }

  private backward(frame: Uint8ArrayList, caller: string): BackwardResponse {
    // Gradients are as large as an answer: joined so that they can be read in place.
    const bytes = joinAligned(frame, GRADS_FIELD);
    const req = decode(() => BackwardRequest.decode(bytes));
    const { data, batch, seq } = this.tokens(req.modality, req.inputs);
    const dim = this.components.model.dim;
    const grads = this.tensor(req.grads, 'grads', batch * seq * dim);
    if (grads.kind !== 'float' || grads.shape.join() !== [batch, seq, dim].join()) {
      throw new RequestError(Code.BAD_REQUEST, `grads must be a float tensor [${batch}, ${seq}, ${dim}]`);
    }
    const bound = this.limits.maxGradient;
    const bad = firstOutOfBound(grads.data, bound);
    if (bad !== undefined) {
      const rule = Number.isFinite(bad) ? `must lie within ±${bound}` : 'must be finite';
      throw new RequestError(Code.BAD_REQUEST, `grads ${rule}`);
    }
    this.components.model.backward(data, grads.data, batch, seq, caller);
    return { code: Code.OK, message: '' };
  }

  /** Validates TEXT inputs: INT32 token ids [batch, seq] within the limits and the vocabulary. */
  private tokens(modality: Modality, inputs: Tensor | undefined): { data: Int32Array; batch: number; seq: number } {
    if (modality !== Modality.TEXT) throw new RequestError(Code.BAD_REQUEST, 'only the TEXT modality is served');
    const t = this.tensor(inputs, 'inputs', this.limits.maxBatch * this.limits.maxSeq);
    if (t.kind !== 'int' || t.shape.length !== 2)
      throw new RequestError(Code.BAD_REQUEST, 'inputs must be INT32 token ids [batch, seq]');
    const [batch, seq] = t.shape as [number, number];
    if (batch > this.limits.maxBatch || seq > this.limits.maxSeq) {
      throw new RequestError(Code.TOO_LARGE, `at most ${this.limits.maxBatch} x ${this.limits.maxSeq} tokens`);
    }
    for (let i = 0; i < t.data.length; i++) {
      const id = t.data[i]!;
      if (id < 0 || id >= VOCAB_SIZE)
        throw new RequestError(Code.BAD_REQUEST, `token id ${id} is outside the vocabulary`);
    }
    return { data: t.data, batch, seq };
  }

  private tensor(t: Tensor | undefined, field: string, maxElements: number): TensorData {
    try {
      return decodeTensor(t, field, { maxElements, maxRank: 3 });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const code = /more than/.test(error.message) ? Code.TOO_LARGE : Code.BAD_REQUEST;
      throw new RequestError(code, error.message);
    }
  }
}

/**
 * lpStream options for frames up to `maxDataLength` bytes. The byte reader under lpStream has its own buffer
 * limit (4 MiB by default) that would cut off any larger frame the limits allow: it must hold the whole frame
 * and its length prefix.
 */
export function framing(maxDataLength: number): { maxDataLength: number; maxBufferSize: number } {
  return { maxDataLength, maxBufferSize: maxDataLength + 16 };
}

function decode<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new RequestError(Code.BAD_REQUEST, `malformed message: ${(error as Error).message}`);
  }
}
