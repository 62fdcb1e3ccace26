import { ipcMain, type BrowserWindow } from 'electron';
import type { MinerApi } from '../../shared/api.js';
import type { SnapshotPush } from '../../shared/snapshot-delta.js';
import type { Logger } from '../../shared/logger.js';
import { answerBridgeCall, CALL_CHANNEL, SNAPSHOT_CHANNEL } from './policy/bridge.js';

/**
 * Serves the dashboard's API on one IPC channel: each call names its method, comes only from the app's own
 * page (the sender frame's URL), has its argument validated (callApi), and gets a BridgeResult back. `api` may
 * still be starting: calls then wait for it. Returns a function that removes the handler.
 */
export function serveApiOverIpc(api: MinerApi | Promise<MinerApi>, logger: Logger): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, argument: unknown) => {
    const frame = event.senderFrame;
    return answerBridgeCall(
      api,
      { url: frame?.url, topFrame: frame !== null && frame.parent === null },
      method,
      argument,
      logger,
    );
  });
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Sends one of the host's pushes to the window's page, if the window and its page are still there. */
export function sendPush(window: BrowserWindow | undefined, push: SnapshotPush): void {
  if (window === undefined || window.isDestroyed() || window.webContents.isDestroyed()) return;
  window.webContents.send(SNAPSHOT_CHANNEL, push);
}
