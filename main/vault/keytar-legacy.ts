// Secrets an earlier Tenant Desk kept through keytar, found so that they can be moved to the keychain binding used
// now. On macOS both bindings use the same generic-password item (service, account): the new one already reads them,
// and there is nothing to move. On Linux keytar stored libsecret items with the attributes {service, account}, where
// the new binding looks for {service, username}: they are read here over D-Bus from the Secret Service, the same
// items libsecret wrote. On Windows keytar's credentials are named "service/account", which the new binding can't
// read without overwriting them first: there the tenants concerned are named, and their secret asked for again.
import { Message, sessionBus, Variant, type MessageBus } from '@jellybrick/dbus-next';

export interface LegacySecrets {
  /** The secret keytar kept for this account, or null when there is none. Throws when the store can't be read. */
  read(account: string): Promise<string | null>;
  /** Removes keytar's entry, once its secret lives in the new store. */
  remove(account: string): Promise<void>;
  close(): void;
}

const SECRETS = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
const SERVICE_IFACE = 'org.freedesktop.Secret.Service';

/** keytar's items on Linux, read from the Secret Service over the session bus (plain transfer: a local socket). */
export class SecretServiceLegacySecrets implements LegacySecrets {
  private bus: MessageBus | null = null;
  private session: string | null = null;

  constructor(
    private readonly service: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async call(path: string, iface: string, member: string, signature = '', body: unknown[] = []) {
    this.bus ??= sessionBus();
    const bus = this.bus;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the Secret Service did not answer ${member}`)),
        this.timeoutMs,
      );
      timer.unref();
    });
    try {
      const reply = await Promise.race([
        bus.call(new Message({ destination: SECRETS, path, interface: iface, member, signature, body })),
        timeout,
      ]);
      return reply?.body ?? [];
    } finally {
      clearTimeout(timer);
    }
  }

  private async items(account: string): Promise<{ unlocked: string[]; locked: string[] }> {
    const [unlocked, locked] = (await this.call(SERVICE_PATH, SERVICE_IFACE, 'SearchItems', 'a{ss}', [
      { service: this.service, account },
    ])) as [string[], string[]];
    return { unlocked, locked };
  }

  async read(account: string): Promise<string | null> {
    const { unlocked, locked } = await this.items(account);
    if (unlocked.length === 0) {
      if (locked.length) throw new Error('the keyring holding it is locked');
      return null;
    }
    this.session ??= (
      (await this.call(SERVICE_PATH, SERVICE_IFACE, 'OpenSession', 'sv', [
        'plain',
        new Variant('s', ''),
      ])) as [unknown, string]
    )[1];
    const [secrets] = (await this.call(SERVICE_PATH, SERVICE_IFACE, 'GetSecrets', 'aoo', [
      unlocked.slice(0, 1),
      this.session,
    ])) as [Record<string, [string, Buffer, Buffer, string]>];
    const secret = secrets[unlocked[0]!]?.[2];
    return secret ? Buffer.from(secret).toString('utf8') : null;
  }

  async remove(account: string): Promise<void> {
    const { unlocked } = await this.items(account);
    for (const item of unlocked) await this.call(item, 'org.freedesktop.Secret.Item', 'Delete');
  }

  close(): void {
    if (this.session)
      this.bus?.send(
        new Message({
          destination: SECRETS,
          path: this.session,
          interface: 'org.freedesktop.Secret.Session',
          member: 'Close',
        }),
      );
    this.bus?.disconnect();
    this.bus = null;
    this.session = null;
  }
}

/** Where keytar's secrets can be read from on this platform, or null where there is nothing (macOS) or no way (Windows). */
export function legacySecretsFor(service: string, platform = process.platform): LegacySecrets | null {
  return platform === 'linux' || platform === 'freebsd' || platform === 'openbsd'
    ? new SecretServiceLegacySecrets(service)
    : null;
}
