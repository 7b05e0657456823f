// Tenant profiles in one schema-versioned JSON file in the data dir. Secrets are never here (see vault/).
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AuthMethod, Environment, SecretStorage } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';

export const PROFILES_FILE = 'tenants.json';
const VERSION = 1;

export interface StoredProfile {
  id: string;
  label: string;
  domain: string;
  clientId: string;
  authMethod: AuthMethod;
  environment: Environment;
  color: string;
  audience: string | null;
  /** PEM of a CA to trust for this tenant (not a secret). */
  caCert: string | null;
  secretStorage: SecretStorage | null;
  localTenant: boolean;
  /** Every write needs a reason (absent in an earlier version's file: false). */
  requireReason?: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ProfilesFile {
  version: number;
  tenants: StoredProfile[];
}

export class ProfileStore {
  readonly file: string;
  private profiles: StoredProfile[] | null = null;

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dataDir, PROFILES_FILE);
  }

  private load(): StoredProfile[] {
    if (this.profiles) return this.profiles;
    if (!existsSync(this.file)) return (this.profiles = []);
    let parsed: ProfilesFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as ProfilesFile;
      if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.tenants))
        throw new Error('no tenants list');
    } catch {
      // Keep the damaged file for the user instead of silently starting empty over it.
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      throw new AppError(
        'internal',
        `The tenant profiles file was damaged and has been kept aside as ${aside}. Tenant Desk starts with no tenants; restore it from that file or a backup.`,
      );
    }
    if (parsed.version > VERSION)
      throw new AppError(
        'internal',
        `The tenant profiles file was written by a newer Tenant Desk (format ${parsed.version}). Update Tenant Desk to open it.`,
      );
    // Written by an earlier version, the local tenant's profile said `sandbox`.
    return (this.profiles = parsed.tenants.map((p) => {
      const { sandbox, ...rest } = p as StoredProfile & { sandbox?: boolean };
      return sandbox === undefined ? p : { ...rest, localTenant: sandbox };
    }));
  }

  private save(next: StoredProfile[]): void {
    writeFileAtomic(
      this.file,
      `${JSON.stringify({ version: VERSION, tenants: next } satisfies ProfilesFile, null, 2)}\n`,
    );
    this.profiles = next;
  }

  list(): StoredProfile[] {
    return [...this.load()];
  }

  get(id: string): StoredProfile {
    const p = this.load().find((x) => x.id === id);
    if (!p) throw new AppError('not_found', 'That tenant profile does not exist (it may have been removed).');
    return p;
  }

  static newId(): string {
    return `ten_${randomBytes(8).toString('hex')}`;
  }

  add(input: Omit<StoredProfile, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): StoredProfile {
    const at = this.now().toISOString();
    const profile: StoredProfile = {
      ...input,
      id: input.id ?? ProfileStore.newId(),
      createdAt: at,
      updatedAt: at,
    };
    this.save([...this.load(), profile]);
    return profile;
  }

  update(id: string, patch: Partial<Omit<StoredProfile, 'id' | 'createdAt'>>): StoredProfile {
    const current = this.get(id);
    const next: StoredProfile = {
      ...current,
      ...patch,
      id,
      createdAt: current.createdAt,
      updatedAt: this.now().toISOString(),
    };
    this.save(this.load().map((p) => (p.id === id ? next : p)));
    return next;
  }

  remove(id: string): void {
    this.get(id);
    this.save(this.load().filter((p) => p.id !== id));
  }
}
