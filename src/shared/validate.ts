import type { z } from 'zod';
import { InvalidInputError } from './errors.js';

/**
 * A schema's first complaint as one InvalidInputError: "root.path.to.field: what is wrong" (`whole` names the
 * input when the complaint is about all of it and there is no root).
 */
export function firstIssue(error: z.ZodError, root: string, whole = 'input'): InvalidInputError {
  const issue = error.issues[0];
  const field = [root, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.') || whole;
  return new InvalidInputError(field, issue?.message ?? 'is not valid');
}

/** `value` checked against `schema`; throws firstIssue's error naming the field under `root`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw firstIssue(parsed.error, root);
  return parsed.data;
}
