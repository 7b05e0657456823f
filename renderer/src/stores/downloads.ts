// Files main wrote for the user: saved through the host — the native save dialog in the Electron window, an ordinary
// download (a one-time link) in the browser host. Returns what to tell the user.
import type { DownloadRef, ErrorEnvelope, Result } from '../../../preload/contract';
import { bridge } from '../bridge';
import { useAppStore } from './app';

export async function saveDownload(
  file: DownloadRef,
): Promise<{ ok: true; message: string | null } | { ok: false; error: ErrorEnvelope }> {
  const r = await bridge.invoke('downloads:save', { id: file.id });
  if (!r.ok) return r;
  if ('url' in r.data) {
    const a = document.createElement('a');
    a.href = r.data.url;
    a.download = file.filename;
    document.body.append(a);
    a.click();
    a.remove();
    return { ok: true, message: `Downloading ${file.filename}` };
  }
  return { ok: true, message: r.data.saved ? `Saved to ${r.data.path}` : null };
}

/** A file main wrote, asked for by `r`: saved, with where it went said in a toast. Resolves with the error, or null. */
export async function saveAndTell(r: Result<DownloadRef>): Promise<ErrorEnvelope | null> {
  if (!r.ok) return r.error;
  const saved = await saveDownload(r.data);
  if (!saved.ok) return saved.error;
  if (saved.message) useAppStore.getState().toast('info', saved.message);
  return null;
}
