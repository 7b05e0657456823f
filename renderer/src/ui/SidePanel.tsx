// A screen with an optional side panel beside its content (the user detail): never over the navigation or the
// table, its width dragged on its edge (or Left/Right on the edge) and remembered. Drawn no wider than leaves the
// content its room (40rem where the window has it: at 1280 px the table, its query and its pager stay usable); the
// width chosen comes back on a wider window.
import type { ReactNode } from 'react';
import { isWidth, usePref, usePrefsStore } from '../stores/prefs';

const KEY = 'panel-width';
const DEFAULT = 560;
const MIN = 360;
/** What the content beside the panel keeps where the window allows: the table's first columns, query, pager. */
const CONTENT_MIN = '40rem';

/** The panel's CSS width: the width chosen, at most 45% of the window and no more than leaves the content 40rem. */
export function panelWidth(chosen: number): string {
  return `min(${chosen}px, 45vw, max(${MIN}px, calc(100vw - var(--sidebar-width, 13.5rem) - ${CONTENT_MIN})))`;
}

export function WithSidePanel({ children, panel }: { children: ReactNode; panel: ReactNode | null }) {
  const width = usePref(KEY, DEFAULT, isWidth);
  const set = (w: number) =>
    usePrefsStore.getState().set(KEY, Math.round(Math.max(MIN, Math.min(w, window.innerWidth * 0.7))));
  return (
    <div className={`with-panel${panel ? ' open' : ''}`}>
      <div className="panel-content">{children}</div>
      {panel && (
        <>
          <div
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the side panel"
            aria-valuenow={width}
            aria-valuemin={MIN}
            tabIndex={0}
            className="panel-resizer"
            onMouseDown={(e) => {
              e.preventDefault();
              const startX = e.clientX;
              const start = width;
              const onMove = (m: MouseEvent) => set(start + (startX - m.clientX));
              const onUp = () => {
                window.removeEventListener('mousemove', onMove);
                window.removeEventListener('mouseup', onUp);
              };
              window.addEventListener('mousemove', onMove);
              window.addEventListener('mouseup', onUp);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                e.preventDefault();
                set(width + (e.key === 'ArrowLeft' ? 1 : -1) * (e.shiftKey ? 96 : 32));
              }
            }}
          />
          <div className="panel" style={{ width: panelWidth(width) }}>
            {panel}
          </div>
        </>
      )}
    </div>
  );
}
