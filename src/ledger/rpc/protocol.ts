/** JSON-RPC 2.0 shapes and error codes shared by the ledger's server and client. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** The request was understood but refused: a transaction that does not apply, an unknown block, ... */
  rejected: -32000,
} as const;

/** A request's id: a string, a number or null; anything else makes the request invalid. */
export type RpcId = string | number | null;

export interface RpcRequest {
  jsonrpc: '2.0';
  id?: RpcId;
  method: string;
  params?: unknown;
}

export interface RpcErrorObject {
  code: number;
  message: string;
}

export type RpcResponse =
  { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

/** Notification pushed to a WebSocket subscriber. */
export interface RpcNotification {
  jsonrpc: '2.0';
  method: 'subscription';
  params: { subscription: string; topic: SubscriptionTopic; result: unknown };
}

export type SubscriptionTopic = 'blocks' | 'epochs';

/** A JSON-RPC error raised by a method handler or received by a client. */
export class RpcError extends Error {
  override name = 'RpcError';

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
