// The renderer's only way to main: `window.tenantDesk` from the Electron preload, or the same API over the browser
// host's WebSocket. Both speak preload/contract.ts; the renderer never sees a secret or a token of a tenant.
import {
  channelNames,
  eventNames,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type EventName,
  type Events,
  type Result,
  type TenantDeskApi,
} from '../../preload/contract';

declare global {
  interface Window {
    tenantDesk?: TenantDeskApi;
  }
}

type Pending = (result: Result<unknown>) => void;

function networkError(message: string): Result<never> {
  return { ok: false, error: { code: 'network', message, retryable: true } };
}

/** The browser host's bridge: JSON messages over one WebSocket, reconnecting if the host restarts. */
export function websocketBridge(token: string, host = window.location.host): TenantDeskApi {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const open = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://${host}/rpc?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(
          new Error(
            'Could not connect to the Tenant Desk host. Open the exact URL printed by "npm run serve" (it carries a one-time token), and check that the host is still running.',
          ),
        );
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, done] of pending) {
          pending.delete(id);
          done(
            networkError(
              'The connection to the Tenant Desk host was lost. Reload the page if it does not come back.',
            ),
          );
        }
      };
      ws.onmessage = (e: MessageEvent<string>) => {
        let msg: {
          id?: number;
          result?: Result<unknown>;
          event?: EventName;
          payload?: unknown;
        };
        try {
          msg = JSON.parse(e.data) as typeof msg;
        } catch {
          return; // not a message of ours
        }
        if (msg.id !== undefined && msg.result) {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        } else if (msg.event) {
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        }
      };
    });
    return opening;
  };

  return {
    async invoke<C extends ChannelName>(
      channel: C,
      input: ChannelInput<C>,
    ): Promise<Result<ChannelOutput<C>>> {
      if (!channelNames.includes(channel))
        return {
          ok: false,
          error: { code: 'validation', message: `Unknown channel "${String(channel)}".`, retryable: false },
        };
      let ws: WebSocket;
      try {
        ws = await open();
      } catch (err) {
        return networkError((err as Error).message);
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending);
        ws.send(JSON.stringify({ id, channel, payload: input }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (!eventNames.includes(event)) return () => undefined;
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      void open().catch(() => undefined);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

function createBridge(): TenantDeskApi {
  if (window.tenantDesk) return window.tenantDesk;
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('tenant-desk-token') ?? '';
  if (params.has('token')) {
    // Keep the token out of the address bar and history; it lives for this tab only.
    sessionStorage.setItem('tenant-desk-token', token);
    params.delete('token');
    const query = params.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`,
    );
  }
  return websocketBridge(token);
}

export const bridge: TenantDeskApi = createBridge();
