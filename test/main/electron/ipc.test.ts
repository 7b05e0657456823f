// The Electron adapter, with the thinnest fake of ipcMain (the Electron runtime cannot run here): it registers
// exactly the contract's channels, refuses foreign senders and subframes, and returns the router's envelopes.
import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { channelNames } from '../../../preload/contract.js';
import { registerIpc, trustedSender, type IpcMainLike } from '../../../main/electron/ipc.js';
import { createRouter } from '../../../main/router.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener as Handler);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  return { ipc, handlers };
}

const calls: string[] = [];
const router = createRouter(
  Object.fromEntries(
    channelNames.map((c) => [c, async () => (calls.push(c), c === 'tenants:list' ? [] : { channel: c })]),
  ) as never,
  () => [],
);

function event(
  url: string,
  opts: { subframe?: boolean; window?: 'ours' | 'other' } = {},
): IpcMainInvokeEvent {
  const mainFrame = { url };
  const senderFrame = opts.subframe ? { url } : mainFrame;
  return {
    senderFrame,
    sender: { mainFrame, id: opts.window === 'other' ? 2 : 1 },
  } as unknown as IpcMainInvokeEvent;
}
const ourWindow = (e: IpcMainInvokeEvent) => (e.sender as unknown as { id: number }).id === 1;
const check = trustedSender(ourWindow, ['app://tenant-desk']);

describe('Electron IPC adapter', () => {
  it('registers exactly the contract\u2019s channels, and removes them again', () => {
    const { ipc, handlers } = fakeIpcMain();
    const dispose = registerIpc(ipc, router, check);
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('passes a trusted request to the router and returns its envelope', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(ipc, router, check);
    const result = await handlers.get('tenants:list')!(event('app://tenant-desk/index.html'), {});
    expect(result).toEqual({ ok: true, data: [] });
    const invalid = await handlers.get('tenants:remove')!(event('app://tenant-desk/index.html'), { id: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses subframes, foreign origins and other windows without calling the router', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(ipc, router, check);
    calls.length = 0;
    for (const e of [
      event('app://tenant-desk/index.html', { subframe: true }),
      event('https://evil.example/'),
      event('app://another-host/index.html'),
      event('about:blank'),
      event('file:///etc/passwd'),
      event('app://tenant-desk/index.html', { window: 'other' }),
    ]) {
      expect(await handlers.get('tenants:list')!(e, {})).toMatchObject({
        ok: false,
        error: { code: 'validation' },
      });
    }
    expect(calls).toEqual([]);
  });
});
