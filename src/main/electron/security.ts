import { shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../../shared/logger.js';
import { mayNavigate, mayRequest, vetExternalUrl } from './policy/urls.js';

/**
 * Locks down a session: every permission request (camera, notifications, geolocation, ...) and permission
 * check is denied, and any request that is not for the app's own files (or DevTools, data:, blob:) is
 * cancelled before it leaves, whatever the page's CSP says.
 */
export function hardenSession(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.debug('denied a permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = mayRequest(details.url);
    if (!allowed) logger.warn('blocked a request', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
}

/** Opens `url` in the system browser when it passes vetExternalUrl (https only); otherwise drops it. */
function openOutside(url: string, logger: Logger): void {
  const vetted = vetExternalUrl(url);
  if (vetted === null) {
    logger.warn('refused to open a link', { url: url.slice(0, 200) });
    return;
  }
  shell.openExternal(vetted).catch((error: unknown) => logger.warn('could not open a link', { error: String(error) }));
}

/**
 * Locks down one web contents (called for every one created): it may navigate only within the app's origin,
 * never opens windows of its own (an https link goes to the system browser instead), and attaches no webviews.
 */
export function hardenContents(contents: WebContents, logger: Logger): void {
  const refuse = (event: { preventDefault(): void; url: string }): boolean => {
    if (mayNavigate(event.url)) return false;
    event.preventDefault();
    return true;
  };
  // A link the user followed may go to the browser; redirects and subframe navigations are just refused.
  contents.on('will-navigate', (event) => {
    if (refuse(event)) openOutside(event.url, logger);
  });
  contents.on('will-redirect', refuse);
  contents.on('will-frame-navigate', refuse);
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, logger);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
