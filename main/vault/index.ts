// Where tenant secrets live: the OS keychain through @napi-rs/keyring (service `tenant-desk`, account = profile id),
// or — only when the user chooses it because no keychain works — memory until quit. Never a file. The binding sits
// behind this small interface; it replaced keytar (archived upstream, and it had to be compiled against libsecret's
// headers on Linux), whose entries are moved over at start by migrate-keytar.ts.
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

interface KeyringEntry {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deletePassword(signal?: AbortSignal): Promise<boolean>;
}

interface KeyringModule {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
  ) => KeyringEntry;
}

export const HOW_TO_FIX =
  'On Linux, Tenant Desk needs a Secret Service keyring (GNOME Keyring or KWallet) running and unlocked in your session; on macOS the login keychain; on Windows the Credential Manager. Unlock or install it and try again \u2014 or choose "keep for this session only" to hold the secret in memory until you quit.';

function keychainError(err: unknown): AppError {
  const text = String((err as Error)?.message ?? err);
  // A locked (or never created) login keyring: a failed unlock prompt, or no default collection to write to.
  if (/locked|prompt|dismissed|cancel|collection|no result found/i.test(text))
    return new AppError('keychain_locked', `The OS keychain is locked. ${HOW_TO_FIX}`, {
      details: { reason: 'locked' },
    });
  return new AppError(
    'keychain_unavailable',
    `The OS keychain is not available (${text.split('\n')[0]?.slice(0, 160)}). ${HOW_TO_FIX}`,
    { details: { reason: 'unavailable' } },
  );
}

export class KeyringVault implements CredentialVault {
  private keyring: KeyringModule | null = null;
  private probing: Promise<KeychainStatus> | null = null;

  constructor(
    private readonly service = KEYCHAIN_SERVICE,
    /** A locked keyring may wait forever for an unlock prompt no one answers: give up and say so. */
    private readonly timeoutMs = 8000,
  ) {}

  private load(): KeyringModule {
    if (this.keyring) return this.keyring;
    try {
      this.keyring = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
      return this.keyring;
    } catch (err) {
      throw new AppError(
        'keychain_unavailable',
        `The keychain module could not be loaded (${String((err as Error).message).split('\n')[0]}). ${HOW_TO_FIX}`,
      );
    }
  }

  private entry(account: string): KeyringEntry {
    // On Linux the Secret Service only: the binding would otherwise fall back to the kernel keyring (keyutils),
    // which forgets every secret at the next reboot without a word.
    return new (this.load().AsyncEntry)(this.service, account, { linux: { store: 'secret-service' } });
  }

  private async guarded<T>(
    account: string,
    op: (e: KeyringEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new AppError(
            'keychain_locked',
            `The OS keychain did not answer (it is probably locked and waiting for an unlock prompt). ${HOW_TO_FIX}`,
          ),
        );
      }, this.timeoutMs);
      timer.unref();
    });
    try {
      // Making the entry connects to the Secret Service on Linux, and throws when there is none.
      return await Promise.race([
        Promise.resolve().then(() => op(this.entry(account), controller.signal)),
        timeout,
      ]);
    } catch (err) {
      throw err instanceof AppError ? err : keychainError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  get(account: string): Promise<string | null> {
    return this.guarded(account, (e, signal) => e.getPassword(signal));
  }

  set(account: string, secret: string): Promise<void> {
    return this.guarded(account, (e, signal) => e.setPassword(secret, signal));
  }

  async delete(account: string): Promise<void> {
    await this.guarded(account, (e, signal) => e.deletePassword(signal));
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
      await this.set(account, 'probe');
      await this.delete(account);
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
  /** Accounts found without their keychain secret at start, less those given one since. */
  private readonly missing = new Map<string, { id: string; label: string; domain: string }>();
  private puts = 0;
  private readonly putAt = new Map<string, number>();

  constructor(
    readonly keychain: CredentialVault,
    /**
     * The command line on a machine without the tenant's keychain entry (a CI runner): a secret from the environment
     * (TENANT_DESK_CLIENT_SECRET), used for this run only and never written anywhere.
     */
    private readonly fallback?: () => string | null,
  ) {}

  async put(account: string, secret: string, where: SecretStorage): Promise<void> {
    this.known.add(secret);
    this.putAt.set(account, ++this.puts);
    this.missing.delete(account);
    if (where === 'keychain') {
      await this.keychain.set(account, secret);
      await this.session.delete(account);
    } else {
      await this.session.set(account, secret);
    }
  }

  async read(account: string, where: SecretStorage | null): Promise<string | null> {
    const fallback = this.fallback?.() || null;
    if (fallback) this.known.add(fallback);
    if (!where) return fallback;
    let secret: string | null;
    try {
      secret = where === 'keychain' ? await this.keychain.get(account) : await this.session.get(account);
    } catch (err) {
      // A keychain that is locked or absent: the environment's secret, when given, stands in for this run.
      if (fallback) return fallback;
      throw err;
    }
    if (secret) this.known.add(secret);
    return secret ?? fallback;
  }

  async remove(account: string, where: SecretStorage | null): Promise<void> {
    this.missing.delete(account);
    await this.session.delete(account);
    if (where === 'keychain') await this.keychain.delete(account);
  }

  secrets(): string[] {
    return [...this.known];
  }

  /** A mark to pass to `markMissing`: secrets put after it are not missing, whatever a check begun before found. */
  mark(): number {
    return this.puts;
  }

  markMissing(mark: number, profiles: { id: string; label: string; domain: string }[]): void {
    for (const p of profiles) if ((this.putAt.get(p.id) ?? 0) <= mark) this.missing.set(p.id, p);
  }

  missingSecrets(): { id: string; label: string; domain: string }[] {
    return [...this.missing.values()];
  }
}
