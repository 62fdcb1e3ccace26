import type { ApiMethod, MinerSnapshot } from '../../src/shared/api.js';
import type { DashboardTransport } from '../../src/renderer/lib/api.js';

export { peer, snapshotOf } from '../support/snapshots.js';

/** A transport whose calls are answered by `answer` (the host is out of scope here; browser tests drive the real one). */
export function fakeTransport(
  snapshot: MinerSnapshot,
  answer: (method: ApiMethod, argument: unknown) => unknown = () => snapshot,
): DashboardTransport & { calls: Array<[ApiMethod, unknown]> } {
  const calls: Array<[ApiMethod, unknown]> = [];
  return {
    calls,
    async call(method, argument) {
      calls.push([method, argument]);
      return (await answer(method, argument)) as never;
    },
    subscribe(listener) {
      listener(snapshot);
      return () => undefined;
    },
  };
}
