import { useAppStore } from '../stores/app';

/** Says, once, that secrets cannot be kept in the OS keychain right now and what the user can do. */
export function KeychainBanner() {
  const keychain = useAppStore((s) => s.keychain);
  if (!keychain || keychain.available) return null;
  return (
    <div className="banner warning" role="status">
      <strong>Keychain unavailable.</strong> {keychain.message}
    </div>
  );
}
