// The Electron host's way to start the local tenant: a utility process running the bundled emulator CLI
// (out/main/local-tenant.cjs). The RunAsNode fuse is off in the packaged app, so a Node child process is not an
// option; a utility process is Electron's own, and ends with the app.
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import { adoptLocalTenant, type LocalTenantLauncher } from '../local-tenant/launcher.js';

export function utilityProcessLauncher(bundleDir: string): LocalTenantLauncher {
  return async (args) => {
    const child = utilityProcess.fork(join(bundleDir, 'local-tenant.cjs'), args, {
      stdio: 'pipe',
      serviceName: 'Tenant Desk local tenant',
    });
    return adoptLocalTenant({
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      kill: () => child.kill(),
      once: (event, listener) => child.once(event, listener),
    });
  };
}
