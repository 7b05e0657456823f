// The Electron main process as it ships (the one CommonJS bundle), run against a thin stand-in for the `electron`
// module, since the Electron runtime cannot run here. Everything behind it is real: the services, the router, the
// keychain, the files. It proves the security settings the window gets, what its web contents may do, the app://
// protocol, the IPC wiring, the remembered window state and the single-instance lock.
import { fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../../preload/contract.js';
import { exportProgress } from '../../support/router.js';
import {
  localTenantBuildOptions,
  mainBuildOptions,
  offlineWorkerBuildOptions,
  snapshotBuilderBuildOptions,
} from '../../../scripts/build-electron.js';

type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener) {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

class FakeContents extends Emitter {
  readonly mainFrame = { url: 'app://tenant-desk/index.html' };
  readonly sent: { event: string; payload: unknown }[] = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  send(event: string, payload: unknown) {
    this.sent.push({ event, payload });
  }
}

function fakeElectron(userData: string, lock: boolean) {
  const app = new (class extends Emitter {
    isPackaged = false;
    quits = 0;
    sandboxed = false;
    private markReady!: () => void;
    readonly ready = new Promise<void>((r) => (this.markReady = r));
    enableSandbox() {
      this.sandboxed = true;
    }
    requestSingleInstanceLock() {
      return lock;
    }
    quit() {
      this.quits++;
    }
    whenReady() {
      return this.ready;
    }
    becomeReady() {
      this.markReady();
    }
    getPath(name: string) {
      if (name === 'downloads') return join(userData, 'Downloads');
      if (name !== 'userData') throw new Error(`unexpected path ${name}`);
      return userData;
    }
    getVersion() {
      return '9.9.9-test';
    }
  })();
  const windows: FakeWindow[] = [];
  let windowLoaded: (w: FakeWindow) => void = () => undefined;
  const loaded = new Promise<FakeWindow>((r) => (windowLoaded = r));
  class FakeWindow extends Emitter {
    readonly webContents = new FakeContents();
    url: string | undefined;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    static fromWebContents(contents: unknown) {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
    async loadURL(url: string) {
      this.url = url;
      windowLoaded(this);
    }
    getNormalBounds() {
      return { x: 40, y: 30, width: 1000, height: 700 };
    }
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    maximize() {}
    show() {}
  }
  const ipcHandlers = new Map<string, Listener>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  const permissions: { request?: Listener; check?: Listener } = {};
  const opened: string[] = [];
  const savePrompts: string[] = [];
  const utilityModules: string[] = [];
  const module = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, listener: Listener) => ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (permissions.request = h),
        setPermissionCheckHandler: (h: Listener) => (permissions.check = h),
      },
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: {
      showErrorBox: (title: string, message: string) => {
        throw new Error(`${title}: ${message}`);
      },
      // The user picks a place in the native save dialog.
      showSaveDialog: async (_window: unknown, options: { defaultPath: string }) => {
        savePrompts.push(options.defaultPath);
        return { canceled: false, filePath: join(userData, 'chosen.csv') };
      },
    },
    // A utility process is a Node process the app starts: forked here, from the same bundle file.
    utilityProcess: {
      fork: (modulePath: string, args: string[]) => {
        utilityModules.push(modulePath);
        const child = fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
        // Electron's utility process posts messages where Node's child sends them.
        return Object.assign(child, { postMessage: (message: unknown) => child.send(message as object) });
      },
    },
  };
  return {
    module,
    app,
    windows,
    loaded,
    ipcHandlers,
    protocolHandlers,
    privileged,
    permissions,
    opened,
    savePrompts,
    utilityModules,
  };
}

// Bundled once per file, with the options `npm run build:electron` uses.
const bundleText = (options: typeof mainBuildOptions) =>
  build({ ...options, write: false, sourcemap: false, logLevel: 'silent' }).then(
    (out) => out.outputFiles.find((f) => f.path.endsWith('.cjs'))!.text,
  );
const bundled = bundleText(mainBuildOptions);
const localTenantBundled = bundleText(localTenantBuildOptions);
const offlineWorkerBundled = bundleText(offlineWorkerBuildOptions);
const snapshotBuilderBundled = bundleText(snapshotBuilderBuildOptions);

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A folder shaped like the installed app: out/main (the bundle), out/renderer, out/preload, node_modules. */
async function runBundle(lock: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'td-electron-'));
  roots.push(root);
  const userData = join(root, 'user-data');
  mkdirSync(join(root, 'out', 'main'), { recursive: true });
  mkdirSync(join(root, 'out', 'renderer'), { recursive: true });
  writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html><title>Tenant Desk</title>');
  writeFileSync(join(root, 'package.json'), '{"secret":"not served"}');
  symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');

  const code = await bundled;
  writeFileSync(join(root, 'out', 'main', 'local-tenant.cjs'), await localTenantBundled);
  writeFileSync(join(root, 'out', 'main', 'offline-worker.cjs'), await offlineWorkerBundled);
  writeFileSync(join(root, 'out', 'main', 'snapshot-builder.cjs'), await snapshotBuilderBundled);
  const bundleFile = join(root, 'out', 'main', 'electron.cjs');
  const electron = fakeElectron(userData, lock);
  const requireFromBundle = createRequire(bundleFile);
  const module = { exports: {} };
  const run = runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${code}\n})`,
  ) as (...args: unknown[]) => void;
  run(
    module.exports,
    (id: string) => (id === 'electron' ? electron.module : requireFromBundle(id)),
    module,
    bundleFile,
    join(root, 'out', 'main'),
  );
  return { ...electron, root, userData };
}

function ipcEvent(sender: FakeContents, frame: { url: string } = sender.mainFrame) {
  return { sender, senderFrame: frame };
}

describe('Electron main bundle', () => {
  it('quits at once when another instance holds the lock', async () => {
    const { app, windows } = await runBundle(false);
    app.becomeReady();
    await Promise.resolve();
    expect(app.quits).toBe(1);
    expect(windows).toHaveLength(0);
  });

  it('opens one sandboxed, isolated window on app:// and wires the router to IPC', async () => {
    const e = await runBundle(true);
    expect(e.app.sandboxed).toBe(true);
    expect(e.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    e.app.becomeReady();
    const win = await e.loaded;
    expect(win.url).toBe('app://tenant-desk/index.html');
    expect(win.options.webPreferences).toEqual({
      preload: join(e.root, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });

    // Permissions: every request and check is refused.
    let granted: boolean | undefined;
    e.permissions.request!({}, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(e.permissions.check!({}, 'clipboard-read')).toBe(false);

    // Navigation, redirects and webviews are blocked; only vetted https links leave, for the OS browser.
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      win.webContents.emit(event, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, event).toBe(true);
    }
    for (const url of [
      'https://auth0.com/docs',
      'http://auth0.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:pw@evil.example/',
    ])
      expect(win.webContents.openHandler!({ url })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(e.opened).toEqual(['https://auth0.com/docs']);

    // app:// serves the renderer folder with the CSP, and nothing outside it or for another host.
    const serve = e.protocolHandlers.get('app')!;
    const page = await serve(new Request('app://tenant-desk/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await serve(new Request('app://tenant-desk/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
    expect((await serve(new Request('app://other-host/index.html'))).status).toBe(404);
    expect((await serve(new Request('app://tenant-desk/missing.js'))).status).toBe(404);

    // IPC: exactly the contract's channels, answered by the real router for the window's own top frame only.
    expect([...e.ipcHandlers.keys()].sort()).toEqual([...channelNames].sort());
    const invoke = (channel: string, payload: unknown, event = ipcEvent(win.webContents)) =>
      e.ipcHandlers.get(channel)!(event, payload) as Promise<{
        ok: boolean;
        data?: unknown;
        error?: unknown;
      }>;
    expect(await invoke('app:info', {})).toMatchObject({
      ok: true,
      data: { host: 'electron', version: '9.9.9-test', dataDir: e.userData, firstRun: true },
    });
    expect(
      await invoke('app:info', {}, ipcEvent(win.webContents, { url: 'app://tenant-desk/' })),
    ).toMatchObject({ ok: false, error: { code: 'validation' } });
    // keytar loads from the bundle's place (next to node_modules) and reaches the session's keychain.
    expect(await invoke('keychain:status', {})).toEqual({
      ok: true,
      data: { available: true, message: null },
    });
    expect(await invoke('tenants:remove', { id: 7 })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });

    // Router events reach the window (a tenant kept for this session only, so the keychain is not involved).
    const added = await invoke('tenants:add', {
      label: 'Events',
      domain: 'events.example.com',
      clientId: 'client-for-events',
      environment: 'staging',
      color: '#ef6c00',
      secret: 'sekrit-value-for-events',
      secretStorage: 'session',
    });
    expect(added.ok).toBe(true);
    expect(win.webContents.sent.map((s) => s.event)).toContain('tenants:changed');
    expect(JSON.stringify(win.webContents.sent)).not.toContain('sekrit-value-for-events');

    // The local tenant starts from its own bundle in a utility process, and serves the app.
    const local = await invoke('local-tenant:start', {});
    expect(local).toMatchObject({ ok: true, data: { localTenant: true, label: 'Local tenant' } });
    expect(e.utilityModules).toEqual([join(e.root, 'out', 'main', 'local-tenant.cjs')]);
    const localId = (local.data as { id: string }).id;
    const search = await invoke('users:search', { tenantId: localId, q: '' });
    expect(search).toMatchObject({ ok: true, data: { total: expect.any(Number) } });
    expect(await invoke('local-tenant:status', {})).toMatchObject({ ok: true, data: { state: 'running' } });

    // An export is saved where the native save dialog says.
    const exported = await invoke('audit:export-csv', {});
    expect(exported.ok).toBe(true);
    const saved = await invoke('downloads:save', { id: (exported.data as { id: string }).id });
    expect(saved).toEqual({ ok: true, data: { saved: true, path: join(e.userData, 'chosen.csv') } });
    expect(e.savePrompts[0]).toMatch(/Downloads\/tenant-desk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync(join(e.userData, 'chosen.csv'), 'utf8')).toContain('tenant.add');

    // A users file becomes a snapshot through the offline worker, a thread started from its own bundle, and is searched.
    const text =
      '{"user_id":"auth0|1","email":"a@example.com"}\n{"user_id":"auth0|2","email":"b@example.com"}\n';
    const up = await invoke('uploads:begin', { name: 'users.ndjson', bytes: Buffer.byteLength(text) });
    const uploadId = (up.data as { uploadId: string }).uploadId;
    await invoke('uploads:chunk', { uploadId, offset: 0, data: Buffer.from(text).toString('base64') });
    expect(await invoke('uploads:finish', { uploadId })).toMatchObject({ ok: true });
    expect(
      await invoke('snapshots:open-file', { exportId: 'import-from-bundle', uploadId, label: 'From a file' }),
    ).toMatchObject({ ok: true, data: { phase: 'reading' } });
    const done = await new Promise<{ snapshot?: { id: string }; phase: string }>((resolve) => {
      const check = () => {
        const last = win.webContents.sent
          .map((m) => exportProgress(m.event, m.payload))
          .find((p) => p?.phase === 'completed' || p?.phase === 'failed');
        if (last) resolve(last);
        else setTimeout(check, 50);
      };
      check();
    });
    expect(done.phase).toBe('completed');
    // Built by the snapshot builder, a utility process started from its own bundle (DuckDB's memory is its own).
    expect(e.utilityModules).toContain(join(e.root, 'out', 'main', 'snapshot-builder.cjs'));
    expect(
      await invoke('snapshots:search', { snapshotId: done.snapshot!.id, q: 'email:b@example.com' }),
    ).toMatchObject({ ok: true, data: { total: 1, users: [{ user_id: 'auth0|2' }] } });

    // Closing remembers the window's bounds in the data dir; quitting stops the services first.
    win.emit('close');
    expect(JSON.parse(readFileSync(join(e.userData, 'window-state.json'), 'utf8'))).toEqual({
      x: 40,
      y: 30,
      width: 1000,
      height: 700,
      maximized: false,
    });
    let held = false;
    e.app.emit('will-quit', { preventDefault: () => (held = true) });
    expect(held).toBe(true);
    await new Promise<void>((resolve) => {
      const check = () => (e.app.quits > 0 ? resolve() : setImmediate(check));
      check();
    });
    expect(e.app.quits).toBe(1);
    // The local tenant saved its data as it stopped.
    expect(existsSync(join(e.userData, 'local-tenant', 'tenant.json'))).toBe(true);
    expect(await invoke('local-tenant:status', {})).toMatchObject({ data: { state: 'stopped' } });
  });
});
