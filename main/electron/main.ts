// The Electron window: a sandboxed, context-isolated renderer loaded from app://, talking to the router through the
// preload's one object. Everything else (services, router) is the same code the browser host runs.
import {
  app,
  BrowserWindow,
  ipcMain,
  net,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { readFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../app.js';
import { contentSecurityPolicy } from '../browser-host/csp.js';
import { forwardEvents, registerIpc, trustedSender } from './ipc.js';
import { loadWindowState, saveWindowState } from './window-state.js';

const root = join(import.meta.dirname, '..', '..');
const rendererDir = join(root, 'out', 'renderer');
const preloadFile = join(root, 'out', 'preload', 'index.cjs');
const devServer = process.env.TENANT_DESK_DEV_SERVER; // Vite dev server URL in development only
const APP_ORIGIN = 'app://tenant-desk';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: App | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Only vetted https links leave the app, to the user's browser.
      try {
        if (new URL(url).protocol === 'https:') void shell.openExternal(url);
      } catch {
        // not a URL: ignore
      }
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    services = await createApp({ dataDir, host: 'electron', version });

    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    protocol.handle('app', async (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
      if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
      const res = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(res.headers);
      headers.set('content-security-policy', contentSecurityPolicy());
      headers.set('x-content-type-options', 'nosniff');
      return new Response(res.body, { status: res.status, headers });
    });

    const state = loadWindowState(dataDir);
    window = new BrowserWindow({
      ...state,
      minWidth: 640,
      minHeight: 480,
      show: false,
      title: 'Tenant Desk',
      webPreferences: {
        preload: preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    if (state.maximized) window.maximize();
    window.once('ready-to-show', () => window?.show());
    const remember = () => {
      if (!window) return;
      saveWindowState(dataDir, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    };
    window.on('close', remember);

    const ownWindow = (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender) === window;
    const origins = devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN];
    registerIpc(ipcMain, services.router, trustedSender(ownWindow, origins));
    forwardEvents(services.router, (event, payload) => {
      if (window && !window.isDestroyed()) window.webContents.send(event, payload);
    });

    await window.loadURL(devServer ?? `${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!services) return;
    event.preventDefault();
    const closing = services;
    services = undefined;
    void closing.close().finally(() => app.quit());
  });
}
