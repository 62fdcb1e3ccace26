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

/** Longest line oneLine gives. */
const MAX_LINE = 300;

/** An error as the one line a user can read: the first non-empty line of its message, at most 300 characters. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (line === undefined) return error instanceof Error ? `${error.name} (no message)` : 'failed';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 3)}...` : line;
}

/**
 * Whether an error is a full disk: Node's ENOSPC, or LevelDB's "No space left on device" (its IO errors carry
 * the OS's words, in the error or its cause), anywhere in a cause chain.
 */
export function isDiskFull(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 8;
    depth++
  ) {
    if (
      e.code === 'ENOSPC' ||
      (typeof e.message === 'string' && /no space left on (the )?device|ENOSPC/i.test(e.message))
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** What the file system's refusals mean, for a user. */
const FILE_REFUSALS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'a read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file stands where a folder should be',
  EISDIR: 'a folder stands where a file should be',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

/**
 * A file system's refusal (Node's error with a code such as EACCES or EROFS and the path it was about) as one line
 * naming the path and what to do; undefined for any other error. A folder the user pointed at that cannot be
 * made or written is theirs to fix, not a bug to report.
 */
export function describeFileRefusal(error: unknown): string | undefined {
  const e = error as { code?: unknown; path?: unknown; syscall?: unknown } | undefined;
  if (typeof e?.code !== 'string' || typeof e.path !== 'string' || !Object.hasOwn(FILE_REFUSALS, e.code))
    return undefined;
  const what = typeof e.syscall === 'string' ? `${e.syscall} ` : '';
  return `cannot ${what}${e.path} (${e.code}: ${FILE_REFUSALS[e.code]}): check that the folder exists and is yours to write, or choose another`;
}
