// The sandboxed preload, bundled as it ships (one CommonJS file) and run against a thin fake of Electron's
// contextBridge and ipcRenderer: it exposes one object, never ipcRenderer, and only contract channels and events.
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { channelNames } from '../../../preload/contract.js';
import { preloadBuildOptions } from '../../../scripts/build-electron.js';

async function loadPreload() {
  const out = await build({ ...preloadBuildOptions, write: false });
  const code = out.outputFiles[0]!.text;
  const exposed: Record<string, unknown> = {};
  const invoked: { channel: string; payload: unknown }[] = [];
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push({ channel, payload });
        // Electron rejects an invoke that main has no handler for.
        if (channel === 'users:search') throw new Error("No handler registered for 'users:search'");
        return { ok: true, data: null };
      },
      on: (event: string, l: (event: unknown, payload: unknown) => void) =>
        listeners.set(event, [...(listeners.get(event) ?? []), l]),
      removeListener: (event: string, l: unknown) =>
        listeners.set(
          event,
          (listeners.get(event) ?? []).filter((x) => x !== l),
        ),
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    // A sandboxed preload can require little besides electron: the bundle must need nothing else.
    require: (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require "${name}"`);
    },
    module,
    exports: module.exports,
    console,
  });
  return { exposed, invoked, listeners, electron };
}

describe('preload', () => {
  it('exposes exactly one object with invoke and on, and not ipcRenderer', async () => {
    const { exposed, electron } = await loadPreload();
    expect(Object.keys(exposed)).toEqual(['tenantDesk']);
    const api = exposed.tenantDesk as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
  });

  it('forwards contract channels and refuses others locally', async () => {
    const { exposed, invoked } = await loadPreload();
    const api = exposed.tenantDesk as { invoke(c: string, p: unknown): Promise<unknown> };
    for (const c of channelNames) await api.invoke(c, {});
    expect(invoked.map((i) => i.channel)).toEqual(channelNames);
    expect(await api.invoke('ipc:anything', {})).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(invoked).toHaveLength(channelNames.length);
  });

  it('turns a failed invoke into an envelope instead of throwing into the page', async () => {
    const { exposed } = await loadPreload();
    const api = exposed.tenantDesk as { invoke(c: string, p: unknown): Promise<unknown> };
    expect(await api.invoke('users:search', { tenantId: 't' })).toMatchObject({
      ok: false,
      error: { code: 'internal', retryable: false },
    });
  });

  it('delivers event payloads without the Electron event object, and unsubscribes', async () => {
    const { exposed, listeners } = await loadPreload();
    const api = exposed.tenantDesk as { on(e: string, l: (...args: unknown[]) => void): () => void };
    const got: unknown[][] = [];
    const off = api.on('tenants:changed', (...args) => got.push(args));
    listeners.get('tenants:changed')![0]!({ sender: 'secret-internals' }, { tenants: [] });
    expect(got).toEqual([[{ tenants: [] }]]);
    off();
    expect(listeners.get('tenants:changed')).toEqual([]);
    expect(api.on('not-an-event', () => undefined)).toBeTypeOf('function');
    expect(listeners.has('not-an-event')).toBe(false);
  });
});
