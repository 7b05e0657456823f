// The sandboxed preload: exposes exactly one small object, `window.tenantDesk`, built from the contract's channel and
// event names. It never hands ipcRenderer or the Electron event object to the page.
import { contextBridge, ipcRenderer } from 'electron';
import {
  channelNames,
  eventNames,
  type ChannelName,
  type EventName,
  type TenantDeskApi,
} from './contract.js';

const channels = new Set<string>(channelNames);
const events = new Set<string>(eventNames);

const api: TenantDeskApi = {
  invoke(channel, input) {
    if (!channels.has(channel))
      return Promise.resolve({
        ok: false,
        error: { code: 'validation', message: `Unknown channel "${String(channel)}".`, retryable: false },
      });
    // ipcRenderer.invoke rejects only when main has no handler or died: answer with an envelope, never a throw.
    return ipcRenderer.invoke(channel as ChannelName, input).catch(() => ({
      ok: false,
      error: {
        code: 'internal',
        message: 'Tenant Desk could not reach its main process. Restart Tenant Desk.',
        retryable: false,
      },
    }));
  },
  on(event, listener) {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_e: unknown, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(event as EventName, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('tenantDesk', api);
