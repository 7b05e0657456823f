// A screen with an optional side panel beside its content (the user detail): never over the navigation or the
// table, its width dragged on its edge (or Left/Right on the edge) and remembered.
import type { ReactNode } from 'react';
import { isWidth, usePref, usePrefsStore } from '../stores/prefs';

const KEY = 'panel-width';
const DEFAULT = 560;
const MIN = 360;

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
          <div className="panel" style={{ width: `min(${width}px, 45vw)` }}>
            {panel}
          </div>
        </>
      )}
    </div>
  );
}
