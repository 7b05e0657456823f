// Lines of Auth0's JSON users export (NDJSON) back into users, and the fields Tenant Desk asks for when it needs whole
// users (bulk plans, query filtering past the search cap, snapshots): every field a query or a plan may look at, and
// whole metadata objects (JSON exports take them; CSV exports don't).
import {
  setAtPath,
  UNSAFE_PATH_SEGMENTS,
  unsafePathProblem,
  type Auth0User,
} from '../../preload/contract.js';

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

/**
 * An exported line back into a user: `identities[i].x` columns become the identities array again, `app_metadata.a.b`
 * columns nested objects. A key JavaScript keeps for its object machinery (`__proto__`, `constructor`, `prototype`)
 * is no user field, and is left out rather than walked.
 */
export function fromExportLine(line: Record<string, unknown>): Auth0User {
  const user: Record<string, unknown> = {};
  const identities: Record<string, unknown>[] = [];
  for (const key of Object.keys(line)) {
    const value = line[key];
    if (UNSAFE_PATH_SEGMENTS.has(key)) continue;
    const m = /^identities\[(\d{1,3})\]\.(\w+)$/.exec(key);
    if (m) {
      if (!UNSAFE_PATH_SEGMENTS.has(m[2]!)) (identities[Number(m[1])] ??= {})[m[2]!] = value;
    } else if (key.includes('.') && /^(app|user)_metadata\./.test(key)) {
      if (!unsafePathProblem(key)) setAtPath(user, key, value);
    } else user[key] = value;
  }
  const present = identities.filter((i) => i && Object.keys(i).length);
  if (present.length) user.identities = present;
  return user as Auth0User;
}
