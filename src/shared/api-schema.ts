import { z } from 'zod';
import type { ApiMethod, MinerApi } from './api.js';
import { TOKEN_AMOUNT } from './amount.js';
import { InvalidInputError } from './errors.js';
import { firstIssue } from './validate.js';
import { SettingsSchema } from './settings.js';

/**
 * What each API call may be given, checked by every transport's handler (Electron IPC, HTTP) before the host
 * sees it: anything else is one InvalidInputError naming the field.
 */
const password = z.string().min(1, 'enter the password').max(1024);
const amount = z.string().trim().regex(TOKEN_AMOUNT, 'must be an amount in tokens, like 1.5 (at most 9 decimals)');
const spend = z.strictObject({ amount, password: password.optional() });
const none = z.undefined().or(z.strictObject({}));

const SCHEMAS = {
  snapshot: none,
  pause: none,
  resume: none,
  settings: none,
  updateSettings: SettingsSchema.partial(),
  createWallet: z.strictObject({ password }),
  importWallet: z.strictObject({ mnemonic: z.string().min(1, 'enter the 24 words').max(1024), password }),
  unlock: z.strictObject({ password }),
  lock: none,
  backup: z.strictObject({ password }),
  transfer: spend.extend({ to: z.string().trim().min(1, 'enter the address to send to').max(128) }),
  stake: spend,
  unstake: spend,
} satisfies Record<ApiMethod, z.ZodType>;

/** The argument of `method`, validated; throws InvalidInputError naming the first bad field. */
export function parseApiArgument<M extends ApiMethod>(method: M, input: unknown): Parameters<MinerApi[M]>[0] {
  const parsed = SCHEMAS[method].safeParse(input);
  if (parsed.success) return parsed.data as Parameters<MinerApi[M]>[0];
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new InvalidInputError(issue.keys.join(', '), `is not a field of ${method}`);
  }
  throw firstIssue(parsed.error, '', 'request');
}

/** Calls `method` on `api` with a validated argument: the one path every transport takes into the host. */
export async function callApi(api: MinerApi, method: ApiMethod, input: unknown): Promise<unknown> {
  const arg = parseApiArgument(method, input);
  return (api[method] as (a: unknown) => Promise<unknown>)(arg);
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(SCHEMAS, name);
}
