import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { MinerSnapshot } from '../../shared/api.js';
import {
  sameTrayModel,
  TRAY_ICONS,
  trayModel,
  type TrayAction,
  type TrayIcon,
  type TrayModel,
} from './policy/tray-model.js';

/**
 * The tray icon: its image follows the contribution state, its tooltip says the state and the reason, and its
 * menu offers Pause or Resume, Open and Quit. update() redraws at once when anything shown changed.
 */
export class MinerTray {
  private readonly tray: Tray;
  private readonly images: Record<TrayIcon, NativeImage>;
  private shown: TrayModel | undefined;

  constructor(
    trayDir: string,
    private readonly onAction: (action: TrayAction) => void,
  ) {
    // Electron picks <name>@2x.png beside <name>.png on high-density screens by itself.
    this.images = Object.fromEntries(
      TRAY_ICONS.map((name) => [name, nativeImage.createFromPath(join(trayDir, `${name}.png`))]),
    ) as Record<TrayIcon, NativeImage>;
    this.tray = new Tray(this.images.waiting);
    this.update(null);
  }

  update(snapshot: MinerSnapshot | null): void {
    const model = trayModel(snapshot);
    if (sameTrayModel(this.shown, model)) return;
    this.shown = model;
    this.tray.setImage(this.images[model.icon]);
    this.tray.setToolTip(model.tooltip);
    const template: MenuItemConstructorOptions[] = model.menu.map((item) => {
      switch (item.kind) {
        case 'status':
          return { label: item.label, enabled: false };
        case 'separator':
          return { type: 'separator' };
        case 'action':
          return { label: item.label, enabled: item.enabled, click: () => this.onAction(item.action) };
      }
    });
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
