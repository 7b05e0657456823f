// Whether a write arrived, read from the tenant after Tenant Desk stopped while it was being sent: the write's pending
// audit entry holds what it meant to do (its intent) and what was there before, and the tenant shows which of the two
// it holds now. Shared by the operations whose effect can be read back; an email or a link leaves nothing to read.
import type { ManagementClient } from 'auth0';
import type { MetadataKind } from '../../preload/contract.js';
import { asUser, readUserRoles } from '../users/user-reads.js';
import type { PendingWrite, ReadBack } from './operation.js';

export type { PendingWrite, ReadBack };

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Applied when every key shows what was asked; not applied when every key shows what was there before. */
export function compareStates(
  now: Record<string, unknown>,
  asked: Record<string, unknown>,
  before: Record<string, unknown> | undefined,
): ReadBack {
  const keys = Object.keys(asked);
  const norm = (v: unknown) => (v === undefined ? null : v);
  if (keys.every((k) => deepEqual(norm(now[k]), norm(asked[k])))) return { resolution: 'applied' };
  if (before && keys.every((k) => deepEqual(norm(now[k]), norm(before[k]))))
    return { resolution: 'not-applied' };
  return { resolution: 'unknown', detail: 'the tenant shows neither the state before nor the one asked for' };
}

/** Each key's own value in an object, null where it is absent. */
export const ownValues = (object: unknown, keys: string[]): Record<string, unknown> => {
  const o = (object ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, Object.prototype.hasOwnProperty.call(o, k) ? o[k] : null]));
};

/** The user, or null when the tenant says it does not exist. */
export async function userOrNull(api: ManagementClient, userId: string) {
  try {
    return asUser(await api.users.get(userId));
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

/** A metadata merge: intent { kind, changes, before } (before: each changed key's value, null when absent). */
export async function readBackMetadata(api: ManagementClient, entry: PendingWrite): Promise<ReadBack> {
  const { kind, changes, before } = entry.intent as {
    kind: MetadataKind;
    changes: Record<string, unknown>;
    before?: Record<string, unknown>;
  };
  const user = await userOrNull(api, entry.target!);
  if (!user) return { resolution: 'unknown', detail: 'the user no longer exists' };
  return { ...compareStates(ownValues(user[kind], Object.keys(changes)), changes, before), seen: user };
}

/** Fields of the user set to values: intent { fields, before }. */
export async function readBackFields(api: ManagementClient, entry: PendingWrite): Promise<ReadBack> {
  const { fields, before } = entry.intent as {
    fields: Record<string, unknown>;
    before?: Record<string, unknown>;
  };
  const user = await userOrNull(api, entry.target!);
  if (!user) return { resolution: 'unknown', detail: 'the user no longer exists' };
  return { ...compareStates(ownValues(user, Object.keys(fields)), fields, before), seen: user };
}

/** Roles given and taken: intent { add, remove }. */
export async function readBackUserRoles(api: ManagementClient, entry: PendingWrite): Promise<ReadBack> {
  const { add = [], remove = [] } = entry.intent as { add?: string[]; remove?: string[] };
  const held = new Set((await readUserRoles(api, entry.target!)).map((r) => r.id));
  if (add.every((r) => held.has(r)) && remove.every((r) => !held.has(r))) return { resolution: 'applied' };
  if (add.every((r) => !held.has(r)) && remove.every((r) => held.has(r)))
    return { resolution: 'not-applied' };
  return { resolution: 'unknown', detail: 'some of the roles are as asked, others not' };
}

/** A user deleted: gone means applied. */
export async function readBackDeleted(api: ManagementClient, entry: PendingWrite): Promise<ReadBack> {
  return (await userOrNull(api, entry.target!)) === null
    ? { resolution: 'applied' }
    : { resolution: 'not-applied' };
}
