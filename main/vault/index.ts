// Where tenant secrets live: the OS keychain through keytar (service `tenant-desk`, account = profile id), or — only
// when the user chooses it because no keychain works — memory until quit. Never a file. keytar sits behind this
// small interface so a maintained binding can replace it in one place.
import { createRequire } from 'node:module';
import type { KeychainStatus, SecretStorage } from '../../preload/contract.js';
import { AppError } from '../errors.js';

export const KEYCHAIN_SERVICE = 'tenant-desk';

export interface CredentialVault {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
  status(): Promise<KeychainStatus>;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const HOW_TO_FIX =
  'On Linux, Tenant Desk needs a Secret Service keyring (GNOME Keyring or KWallet) running and unlocked in your session; on macOS the login keychain; on Windows the Credential Manager. Unlock or install it and try again — or choose "keep for this session only" to hold the secret in memory until you quit.';

function keychainError(err: unknown): AppError {
  const text = String((err as Error)?.message ?? err);
  // A locked (or never created) login keyring shows up as a failed unlock prompt or a missing collection.
  if (/locked|prompt|dismissed|cancel|collection/i.test(text))
    return new AppError('keychain_locked', `The OS keychain is locked. ${HOW_TO_FIX}`, {
      details: { reason: 'locked' },
    });
  return new AppError(
    'keychain_unavailable',
    `The OS keychain is not available (${text.split('\n')[0]?.slice(0, 160)}). ${HOW_TO_FIX}`,
    {
      details: { reason: 'unavailable' },
    },
  );
}

export class KeytarVault implements CredentialVault {
  private keytar: Keytar | null = null;
  private probing: Promise<KeychainStatus> | null = null;

  constructor(
    private readonly service = KEYCHAIN_SERVICE,
    /** A locked keyring may wait forever for an unlock prompt no one answers: give up and say so. */
    private readonly timeoutMs = 8000,
  ) {}

  private load(): Keytar {
    if (this.keytar) return this.keytar;
    try {
      const require = createRequire(import.meta.url);
      this.keytar = require('keytar') as Keytar;
      return this.keytar;
    } catch (err) {
      throw new AppError(
        'keychain_unavailable',
        `The keychain module could not be loaded (${String((err as Error).message).split('\n')[0]}). ${HOW_TO_FIX}`,
      );
    }
  }

  private async guarded<T>(op: (k: Keytar) => Promise<T>): Promise<T> {
    const k = this.load();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError(
              'keychain_locked',
              `The OS keychain did not answer (it is probably locked and waiting for an unlock prompt). ${HOW_TO_FIX}`,
            ),
          ),
        this.timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([op(k), timeout]);
    } catch (err) {
      throw err instanceof AppError ? err : keychainError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  get(account: string): Promise<string | null> {
    return this.guarded((k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.guarded((k) => k.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<void> {
    await this.guarded((k) => k.deletePassword(this.service, account));
  }

  /** One probe at a time: callers that ask meanwhile share its answer. */
  status(): Promise<KeychainStatus> {
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(): Promise<KeychainStatus> {
    // Reads can succeed on a locked keyring; only a write proves secrets can be stored. The entry is this process's
    // own (another app instance or tool probing at the same time can't delete it under us), and is removed.
    const account = `__tenant-desk-probe-${process.pid}__`;
    try {
      await this.guarded((k) => k.setPassword(this.service, account, 'probe'));
      await this.guarded((k) => k.deletePassword(this.service, account));
      return { available: true, message: null };
    } catch (err) {
      return { available: false, message: (err as Error).message };
    }
  }
}

/** Secrets the user chose to keep only until quit. */
export class SessionVault implements CredentialVault {
  private readonly secrets = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }
  async delete(account: string): Promise<void> {
    this.secrets.delete(account);
  }
  async status(): Promise<KeychainStatus> {
    return { available: true, message: null };
  }
  values(): string[] {
    return [...this.secrets.values()];
  }
}

/** The vault services use: a profile's `secretStorage` says which store holds its secret. */
export class SecretStore {
  readonly session = new SessionVault();
  /** Every secret seen this run, so error texts can be scrubbed of them. */
  private readonly known = new Set<string>();

  constructor(readonly keychain: CredentialVault) {}

  async put(account: string, secret: string, where: SecretStorage): Promise<void> {
    this.known.add(secret);
    if (where === 'keychain') {
      await this.keychain.set(account, secret);
      await this.session.delete(account);
    } else {
      await this.session.set(account, secret);
    }
  }

  async read(account: string, where: SecretStorage | null): Promise<string | null> {
    if (!where) return null;
    const secret = where === 'keychain' ? await this.keychain.get(account) : await this.session.get(account);
    if (secret) this.known.add(secret);
    return secret;
  }

  async remove(account: string, where: SecretStorage | null): Promise<void> {
    await this.session.delete(account);
    if (where === 'keychain') await this.keychain.delete(account);
  }

  secrets(): string[] {
    return [...this.known];
  }
}
