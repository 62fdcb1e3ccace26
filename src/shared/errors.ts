/**
 * Error classes shared by every process. Each carries a message that reads as one line a user can act on.
 */

/** Input that a user or a peer supplied is malformed or out of range; `field` names the offending part. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
