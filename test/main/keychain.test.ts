// A missing or locked OS keychain gives a clear error that says how to fix it, changes nothing, and the
// session-only choice still works. Each case runs in a child process with its own (broken) D-Bus session.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Probe {
  status: { ok: true; data: { available: boolean; message: string | null } };
  keychainAdd: { ok: false; error: { code: string; message: string } };
  listAfterFailure: { ok: true; data: unknown[] };
  sessionAdd: { ok: true; data: { secretStorage: string } };
}

function runProbe(command: string[], env: NodeJS.ProcessEnv): Probe {
  const r = spawnSync(command[0]!, command.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`probe printed nothing: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(line) as Probe;
}

const probe = ['node', '--import', 'tsx', 'test/main/fixtures/keychain-probe.ts'];

function expectClearFailure(p: Probe, code: string): void {
  expect(p.status.data.available).toBe(false);
  expect(p.keychainAdd.ok).toBe(false);
  expect(p.keychainAdd.error.code).toBe(code);
  expect(p.keychainAdd.error.message).toMatch(/Unlock or install it/);
  expect(p.keychainAdd.error.message).toMatch(/keep for this session only/);
  expect(p.keychainAdd.error.message).not.toContain('probe-secret-value');
  expect(p.listAfterFailure.data).toEqual([]);
  expect(p.sessionAdd.ok).toBe(true);
  expect(p.sessionAdd.data.secretStorage).toBe('session');
}

describe('keychain failures', () => {
  it('reports an unavailable keychain (no Secret Service on the bus)', () => {
    expectClearFailure(
      runProbe(probe, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }),
      'keychain_unavailable',
    );
  });

  it('reports a locked keychain (a keyring daemon whose login keyring is not unlocked)', () => {
    const script = `export XDG_DATA_HOME=$(mktemp -d); gnome-keyring-daemon --components=secrets --daemonize >/dev/null; exec ${probe.join(' ')}`;
    expectClearFailure(runProbe(['dbus-run-session', '--', 'bash', '-c', script], {}), 'keychain_locked');
  });
});
