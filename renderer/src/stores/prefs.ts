// The window's preferences, read from main once at start and written back to it (main keeps them in the data dir,
// so they survive a restart of either host): table layouts per tenant, theme, density, the side panel's width.
// Writes of the same key in quick succession (a column being dragged wider) are sent once, when they settle.
import { create } from 'zustand';
import { bridge } from '../bridge';

export type Theme = 'system' | 'light' | 'dark';
export type Density = 'comfortable' | 'compact';

interface PrefsState {
  loaded: boolean;
  values: Record<string, unknown>;
  load(): Promise<void>;
  set(key: string, value: unknown): void;
}

const pending = new Map<string, ReturnType<typeof setTimeout>>();
export const PREF_WRITE_DELAY_MS = 300;

export const usePrefsStore = create<PrefsState>((set, get) => ({
  loaded: false,
  values: {},
  async load() {
    const r = await bridge.invoke('prefs:get', {});
    // Without them the window works on its defaults; a write later still saves.
    set({ loaded: true, values: r.ok ? { ...r.data, ...get().values } : get().values });
  },
  set(key, value) {
    set((s) => ({ values: { ...s.values, [key]: value } }));
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        void bridge.invoke('prefs:set', { key, value: value ?? null });
      }, PREF_WRITE_DELAY_MS),
    );
  },
}));

/** A preference, or the fallback while unset (or of the wrong shape). */
export function usePref<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  const v = usePrefsStore((s) => s.values[key]);
  return valid(v) ? v : fallback;
}

export const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
export const isSizes = (v: unknown): v is Record<string, number> =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v as object).every((x) => typeof x === 'number' && x > 0 && x < 5000);
export const isTheme = (v: unknown): v is Theme => v === 'system' || v === 'light' || v === 'dark';
export const isDensity = (v: unknown): v is Density => v === 'comfortable' || v === 'compact';
export const isWidth = (v: unknown): v is number => typeof v === 'number' && v >= 320 && v <= 2000;
