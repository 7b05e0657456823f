// A file the user picked, handed to main in pieces (base64, 2 MB of file each) so that no single message is large:
// main writes them in order and keeps the file only once every byte has arrived.
import type { ErrorEnvelope } from '../../../preload/contract';
import { bridge } from '../bridge';

const PIECE = 2 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x8000, bytes.length)));
  return btoa(binary);
}

export async function uploadFile(
  file: File,
  progress: (sent: number, total: number) => void,
): Promise<{ ok: true; uploadId: string } | { ok: false; error: ErrorEnvelope }> {
  const begun = await bridge.invoke('uploads:begin', { name: file.name, bytes: file.size });
  if (!begun.ok) return begun;
  const { uploadId } = begun.data;
  for (let offset = 0; offset < file.size; offset += PIECE) {
    const piece = new Uint8Array(await file.slice(offset, offset + PIECE).arrayBuffer());
    const r = await bridge.invoke('uploads:chunk', { uploadId, offset, data: base64(piece) });
    if (!r.ok) return r;
    progress(Math.min(offset + PIECE, file.size), file.size);
  }
  const done = await bridge.invoke('uploads:finish', { uploadId });
  if (!done.ok) return done;
  return { ok: true, uploadId };
}
