// At start: every tenant whose secret should be in the OS keychain has it there. A secret an earlier Tenant Desk kept
// through keytar is moved to the binding used now (written, read back, then keytar's entry removed); a tenant whose
// secret is nowhere is named, so that the window can ask for it again in words instead of failing at first use.
import type { CredentialVault } from './index.js';
import type { LegacySecrets } from './keytar-legacy.js';

export interface KeychainProfile {
  id: string;
  label: string;
  domain: string;
  secretStorage: 'keychain' | 'session' | null;
}

export interface MigrationResult {
  /** Profiles whose secret was moved from keytar's entry. */
  moved: string[];
  /** Profiles whose secret is in neither store: it must be given again. */
  missing: { id: string; label: string; domain: string }[];
  /** Set when the keychain could not be checked at all (locked, absent): nothing was decided, try at next start. */
  skipped?: string;
}

export async function migrateKeytarSecrets(
  profiles: KeychainProfile[],
  keychain: CredentialVault,
  legacy: LegacySecrets | null,
  log: (message: string, details: Record<string, unknown>) => void = () => undefined,
): Promise<MigrationResult> {
  const result: MigrationResult = { moved: [], missing: [] };
  const wanted = profiles.filter((p) => p.secretStorage === 'keychain');
  if (wanted.length === 0) return result;
  // A locked keyring answers every read with "nothing": judge nothing missing until it can be written to.
  const status = await keychain.status();
  if (!status.available) return { ...result, skipped: status.message ?? 'the keychain is not available' };
  try {
    for (const p of wanted) {
      if (await keychain.get(p.id)) continue;
      let secret: string | null = null;
      try {
        secret = (await legacy?.read(p.id)) ?? null;
      } catch (err) {
        log('the secret kept by an earlier version could not be read', {
          tenantId: p.id,
          message: (err as Error).message,
        });
      }
      if (secret) {
        await keychain.set(p.id, secret);
        if ((await keychain.get(p.id)) === secret) {
          await legacy!.remove(p.id).catch((err: unknown) =>
            log('the entry of an earlier version could not be removed', {
              tenantId: p.id,
              message: (err as Error).message,
            }),
          );
          result.moved.push(p.id);
          continue;
        }
      }
      result.missing.push({ id: p.id, label: p.label, domain: p.domain });
    }
  } finally {
    legacy?.close();
  }
  return result;
}
