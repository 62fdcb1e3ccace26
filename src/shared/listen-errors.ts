import { UserError } from './errors.js';

/** The command-line flags that choose a server's port and address, named in the advice. */
export interface ListenFlags {
  port: string;
  host: string;
}

/** The ledger's RPC flags (the default). */
export const RPC_FLAGS: ListenFlags = { port: '--rpc-port', host: '--rpc-host' };

/** A server could not listen on its host and port for a reason the operator can fix. */
export class ListenError extends UserError {
  override name = 'ListenError';

  constructor(
    readonly host: string,
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

/** EADDRINUSE: another program already listens on the port. */
export class PortInUseError extends ListenError {
  override name = 'PortInUseError';

  constructor(host: string, port: number, flags: ListenFlags = RPC_FLAGS) {
    super(
      host,
      port,
      `port ${port} on ${host} is already in use; stop the other program or choose another ${flags.port}`,
    );
  }
}

/** EACCES: the port is privileged (below 1024 on most systems) and this user may not listen on it. */
export class PortNotPermittedError extends ListenError {
  override name = 'PortNotPermittedError';

  constructor(host: string, port: number, flags: ListenFlags = RPC_FLAGS) {
    super(
      host,
      port,
      `port ${port} on ${host} needs privileges this user lacks; choose a port above 1023 with ${flags.port}`,
    );
  }
}

/** EADDRNOTAVAIL or an unresolvable name: the host is not an address of this machine. */
export class AddressNotAvailableError extends ListenError {
  override name = 'AddressNotAvailableError';

  constructor(host: string, port: number, unresolved = false, flags: ListenFlags = RPC_FLAGS) {
    super(
      host,
      port,
      unresolved
        ? `${flags.host} ${host} does not resolve to an address; give an IP address of this machine (127.0.0.1 for local use only)`
        : `${host} is not an address of this machine; choose one it has with ${flags.host} (127.0.0.1 for local use only)`,
    );
  }
}

/**
 * The ListenError for a failed listen() of any of our servers (the ledger's RPC, the dashboard, the neuron's
 * libp2p node), naming the flags that fix it; the error itself when it is not one an operator can fix. The code
 * is read from the error, its cause, or (libp2p wraps them) its message.
 */
export function listenError(error: unknown, host: string, port: number, flags: ListenFlags = RPC_FLAGS): Error {
  const e = error as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  const code =
    e?.code ??
    e?.cause?.code ??
    /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN)\b/.exec(e?.message ?? '')?.[1];
  switch (code) {
    case 'EADDRINUSE':
      return new PortInUseError(host, port, flags);
    case 'EACCES':
      return new PortNotPermittedError(host, port, flags);
    case 'EADDRNOTAVAIL':
      return new AddressNotAvailableError(host, port, false, flags);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AddressNotAvailableError(host, port, true, flags);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
