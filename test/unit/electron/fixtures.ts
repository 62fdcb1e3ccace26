import type { MinerApi, Settings } from '../../../src/shared/api.js';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings.js';
import { snapshotOf } from '../../support/snapshots.js';

export { snapshotOf };

/** Every call a test makes on the host, in order, with its argument. */
export interface RecordingApi extends MinerApi {
  calls: Array<[string, unknown]>;
}

/** A MinerApi that records its calls and answers with fixed values (pause and resume change the state). */
export function recordingApi(fail?: (method: string) => unknown): RecordingApi {
  const calls: Array<[string, unknown]> = [];
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const answer = async <T>(method: string, arg: unknown, value: () => T): Promise<T> => {
    calls.push([method, arg]);
    const error = fail?.(method);
    if (error !== undefined) throw error;
    return value();
  };
  const receipt = { tx: 'ab', block: 1, wallet: snapshotOf().wallet };
  return {
    calls,
    snapshot: () => answer('snapshot', undefined, () => snapshotOf()),
    pause: () =>
      answer('pause', undefined, () =>
        snapshotOf({ contribution: { state: 'paused', reason: 'paused by you', share: 0, processor: 'cpu' } }),
      ),
    resume: () => answer('resume', undefined, () => snapshotOf()),
    settings: () => answer('settings', undefined, () => settings),
    updateSettings: (change) => answer('updateSettings', change, () => (settings = { ...settings, ...change })),
    createWallet: (r) =>
      answer('createWallet', r, () => ({ mnemonic: 'w '.repeat(24).trim(), wallet: receipt.wallet })),
    importWallet: (r) => answer('importWallet', r, () => receipt.wallet),
    unlock: (r) => answer('unlock', r, () => receipt.wallet),
    lock: () => answer('lock', undefined, () => receipt.wallet),
    backup: (r) => answer('backup', r, () => ({ fileName: 'miner.json', content: '{}' })),
    transfer: (r) => answer('transfer', r, () => receipt),
    stake: (r) => answer('stake', r, () => receipt),
    unstake: (r) => answer('unstake', r, () => receipt),
  };
}
