// Generated from abci.proto by protons (npm run proto); do not edit.
// @ts-nocheck: the generator emits parameters it does not read, which this project's settings refuse.
/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Timestamp {
  seconds: bigint
  nanos: number
}

export namespace Timestamp {
  let _codec: Codec<Timestamp>

  export const codec = (): Codec<Timestamp> => {
    if (_codec == null) {
      _codec = message<Timestamp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seconds != null && obj.seconds !== 0n)) {
          w.uint32(8)
          w.int64(obj.seconds)
        }

        if ((obj.nanos != null && obj.nanos !== 0)) {
          w.uint32(16)
          w.int32(obj.nanos)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seconds: 0n,
          nanos: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seconds = reader.int64()
              break
            }
            case 2: {
              obj.nanos = reader.int32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seconds`,
                value: reader.int64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nanos`,
                value: reader.int32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TimestampSecondsFieldEvent {
    field: '$.seconds'
    value: bigint
  }

  export interface TimestampNanosFieldEvent {
    field: '$.nanos'
    value: number
  }

  export function encode (obj: Partial<Timestamp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Timestamp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timestamp>): Timestamp {
    return decodeMessage(buf, Timestamp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timestamp>): Generator<TimestampSecondsFieldEvent | TimestampNanosFieldEvent> {
    return streamMessage(buf, Timestamp.codec(), opts)
  }
}

export interface Request {
  echo?: RequestEcho
  flush?: RequestFlush
  info?: RequestInfo
  initChain?: RequestInitChain
  query?: RequestQuery
  checkTx?: RequestCheckTx
  commit?: RequestCommit
  listSnapshots?: RequestListSnapshots
  offerSnapshot?: RequestOfferSnapshot
  loadSnapshotChunk?: RequestLoadSnapshotChunk
  applySnapshotChunk?: RequestApplySnapshotChunk
  prepareProposal?: RequestPrepareProposal
  processProposal?: RequestProcessProposal
  extendVote?: RequestExtendVote
  verifyVoteExtension?: RequestVerifyVoteExtension
  finalizeBlock?: RequestFinalizeBlock
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.finalizeBlock != null) {
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.verifyVoteExtension != null) {
          obj.finalizeBlock = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.extendVote != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.processProposal != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.prepareProposal != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.applySnapshotChunk != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.loadSnapshotChunk != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.offerSnapshot != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.listSnapshots != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.commit != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.checkTx != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.query != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.initChain != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.info != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.flush != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.echo = undefined
        }

        if (obj.echo != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
        }

        if (obj.echo != null) {
          w.uint32(10)
          RequestEcho.codec().encode(obj.echo, w)
        }

        if (obj.flush != null) {
          w.uint32(18)
          RequestFlush.codec().encode(obj.flush, w)
        }

        if (obj.info != null) {
          w.uint32(26)
          RequestInfo.codec().encode(obj.info, w)
        }

        if (obj.initChain != null) {
          w.uint32(42)
          RequestInitChain.codec().encode(obj.initChain, w)
        }

        if (obj.query != null) {
          w.uint32(50)
          RequestQuery.codec().encode(obj.query, w)
        }

        if (obj.checkTx != null) {
          w.uint32(66)
          RequestCheckTx.codec().encode(obj.checkTx, w)
        }

        if (obj.commit != null) {
          w.uint32(90)
          RequestCommit.codec().encode(obj.commit, w)
        }

        if (obj.listSnapshots != null) {
          w.uint32(98)
          RequestListSnapshots.codec().encode(obj.listSnapshots, w)
        }

        if (obj.offerSnapshot != null) {
          w.uint32(106)
          RequestOfferSnapshot.codec().encode(obj.offerSnapshot, w)
        }

        if (obj.loadSnapshotChunk != null) {
          w.uint32(114)
          RequestLoadSnapshotChunk.codec().encode(obj.loadSnapshotChunk, w)
        }

        if (obj.applySnapshotChunk != null) {
          w.uint32(122)
          RequestApplySnapshotChunk.codec().encode(obj.applySnapshotChunk, w)
        }

        if (obj.prepareProposal != null) {
          w.uint32(130)
          RequestPrepareProposal.codec().encode(obj.prepareProposal, w)
        }

        if (obj.processProposal != null) {
          w.uint32(138)
          RequestProcessProposal.codec().encode(obj.processProposal, w)
        }

        if (obj.extendVote != null) {
          w.uint32(146)
          RequestExtendVote.codec().encode(obj.extendVote, w)
        }

        if (obj.verifyVoteExtension != null) {
          w.uint32(154)
          RequestVerifyVoteExtension.codec().encode(obj.verifyVoteExtension, w)
        }

        if (obj.finalizeBlock != null) {
          w.uint32(162)
          RequestFinalizeBlock.codec().encode(obj.finalizeBlock, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.echo = RequestEcho.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.echo
              })
              break
            }
            case 2: {
              obj.flush = RequestFlush.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.flush
              })
              break
            }
            case 3: {
              obj.info = RequestInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.info
              })
              break
            }
            case 5: {
              obj.initChain = RequestInitChain.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.initChain
              })
              break
            }
            case 6: {
              obj.query = RequestQuery.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 8: {
              obj.checkTx = RequestCheckTx.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.checkTx
              })
              break
            }
            case 11: {
              obj.commit = RequestCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commit
              })
              break
            }
            case 12: {
              obj.listSnapshots = RequestListSnapshots.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listSnapshots
              })
              break
            }
            case 13: {
              obj.offerSnapshot = RequestOfferSnapshot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offerSnapshot
              })
              break
            }
            case 14: {
              obj.loadSnapshotChunk = RequestLoadSnapshotChunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.loadSnapshotChunk
              })
              break
            }
            case 15: {
              obj.applySnapshotChunk = RequestApplySnapshotChunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.applySnapshotChunk
              })
              break
            }
            case 16: {
              obj.prepareProposal = RequestPrepareProposal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.prepareProposal
              })
              break
            }
            case 17: {
              obj.processProposal = RequestProcessProposal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.processProposal
              })
              break
            }
            case 18: {
              obj.extendVote = RequestExtendVote.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.extendVote
              })
              break
            }
            case 19: {
              obj.verifyVoteExtension = RequestVerifyVoteExtension.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.verifyVoteExtension
              })
              break
            }
            case 20: {
              obj.finalizeBlock = RequestFinalizeBlock.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.finalizeBlock
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.finalizeBlock != null) {
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.verifyVoteExtension != null) {
          delete obj.finalizeBlock
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.extendVote != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.processProposal != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.prepareProposal != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.applySnapshotChunk != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.loadSnapshotChunk != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.offerSnapshot != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.listSnapshots != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.commit != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.checkTx != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.query != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.initChain != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        if (obj.info != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.flush
          delete obj.echo
        }

        if (obj.flush != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.echo
        }

        if (obj.echo != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * RequestEcho.codec().stream(reader, reader.uint32(), `${prefix}.echo`, {
                limits: opts.limits?.echo
              })

              break
            }
            case 2: {
              yield * RequestFlush.codec().stream(reader, reader.uint32(), `${prefix}.flush`, {
                limits: opts.limits?.flush
              })

              break
            }
            case 3: {
              yield * RequestInfo.codec().stream(reader, reader.uint32(), `${prefix}.info`, {
                limits: opts.limits?.info
              })

              break
            }
            case 5: {
              yield * RequestInitChain.codec().stream(reader, reader.uint32(), `${prefix}.initChain`, {
                limits: opts.limits?.initChain
              })

              break
            }
            case 6: {
              yield * RequestQuery.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 8: {
              yield * RequestCheckTx.codec().stream(reader, reader.uint32(), `${prefix}.checkTx`, {
                limits: opts.limits?.checkTx
              })

              break
            }
            case 11: {
              yield * RequestCommit.codec().stream(reader, reader.uint32(), `${prefix}.commit`, {
                limits: opts.limits?.commit
              })

              break
            }
            case 12: {
              yield * RequestListSnapshots.codec().stream(reader, reader.uint32(), `${prefix}.listSnapshots`, {
                limits: opts.limits?.listSnapshots
              })

              break
            }
            case 13: {
              yield * RequestOfferSnapshot.codec().stream(reader, reader.uint32(), `${prefix}.offerSnapshot`, {
                limits: opts.limits?.offerSnapshot
              })

              break
            }
            case 14: {
              yield * RequestLoadSnapshotChunk.codec().stream(reader, reader.uint32(), `${prefix}.loadSnapshotChunk`, {
                limits: opts.limits?.loadSnapshotChunk
              })

              break
            }
            case 15: {
              yield * RequestApplySnapshotChunk.codec().stream(reader, reader.uint32(), `${prefix}.applySnapshotChunk`, {
                limits: opts.limits?.applySnapshotChunk
              })

              break
            }
            case 16: {
              yield * RequestPrepareProposal.codec().stream(reader, reader.uint32(), `${prefix}.prepareProposal`, {
                limits: opts.limits?.prepareProposal
              })

              break
            }
            case 17: {
              yield * RequestProcessProposal.codec().stream(reader, reader.uint32(), `${prefix}.processProposal`, {
                limits: opts.limits?.processProposal
              })

              break
            }
            case 18: {
              yield * RequestExtendVote.codec().stream(reader, reader.uint32(), `${prefix}.extendVote`, {
                limits: opts.limits?.extendVote
              })

              break
            }
            case 19: {
              yield * RequestVerifyVoteExtension.codec().stream(reader, reader.uint32(), `${prefix}.verifyVoteExtension`, {
                limits: opts.limits?.verifyVoteExtension
              })

              break
            }
            case 20: {
              yield * RequestFinalizeBlock.codec().stream(reader, reader.uint32(), `${prefix}.finalizeBlock`, {
                limits: opts.limits?.finalizeBlock
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestEchoMessageFieldEvent {
    field: '$.echo.message'
    value: string
  }

  export interface RequestInfoVersionFieldEvent {
    field: '$.info.version'
    value: string
  }

  export interface RequestInfoBlockVersionFieldEvent {
    field: '$.info.blockVersion'
    value: bigint
  }

  export interface RequestInfoP2pVersionFieldEvent {
    field: '$.info.p2pVersion'
    value: bigint
  }

  export interface RequestInfoAbciVersionFieldEvent {
    field: '$.info.abciVersion'
    value: string
  }

  export interface RequestInitChainTimeSecondsFieldEvent {
    field: '$.initChain.time.seconds'
    value: bigint
  }

  export interface RequestInitChainTimeNanosFieldEvent {
    field: '$.initChain.time.nanos'
    value: number
  }

  export interface RequestInitChainChainIdFieldEvent {
    field: '$.initChain.chainId'
    value: string
  }

  export interface RequestInitChainAppStateBytesFieldEvent {
    field: '$.initChain.appStateBytes'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestInitChainInitialHeightFieldEvent {
    field: '$.initChain.initialHeight'
    value: bigint
  }

  export interface RequestQueryDataFieldEvent {
    field: '$.query.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestQueryPathFieldEvent {
    field: '$.query.path'
    value: string
  }

  export interface RequestQueryHeightFieldEvent {
    field: '$.query.height'
    value: bigint
  }

  export interface RequestQueryProveFieldEvent {
    field: '$.query.prove'
    value: boolean
  }

  export interface RequestCheckTxTxFieldEvent {
    field: '$.checkTx.tx'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestCheckTxTypeFieldEvent {
    field: '$.checkTx.type'
    value: CheckTxType
  }

  export interface RequestOfferSnapshotAppHashFieldEvent {
    field: '$.offerSnapshot.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLoadSnapshotChunkHeightFieldEvent {
    field: '$.loadSnapshotChunk.height'
    value: bigint
  }

  export interface RequestLoadSnapshotChunkFormatFieldEvent {
    field: '$.loadSnapshotChunk.format'
    value: number
  }

  export interface RequestLoadSnapshotChunkChunkFieldEvent {
    field: '$.loadSnapshotChunk.chunk'
    value: number
  }

  export interface RequestApplySnapshotChunkIndexFieldEvent {
    field: '$.applySnapshotChunk.index'
    value: number
  }

  export interface RequestApplySnapshotChunkChunkFieldEvent {
    field: '$.applySnapshotChunk.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestApplySnapshotChunkSenderFieldEvent {
    field: '$.applySnapshotChunk.sender'
    value: string
  }

  export interface RequestPrepareProposalMaxTxBytesFieldEvent {
    field: '$.prepareProposal.maxTxBytes'
    value: bigint
  }

  export interface RequestPrepareProposalTxsFieldEvent {
    field: '$.prepareProposal.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPrepareProposalHeightFieldEvent {
    field: '$.prepareProposal.height'
    value: bigint
  }

  export interface RequestPrepareProposalTimeSecondsFieldEvent {
    field: '$.prepareProposal.time.seconds'
    value: bigint
  }

  export interface RequestPrepareProposalTimeNanosFieldEvent {
    field: '$.prepareProposal.time.nanos'
    value: number
  }

  export interface RequestPrepareProposalNextValidatorsHashFieldEvent {
    field: '$.prepareProposal.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPrepareProposalProposerAddressFieldEvent {
    field: '$.prepareProposal.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalTxsFieldEvent {
    field: '$.processProposal.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalHashFieldEvent {
    field: '$.processProposal.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalHeightFieldEvent {
    field: '$.processProposal.height'
    value: bigint
  }

  export interface RequestProcessProposalTimeSecondsFieldEvent {
    field: '$.processProposal.time.seconds'
    value: bigint
  }

  export interface RequestProcessProposalTimeNanosFieldEvent {
    field: '$.processProposal.time.nanos'
    value: number
  }

  export interface RequestProcessProposalNextValidatorsHashFieldEvent {
    field: '$.processProposal.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalProposerAddressFieldEvent {
    field: '$.processProposal.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestExtendVoteHashFieldEvent {
    field: '$.extendVote.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestExtendVoteHeightFieldEvent {
    field: '$.extendVote.height'
    value: bigint
  }

  export interface RequestVerifyVoteExtensionHashFieldEvent {
    field: '$.verifyVoteExtension.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestVerifyVoteExtensionValidatorAddressFieldEvent {
    field: '$.verifyVoteExtension.validatorAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestVerifyVoteExtensionHeightFieldEvent {
    field: '$.verifyVoteExtension.height'
    value: bigint
  }

  export interface RequestVerifyVoteExtensionVoteExtensionFieldEvent {
    field: '$.verifyVoteExtension.voteExtension'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockTxsFieldEvent {
    field: '$.finalizeBlock.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockHashFieldEvent {
    field: '$.finalizeBlock.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockHeightFieldEvent {
    field: '$.finalizeBlock.height'
    value: bigint
  }

  export interface RequestFinalizeBlockTimeSecondsFieldEvent {
    field: '$.finalizeBlock.time.seconds'
    value: bigint
  }

  export interface RequestFinalizeBlockTimeNanosFieldEvent {
    field: '$.finalizeBlock.time.nanos'
    value: number
  }

  export interface RequestFinalizeBlockNextValidatorsHashFieldEvent {
    field: '$.finalizeBlock.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockProposerAddressFieldEvent {
    field: '$.finalizeBlock.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestEchoMessageFieldEvent | RequestInfoVersionFieldEvent | RequestInfoBlockVersionFieldEvent | RequestInfoP2pVersionFieldEvent | RequestInfoAbciVersionFieldEvent | RequestInitChainTimeSecondsFieldEvent | RequestInitChainTimeNanosFieldEvent | RequestInitChainChainIdFieldEvent | RequestInitChainAppStateBytesFieldEvent | RequestInitChainInitialHeightFieldEvent | RequestQueryDataFieldEvent | RequestQueryPathFieldEvent | RequestQueryHeightFieldEvent | RequestQueryProveFieldEvent | RequestCheckTxTxFieldEvent | RequestCheckTxTypeFieldEvent | RequestOfferSnapshotAppHashFieldEvent | RequestLoadSnapshotChunkHeightFieldEvent | RequestLoadSnapshotChunkFormatFieldEvent | RequestLoadSnapshotChunkChunkFieldEvent | RequestApplySnapshotChunkIndexFieldEvent | RequestApplySnapshotChunkChunkFieldEvent | RequestApplySnapshotChunkSenderFieldEvent | RequestPrepareProposalMaxTxBytesFieldEvent | RequestPrepareProposalTxsFieldEvent | RequestPrepareProposalHeightFieldEvent | RequestPrepareProposalTimeSecondsFieldEvent | RequestPrepareProposalTimeNanosFieldEvent | RequestPrepareProposalNextValidatorsHashFieldEvent | RequestPrepareProposalProposerAddressFieldEvent | RequestProcessProposalTxsFieldEvent | RequestProcessProposalHashFieldEvent | RequestProcessProposalHeightFieldEvent | RequestProcessProposalTimeSecondsFieldEvent | RequestProcessProposalTimeNanosFieldEvent | RequestProcessProposalNextValidatorsHashFieldEvent | RequestProcessProposalProposerAddressFieldEvent | RequestExtendVoteHashFieldEvent | RequestExtendVoteHeightFieldEvent | RequestVerifyVoteExtensionHashFieldEvent | RequestVerifyVoteExtensionValidatorAddressFieldEvent | RequestVerifyVoteExtensionHeightFieldEvent | RequestVerifyVoteExtensionVoteExtensionFieldEvent | RequestFinalizeBlockTxsFieldEvent | RequestFinalizeBlockHashFieldEvent | RequestFinalizeBlockHeightFieldEvent | RequestFinalizeBlockTimeSecondsFieldEvent | RequestFinalizeBlockTimeNanosFieldEvent | RequestFinalizeBlockNextValidatorsHashFieldEvent | RequestFinalizeBlockProposerAddressFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface RequestEcho {
  message: string
}

export namespace RequestEcho {
  let _codec: Codec<RequestEcho>

  export const codec = (): Codec<RequestEcho> => {
    if (_codec == null) {
      _codec = message<RequestEcho>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(10)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestEchoMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<RequestEcho>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestEcho.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestEcho>): RequestEcho {
    return decodeMessage(buf, RequestEcho.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestEcho>): Generator<RequestEchoMessageFieldEvent> {
    return streamMessage(buf, RequestEcho.codec(), opts)
  }
}

export interface RequestFlush {}

export namespace RequestFlush {
  let _codec: Codec<RequestFlush>

  export const codec = (): Codec<RequestFlush> => {
    if (_codec == null) {
      _codec = message<RequestFlush>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<RequestFlush>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestFlush.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFlush>): RequestFlush {
    return decodeMessage(buf, RequestFlush.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFlush>): Generator<{}> {
    return streamMessage(buf, RequestFlush.codec(), opts)
  }
}

export interface RequestInfo {
  version: string
  blockVersion: bigint
  p2pVersion: bigint
  abciVersion: string
}

export namespace RequestInfo {
  let _codec: Codec<RequestInfo>

  export const codec = (): Codec<RequestInfo> => {
    if (_codec == null) {
      _codec = message<RequestInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(10)
          w.string(obj.version)
        }

        if ((obj.blockVersion != null && obj.blockVersion !== 0n)) {
          w.uint32(16)
          w.uint64(obj.blockVersion)
        }

        if ((obj.p2pVersion != null && obj.p2pVersion !== 0n)) {
          w.uint32(24)
          w.uint64(obj.p2pVersion)
        }

        if ((obj.abciVersion != null && obj.abciVersion !== '')) {
          w.uint32(34)
          w.string(obj.abciVersion)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: '',
          blockVersion: 0n,
          p2pVersion: 0n,
          abciVersion: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.string()
              break
            }
            case 2: {
              obj.blockVersion = reader.uint64()
              break
            }
            case 3: {
              obj.p2pVersion = reader.uint64()
              break
            }
            case 4: {
              obj.abciVersion = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.blockVersion`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.p2pVersion`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.abciVersion`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestInfoVersionFieldEvent {
    field: '$.version'
    value: string
  }

  export interface RequestInfoBlockVersionFieldEvent {
    field: '$.blockVersion'
    value: bigint
  }

  export interface RequestInfoP2pVersionFieldEvent {
    field: '$.p2pVersion'
    value: bigint
  }

  export interface RequestInfoAbciVersionFieldEvent {
    field: '$.abciVersion'
    value: string
  }

  export function encode (obj: Partial<RequestInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestInfo>): RequestInfo {
    return decodeMessage(buf, RequestInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestInfo>): Generator<RequestInfoVersionFieldEvent | RequestInfoBlockVersionFieldEvent | RequestInfoP2pVersionFieldEvent | RequestInfoAbciVersionFieldEvent> {
    return streamMessage(buf, RequestInfo.codec(), opts)
  }
}

export interface RequestInitChain {
  time?: Timestamp
  chainId: string
  appStateBytes: Uint8Array<ArrayBuffer>
  initialHeight: bigint
}

export namespace RequestInitChain {
  let _codec: Codec<RequestInitChain>

  export const codec = (): Codec<RequestInitChain> => {
    if (_codec == null) {
      _codec = message<RequestInitChain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.time != null) {
          w.uint32(10)
          Timestamp.codec().encode(obj.time, w)
        }

        if ((obj.chainId != null && obj.chainId !== '')) {
          w.uint32(18)
          w.string(obj.chainId)
        }

        if ((obj.appStateBytes != null && obj.appStateBytes.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.appStateBytes)
        }

        if ((obj.initialHeight != null && obj.initialHeight !== 0n)) {
          w.uint32(48)
          w.int64(obj.initialHeight)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chainId: '',
          appStateBytes: uint8ArrayAlloc(0),
          initialHeight: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.time = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.time
              })
              break
            }
            case 2: {
              obj.chainId = reader.string()
              break
            }
            case 5: {
              obj.appStateBytes = reader.bytes()
              break
            }
            case 6: {
              obj.initialHeight = reader.int64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Timestamp.codec().stream(reader, reader.uint32(), `${prefix}.time`, {
                limits: opts.limits?.time
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.chainId`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.appStateBytes`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.initialHeight`,
                value: reader.int64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestInitChainTimeSecondsFieldEvent {
    field: '$.time.seconds'
    value: bigint
  }

  export interface RequestInitChainTimeNanosFieldEvent {
    field: '$.time.nanos'
    value: number
  }

  export interface RequestInitChainChainIdFieldEvent {
    field: '$.chainId'
    value: string
  }

  export interface RequestInitChainAppStateBytesFieldEvent {
    field: '$.appStateBytes'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestInitChainInitialHeightFieldEvent {
    field: '$.initialHeight'
    value: bigint
  }

  export function encode (obj: Partial<RequestInitChain>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestInitChain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestInitChain>): RequestInitChain {
    return decodeMessage(buf, RequestInitChain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestInitChain>): Generator<RequestInitChainTimeSecondsFieldEvent | RequestInitChainTimeNanosFieldEvent | RequestInitChainChainIdFieldEvent | RequestInitChainAppStateBytesFieldEvent | RequestInitChainInitialHeightFieldEvent> {
    return streamMessage(buf, RequestInitChain.codec(), opts)
  }
}

export interface RequestQuery {
  data: Uint8Array<ArrayBuffer>
  path: string
  height: bigint
  prove: boolean
}

export namespace RequestQuery {
  let _codec: Codec<RequestQuery>

  export const codec = (): Codec<RequestQuery> => {
    if (_codec == null) {
      _codec = message<RequestQuery>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.data)
        }

        if ((obj.path != null && obj.path !== '')) {
          w.uint32(18)
          w.string(obj.path)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(24)
          w.int64(obj.height)
        }

        if ((obj.prove != null && obj.prove !== false)) {
          w.uint32(32)
          w.bool(obj.prove)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          data: uint8ArrayAlloc(0),
          path: '',
          height: 0n,
          prove: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.data = reader.bytes()
              break
            }
            case 2: {
              obj.path = reader.string()
              break
            }
            case 3: {
              obj.height = reader.int64()
              break
            }
            case 4: {
              obj.prove = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.path`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.prove`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestQueryDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestQueryPathFieldEvent {
    field: '$.path'
    value: string
  }

  export interface RequestQueryHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestQueryProveFieldEvent {
    field: '$.prove'
    value: boolean
  }

  export function encode (obj: Partial<RequestQuery>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestQuery.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestQuery>): RequestQuery {
    return decodeMessage(buf, RequestQuery.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestQuery>): Generator<RequestQueryDataFieldEvent | RequestQueryPathFieldEvent | RequestQueryHeightFieldEvent | RequestQueryProveFieldEvent> {
    return streamMessage(buf, RequestQuery.codec(), opts)
  }
}

export enum CheckTxType {
  NEW = 'NEW',
  RECHECK = 'RECHECK'
}

enum __CheckTxTypeValues {
  NEW = 0,
  RECHECK = 1
}

export namespace CheckTxType {
  export const codec = (): Codec<CheckTxType> => {
    return enumeration<CheckTxType>(__CheckTxTypeValues)
  }
}

export interface RequestCheckTx {
  tx: Uint8Array<ArrayBuffer>
  type: CheckTxType
}

export namespace RequestCheckTx {
  let _codec: Codec<RequestCheckTx>

  export const codec = (): Codec<RequestCheckTx> => {
    if (_codec == null) {
      _codec = message<RequestCheckTx>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.tx != null && obj.tx.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.tx)
        }

        if (obj.type != null && __CheckTxTypeValues[obj.type] !== 0) {
          w.uint32(16)
          CheckTxType.codec().encode(obj.type, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          tx: uint8ArrayAlloc(0),
          type: CheckTxType.NEW
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.tx = reader.bytes()
              break
            }
            case 2: {
              obj.type = CheckTxType.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.tx`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: CheckTxType.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestCheckTxTxFieldEvent {
    field: '$.tx'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestCheckTxTypeFieldEvent {
    field: '$.type'
    value: CheckTxType
  }

  export function encode (obj: Partial<RequestCheckTx>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestCheckTx.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestCheckTx>): RequestCheckTx {
    return decodeMessage(buf, RequestCheckTx.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestCheckTx>): Generator<RequestCheckTxTxFieldEvent | RequestCheckTxTypeFieldEvent> {
    return streamMessage(buf, RequestCheckTx.codec(), opts)
  }
}

export interface RequestCommit {}

export namespace RequestCommit {
  let _codec: Codec<RequestCommit>

  export const codec = (): Codec<RequestCommit> => {
    if (_codec == null) {
      _codec = message<RequestCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<RequestCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestCommit>): RequestCommit {
    return decodeMessage(buf, RequestCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestCommit>): Generator<{}> {
    return streamMessage(buf, RequestCommit.codec(), opts)
  }
}

export interface RequestListSnapshots {}

export namespace RequestListSnapshots {
  let _codec: Codec<RequestListSnapshots>

  export const codec = (): Codec<RequestListSnapshots> => {
    if (_codec == null) {
      _codec = message<RequestListSnapshots>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<RequestListSnapshots>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestListSnapshots.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestListSnapshots>): RequestListSnapshots {
    return decodeMessage(buf, RequestListSnapshots.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestListSnapshots>): Generator<{}> {
    return streamMessage(buf, RequestListSnapshots.codec(), opts)
  }
}

export interface RequestOfferSnapshot {
  appHash: Uint8Array<ArrayBuffer>
}

export namespace RequestOfferSnapshot {
  let _codec: Codec<RequestOfferSnapshot>

  export const codec = (): Codec<RequestOfferSnapshot> => {
    if (_codec == null) {
      _codec = message<RequestOfferSnapshot>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.appHash != null && obj.appHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.appHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          appHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 2: {
              obj.appHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 2: {
              yield {
                field: `${prefix}.appHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestOfferSnapshotAppHashFieldEvent {
    field: '$.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestOfferSnapshot>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestOfferSnapshot.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestOfferSnapshot>): RequestOfferSnapshot {
    return decodeMessage(buf, RequestOfferSnapshot.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestOfferSnapshot>): Generator<RequestOfferSnapshotAppHashFieldEvent> {
    return streamMessage(buf, RequestOfferSnapshot.codec(), opts)
  }
}

export interface RequestLoadSnapshotChunk {
  height: bigint
  format: number
  chunk: number
}

export namespace RequestLoadSnapshotChunk {
  let _codec: Codec<RequestLoadSnapshotChunk>

  export const codec = (): Codec<RequestLoadSnapshotChunk> => {
    if (_codec == null) {
      _codec = message<RequestLoadSnapshotChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(8)
          w.uint64(obj.height)
        }

        if ((obj.format != null && obj.format !== 0)) {
          w.uint32(16)
          w.uint32(obj.format)
        }

        if ((obj.chunk != null && obj.chunk !== 0)) {
          w.uint32(24)
          w.uint32(obj.chunk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          height: 0n,
          format: 0,
          chunk: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.height = reader.uint64()
              break
            }
            case 2: {
              obj.format = reader.uint32()
              break
            }
            case 3: {
              obj.chunk = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.format`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.chunk`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestLoadSnapshotChunkHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestLoadSnapshotChunkFormatFieldEvent {
    field: '$.format'
    value: number
  }

  export interface RequestLoadSnapshotChunkChunkFieldEvent {
    field: '$.chunk'
    value: number
  }

  export function encode (obj: Partial<RequestLoadSnapshotChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestLoadSnapshotChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestLoadSnapshotChunk>): RequestLoadSnapshotChunk {
    return decodeMessage(buf, RequestLoadSnapshotChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestLoadSnapshotChunk>): Generator<RequestLoadSnapshotChunkHeightFieldEvent | RequestLoadSnapshotChunkFormatFieldEvent | RequestLoadSnapshotChunkChunkFieldEvent> {
    return streamMessage(buf, RequestLoadSnapshotChunk.codec(), opts)
  }
}

export interface RequestApplySnapshotChunk {
  index: number
  chunk: Uint8Array<ArrayBuffer>
  sender: string
}

export namespace RequestApplySnapshotChunk {
  let _codec: Codec<RequestApplySnapshotChunk>

  export const codec = (): Codec<RequestApplySnapshotChunk> => {
    if (_codec == null) {
      _codec = message<RequestApplySnapshotChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.chunk != null && obj.chunk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.chunk)
        }

        if ((obj.sender != null && obj.sender !== '')) {
          w.uint32(26)
          w.string(obj.sender)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          chunk: uint8ArrayAlloc(0),
          sender: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.chunk = reader.bytes()
              break
            }
            case 3: {
              obj.sender = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.chunk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sender`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestApplySnapshotChunkIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface RequestApplySnapshotChunkChunkFieldEvent {
    field: '$.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestApplySnapshotChunkSenderFieldEvent {
    field: '$.sender'
    value: string
  }

  export function encode (obj: Partial<RequestApplySnapshotChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestApplySnapshotChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestApplySnapshotChunk>): RequestApplySnapshotChunk {
    return decodeMessage(buf, RequestApplySnapshotChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestApplySnapshotChunk>): Generator<RequestApplySnapshotChunkIndexFieldEvent | RequestApplySnapshotChunkChunkFieldEvent | RequestApplySnapshotChunkSenderFieldEvent> {
    return streamMessage(buf, RequestApplySnapshotChunk.codec(), opts)
  }
}

export interface RequestPrepareProposal {
  maxTxBytes: bigint
  txs: Uint8Array<ArrayBuffer>[]
  height: bigint
  time?: Timestamp
  nextValidatorsHash: Uint8Array<ArrayBuffer>
  proposerAddress: Uint8Array<ArrayBuffer>
}

export namespace RequestPrepareProposal {
  let _codec: Codec<RequestPrepareProposal>

  export const codec = (): Codec<RequestPrepareProposal> => {
    if (_codec == null) {
      _codec = message<RequestPrepareProposal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.maxTxBytes != null && obj.maxTxBytes !== 0n)) {
          w.uint32(8)
          w.int64(obj.maxTxBytes)
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(40)
          w.int64(obj.height)
        }

        if (obj.time != null) {
          w.uint32(50)
          Timestamp.codec().encode(obj.time, w)
        }

        if ((obj.nextValidatorsHash != null && obj.nextValidatorsHash.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.nextValidatorsHash)
        }

        if ((obj.proposerAddress != null && obj.proposerAddress.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.proposerAddress)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          maxTxBytes: 0n,
          txs: [],
          height: 0n,
          nextValidatorsHash: uint8ArrayAlloc(0),
          proposerAddress: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.maxTxBytes = reader.int64()
              break
            }
            case 2: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
              break
            }
            case 5: {
              obj.height = reader.int64()
              break
            }
            case 6: {
              obj.time = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.time
              })
              break
            }
            case 7: {
              obj.nextValidatorsHash = reader.bytes()
              break
            }
            case 8: {
              obj.proposerAddress = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.maxTxBytes`,
                value: reader.int64()
              }
              break
            }
            case 2: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield * Timestamp.codec().stream(reader, reader.uint32(), `${prefix}.time`, {
                limits: opts.limits?.time
              })

              break
            }
            case 7: {
              yield {
                field: `${prefix}.nextValidatorsHash`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.proposerAddress`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestPrepareProposalMaxTxBytesFieldEvent {
    field: '$.maxTxBytes'
    value: bigint
  }

  export interface RequestPrepareProposalTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPrepareProposalHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestPrepareProposalTimeSecondsFieldEvent {
    field: '$.time.seconds'
    value: bigint
  }

  export interface RequestPrepareProposalTimeNanosFieldEvent {
    field: '$.time.nanos'
    value: number
  }

  export interface RequestPrepareProposalNextValidatorsHashFieldEvent {
    field: '$.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPrepareProposalProposerAddressFieldEvent {
    field: '$.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestPrepareProposal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestPrepareProposal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestPrepareProposal>): RequestPrepareProposal {
    return decodeMessage(buf, RequestPrepareProposal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestPrepareProposal>): Generator<RequestPrepareProposalMaxTxBytesFieldEvent | RequestPrepareProposalTxsFieldEvent | RequestPrepareProposalHeightFieldEvent | RequestPrepareProposalTimeSecondsFieldEvent | RequestPrepareProposalTimeNanosFieldEvent | RequestPrepareProposalNextValidatorsHashFieldEvent | RequestPrepareProposalProposerAddressFieldEvent> {
    return streamMessage(buf, RequestPrepareProposal.codec(), opts)
  }
}

export interface RequestProcessProposal {
  txs: Uint8Array<ArrayBuffer>[]
  hash: Uint8Array<ArrayBuffer>
  height: bigint
  time?: Timestamp
  nextValidatorsHash: Uint8Array<ArrayBuffer>
  proposerAddress: Uint8Array<ArrayBuffer>
}

export namespace RequestProcessProposal {
  let _codec: Codec<RequestProcessProposal>

  export const codec = (): Codec<RequestProcessProposal> => {
    if (_codec == null) {
      _codec = message<RequestProcessProposal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.hash)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(40)
          w.int64(obj.height)
        }

        if (obj.time != null) {
          w.uint32(50)
          Timestamp.codec().encode(obj.time, w)
        }

        if ((obj.nextValidatorsHash != null && obj.nextValidatorsHash.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.nextValidatorsHash)
        }

        if ((obj.proposerAddress != null && obj.proposerAddress.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.proposerAddress)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txs: [],
          hash: uint8ArrayAlloc(0),
          height: 0n,
          nextValidatorsHash: uint8ArrayAlloc(0),
          proposerAddress: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
              break
            }
            case 4: {
              obj.hash = reader.bytes()
              break
            }
            case 5: {
              obj.height = reader.int64()
              break
            }
            case 6: {
              obj.time = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.time
              })
              break
            }
            case 7: {
              obj.nextValidatorsHash = reader.bytes()
              break
            }
            case 8: {
              obj.proposerAddress = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield * Timestamp.codec().stream(reader, reader.uint32(), `${prefix}.time`, {
                limits: opts.limits?.time
              })

              break
            }
            case 7: {
              yield {
                field: `${prefix}.nextValidatorsHash`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.proposerAddress`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestProcessProposalTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestProcessProposalTimeSecondsFieldEvent {
    field: '$.time.seconds'
    value: bigint
  }

  export interface RequestProcessProposalTimeNanosFieldEvent {
    field: '$.time.nanos'
    value: number
  }

  export interface RequestProcessProposalNextValidatorsHashFieldEvent {
    field: '$.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestProcessProposalProposerAddressFieldEvent {
    field: '$.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestProcessProposal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestProcessProposal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestProcessProposal>): RequestProcessProposal {
    return decodeMessage(buf, RequestProcessProposal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestProcessProposal>): Generator<RequestProcessProposalTxsFieldEvent | RequestProcessProposalHashFieldEvent | RequestProcessProposalHeightFieldEvent | RequestProcessProposalTimeSecondsFieldEvent | RequestProcessProposalTimeNanosFieldEvent | RequestProcessProposalNextValidatorsHashFieldEvent | RequestProcessProposalProposerAddressFieldEvent> {
    return streamMessage(buf, RequestProcessProposal.codec(), opts)
  }
}

export interface RequestExtendVote {
  hash: Uint8Array<ArrayBuffer>
  height: bigint
}

export namespace RequestExtendVote {
  let _codec: Codec<RequestExtendVote>

  export const codec = (): Codec<RequestExtendVote> => {
    if (_codec == null) {
      _codec = message<RequestExtendVote>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.hash)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(16)
          w.int64(obj.height)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hash: uint8ArrayAlloc(0),
          height: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hash = reader.bytes()
              break
            }
            case 2: {
              obj.height = reader.int64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestExtendVoteHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestExtendVoteHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export function encode (obj: Partial<RequestExtendVote>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestExtendVote.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestExtendVote>): RequestExtendVote {
    return decodeMessage(buf, RequestExtendVote.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestExtendVote>): Generator<RequestExtendVoteHashFieldEvent | RequestExtendVoteHeightFieldEvent> {
    return streamMessage(buf, RequestExtendVote.codec(), opts)
  }
}

export interface RequestVerifyVoteExtension {
  hash: Uint8Array<ArrayBuffer>
  validatorAddress: Uint8Array<ArrayBuffer>
  height: bigint
  voteExtension: Uint8Array<ArrayBuffer>
}

export namespace RequestVerifyVoteExtension {
  let _codec: Codec<RequestVerifyVoteExtension>

  export const codec = (): Codec<RequestVerifyVoteExtension> => {
    if (_codec == null) {
      _codec = message<RequestVerifyVoteExtension>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.hash)
        }

        if ((obj.validatorAddress != null && obj.validatorAddress.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.validatorAddress)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(24)
          w.int64(obj.height)
        }

        if ((obj.voteExtension != null && obj.voteExtension.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.voteExtension)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hash: uint8ArrayAlloc(0),
          validatorAddress: uint8ArrayAlloc(0),
          height: 0n,
          voteExtension: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hash = reader.bytes()
              break
            }
            case 2: {
              obj.validatorAddress = reader.bytes()
              break
            }
            case 3: {
              obj.height = reader.int64()
              break
            }
            case 4: {
              obj.voteExtension = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.validatorAddress`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.voteExtension`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestVerifyVoteExtensionHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestVerifyVoteExtensionValidatorAddressFieldEvent {
    field: '$.validatorAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestVerifyVoteExtensionHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestVerifyVoteExtensionVoteExtensionFieldEvent {
    field: '$.voteExtension'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestVerifyVoteExtension>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestVerifyVoteExtension.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestVerifyVoteExtension>): RequestVerifyVoteExtension {
    return decodeMessage(buf, RequestVerifyVoteExtension.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestVerifyVoteExtension>): Generator<RequestVerifyVoteExtensionHashFieldEvent | RequestVerifyVoteExtensionValidatorAddressFieldEvent | RequestVerifyVoteExtensionHeightFieldEvent | RequestVerifyVoteExtensionVoteExtensionFieldEvent> {
    return streamMessage(buf, RequestVerifyVoteExtension.codec(), opts)
  }
}

export interface RequestFinalizeBlock {
  txs: Uint8Array<ArrayBuffer>[]
  hash: Uint8Array<ArrayBuffer>
  height: bigint
  time?: Timestamp
  nextValidatorsHash: Uint8Array<ArrayBuffer>
  proposerAddress: Uint8Array<ArrayBuffer>
}

export namespace RequestFinalizeBlock {
  let _codec: Codec<RequestFinalizeBlock>

  export const codec = (): Codec<RequestFinalizeBlock> => {
    if (_codec == null) {
      _codec = message<RequestFinalizeBlock>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.hash)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(40)
          w.int64(obj.height)
        }

        if (obj.time != null) {
          w.uint32(50)
          Timestamp.codec().encode(obj.time, w)
        }

        if ((obj.nextValidatorsHash != null && obj.nextValidatorsHash.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.nextValidatorsHash)
        }

        if ((obj.proposerAddress != null && obj.proposerAddress.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.proposerAddress)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txs: [],
          hash: uint8ArrayAlloc(0),
          height: 0n,
          nextValidatorsHash: uint8ArrayAlloc(0),
          proposerAddress: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
              break
            }
            case 4: {
              obj.hash = reader.bytes()
              break
            }
            case 5: {
              obj.height = reader.int64()
              break
            }
            case 6: {
              obj.time = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.time
              })
              break
            }
            case 7: {
              obj.nextValidatorsHash = reader.bytes()
              break
            }
            case 8: {
              obj.proposerAddress = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield * Timestamp.codec().stream(reader, reader.uint32(), `${prefix}.time`, {
                limits: opts.limits?.time
              })

              break
            }
            case 7: {
              yield {
                field: `${prefix}.nextValidatorsHash`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.proposerAddress`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestFinalizeBlockTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface RequestFinalizeBlockTimeSecondsFieldEvent {
    field: '$.time.seconds'
    value: bigint
  }

  export interface RequestFinalizeBlockTimeNanosFieldEvent {
    field: '$.time.nanos'
    value: number
  }

  export interface RequestFinalizeBlockNextValidatorsHashFieldEvent {
    field: '$.nextValidatorsHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFinalizeBlockProposerAddressFieldEvent {
    field: '$.proposerAddress'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestFinalizeBlock>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestFinalizeBlock.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFinalizeBlock>): RequestFinalizeBlock {
    return decodeMessage(buf, RequestFinalizeBlock.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFinalizeBlock>): Generator<RequestFinalizeBlockTxsFieldEvent | RequestFinalizeBlockHashFieldEvent | RequestFinalizeBlockHeightFieldEvent | RequestFinalizeBlockTimeSecondsFieldEvent | RequestFinalizeBlockTimeNanosFieldEvent | RequestFinalizeBlockNextValidatorsHashFieldEvent | RequestFinalizeBlockProposerAddressFieldEvent> {
    return streamMessage(buf, RequestFinalizeBlock.codec(), opts)
  }
}

export interface Response {
  exception?: ResponseException
  echo?: ResponseEcho
  flush?: ResponseFlush
  info?: ResponseInfo
  initChain?: ResponseInitChain
  query?: ResponseQuery
  checkTx?: ResponseCheckTx
  commit?: ResponseCommit
  listSnapshots?: ResponseListSnapshots
  offerSnapshot?: ResponseOfferSnapshot
  loadSnapshotChunk?: ResponseLoadSnapshotChunk
  applySnapshotChunk?: ResponseApplySnapshotChunk
  prepareProposal?: ResponsePrepareProposal
  processProposal?: ResponseProcessProposal
  extendVote?: ResponseExtendVote
  verifyVoteExtension?: ResponseVerifyVoteExtension
  finalizeBlock?: ResponseFinalizeBlock
}

export namespace Response {
  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.finalizeBlock != null) {
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.verifyVoteExtension != null) {
          obj.finalizeBlock = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.extendVote != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.processProposal != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.prepareProposal != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.applySnapshotChunk != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.loadSnapshotChunk != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.offerSnapshot != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.listSnapshots != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.commit != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.checkTx != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.query != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.initChain != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.info != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.flush = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.flush != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.echo = undefined
          obj.exception = undefined
        }

        if (obj.echo != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.exception = undefined
        }

        if (obj.exception != null) {
          obj.finalizeBlock = undefined
          obj.verifyVoteExtension = undefined
          obj.extendVote = undefined
          obj.processProposal = undefined
          obj.prepareProposal = undefined
          obj.applySnapshotChunk = undefined
          obj.loadSnapshotChunk = undefined
          obj.offerSnapshot = undefined
          obj.listSnapshots = undefined
          obj.commit = undefined
          obj.checkTx = undefined
          obj.query = undefined
          obj.initChain = undefined
          obj.info = undefined
          obj.flush = undefined
          obj.echo = undefined
        }

        if (obj.exception != null) {
          w.uint32(10)
          ResponseException.codec().encode(obj.exception, w)
        }

        if (obj.echo != null) {
          w.uint32(18)
          ResponseEcho.codec().encode(obj.echo, w)
        }

        if (obj.flush != null) {
          w.uint32(26)
          ResponseFlush.codec().encode(obj.flush, w)
        }

        if (obj.info != null) {
          w.uint32(34)
          ResponseInfo.codec().encode(obj.info, w)
        }

        if (obj.initChain != null) {
          w.uint32(50)
          ResponseInitChain.codec().encode(obj.initChain, w)
        }

        if (obj.query != null) {
          w.uint32(58)
          ResponseQuery.codec().encode(obj.query, w)
        }

        if (obj.checkTx != null) {
          w.uint32(74)
          ResponseCheckTx.codec().encode(obj.checkTx, w)
        }

        if (obj.commit != null) {
          w.uint32(98)
          ResponseCommit.codec().encode(obj.commit, w)
        }

        if (obj.listSnapshots != null) {
          w.uint32(106)
          ResponseListSnapshots.codec().encode(obj.listSnapshots, w)
        }

        if (obj.offerSnapshot != null) {
          w.uint32(114)
          ResponseOfferSnapshot.codec().encode(obj.offerSnapshot, w)
        }

        if (obj.loadSnapshotChunk != null) {
          w.uint32(122)
          ResponseLoadSnapshotChunk.codec().encode(obj.loadSnapshotChunk, w)
        }

        if (obj.applySnapshotChunk != null) {
          w.uint32(130)
          ResponseApplySnapshotChunk.codec().encode(obj.applySnapshotChunk, w)
        }

        if (obj.prepareProposal != null) {
          w.uint32(138)
          ResponsePrepareProposal.codec().encode(obj.prepareProposal, w)
        }

        if (obj.processProposal != null) {
          w.uint32(146)
          ResponseProcessProposal.codec().encode(obj.processProposal, w)
        }

        if (obj.extendVote != null) {
          w.uint32(154)
          ResponseExtendVote.codec().encode(obj.extendVote, w)
        }

        if (obj.verifyVoteExtension != null) {
          w.uint32(162)
          ResponseVerifyVoteExtension.codec().encode(obj.verifyVoteExtension, w)
        }

        if (obj.finalizeBlock != null) {
          w.uint32(170)
          ResponseFinalizeBlock.codec().encode(obj.finalizeBlock, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.exception = ResponseException.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.exception
              })
              break
            }
            case 2: {
              obj.echo = ResponseEcho.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.echo
              })
              break
            }
            case 3: {
              obj.flush = ResponseFlush.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.flush
              })
              break
            }
            case 4: {
              obj.info = ResponseInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.info
              })
              break
            }
            case 6: {
              obj.initChain = ResponseInitChain.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.initChain
              })
              break
            }
            case 7: {
              obj.query = ResponseQuery.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 9: {
              obj.checkTx = ResponseCheckTx.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.checkTx
              })
              break
            }
            case 12: {
              obj.commit = ResponseCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commit
              })
              break
            }
            case 13: {
              obj.listSnapshots = ResponseListSnapshots.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listSnapshots
              })
              break
            }
            case 14: {
              obj.offerSnapshot = ResponseOfferSnapshot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offerSnapshot
              })
              break
            }
            case 15: {
              obj.loadSnapshotChunk = ResponseLoadSnapshotChunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.loadSnapshotChunk
              })
              break
            }
            case 16: {
              obj.applySnapshotChunk = ResponseApplySnapshotChunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.applySnapshotChunk
              })
              break
            }
            case 17: {
              obj.prepareProposal = ResponsePrepareProposal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.prepareProposal
              })
              break
            }
            case 18: {
              obj.processProposal = ResponseProcessProposal.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.processProposal
              })
              break
            }
            case 19: {
              obj.extendVote = ResponseExtendVote.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.extendVote
              })
              break
            }
            case 20: {
              obj.verifyVoteExtension = ResponseVerifyVoteExtension.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.verifyVoteExtension
              })
              break
            }
            case 21: {
              obj.finalizeBlock = ResponseFinalizeBlock.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.finalizeBlock
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.finalizeBlock != null) {
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.verifyVoteExtension != null) {
          delete obj.finalizeBlock
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.extendVote != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.processProposal != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.prepareProposal != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.applySnapshotChunk != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.loadSnapshotChunk != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.offerSnapshot != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.listSnapshots != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.commit != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.checkTx != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.query != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.initChain != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.info
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.info != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.flush
          delete obj.echo
          delete obj.exception
        }

        if (obj.flush != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.echo
          delete obj.exception
        }

        if (obj.echo != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.exception
        }

        if (obj.exception != null) {
          delete obj.finalizeBlock
          delete obj.verifyVoteExtension
          delete obj.extendVote
          delete obj.processProposal
          delete obj.prepareProposal
          delete obj.applySnapshotChunk
          delete obj.loadSnapshotChunk
          delete obj.offerSnapshot
          delete obj.listSnapshots
          delete obj.commit
          delete obj.checkTx
          delete obj.query
          delete obj.initChain
          delete obj.info
          delete obj.flush
          delete obj.echo
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * ResponseException.codec().stream(reader, reader.uint32(), `${prefix}.exception`, {
                limits: opts.limits?.exception
              })

              break
            }
            case 2: {
              yield * ResponseEcho.codec().stream(reader, reader.uint32(), `${prefix}.echo`, {
                limits: opts.limits?.echo
              })

              break
            }
            case 3: {
              yield * ResponseFlush.codec().stream(reader, reader.uint32(), `${prefix}.flush`, {
                limits: opts.limits?.flush
              })

              break
            }
            case 4: {
              yield * ResponseInfo.codec().stream(reader, reader.uint32(), `${prefix}.info`, {
                limits: opts.limits?.info
              })

              break
            }
            case 6: {
              yield * ResponseInitChain.codec().stream(reader, reader.uint32(), `${prefix}.initChain`, {
                limits: opts.limits?.initChain
              })

              break
            }
            case 7: {
              yield * ResponseQuery.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 9: {
              yield * ResponseCheckTx.codec().stream(reader, reader.uint32(), `${prefix}.checkTx`, {
                limits: opts.limits?.checkTx
              })

              break
            }
            case 12: {
              yield * ResponseCommit.codec().stream(reader, reader.uint32(), `${prefix}.commit`, {
                limits: opts.limits?.commit
              })

              break
            }
            case 13: {
              yield * ResponseListSnapshots.codec().stream(reader, reader.uint32(), `${prefix}.listSnapshots`, {
                limits: opts.limits?.listSnapshots
              })

              break
            }
            case 14: {
              yield * ResponseOfferSnapshot.codec().stream(reader, reader.uint32(), `${prefix}.offerSnapshot`, {
                limits: opts.limits?.offerSnapshot
              })

              break
            }
            case 15: {
              yield * ResponseLoadSnapshotChunk.codec().stream(reader, reader.uint32(), `${prefix}.loadSnapshotChunk`, {
                limits: opts.limits?.loadSnapshotChunk
              })

              break
            }
            case 16: {
              yield * ResponseApplySnapshotChunk.codec().stream(reader, reader.uint32(), `${prefix}.applySnapshotChunk`, {
                limits: opts.limits?.applySnapshotChunk
              })

              break
            }
            case 17: {
              yield * ResponsePrepareProposal.codec().stream(reader, reader.uint32(), `${prefix}.prepareProposal`, {
                limits: opts.limits?.prepareProposal
              })

              break
            }
            case 18: {
              yield * ResponseProcessProposal.codec().stream(reader, reader.uint32(), `${prefix}.processProposal`, {
                limits: opts.limits?.processProposal
              })

              break
            }
            case 19: {
              yield * ResponseExtendVote.codec().stream(reader, reader.uint32(), `${prefix}.extendVote`, {
                limits: opts.limits?.extendVote
              })

              break
            }
            case 20: {
              yield * ResponseVerifyVoteExtension.codec().stream(reader, reader.uint32(), `${prefix}.verifyVoteExtension`, {
                limits: opts.limits?.verifyVoteExtension
              })

              break
            }
            case 21: {
              yield * ResponseFinalizeBlock.codec().stream(reader, reader.uint32(), `${prefix}.finalizeBlock`, {
                limits: opts.limits?.finalizeBlock
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseExceptionErrorFieldEvent {
    field: '$.exception.error'
    value: string
  }

  export interface ResponseEchoMessageFieldEvent {
    field: '$.echo.message'
    value: string
  }

  export interface ResponseInfoDataFieldEvent {
    field: '$.info.data'
    value: string
  }

  export interface ResponseInfoVersionFieldEvent {
    field: '$.info.version'
    value: string
  }

  export interface ResponseInfoAppVersionFieldEvent {
    field: '$.info.appVersion'
    value: bigint
  }

  export interface ResponseInfoLastBlockHeightFieldEvent {
    field: '$.info.lastBlockHeight'
    value: bigint
  }

  export interface ResponseInfoLastBlockAppHashFieldEvent {
    field: '$.info.lastBlockAppHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseInitChainAppHashFieldEvent {
    field: '$.initChain.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueryCodeFieldEvent {
    field: '$.query.code'
    value: number
  }

  export interface ResponseQueryLogFieldEvent {
    field: '$.query.log'
    value: string
  }

  export interface ResponseQueryInfoFieldEvent {
    field: '$.query.info'
    value: string
  }

  export interface ResponseQueryIndexFieldEvent {
    field: '$.query.index'
    value: bigint
  }

  export interface ResponseQueryKeyFieldEvent {
    field: '$.query.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueryValueFieldEvent {
    field: '$.query.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueryHeightFieldEvent {
    field: '$.query.height'
    value: bigint
  }

  export interface ResponseQueryCodespaceFieldEvent {
    field: '$.query.codespace'
    value: string
  }

  export interface ResponseCheckTxCodeFieldEvent {
    field: '$.checkTx.code'
    value: number
  }

  export interface ResponseCheckTxDataFieldEvent {
    field: '$.checkTx.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseCheckTxLogFieldEvent {
    field: '$.checkTx.log'
    value: string
  }

  export interface ResponseCheckTxInfoFieldEvent {
    field: '$.checkTx.info'
    value: string
  }

  export interface ResponseCheckTxGasWantedFieldEvent {
    field: '$.checkTx.gasWanted'
    value: bigint
  }

  export interface ResponseCheckTxGasUsedFieldEvent {
    field: '$.checkTx.gasUsed'
    value: bigint
  }

  export interface ResponseCheckTxEventsTypeFieldEvent {
    field: '$.checkTx.events[].type'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesKeyFieldEvent {
    field: '$.checkTx.events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesValueFieldEvent {
    field: '$.checkTx.events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesIndexFieldEvent {
    field: '$.checkTx.events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseCheckTxCodespaceFieldEvent {
    field: '$.checkTx.codespace'
    value: string
  }

  export interface ResponseCommitRetainHeightFieldEvent {
    field: '$.commit.retainHeight'
    value: bigint
  }

  export interface ResponseOfferSnapshotResultFieldEvent {
    field: '$.offerSnapshot.result'
    value: ResponseOfferSnapshot.Result
  }

  export interface ResponseLoadSnapshotChunkChunkFieldEvent {
    field: '$.loadSnapshotChunk.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseApplySnapshotChunkResultFieldEvent {
    field: '$.applySnapshotChunk.result'
    value: ResponseApplySnapshotChunk.Result
  }

  export interface ResponsePrepareProposalTxsFieldEvent {
    field: '$.prepareProposal.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseProcessProposalStatusFieldEvent {
    field: '$.processProposal.status'
    value: ResponseProcessProposal.ProposalStatus
  }

  export interface ResponseExtendVoteVoteExtensionFieldEvent {
    field: '$.extendVote.voteExtension'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseVerifyVoteExtensionStatusFieldEvent {
    field: '$.verifyVoteExtension.status'
    value: ResponseVerifyVoteExtension.VerifyStatus
  }

  export interface ResponseFinalizeBlockEventsTypeFieldEvent {
    field: '$.finalizeBlock.events[].type'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesKeyFieldEvent {
    field: '$.finalizeBlock.events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesValueFieldEvent {
    field: '$.finalizeBlock.events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesIndexFieldEvent {
    field: '$.finalizeBlock.events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsCodeFieldEvent {
    field: '$.finalizeBlock.txResults[].code'
    value: number
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsDataFieldEvent {
    field: '$.finalizeBlock.txResults[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsLogFieldEvent {
    field: '$.finalizeBlock.txResults[].log'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsInfoFieldEvent {
    field: '$.finalizeBlock.txResults[].info'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsGasWantedFieldEvent {
    field: '$.finalizeBlock.txResults[].gasWanted'
    value: bigint
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsGasUsedFieldEvent {
    field: '$.finalizeBlock.txResults[].gasUsed'
    value: bigint
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsTypeFieldEvent {
    field: '$.finalizeBlock.txResults[].events[].type'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesKeyFieldEvent {
    field: '$.finalizeBlock.txResults[].events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesValueFieldEvent {
    field: '$.finalizeBlock.txResults[].events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesIndexFieldEvent {
    field: '$.finalizeBlock.txResults[].events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsCodespaceFieldEvent {
    field: '$.finalizeBlock.txResults[].codespace'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockAppHashFieldEvent {
    field: '$.finalizeBlock.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseExceptionErrorFieldEvent | ResponseEchoMessageFieldEvent | ResponseInfoDataFieldEvent | ResponseInfoVersionFieldEvent | ResponseInfoAppVersionFieldEvent | ResponseInfoLastBlockHeightFieldEvent | ResponseInfoLastBlockAppHashFieldEvent | ResponseInitChainAppHashFieldEvent | ResponseQueryCodeFieldEvent | ResponseQueryLogFieldEvent | ResponseQueryInfoFieldEvent | ResponseQueryIndexFieldEvent | ResponseQueryKeyFieldEvent | ResponseQueryValueFieldEvent | ResponseQueryHeightFieldEvent | ResponseQueryCodespaceFieldEvent | ResponseCheckTxCodeFieldEvent | ResponseCheckTxDataFieldEvent | ResponseCheckTxLogFieldEvent | ResponseCheckTxInfoFieldEvent | ResponseCheckTxGasWantedFieldEvent | ResponseCheckTxGasUsedFieldEvent | ResponseCheckTxEventsTypeFieldEvent | ResponseCheckTxEventsAttributesKeyFieldEvent | ResponseCheckTxEventsAttributesValueFieldEvent | ResponseCheckTxEventsAttributesIndexFieldEvent | ResponseCheckTxCodespaceFieldEvent | ResponseCommitRetainHeightFieldEvent | ResponseOfferSnapshotResultFieldEvent | ResponseLoadSnapshotChunkChunkFieldEvent | ResponseApplySnapshotChunkResultFieldEvent | ResponsePrepareProposalTxsFieldEvent | ResponseProcessProposalStatusFieldEvent | ResponseExtendVoteVoteExtensionFieldEvent | ResponseVerifyVoteExtensionStatusFieldEvent | ResponseFinalizeBlockEventsTypeFieldEvent | ResponseFinalizeBlockEventsAttributesKeyFieldEvent | ResponseFinalizeBlockEventsAttributesValueFieldEvent | ResponseFinalizeBlockEventsAttributesIndexFieldEvent | ResponseFinalizeBlockTxResultsCodeFieldEvent | ResponseFinalizeBlockTxResultsDataFieldEvent | ResponseFinalizeBlockTxResultsLogFieldEvent | ResponseFinalizeBlockTxResultsInfoFieldEvent | ResponseFinalizeBlockTxResultsGasWantedFieldEvent | ResponseFinalizeBlockTxResultsGasUsedFieldEvent | ResponseFinalizeBlockTxResultsEventsTypeFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesKeyFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesValueFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesIndexFieldEvent | ResponseFinalizeBlockTxResultsCodespaceFieldEvent | ResponseFinalizeBlockAppHashFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}

export interface ResponseException {
  error: string
}

export namespace ResponseException {
  let _codec: Codec<ResponseException>

  export const codec = (): Codec<ResponseException> => {
    if (_codec == null) {
      _codec = message<ResponseException>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(10)
          w.string(obj.error)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          error: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.error = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseExceptionErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export function encode (obj: Partial<ResponseException>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseException.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseException>): ResponseException {
    return decodeMessage(buf, ResponseException.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseException>): Generator<ResponseExceptionErrorFieldEvent> {
    return streamMessage(buf, ResponseException.codec(), opts)
  }
}

export interface ResponseEcho {
  message: string
}

export namespace ResponseEcho {
  let _codec: Codec<ResponseEcho>

  export const codec = (): Codec<ResponseEcho> => {
    if (_codec == null) {
      _codec = message<ResponseEcho>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(10)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseEchoMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<ResponseEcho>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseEcho.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseEcho>): ResponseEcho {
    return decodeMessage(buf, ResponseEcho.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseEcho>): Generator<ResponseEchoMessageFieldEvent> {
    return streamMessage(buf, ResponseEcho.codec(), opts)
  }
}

export interface ResponseFlush {}

export namespace ResponseFlush {
  let _codec: Codec<ResponseFlush>

  export const codec = (): Codec<ResponseFlush> => {
    if (_codec == null) {
      _codec = message<ResponseFlush>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<ResponseFlush>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseFlush.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFlush>): ResponseFlush {
    return decodeMessage(buf, ResponseFlush.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFlush>): Generator<{}> {
    return streamMessage(buf, ResponseFlush.codec(), opts)
  }
}

export interface ResponseInfo {
  data: string
  version: string
  appVersion: bigint
  lastBlockHeight: bigint
  lastBlockAppHash: Uint8Array<ArrayBuffer>
}

export namespace ResponseInfo {
  let _codec: Codec<ResponseInfo>

  export const codec = (): Codec<ResponseInfo> => {
    if (_codec == null) {
      _codec = message<ResponseInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.data != null && obj.data !== '')) {
          w.uint32(10)
          w.string(obj.data)
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(18)
          w.string(obj.version)
        }

        if ((obj.appVersion != null && obj.appVersion !== 0n)) {
          w.uint32(24)
          w.uint64(obj.appVersion)
        }

        if ((obj.lastBlockHeight != null && obj.lastBlockHeight !== 0n)) {
          w.uint32(32)
          w.int64(obj.lastBlockHeight)
        }

        if ((obj.lastBlockAppHash != null && obj.lastBlockAppHash.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.lastBlockAppHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          data: '',
          version: '',
          appVersion: 0n,
          lastBlockHeight: 0n,
          lastBlockAppHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.data = reader.string()
              break
            }
            case 2: {
              obj.version = reader.string()
              break
            }
            case 3: {
              obj.appVersion = reader.uint64()
              break
            }
            case 4: {
              obj.lastBlockHeight = reader.int64()
              break
            }
            case 5: {
              obj.lastBlockAppHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.data`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.version`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.appVersion`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.lastBlockHeight`,
                value: reader.int64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.lastBlockAppHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseInfoDataFieldEvent {
    field: '$.data'
    value: string
  }

  export interface ResponseInfoVersionFieldEvent {
    field: '$.version'
    value: string
  }

  export interface ResponseInfoAppVersionFieldEvent {
    field: '$.appVersion'
    value: bigint
  }

  export interface ResponseInfoLastBlockHeightFieldEvent {
    field: '$.lastBlockHeight'
    value: bigint
  }

  export interface ResponseInfoLastBlockAppHashFieldEvent {
    field: '$.lastBlockAppHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseInfo>): ResponseInfo {
    return decodeMessage(buf, ResponseInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseInfo>): Generator<ResponseInfoDataFieldEvent | ResponseInfoVersionFieldEvent | ResponseInfoAppVersionFieldEvent | ResponseInfoLastBlockHeightFieldEvent | ResponseInfoLastBlockAppHashFieldEvent> {
    return streamMessage(buf, ResponseInfo.codec(), opts)
  }
}

export interface ResponseInitChain {
  appHash: Uint8Array<ArrayBuffer>
}

export namespace ResponseInitChain {
  let _codec: Codec<ResponseInitChain>

  export const codec = (): Codec<ResponseInitChain> => {
    if (_codec == null) {
      _codec = message<ResponseInitChain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.appHash != null && obj.appHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.appHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          appHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 3: {
              obj.appHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 3: {
              yield {
                field: `${prefix}.appHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseInitChainAppHashFieldEvent {
    field: '$.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseInitChain>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseInitChain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseInitChain>): ResponseInitChain {
    return decodeMessage(buf, ResponseInitChain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseInitChain>): Generator<ResponseInitChainAppHashFieldEvent> {
    return streamMessage(buf, ResponseInitChain.codec(), opts)
  }
}

export interface ResponseQuery {
  code: number
  log: string
  info: string
  index: bigint
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  height: bigint
  codespace: string
}

export namespace ResponseQuery {
  let _codec: Codec<ResponseQuery>

  export const codec = (): Codec<ResponseQuery> => {
    if (_codec == null) {
      _codec = message<ResponseQuery>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.code != null && obj.code !== 0)) {
          w.uint32(8)
          w.uint32(obj.code)
        }

        if ((obj.log != null && obj.log !== '')) {
          w.uint32(26)
          w.string(obj.log)
        }

        if ((obj.info != null && obj.info !== '')) {
          w.uint32(34)
          w.string(obj.info)
        }

        if ((obj.index != null && obj.index !== 0n)) {
          w.uint32(40)
          w.int64(obj.index)
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.value)
        }

        if ((obj.height != null && obj.height !== 0n)) {
          w.uint32(72)
          w.int64(obj.height)
        }

        if ((obj.codespace != null && obj.codespace !== '')) {
          w.uint32(82)
          w.string(obj.codespace)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: 0,
          log: '',
          info: '',
          index: 0n,
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          height: 0n,
          codespace: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = reader.uint32()
              break
            }
            case 3: {
              obj.log = reader.string()
              break
            }
            case 4: {
              obj.info = reader.string()
              break
            }
            case 5: {
              obj.index = reader.int64()
              break
            }
            case 6: {
              obj.key = reader.bytes()
              break
            }
            case 7: {
              obj.value = reader.bytes()
              break
            }
            case 9: {
              obj.height = reader.int64()
              break
            }
            case 10: {
              obj.codespace = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.code`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.log`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.info`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.index`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.height`,
                value: reader.int64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.codespace`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseQueryCodeFieldEvent {
    field: '$.code'
    value: number
  }

  export interface ResponseQueryLogFieldEvent {
    field: '$.log'
    value: string
  }

  export interface ResponseQueryInfoFieldEvent {
    field: '$.info'
    value: string
  }

  export interface ResponseQueryIndexFieldEvent {
    field: '$.index'
    value: bigint
  }

  export interface ResponseQueryKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueryValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueryHeightFieldEvent {
    field: '$.height'
    value: bigint
  }

  export interface ResponseQueryCodespaceFieldEvent {
    field: '$.codespace'
    value: string
  }

  export function encode (obj: Partial<ResponseQuery>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseQuery.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseQuery>): ResponseQuery {
    return decodeMessage(buf, ResponseQuery.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseQuery>): Generator<ResponseQueryCodeFieldEvent | ResponseQueryLogFieldEvent | ResponseQueryInfoFieldEvent | ResponseQueryIndexFieldEvent | ResponseQueryKeyFieldEvent | ResponseQueryValueFieldEvent | ResponseQueryHeightFieldEvent | ResponseQueryCodespaceFieldEvent> {
    return streamMessage(buf, ResponseQuery.codec(), opts)
  }
}

export interface ResponseCheckTx {
  code: number
  data: Uint8Array<ArrayBuffer>
  log: string
  info: string
  gasWanted: bigint
  gasUsed: bigint
  events: Event[]
  codespace: string
}

export namespace ResponseCheckTx {
  let _codec: Codec<ResponseCheckTx>

  export const codec = (): Codec<ResponseCheckTx> => {
    if (_codec == null) {
      _codec = message<ResponseCheckTx>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.code != null && obj.code !== 0)) {
          w.uint32(8)
          w.uint32(obj.code)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.data)
        }

        if ((obj.log != null && obj.log !== '')) {
          w.uint32(26)
          w.string(obj.log)
        }

        if ((obj.info != null && obj.info !== '')) {
          w.uint32(34)
          w.string(obj.info)
        }

        if ((obj.gasWanted != null && obj.gasWanted !== 0n)) {
          w.uint32(40)
          w.int64(obj.gasWanted)
        }

        if ((obj.gasUsed != null && obj.gasUsed !== 0n)) {
          w.uint32(48)
          w.int64(obj.gasUsed)
        }

        if (obj.events != null && obj.events.length > 0) {
          for (const value of obj.events) {
            w.uint32(58)
            Event.codec().encode(value, w)
          }
        }

        if ((obj.codespace != null && obj.codespace !== '')) {
          w.uint32(66)
          w.string(obj.codespace)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: 0,
          data: uint8ArrayAlloc(0),
          log: '',
          info: '',
          gasWanted: 0n,
          gasUsed: 0n,
          events: [],
          codespace: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = reader.uint32()
              break
            }
            case 2: {
              obj.data = reader.bytes()
              break
            }
            case 3: {
              obj.log = reader.string()
              break
            }
            case 4: {
              obj.info = reader.string()
              break
            }
            case 5: {
              obj.gasWanted = reader.int64()
              break
            }
            case 6: {
              obj.gasUsed = reader.int64()
              break
            }
            case 7: {
              if (opts.limits?.events != null && obj.events.length === opts.limits.events) {
                throw new MaxLengthError('Decode error - repeated field "events" had too many elements')
              }

              obj.events.push(Event.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.events$
              }))
              break
            }
            case 8: {
              obj.codespace = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          events: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.code`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.log`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.info`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.gasWanted`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.gasUsed`,
                value: reader.int64()
              }
              break
            }
            case 7: {
              if (opts.limits?.events != null && obj.events === opts.limits.events) {
                throw new MaxLengthError('Streaming decode error - repeated field "events" had too many elements')
              }

              for (const evt of Event.codec().stream(reader, reader.uint32(), `${prefix}.events[]`, {
                limits: opts.limits?.events$
              })) {
                yield {
                  ...evt,
                  index: obj.events
                }
              }

              obj.events++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.codespace`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseCheckTxCodeFieldEvent {
    field: '$.code'
    value: number
  }

  export interface ResponseCheckTxDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseCheckTxLogFieldEvent {
    field: '$.log'
    value: string
  }

  export interface ResponseCheckTxInfoFieldEvent {
    field: '$.info'
    value: string
  }

  export interface ResponseCheckTxGasWantedFieldEvent {
    field: '$.gasWanted'
    value: bigint
  }

  export interface ResponseCheckTxGasUsedFieldEvent {
    field: '$.gasUsed'
    value: bigint
  }

  export interface ResponseCheckTxEventsTypeFieldEvent {
    field: '$.events[].type'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesKeyFieldEvent {
    field: '$.events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesValueFieldEvent {
    field: '$.events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseCheckTxEventsAttributesIndexFieldEvent {
    field: '$.events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseCheckTxCodespaceFieldEvent {
    field: '$.codespace'
    value: string
  }

  export function encode (obj: Partial<ResponseCheckTx>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseCheckTx.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseCheckTx>): ResponseCheckTx {
    return decodeMessage(buf, ResponseCheckTx.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseCheckTx>): Generator<ResponseCheckTxCodeFieldEvent | ResponseCheckTxDataFieldEvent | ResponseCheckTxLogFieldEvent | ResponseCheckTxInfoFieldEvent | ResponseCheckTxGasWantedFieldEvent | ResponseCheckTxGasUsedFieldEvent | ResponseCheckTxEventsTypeFieldEvent | ResponseCheckTxEventsAttributesKeyFieldEvent | ResponseCheckTxEventsAttributesValueFieldEvent | ResponseCheckTxEventsAttributesIndexFieldEvent | ResponseCheckTxCodespaceFieldEvent> {
    return streamMessage(buf, ResponseCheckTx.codec(), opts)
  }
}

export interface ResponseCommit {
  retainHeight: bigint
}

export namespace ResponseCommit {
  let _codec: Codec<ResponseCommit>

  export const codec = (): Codec<ResponseCommit> => {
    if (_codec == null) {
      _codec = message<ResponseCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.retainHeight != null && obj.retainHeight !== 0n)) {
          w.uint32(24)
          w.int64(obj.retainHeight)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          retainHeight: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 3: {
              obj.retainHeight = reader.int64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 3: {
              yield {
                field: `${prefix}.retainHeight`,
                value: reader.int64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseCommitRetainHeightFieldEvent {
    field: '$.retainHeight'
    value: bigint
  }

  export function encode (obj: Partial<ResponseCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseCommit>): ResponseCommit {
    return decodeMessage(buf, ResponseCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseCommit>): Generator<ResponseCommitRetainHeightFieldEvent> {
    return streamMessage(buf, ResponseCommit.codec(), opts)
  }
}

export interface ResponseListSnapshots {}

export namespace ResponseListSnapshots {
  let _codec: Codec<ResponseListSnapshots>

  export const codec = (): Codec<ResponseListSnapshots> => {
    if (_codec == null) {
      _codec = message<ResponseListSnapshots>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<ResponseListSnapshots>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseListSnapshots.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseListSnapshots>): ResponseListSnapshots {
    return decodeMessage(buf, ResponseListSnapshots.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseListSnapshots>): Generator<{}> {
    return streamMessage(buf, ResponseListSnapshots.codec(), opts)
  }
}

export interface ResponseOfferSnapshot {
  result: ResponseOfferSnapshot.Result
}

export namespace ResponseOfferSnapshot {
  export enum Result {
    UNKNOWN = 'UNKNOWN',
    ACCEPT = 'ACCEPT',
    ABORT = 'ABORT',
    REJECT = 'REJECT',
    REJECT_FORMAT = 'REJECT_FORMAT',
    REJECT_SENDER = 'REJECT_SENDER'
  }

  enum __ResultValues {
    UNKNOWN = 0,
    ACCEPT = 1,
    ABORT = 2,
    REJECT = 3,
    REJECT_FORMAT = 4,
    REJECT_SENDER = 5
  }

  export namespace Result {
    export const codec = (): Codec<Result> => {
      return enumeration<Result>(__ResultValues)
    }
  }

  let _codec: Codec<ResponseOfferSnapshot>

  export const codec = (): Codec<ResponseOfferSnapshot> => {
    if (_codec == null) {
      _codec = message<ResponseOfferSnapshot>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.result != null && __ResultValues[obj.result] !== 0) {
          w.uint32(8)
          ResponseOfferSnapshot.Result.codec().encode(obj.result, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          result: Result.UNKNOWN
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.result = ResponseOfferSnapshot.Result.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.result`,
                value: ResponseOfferSnapshot.Result.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseOfferSnapshotResultFieldEvent {
    field: '$.result'
    value: ResponseOfferSnapshot.Result
  }

  export function encode (obj: Partial<ResponseOfferSnapshot>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseOfferSnapshot.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseOfferSnapshot>): ResponseOfferSnapshot {
    return decodeMessage(buf, ResponseOfferSnapshot.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseOfferSnapshot>): Generator<ResponseOfferSnapshotResultFieldEvent> {
    return streamMessage(buf, ResponseOfferSnapshot.codec(), opts)
  }
}

export interface ResponseLoadSnapshotChunk {
  chunk: Uint8Array<ArrayBuffer>
}

export namespace ResponseLoadSnapshotChunk {
  let _codec: Codec<ResponseLoadSnapshotChunk>

  export const codec = (): Codec<ResponseLoadSnapshotChunk> => {
    if (_codec == null) {
      _codec = message<ResponseLoadSnapshotChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.chunk != null && obj.chunk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.chunk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chunk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.chunk = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.chunk`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseLoadSnapshotChunkChunkFieldEvent {
    field: '$.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseLoadSnapshotChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseLoadSnapshotChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseLoadSnapshotChunk>): ResponseLoadSnapshotChunk {
    return decodeMessage(buf, ResponseLoadSnapshotChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseLoadSnapshotChunk>): Generator<ResponseLoadSnapshotChunkChunkFieldEvent> {
    return streamMessage(buf, ResponseLoadSnapshotChunk.codec(), opts)
  }
}

export interface ResponseApplySnapshotChunk {
  result: ResponseApplySnapshotChunk.Result
}

export namespace ResponseApplySnapshotChunk {
  export enum Result {
    UNKNOWN = 'UNKNOWN',
    ACCEPT = 'ACCEPT',
    ABORT = 'ABORT',
    RETRY = 'RETRY',
    RETRY_SNAPSHOT = 'RETRY_SNAPSHOT',
    REJECT_SNAPSHOT = 'REJECT_SNAPSHOT'
  }

  enum __ResultValues {
    UNKNOWN = 0,
    ACCEPT = 1,
    ABORT = 2,
    RETRY = 3,
    RETRY_SNAPSHOT = 4,
    REJECT_SNAPSHOT = 5
  }

  export namespace Result {
    export const codec = (): Codec<Result> => {
      return enumeration<Result>(__ResultValues)
    }
  }

  let _codec: Codec<ResponseApplySnapshotChunk>

  export const codec = (): Codec<ResponseApplySnapshotChunk> => {
    if (_codec == null) {
      _codec = message<ResponseApplySnapshotChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.result != null && __ResultValues[obj.result] !== 0) {
          w.uint32(8)
          ResponseApplySnapshotChunk.Result.codec().encode(obj.result, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          result: Result.UNKNOWN
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.result = ResponseApplySnapshotChunk.Result.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.result`,
                value: ResponseApplySnapshotChunk.Result.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseApplySnapshotChunkResultFieldEvent {
    field: '$.result'
    value: ResponseApplySnapshotChunk.Result
  }

  export function encode (obj: Partial<ResponseApplySnapshotChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseApplySnapshotChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseApplySnapshotChunk>): ResponseApplySnapshotChunk {
    return decodeMessage(buf, ResponseApplySnapshotChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseApplySnapshotChunk>): Generator<ResponseApplySnapshotChunkResultFieldEvent> {
    return streamMessage(buf, ResponseApplySnapshotChunk.codec(), opts)
  }
}

export interface ResponsePrepareProposal {
  txs: Uint8Array<ArrayBuffer>[]
}

export namespace ResponsePrepareProposal {
  let _codec: Codec<ResponsePrepareProposal>

  export const codec = (): Codec<ResponsePrepareProposal> => {
    if (_codec == null) {
      _codec = message<ResponsePrepareProposal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponsePrepareProposalTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponsePrepareProposal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponsePrepareProposal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponsePrepareProposal>): ResponsePrepareProposal {
    return decodeMessage(buf, ResponsePrepareProposal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponsePrepareProposal>): Generator<ResponsePrepareProposalTxsFieldEvent> {
    return streamMessage(buf, ResponsePrepareProposal.codec(), opts)
  }
}

export interface ResponseProcessProposal {
  status: ResponseProcessProposal.ProposalStatus
}

export namespace ResponseProcessProposal {
  export enum ProposalStatus {
    UNKNOWN = 'UNKNOWN',
    ACCEPT = 'ACCEPT',
    REJECT = 'REJECT'
  }

  enum __ProposalStatusValues {
    UNKNOWN = 0,
    ACCEPT = 1,
    REJECT = 2
  }

  export namespace ProposalStatus {
    export const codec = (): Codec<ProposalStatus> => {
      return enumeration<ProposalStatus>(__ProposalStatusValues)
    }
  }

  let _codec: Codec<ResponseProcessProposal>

  export const codec = (): Codec<ResponseProcessProposal> => {
    if (_codec == null) {
      _codec = message<ResponseProcessProposal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __ProposalStatusValues[obj.status] !== 0) {
          w.uint32(8)
          ResponseProcessProposal.ProposalStatus.codec().encode(obj.status, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: ProposalStatus.UNKNOWN
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = ResponseProcessProposal.ProposalStatus.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: ResponseProcessProposal.ProposalStatus.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseProcessProposalStatusFieldEvent {
    field: '$.status'
    value: ResponseProcessProposal.ProposalStatus
  }

  export function encode (obj: Partial<ResponseProcessProposal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseProcessProposal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseProcessProposal>): ResponseProcessProposal {
    return decodeMessage(buf, ResponseProcessProposal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseProcessProposal>): Generator<ResponseProcessProposalStatusFieldEvent> {
    return streamMessage(buf, ResponseProcessProposal.codec(), opts)
  }
}

export interface ResponseExtendVote {
  voteExtension: Uint8Array<ArrayBuffer>
}

export namespace ResponseExtendVote {
  let _codec: Codec<ResponseExtendVote>

  export const codec = (): Codec<ResponseExtendVote> => {
    if (_codec == null) {
      _codec = message<ResponseExtendVote>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.voteExtension != null && obj.voteExtension.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.voteExtension)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          voteExtension: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.voteExtension = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.voteExtension`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseExtendVoteVoteExtensionFieldEvent {
    field: '$.voteExtension'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseExtendVote>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseExtendVote.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseExtendVote>): ResponseExtendVote {
    return decodeMessage(buf, ResponseExtendVote.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseExtendVote>): Generator<ResponseExtendVoteVoteExtensionFieldEvent> {
    return streamMessage(buf, ResponseExtendVote.codec(), opts)
  }
}

export interface ResponseVerifyVoteExtension {
  status: ResponseVerifyVoteExtension.VerifyStatus
}

export namespace ResponseVerifyVoteExtension {
  export enum VerifyStatus {
    UNKNOWN = 'UNKNOWN',
    ACCEPT = 'ACCEPT',
    REJECT = 'REJECT'
  }

  enum __VerifyStatusValues {
    UNKNOWN = 0,
    ACCEPT = 1,
    REJECT = 2
  }

  export namespace VerifyStatus {
    export const codec = (): Codec<VerifyStatus> => {
      return enumeration<VerifyStatus>(__VerifyStatusValues)
    }
  }

  let _codec: Codec<ResponseVerifyVoteExtension>

  export const codec = (): Codec<ResponseVerifyVoteExtension> => {
    if (_codec == null) {
      _codec = message<ResponseVerifyVoteExtension>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __VerifyStatusValues[obj.status] !== 0) {
          w.uint32(8)
          ResponseVerifyVoteExtension.VerifyStatus.codec().encode(obj.status, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: VerifyStatus.UNKNOWN
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = ResponseVerifyVoteExtension.VerifyStatus.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: ResponseVerifyVoteExtension.VerifyStatus.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseVerifyVoteExtensionStatusFieldEvent {
    field: '$.status'
    value: ResponseVerifyVoteExtension.VerifyStatus
  }

  export function encode (obj: Partial<ResponseVerifyVoteExtension>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseVerifyVoteExtension.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseVerifyVoteExtension>): ResponseVerifyVoteExtension {
    return decodeMessage(buf, ResponseVerifyVoteExtension.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseVerifyVoteExtension>): Generator<ResponseVerifyVoteExtensionStatusFieldEvent> {
    return streamMessage(buf, ResponseVerifyVoteExtension.codec(), opts)
  }
}

export interface ResponseFinalizeBlock {
  events: Event[]
  txResults: ExecTxResult[]
  appHash: Uint8Array<ArrayBuffer>
}

export namespace ResponseFinalizeBlock {
  let _codec: Codec<ResponseFinalizeBlock>

  export const codec = (): Codec<ResponseFinalizeBlock> => {
    if (_codec == null) {
      _codec = message<ResponseFinalizeBlock>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.events != null && obj.events.length > 0) {
          for (const value of obj.events) {
            w.uint32(10)
            Event.codec().encode(value, w)
          }
        }

        if (obj.txResults != null && obj.txResults.length > 0) {
          for (const value of obj.txResults) {
            w.uint32(18)
            ExecTxResult.codec().encode(value, w)
          }
        }

        if ((obj.appHash != null && obj.appHash.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.appHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          events: [],
          txResults: [],
          appHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.events != null && obj.events.length === opts.limits.events) {
                throw new MaxLengthError('Decode error - repeated field "events" had too many elements')
              }

              obj.events.push(Event.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.events$
              }))
              break
            }
            case 2: {
              if (opts.limits?.txResults != null && obj.txResults.length === opts.limits.txResults) {
                throw new MaxLengthError('Decode error - repeated field "txResults" had too many elements')
              }

              obj.txResults.push(ExecTxResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.txResults$
              }))
              break
            }
            case 5: {
              obj.appHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          events: 0,
          txResults: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.events != null && obj.events === opts.limits.events) {
                throw new MaxLengthError('Streaming decode error - repeated field "events" had too many elements')
              }

              for (const evt of Event.codec().stream(reader, reader.uint32(), `${prefix}.events[]`, {
                limits: opts.limits?.events$
              })) {
                yield {
                  ...evt,
                  index: obj.events
                }
              }

              obj.events++

              break
            }
            case 2: {
              if (opts.limits?.txResults != null && obj.txResults === opts.limits.txResults) {
                throw new MaxLengthError('Streaming decode error - repeated field "txResults" had too many elements')
              }

              for (const evt of ExecTxResult.codec().stream(reader, reader.uint32(), `${prefix}.txResults[]`, {
                limits: opts.limits?.txResults$
              })) {
                yield {
                  ...evt,
                  index: obj.txResults
                }
              }

              obj.txResults++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.appHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseFinalizeBlockEventsTypeFieldEvent {
    field: '$.events[].type'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesKeyFieldEvent {
    field: '$.events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesValueFieldEvent {
    field: '$.events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockEventsAttributesIndexFieldEvent {
    field: '$.events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsCodeFieldEvent {
    field: '$.txResults[].code'
    value: number
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsDataFieldEvent {
    field: '$.txResults[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsLogFieldEvent {
    field: '$.txResults[].log'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsInfoFieldEvent {
    field: '$.txResults[].info'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsGasWantedFieldEvent {
    field: '$.txResults[].gasWanted'
    value: bigint
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsGasUsedFieldEvent {
    field: '$.txResults[].gasUsed'
    value: bigint
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsTypeFieldEvent {
    field: '$.txResults[].events[].type'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesKeyFieldEvent {
    field: '$.txResults[].events[].attributes[].key'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesValueFieldEvent {
    field: '$.txResults[].events[].attributes[].value'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsEventsAttributesIndexFieldEvent {
    field: '$.txResults[].events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ResponseFinalizeBlockTxResultsCodespaceFieldEvent {
    field: '$.txResults[].codespace'
    value: string
    index: number
  }

  export interface ResponseFinalizeBlockAppHashFieldEvent {
    field: '$.appHash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseFinalizeBlock>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseFinalizeBlock.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFinalizeBlock>): ResponseFinalizeBlock {
    return decodeMessage(buf, ResponseFinalizeBlock.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFinalizeBlock>): Generator<ResponseFinalizeBlockEventsTypeFieldEvent | ResponseFinalizeBlockEventsAttributesKeyFieldEvent | ResponseFinalizeBlockEventsAttributesValueFieldEvent | ResponseFinalizeBlockEventsAttributesIndexFieldEvent | ResponseFinalizeBlockTxResultsCodeFieldEvent | ResponseFinalizeBlockTxResultsDataFieldEvent | ResponseFinalizeBlockTxResultsLogFieldEvent | ResponseFinalizeBlockTxResultsInfoFieldEvent | ResponseFinalizeBlockTxResultsGasWantedFieldEvent | ResponseFinalizeBlockTxResultsGasUsedFieldEvent | ResponseFinalizeBlockTxResultsEventsTypeFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesKeyFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesValueFieldEvent | ResponseFinalizeBlockTxResultsEventsAttributesIndexFieldEvent | ResponseFinalizeBlockTxResultsCodespaceFieldEvent | ResponseFinalizeBlockAppHashFieldEvent> {
    return streamMessage(buf, ResponseFinalizeBlock.codec(), opts)
  }
}

export interface Event {
  type: string
  attributes: EventAttribute[]
}

export namespace Event {
  let _codec: Codec<Event>

  export const codec = (): Codec<Event> => {
    if (_codec == null) {
      _codec = message<Event>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.type != null && obj.type !== '')) {
          w.uint32(10)
          w.string(obj.type)
        }

        if (obj.attributes != null && obj.attributes.length > 0) {
          for (const value of obj.attributes) {
            w.uint32(18)
            EventAttribute.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: '',
          attributes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.attributes != null && obj.attributes.length === opts.limits.attributes) {
                throw new MaxLengthError('Decode error - repeated field "attributes" had too many elements')
              }

              obj.attributes.push(EventAttribute.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.attributes$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          attributes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.attributes != null && obj.attributes === opts.limits.attributes) {
                throw new MaxLengthError('Streaming decode error - repeated field "attributes" had too many elements')
              }

              for (const evt of EventAttribute.codec().stream(reader, reader.uint32(), `${prefix}.attributes[]`, {
                limits: opts.limits?.attributes$
              })) {
                yield {
                  ...evt,
                  index: obj.attributes
                }
              }

              obj.attributes++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EventTypeFieldEvent {
    field: '$.type'
    value: string
  }

  export interface EventAttributesKeyFieldEvent {
    field: '$.attributes[].key'
    value: string
    index: number
  }

  export interface EventAttributesValueFieldEvent {
    field: '$.attributes[].value'
    value: string
    index: number
  }

  export interface EventAttributesIndexFieldEvent {
    field: '$.attributes[].index'
    value: boolean
    index: number
  }

  export function encode (obj: Partial<Event>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Event.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Event>): Event {
    return decodeMessage(buf, Event.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Event>): Generator<EventTypeFieldEvent | EventAttributesKeyFieldEvent | EventAttributesValueFieldEvent | EventAttributesIndexFieldEvent> {
    return streamMessage(buf, Event.codec(), opts)
  }
}

export interface EventAttribute {
  key: string
  value: string
  index: boolean
}

export namespace EventAttribute {
  let _codec: Codec<EventAttribute>

  export const codec = (): Codec<EventAttribute> => {
    if (_codec == null) {
      _codec = message<EventAttribute>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.value != null && obj.value !== '')) {
          w.uint32(18)
          w.string(obj.value)
        }

        if ((obj.index != null && obj.index !== false)) {
          w.uint32(24)
          w.bool(obj.index)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          value: '',
          index: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.value = reader.string()
              break
            }
            case 3: {
              obj.index = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.index`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EventAttributeKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface EventAttributeValueFieldEvent {
    field: '$.value'
    value: string
  }

  export interface EventAttributeIndexFieldEvent {
    field: '$.index'
    value: boolean
  }

  export function encode (obj: Partial<EventAttribute>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, EventAttribute.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EventAttribute>): EventAttribute {
    return decodeMessage(buf, EventAttribute.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EventAttribute>): Generator<EventAttributeKeyFieldEvent | EventAttributeValueFieldEvent | EventAttributeIndexFieldEvent> {
    return streamMessage(buf, EventAttribute.codec(), opts)
  }
}

export interface ExecTxResult {
  code: number
  data: Uint8Array<ArrayBuffer>
  log: string
  info: string
  gasWanted: bigint
  gasUsed: bigint
  events: Event[]
  codespace: string
}

export namespace ExecTxResult {
  let _codec: Codec<ExecTxResult>

  export const codec = (): Codec<ExecTxResult> => {
    if (_codec == null) {
      _codec = message<ExecTxResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.code != null && obj.code !== 0)) {
          w.uint32(8)
          w.uint32(obj.code)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.data)
        }

        if ((obj.log != null && obj.log !== '')) {
          w.uint32(26)
          w.string(obj.log)
        }

        if ((obj.info != null && obj.info !== '')) {
          w.uint32(34)
          w.string(obj.info)
        }

        if ((obj.gasWanted != null && obj.gasWanted !== 0n)) {
          w.uint32(40)
          w.int64(obj.gasWanted)
        }

        if ((obj.gasUsed != null && obj.gasUsed !== 0n)) {
          w.uint32(48)
          w.int64(obj.gasUsed)
        }

        if (obj.events != null && obj.events.length > 0) {
          for (const value of obj.events) {
            w.uint32(58)
            Event.codec().encode(value, w)
          }
        }

        if ((obj.codespace != null && obj.codespace !== '')) {
          w.uint32(66)
          w.string(obj.codespace)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: 0,
          data: uint8ArrayAlloc(0),
          log: '',
          info: '',
          gasWanted: 0n,
          gasUsed: 0n,
          events: [],
          codespace: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = reader.uint32()
              break
            }
            case 2: {
              obj.data = reader.bytes()
              break
            }
            case 3: {
              obj.log = reader.string()
              break
            }
            case 4: {
              obj.info = reader.string()
              break
            }
            case 5: {
              obj.gasWanted = reader.int64()
              break
            }
            case 6: {
              obj.gasUsed = reader.int64()
              break
            }
            case 7: {
              if (opts.limits?.events != null && obj.events.length === opts.limits.events) {
                throw new MaxLengthError('Decode error - repeated field "events" had too many elements')
              }

              obj.events.push(Event.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.events$
              }))
              break
            }
            case 8: {
              obj.codespace = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          events: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.code`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.log`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.info`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.gasWanted`,
                value: reader.int64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.gasUsed`,
                value: reader.int64()
              }
              break
            }
            case 7: {
              if (opts.limits?.events != null && obj.events === opts.limits.events) {
                throw new MaxLengthError('Streaming decode error - repeated field "events" had too many elements')
              }

              for (const evt of Event.codec().stream(reader, reader.uint32(), `${prefix}.events[]`, {
                limits: opts.limits?.events$
              })) {
                yield {
                  ...evt,
                  index: obj.events
                }
              }

              obj.events++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.codespace`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ExecTxResultCodeFieldEvent {
    field: '$.code'
    value: number
  }

  export interface ExecTxResultDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ExecTxResultLogFieldEvent {
    field: '$.log'
    value: string
  }

  export interface ExecTxResultInfoFieldEvent {
    field: '$.info'
    value: string
  }

  export interface ExecTxResultGasWantedFieldEvent {
    field: '$.gasWanted'
    value: bigint
  }

  export interface ExecTxResultGasUsedFieldEvent {
    field: '$.gasUsed'
    value: bigint
  }

  export interface ExecTxResultEventsTypeFieldEvent {
    field: '$.events[].type'
    value: string
    index: number
  }

  export interface ExecTxResultEventsAttributesKeyFieldEvent {
    field: '$.events[].attributes[].key'
    value: string
    index: number
  }

  export interface ExecTxResultEventsAttributesValueFieldEvent {
    field: '$.events[].attributes[].value'
    value: string
    index: number
  }

  export interface ExecTxResultEventsAttributesIndexFieldEvent {
    field: '$.events[].attributes[].index'
    value: boolean
    index: number
  }

  export interface ExecTxResultCodespaceFieldEvent {
    field: '$.codespace'
    value: string
  }

  export function encode (obj: Partial<ExecTxResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ExecTxResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ExecTxResult>): ExecTxResult {
    return decodeMessage(buf, ExecTxResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ExecTxResult>): Generator<ExecTxResultCodeFieldEvent | ExecTxResultDataFieldEvent | ExecTxResultLogFieldEvent | ExecTxResultInfoFieldEvent | ExecTxResultGasWantedFieldEvent | ExecTxResultGasUsedFieldEvent | ExecTxResultEventsTypeFieldEvent | ExecTxResultEventsAttributesKeyFieldEvent | ExecTxResultEventsAttributesValueFieldEvent | ExecTxResultEventsAttributesIndexFieldEvent | ExecTxResultCodespaceFieldEvent> {
    return streamMessage(buf, ExecTxResult.codec(), opts)
  }
}
