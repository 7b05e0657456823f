// Files main wrote for the user: saved through the host — the native save dialog in the Electron window, an ordinary
// download (a one-time link) in the browser host. Returns what to tell the user.
import type { DownloadRef, ErrorEnvelope } from '../../../preload/contract';
import { bridge } from '../bridge';

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
