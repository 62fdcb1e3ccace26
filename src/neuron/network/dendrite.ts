// libp2p's streams call Promise.withResolvers (Node 22+): this module works as a library on older runtimes too.
import '../../shared/polyfills.js';
import { isPeerId, type Libp2p, type PeerId } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Multiaddr } from '@multiformats/multiaddr';
import type { Uint8ArrayList } from 'uint8arraylist';
import {
  decodeTensor,
  encodeFloatTensor,
  encodeIntTensor,
  encodeWithTensor,
  firstOutOfBound,
  joinAligned,
} from './codec.js';
import { BACKWARD_PROTOCOL, FORWARD_PROTOCOL, GRADS_FIELD, OUTPUTS_FIELD, framing } from './axon.js';
import {
  BackwardRequest,
  BackwardResponse,
  Code,
  ForwardRequest,
  ForwardResponse,
  Modality,
} from './proto/bittensor.js';

export interface DendriteInit {
  /** Deadline for one call to all its peers, ms. Default 5000. */
  timeoutMs?: number;
  /** First backoff after a failure, ms; doubles per consecutive failure. Default 500. */
  backoffBaseMs?: number;
  /** Longest backoff, ms. Default 60000. */
  backoffMaxMs?: number;
  /** Largest answer accepted, bytes. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Send gradients as FLOAT16. Default false. */
  halfPrecision?: boolean;
  /**
   * Largest magnitude of a value in a peer's answer; an answer holding a larger one, NaN or Infinity is refused
   * as malformed (BAD_REQUEST, a failure in the peer's statistics): one such value would make our loss, every
   * gradient and then every weight NaN. Default 1e4 (our encoders answer layer-normalized values).
   */
  maxAnswer?: number;
  /** The clock of backoffs and latencies, ms (tests pass their own). Default performance.now. */
  now?: () => number;
}

/** Per-peer statistics, kept across calls. */
export interface PeerStats {
  successes: number;
  failures: number;
  /** Exponential moving average of successful round trips, ms. */
  latencyMs: number | undefined;
  consecutiveFailures: number;
  /** The time (DendriteInit.now) before which the peer is skipped. */
  backoffUntil: number;
  lastCode: Code | 'unreachable' | 'timeout' | 'backoff' | undefined;
}

/** A peer to query: a PeerId (the peer store knows its addresses) or a full multiaddr with /p2p/. */
export type PeerTarget = PeerId | Multiaddr;

export interface ForwardResult {
  /** One entry per peer: its [batch, seq, dim] answer, or undefined. */
  outputs: Array<Float32Array | undefined>;
  /** Which peers answered in time with OK. */
  mask: boolean[];
  /** What happened per peer. */
  codes: Array<PeerStats['lastCode']>;
}

const EWMA = 0.2;

/**
 * The calling side of a neuron: queries k peers in parallel under one deadline and returns what
 * arrived, with a mask. Keeps per-peer latency and success statistics and backs off failing peers
 * exponentially (a peer in backoff is skipped without a dial).
 */
export class Dendrite {
  private readonly stats = new Map<string, PeerStats>();
  private readonly init: Required<DendriteInit>;

  constructor(
    private readonly libp2p: Libp2p,
    init: DendriteInit = {},
  ) {
    this.init = {
      timeoutMs: init.timeoutMs ?? 5000,
      backoffBaseMs: init.backoffBaseMs ?? 500,
      backoffMaxMs: init.backoffMaxMs ?? 60_000,
      maxResponseBytes: init.maxResponseBytes ?? 64 << 20,
      halfPrecision: init.halfPrecision ?? false,
      maxAnswer: init.maxAnswer ?? 1e4,
      now: init.now ?? (() => performance.now()),
    };
  }

  /** Statistics of a peer (by PeerId string). */
  peerStats(peer: string): PeerStats | undefined {
    return this.stats.get(peer);
  }

  /** Forward token ids [batch, seq] to every peer at once; answers must be [batch, seq, dim]. */
  async forward(
    peers: PeerTarget[],
    tokens: Int32Array,
    batch: number,
    seq: number,
    dim: number,
  ): Promise<ForwardResult> {
    const request = ForwardRequest.encode({ modality: Modality.TEXT, inputs: encodeIntTensor(tokens, [batch, seq]) });
    const signal = AbortSignal.timeout(this.init.timeoutMs);
    const results = await Promise.all(
      peers.map((peer) =>
        this.call(peer, FORWARD_PROTOCOL, request, signal, (frame) => {
          // One copy of the answer's chunks, its data aligned: the output is a view of it.
          const res = ForwardResponse.decode(joinAligned(frame, OUTPUTS_FIELD));
          if (res.code !== Code.OK) return { code: res.code };
          const out = decodeTensor(res.outputs, 'outputs', { maxElements: batch * seq * dim, maxRank: 3 });
          if (out.kind !== 'float' || out.shape.join() !== [batch, seq, dim].join()) return { code: Code.BAD_REQUEST };
          if (firstOutOfBound(out.data, this.init.maxAnswer) !== undefined) return { code: Code.BAD_REQUEST };
          return { code: Code.OK, value: out.data };
        }),
      ),
    );
    return {
      outputs: results.map((r) => r.value),
      mask: results.map((r) => r.code === Code.OK),
      codes: results.map((r) => r.code),
    };
  }

  /** Send gradients [batch, seq, dim] for the given inputs to each peer (grads[i] to peers[i]). */
  async backward(
    peers: PeerTarget[],
    tokens: Int32Array,
    grads: Float32Array[],
    batch: number,
    seq: number,
    dim: number,
  ): Promise<{ mask: boolean[]; codes: Array<PeerStats['lastCode']> }> {
    const inputs = encodeIntTensor(tokens, [batch, seq]);
    const signal = AbortSignal.timeout(this.init.timeoutMs);
    const results = await Promise.all(
      peers.map((peer, i) => {
        const request = encodeWithTensor(
          BackwardRequest.encode({ modality: Modality.TEXT, inputs }),
          GRADS_FIELD,
          encodeFloatTensor(grads[i]!, [batch, seq, dim], this.init.halfPrecision),
        );
        return this.call(peer, BACKWARD_PROTOCOL, request, signal, (frame) => ({
          code: BackwardResponse.decode(frame).code,
        }));
      }),
    );
    return { mask: results.map((r) => r.code === Code.OK), codes: results.map((r) => r.code) };
  }

  private async call<T>(
    peer: PeerTarget,
    protocol: string,
    request: Uint8Array | Uint8ArrayList,
    signal: AbortSignal,
    parse: (frame: Uint8ArrayList) => { code: Code; value?: T },
  ): Promise<{ code: PeerStats['lastCode']; value?: T }> {
    const id = peerKey(peer);
    const stats = this.statsOf(id);
    const started = this.init.now();
    if (started < stats.backoffUntil) {
      stats.lastCode = 'backoff';
      return { code: 'backoff' };
    }
    let outcome: { code: PeerStats['lastCode']; value?: T };
    try {
      const stream = await this.libp2p.dialProtocol(peer, protocol, { signal });
      try {
        const lp = lpStream(stream, framing(this.init.maxResponseBytes));
        await lp.write(request, { signal });
        // Nothing more to send: the end of our side follows the request at once, so that no close is left
        // to do once the answer is in.
        await stream.close({ signal });
        const frame = await lp.read({ signal });
        outcome = parse(frame);
      } catch (error) {
        stream.abort(error as Error);
        throw error;
      }
    } catch (error) {
      const name = (error as Error).name;
      // An answer over maxResponseBytes is the peer's fault (or our limit's), not a network failure.
      if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError')
        outcome = { code: Code.TOO_LARGE };
      else outcome = { code: signal.aborted ? 'timeout' : 'unreachable' };
    }
    this.record(stats, outcome.code, this.init.now() - started);
    return outcome;
  }

  private record(stats: PeerStats, code: PeerStats['lastCode'], ms: number): void {
    stats.lastCode = code;
    if (code === Code.OK) {
      stats.successes++;
      stats.consecutiveFailures = 0;
      stats.backoffUntil = 0;
      stats.latencyMs = stats.latencyMs === undefined ? ms : stats.latencyMs * (1 - EWMA) + ms * EWMA;
      return;
    }
    stats.failures++;
    // Busy peers (OVERLOADED) are not broken: retry them at the next call.
    if (code === Code.OVERLOADED) return;
    stats.consecutiveFailures++;
    const wait = Math.min(this.init.backoffMaxMs, this.init.backoffBaseMs * 2 ** (stats.consecutiveFailures - 1));
    stats.backoffUntil = this.init.now() + wait;
  }

  private statsOf(id: string): PeerStats {
    let s = this.stats.get(id);
    if (!s) {
      s = {
        successes: 0,
        failures: 0,
        latencyMs: undefined,
        consecutiveFailures: 0,
        backoffUntil: 0,
        lastCode: undefined,
      };
      this.stats.set(id, s);
    }
    return s;
  }
}

/** The PeerId string of a target (a multiaddr's /p2p/ part), the key of its statistics. */
function peerKey(peer: PeerTarget): string {
  if (isPeerId(peer)) return peer.toString();
  const text = peer.toString();
  return /\/p2p\/([^/]+)/.exec(text)?.[1] ?? text;
}
