// The Electron window: a sandboxed, context-isolated renderer loaded from app://, talking to the router through the
// preload's one object. Everything else (services, router) is the same code the browser host runs.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { createApp, type App } from '../app.js';
import { APP_ENTRY, APP_ORIGIN, APP_SCHEME, serveAppRequest } from './app-protocol.js';
import { forwardEvents, registerIpc, trustedSender } from './ipc.js';
import { utilityProcessLauncher } from './local-tenant.js';
import { utilitySnapshotBuilder } from './snapshot-builder.js';
import { denyAllPermissions, hardenWebContents, secureWebPreferences } from './security.js';
import { fitToDisplays, loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState } from './window-state.js';

// The bundle lives in out/main/, so the project (or app.asar) root is two levels up.
const root = join(import.meta.dirname, '..', '..');
const rendererDir = join(root, 'out', 'renderer');
const preloadFile = join(root, 'out', 'preload', 'index.cjs');

/** The Vite dev server, for development only: a packaged app never loads anything but app://. */
function devServerUrl(): string | null {
  const raw = process.env.TENANT_DESK_DEV_SERVER;
  if (app.isPackaged || !raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname) ? url.href : null;
  } catch {
    return null;
  }
}

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: App | undefined;
  let window: BrowserWindow | undefined;
  const devServer = devServerUrl();

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, (url) => shell.openExternal(url)),
  );

  const openWindow = async (started: App, dataDir: string) => {
    const state = fitToDisplays(
      loadWindowState(dataDir),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
      show: false,
      title: 'Tenant Desk',
      webPreferences: secureWebPreferences(preloadFile),
    });
    window = win;
    if (state.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('close', () => {
      try {
        saveWindowState(dataDir, { ...win.getNormalBounds(), maximized: win.isMaximized() });
      } catch {
        // Not remembering the window's size must never stop it from closing.
      }
    });
    win.on('closed', () => {
      if (window === win) window = undefined;
    });

    const ownWindow = (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender) === win;
    const origins = devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN];
    registerIpc(ipcMain, started.router, trustedSender(ownWindow, origins));
    forwardEvents(started.router, (event, payload) => {
      if (!win.isDestroyed()) win.webContents.send(event, payload);
    });

    // In development the Vite dev server serves the renderer (and its own headers); otherwise only app://.
    await win.loadURL(devServer ?? APP_ENTRY);
  };

  void app.whenReady().then(async () => {
    try {
      const dataDir = app.getPath('userData');
      denyAllPermissions(session.defaultSession);
      protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
      services = await createApp({
        dataDir,
        host: 'electron',
        version: app.getVersion(),
        launchLocalTenant: utilityProcessLauncher(import.meta.dirname),
        snapshotBuilder: utilitySnapshotBuilder(import.meta.dirname),
        chooseSavePath: async (download) => {
          const options = { defaultPath: join(app.getPath('downloads'), download.filename) };
          const result = window
            ? await dialog.showSaveDialog(window, options)
            : await dialog.showSaveDialog(options);
          return result.canceled || !result.filePath ? null : result.filePath;
        },
      });
      const log = services.log;
      process.on('unhandledRejection', (reason) =>
        log.write('error', 'unhandled rejection', { detail: String((reason as Error)?.stack ?? reason) }),
      );
      await openWindow(services, dataDir);
    } catch (err) {
      dialog.showErrorBox('Tenant Desk could not start', (err as Error).message);
      app.quit();
    }
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!services) return;
    // Stop the services (the local tenant saves its data) before the process ends.
    event.preventDefault();
    const closing = services;
    services = undefined;
    void closing.close().finally(() => app.quit());
  });
}
