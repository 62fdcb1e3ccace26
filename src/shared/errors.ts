/**
 * Error classes shared by every process. Each carries a message that reads as one line a user can act on.
 */

/** Something the user (or a peer) can fix: bad input, a wrong password, a missing file. CLIs exit with 2. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Input that a user or a peer supplied is malformed or out of range; `field` names the offending part. */
export class InvalidInputError extends UserError {
  override name = 'InvalidInputError';

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
