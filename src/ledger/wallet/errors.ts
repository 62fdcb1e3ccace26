import { UserError } from '../../shared/errors.js';

/**
 * Wallet errors. Each message is one line that says what went wrong and what to do; none ever contains a
 * password, a seed or a mnemonic.
 */

/** Which key of a wallet a keyfile holds. */
export type KeyKind = 'coldkey' | 'hotkey';

/** Base class of every wallet error: the user can fix it (CLIs exit with code 2). */
export class WalletError extends UserError {
  override name = 'WalletError';
}

/** The password does not open a keyfile (its authentication tag fails). */
export class WrongPasswordError extends WalletError {
  override name = 'WrongPasswordError';

  constructor(
    readonly kind: KeyKind,
    readonly wallet?: string,
  ) {
    const which = wallet === undefined ? `this ${kind}` : `the ${kind} of wallet ${wallet}`;
    super(
      `wrong password for ${which} (or the keyfile was altered): check the password file, ` +
        'or restore the wallet from its mnemonic with "wallet import"',
    );
  }
}

/** No wallet of that name in the wallets folder. */
export class WalletNotFoundError extends WalletError {
  override name = 'WalletNotFoundError';

  constructor(
    readonly wallet: string,
    readonly dir: string,
  ) {
    super(`no wallet named ${wallet} in ${dir}: check --wallets and --name, or create it with "wallet create"`);
  }
}

/** A wallet of that name exists already; wallets are never overwritten. */
export class WalletExistsError extends WalletError {
  override name = 'WalletExistsError';

  constructor(
    readonly wallet: string,
    readonly dir: string,
  ) {
    super(`a wallet named ${wallet} already exists in ${dir}: choose another --name (wallets are never overwritten)`);
  }
}

/** A keyfile (or a wallet's public file) is malformed, truncated, missing or inconsistent. */
export class CorruptKeyfileError extends WalletError {
  override name = 'CorruptKeyfileError';

  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file} is not a valid keyfile (${detail}): restore the wallet from its mnemonic with "wallet import"`);
  }
}

/**
 * A keyfile asks for scrypt parameters this program never writes. Refused before deriving: a tampered cost
 * could otherwise take seconds and gigabytes before failing as a wrong password.
 */
export class UnsupportedKeyfileError extends WalletError {
  override name = 'UnsupportedKeyfileError';

  constructor(
    readonly file: string,
    readonly parameters: string,
  ) {
    super(
      `keyfile ${file}: unsupported scrypt parameters (${parameters}); it was not written by this program or was ` +
        'altered: restore the wallet from its mnemonic with "wallet import"',
    );
  }
}

/** A secret keyfile that group or others may read or write (POSIX), refused as ssh refuses such a private key. */
export class InsecureKeyfileError extends WalletError {
  override name = 'InsecureKeyfileError';

  constructor(
    readonly file: string,
    readonly mode: number,
  ) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    super(`keyfile ${file} is accessible by group or others (mode ${octal}); run chmod 600 ${shellQuoted(file)}`);
  }
}

/** `path` as one shell word, so that the suggested command can be pasted as it is. */
function shellQuoted(path: string): string {
  return /^[\w./~+-]+$/u.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
