// Where Tenant Desk keeps its data when not told: TENANT_DESK_DATA_DIR, else the user's data folder
// ($XDG_DATA_HOME/tenant-desk, ~/.local/share/tenant-desk). The browser host (`npm start`, `npm run serve`) and the
// command line share it, so a plan made in one runs in the other. (The packaged Electron window keeps its data in the
// OS's place for applications: pass that folder with --data-dir.)
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TENANT_DESK_DATA_DIR) return resolve(env.TENANT_DESK_DATA_DIR);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'tenant-desk');
}
