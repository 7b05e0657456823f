// The app slice's handlers: what the window asks of the app itself (its version and data dir, the keychain's state,
// preferences) and the files it hands over (uploads in, downloads out).
import type { appChannels } from '../../preload/contract.js';
import type { KeychainStatus } from '../../preload/contract.js';
import type { Download, DownloadStore } from '../downloads/download-store.js';
import type { PrefsStore } from '../prefs/prefs-store.js';
import type { SliceHandlers } from '../router.js';
import type { UploadStore } from '../uploads/upload-store.js';

export interface ShellDeps {
  version: string;
  host: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** Whether no tenant is set up yet (the first run's welcome). */
  firstRun: () => boolean;
  keychainStatus: () => Promise<KeychainStatus>;
  prefs: PrefsStore;
  uploads: UploadStore;
  downloads: DownloadStore;
  /** Electron: asks where to save a file (the native dialog); null when the user cancels. Browser host: absent. */
  chooseSavePath?: ((download: Download) => Promise<string | null>) | undefined;
}

export function shellHandlers(d: ShellDeps): SliceHandlers<typeof appChannels> {
  return {
    'app:info': () => ({ version: d.version, host: d.host, dataDir: d.dataDir, firstRun: d.firstRun() }),
    'keychain:status': () => d.keychainStatus(),
    'prefs:get': () => d.prefs.all(),
    'prefs:set': (input) => {
      d.prefs.set(input.key, input.value);
      return { saved: true as const };
    },
    'uploads:begin': (input) => d.uploads.begin(input.name, input.bytes),
    'uploads:chunk': (input) => d.uploads.chunk(input.uploadId, input.offset, input.data),
    'uploads:finish': (input) => d.uploads.finish(input.uploadId),
    'downloads:save': async (input) => {
      const download = d.downloads.get(input.id);
      if (!d.chooseSavePath) return { url: d.downloads.link(download.id) };
      const path = await d.chooseSavePath(download);
      if (!path) return { saved: false };
      d.downloads.saveTo(download.id, path);
      return { saved: true, path };
    },
  };
}
