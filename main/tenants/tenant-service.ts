// Tenant profiles with their secrets, one live connection per tenant, and "test connection".
import type {
  ChannelParsedInput,
  ConnectionTestResult,
  GuardAnswer,
  SecretStorage,
  TenantProfile,
  WriteChannel,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { capabilitiesFor } from '../auth0/capabilities.js';
import { TenantConnection } from '../auth0/tenant-connection.js';
import { enforceGuard } from '../operations/guard.js';
import { AppError } from '../errors.js';
import type { SchedulerHealth, SchedulerOptions } from '../scheduler/rate-scheduler.js';
import type { SecretStore } from '../vault/index.js';
import { ProfileStore, type StoredProfile } from './profile-store.js';

export function publicProfile(p: StoredProfile): TenantProfile {
  return {
    id: p.id,
    label: p.label,
    domain: p.domain,
    clientId: p.clientId,
    authMethod: p.authMethod,
    environment: p.environment,
    color: p.color,
    audience: p.audience,
    hasCaCert: !!p.caCert,
    secretStorage: p.secretStorage,
    localTenant: p.localTenant,
    requireReason: p.requireReason ?? false,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export interface TenantServiceOptions {
  profiles: ProfileStore;
  secrets: SecretStore;
  audit: AuditLog;
  onChange: (tenants: TenantProfile[]) => void;
  scheduler?: SchedulerOptions;
  now?: () => number;
  wrapTransport?: (transport: typeof fetch) => typeof fetch;
  /** A tenant's request queue stopped moving (the scheduler's watchdog). */
  onStall?: (tenantId: string, health: SchedulerHealth) => void;
}

export class TenantService {
  private readonly connections = new Map<string, TenantConnection>();
  private readonly retiredTokens = new Set<string>();

  constructor(private readonly o: TenantServiceOptions) {}

  list(): TenantProfile[] {
    return this.o.profiles.list().map(publicProfile);
  }

  stored(id: string): StoredProfile {
    return this.o.profiles.get(id);
  }

  private changed(): void {
    this.o.onChange(this.list());
  }

  private audit(
    profile: Pick<StoredProfile, 'id' | 'domain'>,
    action: string,
    outcome: 'success' | 'failure',
    extra: { before?: unknown; after?: unknown; error?: string } = {},
  ): void {
    this.o.audit.record({
      tenantId: profile.id,
      tenantDomain: profile.domain,
      action,
      target: profile.id,
      outcome,
      ...extra,
    });
  }

  async add(input: ChannelParsedInput<'tenants:add'> & { localTenant?: boolean }): Promise<TenantProfile> {
    const id = ProfileStore.newId();
    // The secret goes first: if the keychain refuses it, no profile is left behind without one.
    try {
      await this.o.secrets.put(id, input.secret, input.secretStorage);
    } catch (err) {
      this.audit({ id, domain: input.domain }, 'tenant.add', 'failure', { error: (err as Error).message });
      throw err;
    }
    let profile: StoredProfile;
    try {
      profile = this.o.profiles.add({
        id,
        label: input.label,
        domain: input.domain.toLowerCase(),
        clientId: input.clientId,
        authMethod: input.authMethod,
        environment: input.environment,
        color: input.color.toLowerCase(),
        audience: input.audience ?? null,
        caCert: input.caCert ?? null,
        secretStorage: input.secretStorage,
        localTenant: input.localTenant ?? false,
        ...(input.requireReason ? { requireReason: true } : {}),
      });
    } catch (err) {
      await this.o.secrets.remove(id, input.secretStorage).catch(() => undefined);
      throw err;
    }
    this.audit(profile, 'tenant.add', 'success', { after: publicProfile(profile) });
    this.changed();
    return publicProfile(profile);
  }

  /** The production guard for a change to a profile: judged by the tenant's environment as it is now. */
  private guard(
    channel: WriteChannel,
    profile: StoredProfile,
    action: string,
    input: { guard?: GuardAnswer; patch?: Record<string, unknown> },
  ): void {
    enforceGuard(
      this.o.audit,
      channel,
      { tenantId: profile.id, environment: profile.environment, domain: profile.domain },
      { patch: {}, ...input } as never,
      { action, target: profile.id },
    );
  }

  async update(
    id: string,
    patch: ChannelParsedInput<'tenants:update'>['patch'],
    guard?: GuardAnswer,
  ): Promise<TenantProfile> {
    const before = this.o.profiles.get(id);
    this.guard('tenants:update', before, 'tenant.update', { patch, ...(guard ? { guard } : {}) });
    const next: Partial<StoredProfile> = {};
    if (patch.label !== undefined) next.label = patch.label;
    if (patch.domain !== undefined) next.domain = patch.domain.toLowerCase();
    if (patch.clientId !== undefined) next.clientId = patch.clientId;
    if (patch.authMethod !== undefined) next.authMethod = patch.authMethod;
    if (patch.environment !== undefined) next.environment = patch.environment;
    if (patch.color !== undefined) next.color = patch.color.toLowerCase();
    if (patch.audience !== undefined) next.audience = patch.audience;
    if (patch.caCert !== undefined) next.caCert = patch.caCert;
    if (patch.requireReason !== undefined) next.requireReason = patch.requireReason;
    const after = this.o.profiles.update(id, next);
    // A new label, colour or tag leaves the connection as it is: running work goes on.
    const reaches = (p: StoredProfile) => [p.domain, p.clientId, p.authMethod, p.audience, p.caCert];
    if (reaches(before).some((v, i) => v !== reaches(after)[i])) await this.dropConnection(id);
    this.audit(after, 'tenant.update', 'success', {
      before: publicProfile(before),
      after: publicProfile(after),
    });
    this.changed();
    return publicProfile(after);
  }

  /** For the local tenant: its domain, CA and credentials change with every start. */
  async replaceEndpoint(
    id: string,
    endpoint: { domain: string; caCert: string; clientId: string; secret: string; storage: SecretStorage },
  ): Promise<TenantProfile> {
    const before = this.o.profiles.get(id);
    await this.o.secrets.put(id, endpoint.secret, endpoint.storage);
    if (before.secretStorage === 'keychain' && endpoint.storage === 'session')
      await this.o.secrets.keychain.delete(id).catch(() => undefined);
    const after = this.o.profiles.update(id, {
      domain: endpoint.domain,
      caCert: endpoint.caCert,
      clientId: endpoint.clientId,
      secretStorage: endpoint.storage,
    });
    await this.dropConnection(id);
    this.audit(after, 'tenant.update', 'success', {
      before: publicProfile(before),
      after: publicProfile(after),
    });
    this.changed();
    return publicProfile(after);
  }

  async setSecret(
    id: string,
    secret: string,
    storage: SecretStorage,
    guard?: GuardAnswer,
  ): Promise<TenantProfile> {
    const before = this.o.profiles.get(id);
    this.guard('tenants:set-secret', before, 'tenant.set-secret', guard ? { guard } : {});
    try {
      await this.o.secrets.put(id, secret, storage);
    } catch (err) {
      this.audit(before, 'tenant.set-secret', 'failure', { error: (err as Error).message });
      throw err;
    }
    if (before.secretStorage === 'keychain' && storage === 'session')
      await this.o.secrets.keychain.delete(id).catch(() => undefined);
    const after = this.o.profiles.update(id, { secretStorage: storage });
    await this.dropConnection(id);
    this.audit(after, 'tenant.set-secret', 'success', { after: { secretStorage: storage } });
    this.changed();
    return publicProfile(after);
  }

  async removeSecret(id: string, guard?: GuardAnswer): Promise<TenantProfile> {
    const before = this.o.profiles.get(id);
    this.guard('tenants:remove-secret', before, 'tenant.remove-secret', guard ? { guard } : {});
    await this.o.secrets.remove(id, before.secretStorage);
    const after = this.o.profiles.update(id, { secretStorage: null });
    await this.dropConnection(id);
    this.audit(after, 'tenant.remove-secret', 'success');
    this.changed();
    return publicProfile(after);
  }

  async remove(id: string, guard?: GuardAnswer): Promise<{ id: string }> {
    const before = this.o.profiles.get(id);
    this.guard('tenants:remove', before, 'tenant.remove', guard ? { guard } : {});
    await this.o.secrets.remove(id, before.secretStorage);
    this.o.profiles.remove(id);
    await this.dropConnection(id);
    this.audit(before, 'tenant.remove', 'success', { before: publicProfile(before) });
    this.changed();
    return { id };
  }

  connection(id: string): TenantConnection {
    let c = this.connections.get(id);
    if (!c) {
      const profile = this.o.profiles.get(id);
      c = new TenantConnection(profile, {
        secret: async () => this.o.secrets.read(id, this.o.profiles.get(id).secretStorage),
        ...(this.o.scheduler ? { scheduler: this.o.scheduler } : {}),
        ...(this.o.now ? { now: this.o.now } : {}),
        ...(this.o.wrapTransport ? { wrapTransport: this.o.wrapTransport } : {}),
        ...(this.o.onStall ? { onStall: (h: SchedulerHealth) => this.o.onStall!(id, h) } : {}),
      });
      this.connections.set(id, c);
    }
    return c;
  }

  async testConnection(id: string): Promise<ConnectionTestResult> {
    const profile = this.o.profiles.get(id);
    if (!profile.secretStorage)
      throw new AppError(
        'no_secret',
        'This tenant has no stored secret. Set its client secret (or private key) first.',
      );
    const token = await this.connection(id).tokens.get();
    return {
      tenantId: id,
      scopes: token.scopes,
      capabilities: capabilitiesFor(token.scopes),
      tokenExpiresAt: new Date(token.expiresAt).toISOString(),
    };
  }

  /** Access tokens issued this run, for scrubbing. */
  tokens(): string[] {
    return [...this.retiredTokens, ...[...this.connections.values()].flatMap((c) => [...c.tokens.issued])];
  }

  private async dropConnection(id: string): Promise<void> {
    const c = this.connections.get(id);
    this.connections.delete(id);
    for (const t of c?.tokens.issued ?? []) this.retiredTokens.add(t);
    await c?.close();
  }

  async close(): Promise<void> {
    for (const id of [...this.connections.keys()]) await this.dropConnection(id);
  }
}
