import { BrowserWindow } from 'electron';
import { PRODUCT_NAME } from './policy/tray-model.js';
import { APP_START_URL } from './policy/urls.js';

export interface MainWindowInit {
  /** The compiled preload (CommonJS). */
  preload: string;
  icon: string;
  /** Show the window once it has drawn (false when started at login: the tray is enough). */
  show: boolean;
  /** Allow DevTools (development builds only). */
  devTools: boolean;
}

/**
 * The dashboard's window: a sandboxed, context-isolated page without Node, loading app://miner/index.html;
 * its only way to the host is the preload's minerBridge.
 */
export function createMainWindow(init: MainWindowInit): BrowserWindow {
  const window = new BrowserWindow({
    title: PRODUCT_NAME,
    icon: init.icon,
    width: 1180,
    height: 800,
    minWidth: 760,
    minHeight: 540,
    show: false,
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    webPreferences: {
      preload: init.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: init.devTools,
    },
  });
  if (init.show) window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_START_URL);
  return window;
}

/** Brings the window to the front (restoring it from the tray or the dock). */
export function showWindow(window: BrowserWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
