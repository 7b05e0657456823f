import { useAppStore } from '../../stores/app';

/**
 * Says, once, that secrets cannot be kept in the OS keychain right now and what the user can do; and names the
 * tenants whose secret the keychain does not hold (one kept by an earlier version that could not be moved).
 */
export function KeychainBanner() {
  const keychain = useAppStore((s) => s.keychain);
  if (!keychain) return null;
  const missing = keychain.missingSecrets ?? [];
  return (
    <>
      {!keychain.available && (
        <div className="banner warning" role="status">
          <strong>Keychain unavailable.</strong> {keychain.message}
        </div>
      )}
      {missing.length > 0 && (
        <div className="banner warning" role="status" data-testid="missing-secrets">
          <strong>
            {missing.length === 1
              ? 'One tenant needs its secret again.'
              : `${missing.length} tenants need their secret again.`}
          </strong>{' '}
          The OS keychain holds no secret for {missing.map((t) => `${t.label} (${t.domain})`).join(', ')}.
          Tenant Desk now keeps secrets through a different keychain library and could not find or move the
          one an earlier version kept. Open each tenant in Tenants and set its client secret (or private key)
          again.
        </div>
      )}
    </>
  );
}
