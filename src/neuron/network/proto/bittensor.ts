// Generated from bittensor.proto by protons (npm run proto); do not edit.
// @ts-nocheck: the generator emits parameters it does not read, which this project's settings refuse.
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Tensor {
  dtype: Tensor.DType
  shape: number[]
  data: Uint8Array<ArrayBuffer>
}

export namespace Tensor {
  export enum DType {
    FLOAT32 = 'FLOAT32',
    FLOAT16 = 'FLOAT16',
    INT32 = 'INT32'
  }

  enum __DTypeValues {
    FLOAT32 = 0,
    FLOAT16 = 1,
    INT32 = 2
  }

  export namespace DType {
    export const codec = (): Codec<DType> => {
      return enumeration<DType>(__DTypeValues)
    }
  }

  let _codec: Codec<Tensor>

  export const codec = (): Codec<Tensor> => {
    if (_codec == null) {
      _codec = message<Tensor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.dtype != null && __DTypeValues[obj.dtype] !== 0) {
          w.uint32(8)
          Tensor.DType.codec().encode(obj.dtype, w)
        }

        if (obj.shape != null && obj.shape.length > 0) {
          for (const value of obj.shape) {
            w.uint32(16)
            w.uint32(value)
          }
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          dtype: DType.FLOAT32,
          shape: [],
          data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.dtype = Tensor.DType.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.shape != null && obj.shape.length === opts.limits.shape) {
                throw new MaxLengthError('Decode error - repeated field "shape" had too many elements')
              }

              if ((tag & 7) === 2) {
                const packedEnd = reader.uint32() + reader.pos
                while (reader.pos < packedEnd) {
                  if (opts.limits?.shape != null && obj.shape.length === opts.limits.shape) {
                    throw new MaxLengthError('Decode error - repeated field "shape" had too many elements')
                  }
                  obj.shape.push(reader.uint32())
                }
              } else {
                obj.shape.push(reader.uint32())
              }
              break
            }
            case 3: {
              obj.data = reader.bytes()
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
          shape: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.dtype`,
                value: Tensor.DType.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.shape != null && obj.shape === opts.limits.shape) {
                throw new MaxLengthError('Streaming decode error - repeated field "shape" had too many elements')
              }

              yield {
                field: `${prefix}.shape[]`,
                index: obj.shape,
                value: reader.uint32()
              }

              obj.shape++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.data`,
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

  export interface TensorDtypeFieldEvent {
    field: '$.dtype'
    value: Tensor.DType
  }

  export interface TensorShapeFieldEvent {
    field: '$.shape[]'
    index: number
    value: number
  }

  export interface TensorDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Tensor>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Tensor.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tensor>): Tensor {
    return decodeMessage(buf, Tensor.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tensor>): Generator<TensorDtypeFieldEvent | TensorShapeFieldEvent | TensorDataFieldEvent> {
    return streamMessage(buf, Tensor.codec(), opts)
  }
}

export enum Modality {
  TEXT = 'TEXT',
  IMAGE = 'IMAGE',
  TENSOR = 'TENSOR'
}

enum __ModalityValues {
  TEXT = 0,
  IMAGE = 1,
  TENSOR = 2
}

export namespace Modality {
  export const codec = (): Codec<Modality> => {
    return enumeration<Modality>(__ModalityValues)
  }
}

export enum Code {
  OK = 'OK',
  BAD_REQUEST = 'BAD_REQUEST',
  TOO_LARGE = 'TOO_LARGE',
  UNKNOWN_CALLER = 'UNKNOWN_CALLER',
  OVERLOADED = 'OVERLOADED',
  TIMEOUT = 'TIMEOUT',
  NOT_READY = 'NOT_READY',
  INTERNAL = 'INTERNAL'
}

enum __CodeValues {
  OK = 0,
  BAD_REQUEST = 1,
  TOO_LARGE = 2,
  UNKNOWN_CALLER = 3,
  OVERLOADED = 4,
  TIMEOUT = 5,
  NOT_READY = 6,
  INTERNAL = 7
}

export namespace Code {
  export const codec = (): Codec<Code> => {
    return enumeration<Code>(__CodeValues)
  }
}

export interface ForwardRequest {
  modality: Modality
  inputs?: Tensor
}

export namespace ForwardRequest {
  let _codec: Codec<ForwardRequest>

  export const codec = (): Codec<ForwardRequest> => {
    if (_codec == null) {
      _codec = message<ForwardRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.modality != null && __ModalityValues[obj.modality] !== 0) {
          w.uint32(8)
          Modality.codec().encode(obj.modality, w)
        }

        if (obj.inputs != null) {
          w.uint32(18)
          Tensor.codec().encode(obj.inputs, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          modality: Modality.TEXT
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.modality = Modality.codec().decode(reader)
              break
            }
            case 2: {
              obj.inputs = Tensor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.inputs
              })
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
                field: `${prefix}.modality`,
                value: Modality.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield * Tensor.codec().stream(reader, reader.uint32(), `${prefix}.inputs`, {
                limits: opts.limits?.inputs
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

  export interface ForwardRequestModalityFieldEvent {
    field: '$.modality'
    value: Modality
  }

  export interface ForwardRequestInputsDtypeFieldEvent {
    field: '$.inputs.dtype'
    value: Tensor.DType
  }

  export interface ForwardRequestInputsShapeFieldEvent {
    field: '$.inputs.shape[]'
    index: number
    value: number
  }

  export interface ForwardRequestInputsDataFieldEvent {
    field: '$.inputs.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ForwardRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ForwardRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardRequest>): ForwardRequest {
    return decodeMessage(buf, ForwardRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardRequest>): Generator<ForwardRequestModalityFieldEvent | ForwardRequestInputsDtypeFieldEvent | ForwardRequestInputsShapeFieldEvent | ForwardRequestInputsDataFieldEvent> {
    return streamMessage(buf, ForwardRequest.codec(), opts)
  }
}

export interface ForwardResponse {
  code: Code
  message: string
  outputs?: Tensor
}

export namespace ForwardResponse {
  let _codec: Codec<ForwardResponse>

  export const codec = (): Codec<ForwardResponse> => {
    if (_codec == null) {
      _codec = message<ForwardResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.code != null && __CodeValues[obj.code] !== 0) {
          w.uint32(8)
          Code.codec().encode(obj.code, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (obj.outputs != null) {
          w.uint32(26)
          Tensor.codec().encode(obj.outputs, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: Code.OK,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = Code.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            case 3: {
              obj.outputs = Tensor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.outputs
              })
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
                value: Code.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield * Tensor.codec().stream(reader, reader.uint32(), `${prefix}.outputs`, {
                limits: opts.limits?.outputs
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

  export interface ForwardResponseCodeFieldEvent {
    field: '$.code'
    value: Code
  }

  export interface ForwardResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface ForwardResponseOutputsDtypeFieldEvent {
    field: '$.outputs.dtype'
    value: Tensor.DType
  }

  export interface ForwardResponseOutputsShapeFieldEvent {
    field: '$.outputs.shape[]'
    index: number
    value: number
  }

  export interface ForwardResponseOutputsDataFieldEvent {
    field: '$.outputs.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ForwardResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ForwardResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardResponse>): ForwardResponse {
    return decodeMessage(buf, ForwardResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardResponse>): Generator<ForwardResponseCodeFieldEvent | ForwardResponseMessageFieldEvent | ForwardResponseOutputsDtypeFieldEvent | ForwardResponseOutputsShapeFieldEvent | ForwardResponseOutputsDataFieldEvent> {
    return streamMessage(buf, ForwardResponse.codec(), opts)
  }
}

export interface BackwardRequest {
  modality: Modality
  inputs?: Tensor
  grads?: Tensor
}

export namespace BackwardRequest {
  let _codec: Codec<BackwardRequest>

  export const codec = (): Codec<BackwardRequest> => {
    if (_codec == null) {
      _codec = message<BackwardRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.modality != null && __ModalityValues[obj.modality] !== 0) {
          w.uint32(8)
          Modality.codec().encode(obj.modality, w)
        }

        if (obj.inputs != null) {
          w.uint32(18)
          Tensor.codec().encode(obj.inputs, w)
        }

        if (obj.grads != null) {
          w.uint32(26)
          Tensor.codec().encode(obj.grads, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          modality: Modality.TEXT
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.modality = Modality.codec().decode(reader)
              break
            }
            case 2: {
              obj.inputs = Tensor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.inputs
              })
              break
            }
            case 3: {
              obj.grads = Tensor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.grads
              })
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
                field: `${prefix}.modality`,
                value: Modality.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield * Tensor.codec().stream(reader, reader.uint32(), `${prefix}.inputs`, {
                limits: opts.limits?.inputs
              })

              break
            }
            case 3: {
              yield * Tensor.codec().stream(reader, reader.uint32(), `${prefix}.grads`, {
                limits: opts.limits?.grads
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

  export interface BackwardRequestModalityFieldEvent {
    field: '$.modality'
    value: Modality
  }

  export interface BackwardRequestInputsDtypeFieldEvent {
    field: '$.inputs.dtype'
    value: Tensor.DType
  }

  export interface BackwardRequestInputsShapeFieldEvent {
    field: '$.inputs.shape[]'
    index: number
    value: number
  }

  export interface BackwardRequestInputsDataFieldEvent {
    field: '$.inputs.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BackwardRequestGradsDtypeFieldEvent {
    field: '$.grads.dtype'
    value: Tensor.DType
  }

  export interface BackwardRequestGradsShapeFieldEvent {
    field: '$.grads.shape[]'
    index: number
    value: number
  }

  export interface BackwardRequestGradsDataFieldEvent {
    field: '$.grads.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BackwardRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BackwardRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BackwardRequest>): BackwardRequest {
    return decodeMessage(buf, BackwardRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BackwardRequest>): Generator<BackwardRequestModalityFieldEvent | BackwardRequestInputsDtypeFieldEvent | BackwardRequestInputsShapeFieldEvent | BackwardRequestInputsDataFieldEvent | BackwardRequestGradsDtypeFieldEvent | BackwardRequestGradsShapeFieldEvent | BackwardRequestGradsDataFieldEvent> {
    return streamMessage(buf, BackwardRequest.codec(), opts)
  }
}

export interface BackwardResponse {
  code: Code
  message: string
}

export namespace BackwardResponse {
  let _codec: Codec<BackwardResponse>

  export const codec = (): Codec<BackwardResponse> => {
    if (_codec == null) {
      _codec = message<BackwardResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.code != null && __CodeValues[obj.code] !== 0) {
          w.uint32(8)
          Code.codec().encode(obj.code, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: Code.OK,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = Code.codec().decode(reader)
              break
            }
            case 2: {
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
                field: `${prefix}.code`,
                value: Code.codec().decode(reader)
              }
              break
            }
            case 2: {
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

  export interface BackwardResponseCodeFieldEvent {
    field: '$.code'
    value: Code
  }

  export interface BackwardResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<BackwardResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BackwardResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BackwardResponse>): BackwardResponse {
    return decodeMessage(buf, BackwardResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BackwardResponse>): Generator<BackwardResponseCodeFieldEvent | BackwardResponseMessageFieldEvent> {
    return streamMessage(buf, BackwardResponse.codec(), opts)
  }
}
