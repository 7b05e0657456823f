// The remembered window: bounds and maximized state survive a restart, a broken file means the default size, and a
// position on a display that is gone is dropped so the window never opens off-screen.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitToDisplays, loadWindowState, saveWindowState } from '../../../main/electron/window-state.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'td-window-'));

describe('window state', () => {
  it('remembers bounds and maximized state in the data dir, leaving no temp file behind', () => {
    const dir = dataDir();
    saveWindowState(dir, { x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(loadWindowState(dir)).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('starts with the default size when the file is missing, broken or nonsense, and keeps the minimum size', () => {
    const dir = dataDir();
    const fallback = { width: 1280, height: 820, maximized: false };
    expect(loadWindowState(dir)).toEqual(fallback);
    for (const content of ['{not json', 'null', '{"width":"wide","height":800}', '[]']) {
      writeFileSync(join(dir, 'window-state.json'), content);
      expect(loadWindowState(dir), content).toEqual(fallback);
    }
    writeFileSync(join(dir, 'window-state.json'), '{"width":10,"height":10,"x":"left"}');
    expect(loadWindowState(dir)).toEqual({ width: 640, height: 480, maximized: false });
  });

  it('keeps a position that is on a display and drops one that is not', () => {
    const screens = [
      { x: 0, y: 0, width: 1920, height: 1040 },
      { x: 1920, y: 0, width: 1280, height: 1024 },
    ];
    const onSecond = { x: 2000, y: 100, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(onSecond, screens)).toEqual(onSecond);
    expect(fitToDisplays(onSecond, screens.slice(0, 1))).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
    const barelyVisible = { x: -990, y: 100, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(barelyVisible, screens)).toEqual({ width: 1000, height: 700, maximized: false });
  });
});
