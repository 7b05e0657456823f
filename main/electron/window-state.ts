// The window's bounds and maximized state, remembered in the data dir (written atomically).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 480;
const DEFAULT: WindowState = { width: 1280, height: 820, maximized: false };
const FILE = 'window-state.json';

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

export function loadWindowState(dataDir: string): WindowState {
  let saved: Partial<WindowState>;
  try {
    saved = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as Partial<WindowState>;
  } catch {
    return { ...DEFAULT }; // missing or unreadable: start with the default size
  }
  if (!saved || !finite(saved.width) || !finite(saved.height)) return { ...DEFAULT };
  return {
    ...(finite(saved.x) && finite(saved.y) ? { x: Math.round(saved.x), y: Math.round(saved.y) } : {}),
    width: Math.max(MIN_WIDTH, Math.round(saved.width)),
    height: Math.max(MIN_HEIGHT, Math.round(saved.height)),
    maximized: saved.maximized === true,
  };
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  writeFileAtomic(join(dataDir, FILE), JSON.stringify(state));
}

/** A remembered position on a display that is gone (unplugged monitor) would open the window off-screen: drop it. */
export function fitToDisplays(state: WindowState, workAreas: readonly Area[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  // Visible enough to grab: at least 100×50 px of the window overlap some display.
  const visible = workAreas.some(
    (a) =>
      Math.min(x + state.width, a.x + a.width) - Math.max(x, a.x) >= 100 &&
      Math.min(y + state.height, a.y + a.height) - Math.max(y, a.y) >= 50,
  );
  if (visible) return state;
  return { width: state.width, height: state.height, maximized: state.maximized };
}
