// Lines of Auth0's JSON users export (NDJSON) back into users, and the fields Tenant Desk asks for when it needs whole
// users (bulk plans, query filtering past the search cap, snapshots): every field a query or a plan may look at, and
// whole metadata objects (JSON exports take them; CSV exports don't).
import type { Auth0User } from '../../preload/contract.js';

const IDENTITY_SLOTS = 3;
export const EXPORT_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'phone_verified',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'blocked',
  'last_password_reset',
  'app_metadata',
  'user_metadata',
  ...Array.from({ length: IDENTITY_SLOTS }, (_, i) =>
    ['connection', 'provider', 'user_id', 'isSocial'].map((f) => `identities[${i}].${f}`),
  ).flat(),
];

/** An exported line back into a user: `identities[i].x` columns become the identities array again. */
export function fromExportLine(line: Record<string, unknown>): Auth0User {
  const user: Record<string, unknown> = {};
  const identities: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(line)) {
    const m = /^identities\[(\d+)\]\.(\w+)$/.exec(key);
    if (m) (identities[Number(m[1])] ??= {})[m[2]!] = value;
    else if (key.includes('.') && /^(app|user)_metadata\./.test(key)) setPath(user, key, value);
    else user[key] = value;
  }
  const present = identities.filter((i) => i && Object.keys(i).length);
  if (present.length) user.identities = present;
  return user as Auth0User;
}

/** Sets `a.b.c` in an object, making the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

/** A field's value in a user: `email`, `identities[0].connection`, `app_metadata` or `app_metadata.plan.tier`. */
export function valueAt(user: Record<string, unknown>, path: string): unknown {
  let v: unknown = user;
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[m[1]!];
    if (m[2] !== undefined) v = Array.isArray(v) ? v[Number(m[2])] : undefined;
  }
  return v;
}
