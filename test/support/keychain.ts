// The OS keychain read directly (not through Tenant Desk's vault), to check what the app stored there.
import { AsyncEntry } from '@napi-rs/keyring';

export function keychainSecret(account: string, service = 'tenant-desk'): Promise<string | null> {
  return new AsyncEntry(service, account, { linux: { store: 'secret-service' } }).getPassword();
}
