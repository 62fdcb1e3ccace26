import { Uint8ArrayList } from 'uint8arraylist';
import { encode as encodeVarint, encodingLength } from 'uint8-varint';

/**
 * The socket protocol's framing: every message is its length as an unsigned varint, then that many bytes of
 * protobuf. (Tendermint 0.34 and js-abci used a signed, zig-zag varint; CometBFT 0.37+ does not.)
 */

/** A frame longer than the reader accepts, or a length prefix that is not a varint: the stream is unusable. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/** One message with its length prefix. */
export function frame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(encodingLength(message.length) + message.length);
  encodeVarint(message.length, out);
  out.set(message, out.length - message.length);
  return out;
}

/**
 * Collects bytes from a stream and hands out whole frames. A frame split across reads waits for the rest;
 * `maxBytes` bounds one frame (CometBFT's largest block is 100 MB), so a hostile length cannot make us buffer
 * without end.
 */
export class FrameReader {
  private readonly buffer = new Uint8ArrayList();

  constructor(private readonly maxBytes: number) {}

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.buffer.byteLength;
  }

  /** Adds bytes; returns every frame now complete, in order. Throws FrameError on a bad length. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.buffer.append(chunk);
    const frames: Uint8Array[] = [];
    for (;;) {
      const header = this.readLength();
      if (header === undefined) break;
      const [length, headerBytes] = header;
      if (this.buffer.byteLength < headerBytes + length) break;
      frames.push(this.buffer.subarray(headerBytes, headerBytes + length));
      this.buffer.consume(headerBytes + length);
    }
    return frames;
  }

  /** [length, bytes of the prefix], or undefined while the prefix is incomplete. */
  private readLength(): [number, number] | undefined {
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (i >= this.buffer.byteLength) return undefined;
      const byte = this.buffer.get(i);
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > this.maxBytes) throw new FrameError(`a frame of ${value} bytes is over the ${this.maxBytes} limit`);
        return [value, i + 1];
      }
    }
    throw new FrameError('the length prefix is not an unsigned varint');
  }
}
