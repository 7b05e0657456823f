// The window's bounds and maximized state, remembered in the data dir (written atomically).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT: WindowState = { width: 1280, height: 820, maximized: false };

export function loadWindowState(dataDir: string): WindowState {
  const file = join(dataDir, 'window-state.json');
  if (!existsSync(file)) return DEFAULT;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (typeof s.width !== 'number' || typeof s.height !== 'number') return DEFAULT;
    return {
      ...(typeof s.x === 'number' ? { x: s.x } : {}),
      ...(typeof s.y === 'number' ? { y: s.y } : {}),
      width: Math.max(640, s.width),
      height: Math.max(480, s.height),
      maximized: s.maximized === true,
    };
  } catch {
    return DEFAULT;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  writeFileAtomic(join(dataDir, 'window-state.json'), JSON.stringify(state));
}
