import { callApi, isApiMethod } from '../../../shared/api-schema.js';
import type { BridgeResult, MinerApi } from '../../../shared/api.js';
import { oneLine, UserError } from '../../../shared/errors.js';
import { silentLogger, type Logger } from '../../../shared/logger.js';
import { isAppUrl } from './urls.js';

/**
 * The IPC channels between the main process and the preload. The preload (src/preload/index.cts) spells the
 * same two names: a sandboxed preload cannot import this module, and a test checks that they agree.
 */
export const CALL_CHANNEL = 'miner:call';
export const SNAPSHOT_CHANNEL = 'miner:snapshot';

/** Who sent an IPC call: the URL of the frame it came from (null once that frame is gone) and whether it is the top one. */
export interface BridgeSender {
  url: string | null | undefined;
  topFrame: boolean;
}

/** Whether an IPC call comes from the app's own page (the top frame of an app:// document), not from anything else. */
export function isTrustedSender(sender: BridgeSender): boolean {
  return sender.topFrame && isAppUrl(sender.url);
}

/**
 * Answers one call from the page: refuses a sender that is not the app's own page and an unknown method,
 * validates the argument (callApi), calls the host (once it has started, when `api` is a promise), and wraps the
 * outcome in a BridgeResult. It never throws:
 * Electron would hand the page its own wrapped text ("Error invoking remote method ...") instead of ours.
 */
export async function answerBridgeCall(
  api: MinerApi | PromiseLike<MinerApi>,
  sender: BridgeSender,
  method: unknown,
  argument: unknown,
  logger: Logger = silentLogger,
): Promise<BridgeResult<unknown>> {
  if (!isTrustedSender(sender)) {
    logger.warn('refused an IPC call from a foreign frame', { url: String(sender.url).slice(0, 200) });
    return { ok: false, error: "refused: the call did not come from the miner's own page" };
  }
  if (!isApiMethod(method)) {
    return { ok: false, error: `unknown call ${JSON.stringify(String(method).slice(0, 40))}` };
  }
  try {
    return { ok: true, value: await callApi(await api, method, argument) };
  } catch (error) {
    if (!(error instanceof UserError)) logger.error('API call failed', { method, error: oneLine(error) });
    return { ok: false, error: oneLine(error) };
  }
}
