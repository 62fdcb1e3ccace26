import { vi } from 'vitest';

/**
 * Waits until `check` holds, looking again every 50 ms (vitest's waitFor): no fixed sleeps, and on time-out one
 * line naming what was awaited. The one polling helper of the suite.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/** Waits until `probe` gives a value, and returns it. */
export async function untilValue<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 250 },
  );
}
