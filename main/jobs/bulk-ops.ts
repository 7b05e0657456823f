// What a bulk change means for one user, decided from the user as read: the exact operation to send (only what
// differs, so running it twice changes nothing more), or why nothing is sent; how to read back whether it was
// applied (after a crash); and the operation that undoes it.
import type { Auth0User, BulkChange, BulkChangeKind, MetadataKind } from '../../preload/contract.js';
import { deepEqual } from '../commands/read-back.js';

/** One user's concrete operation, as planned and journaled (an undo plan has a different one per user). */
export type ItemOp =
  | { op: 'metadata'; kind: MetadataKind; changes: Record<string, unknown> }
  | { op: 'roles'; add: string[]; remove: string[] }
  | { op: 'set-blocked'; blocked: boolean }
  | { op: 'email-verified'; value: boolean }
  | { op: 'brute-force-unblock' }
  | { op: 'verification-email' }
  | { op: 'mfa-reset' }
  | { op: 'forget-browsers' }
  | { op: 'password-link'; ttlSec: number; resultUrl?: string }
  | { op: 'delete' };

export interface ItemPlan {
  /** null: nothing to send (the note says why). */
  op: ItemOp | null;
  note?: string;
  before?: unknown;
  after?: unknown;
}

/** Who holds which of the roles a change adds or removes (read from the roles' member lists). */
export type RoleMembers = Map<string, Set<string>>;

export { deepEqual };

const databaseIdentity = (u: Auth0User) => u.identities?.find((i) => i.provider === 'auth0');
const viaProvider = (u: Auth0User) =>
  `signs in with ${u.identities?.[0]?.connection ?? 'another provider'}, which manages it`;

/** The change in words, for lists, audit and previews. */
export function describeChange(change: BulkChange, roleNames: (id: string) => string = (id) => id): string {
  switch (change.kind) {
    case 'metadata': {
      const parts = [
        ...Object.entries(change.set).map(([k, v]) => `set ${change.metadata}.${k} = ${JSON.stringify(v)}`),
        ...change.remove.map((k) => `remove ${change.metadata}.${k}`),
      ];
      return parts.join('; ');
    }
    case 'roles':
      return [
        ...change.add.map((r) => `add role ${roleNames(r)}`),
        ...change.remove.map((r) => `remove role ${roleNames(r)}`),
      ].join('; ');
    case 'password-link':
      return `create password-change links (valid ${Math.round(change.ttlSec / 3600)} h)`;
    default:
      return {
        block: 'block',
        unblock: 'unblock',
        'brute-force-unblock': 'remove brute-force blocks',
        'mark-verified': 'mark emails verified',
        'verification-email': 'send verification emails',
        'mfa-reset': 'reset MFA',
        'forget-browsers': 'forget remembered browsers',
        delete: 'delete',
      }[change.kind as Exclude<BulkChangeKind, 'metadata' | 'roles' | 'password-link'>];
  }
}

/** What the change means for this user as read. */
export function planFor(change: BulkChange, user: Auth0User, members: RoleMembers = new Map()): ItemPlan {
  switch (change.kind) {
    case 'metadata': {
      const current = (user[change.metadata] ?? {}) as Record<string, unknown>;
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(change.set)) if (!deepEqual(current[k], v)) changes[k] = v;
      for (const k of change.remove) if (k in current) changes[k] = null;
      const keys = Object.keys(changes);
      if (keys.length === 0) return { op: null, note: 'already as asked' };
      return {
        op: { op: 'metadata', kind: change.metadata, changes },
        before: Object.fromEntries(keys.map((k) => [k, k in current ? current[k] : null])),
        after: changes,
      };
    }
    case 'roles': {
      const holds = (r: string) => members.get(r)?.has(user.user_id) ?? false;
      const add = change.add.filter((r) => !holds(r));
      const remove = change.remove.filter((r) => holds(r));
      if (add.length + remove.length === 0) return { op: null, note: 'already as asked' };
      const held = [...change.add, ...change.remove].filter(holds);
      return {
        op: { op: 'roles', add, remove },
        before: { roles: held },
        after: { roles: [...held.filter((r) => !remove.includes(r)), ...add] },
      };
    }
    case 'block':
    case 'unblock': {
      const blocked = change.kind === 'block';
      if ((user.blocked ?? false) === blocked)
        return { op: null, note: blocked ? 'already blocked' : 'not blocked' };
      return {
        op: { op: 'set-blocked', blocked },
        before: { blocked: user.blocked ?? false, updated_at: user.updated_at },
        after: { blocked },
      };
    }
    case 'mark-verified':
      if (!user.email) return { op: null, note: 'has no email' };
      if (user.email_verified) return { op: null, note: 'already verified' };
      return {
        op: { op: 'email-verified', value: true },
        before: { email_verified: false, updated_at: user.updated_at },
        after: { email_verified: true },
      };
    case 'verification-email':
      if (!user.email) return { op: null, note: 'has no email' };
      if (user.email_verified) return { op: null, note: 'already verified' };
      if (!databaseIdentity(user)) return { op: null, note: viaProvider(user) };
      return { op: { op: 'verification-email' } };
    case 'password-link':
      if (!databaseIdentity(user)) return { op: null, note: `password: ${viaProvider(user)}` };
      return {
        op: {
          op: 'password-link',
          ttlSec: change.ttlSec,
          ...(change.resultUrl ? { resultUrl: change.resultUrl } : {}),
        },
      };
    case 'brute-force-unblock':
      return { op: { op: 'brute-force-unblock' } };
    case 'mfa-reset':
      return { op: { op: 'mfa-reset' } };
    case 'forget-browsers':
      return { op: { op: 'forget-browsers' } };
    case 'delete':
      // The whole user is kept: deletion can't be undone, but what was deleted stays on record.
      return { op: { op: 'delete' }, before: user };
  }
}

/** Whether an operation's effect can be read back from the tenant (an email or a link can't). */
export function verifiable(op: ItemOp): boolean {
  return !['verification-email', 'forget-browsers', 'password-link'].includes(op.op);
}

/** Whether a user as read now shows the operation applied (for what verifiable() allows). */
export function showsApplied(
  op: ItemOp,
  now: { user: Auth0User | null; roles?: string[]; blocks?: unknown[]; methods?: unknown[] },
): boolean {
  const user = now.user;
  switch (op.op) {
    case 'delete':
      return user === null;
    case 'metadata': {
      const current = (user?.[op.kind] ?? {}) as Record<string, unknown>;
      return Object.entries(op.changes).every(([k, v]) =>
        v === null ? !(k in current) : deepEqual(current[k], v),
      );
    }
    case 'roles':
      return op.add.every((r) => now.roles?.includes(r)) && op.remove.every((r) => !now.roles?.includes(r));
    case 'set-blocked':
      return (user?.blocked ?? false) === op.blocked;
    case 'email-verified':
      return (user?.email_verified ?? false) === op.value;
    case 'brute-force-unblock':
      return (now.blocks ?? []).length === 0;
    case 'mfa-reset':
      return (now.methods ?? []).length === 0;
    default:
      return false;
  }
}

/**
 * The operation that undoes one done item, given the user as it is now — or why it can't be undone. A user
 * changed since the job (another updated_at, other role members) is left alone: undo never overwrites.
 */
export function inverseOf(
  op: ItemOp,
  before: unknown,
  after: unknown,
  now: { user: Auth0User | null; roles?: string[] },
): ItemPlan {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changedSince = now.user && a.updated_at !== undefined && now.user.updated_at !== a.updated_at;
  if (!now.user) return { op: null, note: 'no longer exists' };
  switch (op.op) {
    case 'metadata':
      if (changedSince) return { op: null, note: `changed since the job (updated ${now.user.updated_at})` };
      return {
        op: {
          op: 'metadata',
          kind: op.kind,
          changes: Object.fromEntries(Object.keys(op.changes).map((k) => [k, b[k] ?? null])),
        },
        before: a.values ?? op.changes,
        after: b,
      };
    case 'set-blocked':
      if (changedSince) return { op: null, note: `changed since the job (updated ${now.user.updated_at})` };
      return {
        op: { op: 'set-blocked', blocked: !op.blocked },
        before: { blocked: op.blocked },
        after: { blocked: !op.blocked },
      };
    case 'email-verified':
      if (changedSince) return { op: null, note: `changed since the job (updated ${now.user.updated_at})` };
      return {
        op: { op: 'email-verified', value: !op.value },
        before: { email_verified: op.value },
        after: { email_verified: !op.value },
      };
    case 'roles': {
      const expected = ((a.roles as string[] | undefined) ?? []).slice().sort();
      const involved = [...op.add, ...op.remove];
      const holding = (now.roles ?? []).filter((r) => involved.includes(r)).sort();
      if (!deepEqual(holding, expected)) return { op: null, note: 'its roles changed since the job' };
      return { op: { op: 'roles', add: op.remove, remove: op.add }, before: { roles: expected }, after: b };
    }
    default:
      return { op: null, note: 'cannot be undone' };
  }
}
