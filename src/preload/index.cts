/**
 * The preload of the dashboard's window: exposes `window.minerBridge` (MinerBridge in shared/api.ts) and nothing
 * else; the page never sees ipcRenderer. CommonJS (.cts), because a sandboxed preload cannot be an ES module, and
 * it requires nothing but 'electron', because a sandboxed preload cannot load other files: the channel names are
 * spelled here and in main/electron/policy/bridge.ts, and a test checks that they agree.
 */
import type { ApiMethod, MinerBridge } from '../shared/api.js';
import type { SnapshotPush } from '../shared/snapshot-delta.js';
import electron = require('electron');

const CALL_CHANNEL = 'miner:call';
const SNAPSHOT_CHANNEL = 'miner:snapshot';

const { contextBridge, ipcRenderer } = electron;

const bridge: MinerBridge = {
  call(method: ApiMethod, argument?: unknown) {
    return ipcRenderer.invoke(CALL_CHANNEL, method, argument);
  },
  onPush(listener: (push: SnapshotPush) => void) {
    const relay = (_event: unknown, push: SnapshotPush) => listener(push);
    ipcRenderer.on(SNAPSHOT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(SNAPSHOT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('minerBridge', bridge);
