import { describe, expect, it } from 'vitest';
import { answerBridgeCall, isTrustedSender } from '../../../src/main/electron/policy/bridge.js';
import { oneLine } from '../../../src/shared/errors.js';
import { APP_START_URL } from '../../../src/main/electron/policy/urls.js';
import { InvalidInputError, UserError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';
import { recordingApi } from './fixtures.js';

const page = { url: APP_START_URL, topFrame: true };

describe('an IPC call from the page', () => {
  it('reaches the host with its validated argument and returns its value', async () => {
    const api = recordingApi();
    expect(await answerBridgeCall(api, page, 'pause', undefined)).toEqual({ ok: true, value: await api.pause() });
    const result = await answerBridgeCall(api, page, 'updateSettings', { idleMinutes: 10, pauseOnBattery: false });
    expect(result).toMatchObject({ ok: true, value: { idleMinutes: 10, pauseOnBattery: false } });
    expect(api.calls[0]).toEqual(['pause', undefined]);
    expect(api.calls[2]).toEqual(['updateSettings', { idleMinutes: 10, pauseOnBattery: false }]);
    const stake = await answerBridgeCall(api, page, 'stake', { amount: ' 1.5 ' });
    expect(stake.ok).toBe(true);
    expect(api.calls.at(-1)).toEqual(['stake', { amount: '1.5' }]); // trimmed by the schema
  });

  it.each<[string, unknown, RegExp]>([
    ['updateSettings', { cpuCores: 0 }, /^cpuCores: /],
    ['updateSettings', { nonsense: true }, /nonsense|unrecognized/i],
    ['updateSettings', 'idleMinutes=3', /^request: /],
    ['unlock', { password: '' }, /^password: enter the password$/],
    ['unlock', {}, /^password: /],
    ['stake', { amount: '1.0000000001' }, /^amount: must be an amount in tokens/],
    ['transfer', { amount: '1', to: '' }, /^to: enter the address to send to$/],
    ['pause', { force: true }, /force|unrecognized/i],
  ])('refuses %s(%j) in one line naming the field, without calling the host', async (method, argument, message) => {
    const api = recordingApi();
    const result = await answerBridgeCall(api, page, method, argument);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(message);
    expect(result.error).not.toContain('\n');
    expect(api.calls).toEqual([]);
  });

  it.each([['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty'], ['shutdown'], [42], [null], [{}]])(
    'refuses the unknown method %j',
    async (method) => {
      const api = recordingApi();
      const result = await answerBridgeCall(api, page, method, undefined);
      expect(result).toEqual({ ok: false, error: expect.stringMatching(/^unknown call /) });
      expect(api.calls).toEqual([]);
    },
  );

  it.each([
    ['another origin', { url: 'https://evil.example/index.html', topFrame: true }],
    ['a file: page', { url: 'file:///work/main/dist/renderer/index.html', topFrame: true }],
    ['a look-alike host', { url: 'app://miner.evil/index.html', topFrame: true }],
    ['a subframe of our page', { url: APP_START_URL, topFrame: false }],
    ['a frame that is gone', { url: null, topFrame: true }],
    ['no frame', { url: undefined, topFrame: false }],
  ])('refuses a call from %s, and logs it', async (_what, sender) => {
    const api = recordingApi();
    const lines: string[] = [];
    const logger = createLogger('t', (l) => lines.push(l));
    expect(isTrustedSender(sender)).toBe(false);
    const result = await answerBridgeCall(api, sender, 'unlock', { password: 'hunter22' }, logger);
    expect(result).toEqual({ ok: false, error: "refused: the call did not come from the miner's own page" });
    expect(api.calls).toEqual([]);
    expect(lines.join('\n')).toMatch(/refused an IPC call/);
  });

  it('waits for a host that is still starting, and refuses a foreign sender without waiting', async () => {
    const api = recordingApi();
    let started!: () => void;
    const starting = new Promise<typeof api>((resolve) => (started = () => resolve(api)));
    const foreign = await answerBridgeCall(
      starting,
      { url: 'https://evil.example/', topFrame: true },
      'lock',
      undefined,
    );
    expect(foreign.ok).toBe(false);
    let answered = false;
    const pending = answerBridgeCall(starting, page, 'lock', undefined).then((r) => ((answered = true), r));
    // Nothing but `started()` can settle it: one turn of the event loop lets every other continuation run.
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    started();
    expect((await pending).ok).toBe(true);
    expect(api.calls).toEqual([['lock', undefined]]);
  });

  it("passes the host's refusal on as its first line", async () => {
    const api = recordingApi((m) => (m === 'unlock' ? new UserError('wrong password\n  at Wallet.unlock') : undefined));
    expect(await answerBridgeCall(api, page, 'unlock', { password: 'nope' })).toEqual({
      ok: false,
      error: 'wrong password',
    });
  });

  it('turns an unexpected failure into one line and logs it', async () => {
    const lines: string[] = [];
    const api = recordingApi(
      () => new TypeError("Cannot read properties of undefined (reading 'x')\n    at f (a.js:1)"),
    );
    const result = await answerBridgeCall(
      api,
      page,
      'snapshot',
      undefined,
      createLogger('t', (l) => lines.push(l)),
    );
    expect(result).toEqual({ ok: false, error: "Cannot read properties of undefined (reading 'x')" });
    expect(lines.some((l) => l.includes('"level":"error"'))).toBe(true);
  });
});

describe('oneLine', () => {
  it('keeps the first non-empty line of anything thrown, at most 300 characters', () => {
    expect(oneLine(new InvalidInputError('amount', 'must be > 0'))).toBe('amount: must be > 0');
    expect(oneLine(new Error('\n\n  second line is first  \nthird'))).toBe('second line is first');
    expect(oneLine('a string')).toBe('a string');
    expect(oneLine(new Error(''))).toBe('Error (no message)');
    expect(oneLine(undefined)).toBe('undefined');
    const long = oneLine(new Error('x'.repeat(1000)));
    expect(long).toHaveLength(300);
    expect(long.endsWith('...')).toBe(true);
  });
});
