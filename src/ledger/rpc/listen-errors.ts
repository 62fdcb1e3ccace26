import { UserError } from '../../shared/errors.js';

/** The RPC server could not listen on its host and port for a reason the operator can fix. */
export class RpcListenError extends UserError {
  override name = 'RpcListenError';

  constructor(
    readonly host: string,
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

/** EADDRINUSE: another program already listens on the port. */
export class PortInUseError extends RpcListenError {
  override name = 'PortInUseError';

  constructor(host: string, port: number) {
    super(host, port, `port ${port} on ${host} is already in use; stop the other program or choose another --rpc-port`);
  }
}

/** EACCES: the port is privileged (below 1024 on most systems) and this user may not listen on it. */
export class PortNotPermittedError extends RpcListenError {
  override name = 'PortNotPermittedError';

  constructor(host: string, port: number) {
    super(
      host,
      port,
      `port ${port} on ${host} needs privileges this user lacks; choose a port above 1023 with --rpc-port`,
    );
  }
}

/** EADDRNOTAVAIL or an unresolvable name: the host is not an address of this machine. */
export class AddressNotAvailableError extends RpcListenError {
  override name = 'AddressNotAvailableError';

  constructor(host: string, port: number, unresolved = false) {
    super(
      host,
      port,
      unresolved
        ? `--rpc-host ${host} does not resolve to an address; give an IP address of this machine (127.0.0.1 for local use only)`
        : `${host} is not an address of this machine; choose one it has with --rpc-host (127.0.0.1 for local use only)`,
    );
  }
}

/** The RpcListenError for a failed listen(), or the error itself when it is not one an operator can fix. */
export function listenError(error: unknown, host: string, port: number): Error {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new PortInUseError(host, port);
    case 'EACCES':
      return new PortNotPermittedError(host, port);
    case 'EADDRNOTAVAIL':
      return new AddressNotAvailableError(host, port);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AddressNotAvailableError(host, port, true);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
