// Auth0's rules, checked before anything is sent and shared by the window, main and the local tenant: field paths
// (no object machinery walked), JSON depth, metadata keys, which profile fields may change, and the limits of Auth0's
// exports and imports. It imports nothing but zod.
import { z } from 'zod';

/**
 * Names JavaScript gives its object machinery: as a segment of a field path (a CSV column, an import mapping, an
 * export field, a comparison key, a metadata key) they would reach into every object's prototype instead of data,
 * so they are never walked or written anywhere — refused where a path comes in, skipped where a record is read.
 */
export const UNSAFE_PATH_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const indexedSegment = /^([^[\]]+)(?:\[(\d+)\])?$/;

/** Why a dotted field path can't be used, in words, or null. */
export function unsafePathProblem(path: string): string | null {
  for (const part of path.split('.')) {
    const name = indexedSegment.exec(part)?.[1] ?? part;
    if (UNSAFE_PATH_SEGMENTS.has(name))
      return `"${path}" can't be used: "${name}" is a name JavaScript gives its own object machinery, so Tenant Desk never reads or writes it as a field.`;
  }
  return null;
}

/**
 * The value at a dotted path of a record (`email`, `identities[0].connection`, `app_metadata.plan.tier`), reading
 * own properties only. `arrays: 'first'` steps into the first element of any array met on the way (how search and
 * sort read a field); `'index'` only where the path gives `[n]`.
 */
export function valueAtPath(record: unknown, path: string, arrays: 'index' | 'first' = 'index'): unknown {
  let v: unknown = record;
  for (const part of path.split('.')) {
    if (arrays === 'first' && Array.isArray(v)) v = v[0];
    if (v === null || typeof v !== 'object') return undefined;
    const m = arrays === 'index' ? indexedSegment.exec(part) : null;
    const key = m ? m[1]! : part;
    if (arrays === 'index' && !m) return undefined;
    if (UNSAFE_PATH_SEGMENTS.has(key) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
    if (m?.[2] !== undefined) v = Array.isArray(v) ? v[Number(m[2])] : undefined;
  }
  return v;
}

/** Sets a dotted path in a plain object (`a.b.c`), making plain objects on the way; an unsafe segment is refused. */
export function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const problem = unsafePathProblem(path);
  if (problem) throw new Error(problem);
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(at, part) ? at[part] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

/** Auth0 refuses bodies over 1 MB; metadata nested deeper than this is refused here (see README, Limits). */
export const MAX_JSON_DEPTH = 100;
export const MAX_BODY_BYTES = 1024 * 1024;

/** Depth of a JSON value, walked without recursion so that no input can overflow the stack. */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

/** Keys of app_metadata that Auth0 reserves (a 400 from the tenant). */
export const RESERVED_APP_METADATA_KEYS: readonly string[] = [
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
];

export type MetadataKind = 'user_metadata' | 'app_metadata';

/** Why a metadata key can't be written, in words, or null when it can. */
export function metadataKeyProblem(kind: MetadataKind, key: string): string | null {
  if (key === '') return 'A metadata key cannot be empty.';
  if (key.length > 255) return 'A metadata key is at most 255 characters.';
  if (key.includes('.') || key.includes('$')) return `Metadata keys cannot contain "." or "$" ("${key}").`;
  if (UNSAFE_PATH_SEGMENTS.has(key))
    return `A metadata key cannot be "${key}" (a name JavaScript gives its own object machinery).`;
  if (kind === 'app_metadata' && RESERVED_APP_METADATA_KEYS.includes(key))
    return `"${key}" is reserved by Auth0 and cannot be set in app_metadata.`;
  return null;
}

/** A JSON value no deeper than MAX_JSON_DEPTH (checked without recursion). */
export const jsonValueSchema = z.unknown().superRefine((v, ctx) => {
  if (jsonDepth(v, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    ctx.addIssue({ code: 'custom', message: `Values may be nested at most ${MAX_JSON_DEPTH} levels deep.` });
});

/** Changes to one metadata object: at least one key; null removes a key (Auth0's first-level merge). */
export function metadataChangesSchema() {
  return z.record(z.string().max(255), jsonValueSchema).superRefine((changes, ctx) => {
    if (Object.keys(changes).length === 0)
      ctx.addIssue({
        code: 'custom',
        message:
          'No metadata changes were given. (An empty object would make Auth0 remove every key, so it is never sent.)',
      });
  });
}

/** A raw request object whose own keys include "__proto__" (JSON.parse makes it an own key; parsing would drop it). */
export function hasProtoKey(value: unknown): boolean {
  return !!value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, '__proto__');
}

export const profileFields = [
  'email',
  'username',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'phone_number',
  'picture',
] as const;
export type ProfileField = (typeof profileFields)[number];

export const SYNCED_ATTRIBUTES: readonly ProfileField[] = [
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
];

/**
 * For each profile field: null when it can be changed, or why not (the same rules Auth0 applies). Used by the
 * window to explain before anything is sent, and by main to refuse what Auth0 would.
 */
export function profileEditRules(
  user: { identities?: { connection: string; provider: string; isSocial: boolean }[] },
  connections: { name: string; requiresUsername: boolean; syncsProfileAttributes: boolean }[],
): Record<ProfileField, string | null> {
  const identities = user.identities ?? [];
  const primary = identities[0];
  const database = identities.find((i) => i.provider === 'auth0');
  const connectionOf = (name: string | undefined) => connections.find((c) => c.name === name);
  const rules = Object.fromEntries(profileFields.map((f) => [f, null])) as Record<
    ProfileField,
    string | null
  >;
  if (!database) {
    const via = primary
      ? `${primary.connection} (${primary.isSocial ? 'social' : 'enterprise'})`
      : 'another provider';
    rules.email = `Auth0 changes email only for users of a database connection; this user signs in with ${via}.`;
    rules.username = rules.email.replace('email', 'usernames');
  } else if (!connectionOf(database.connection)?.requiresUsername) {
    rules.username = `The connection ${database.connection} does not use usernames.`;
  }
  const primaryConnection = connectionOf(primary?.connection);
  if (
    primary &&
    primary.provider !== 'auth0' &&
    (primaryConnection?.syncsProfileAttributes ?? primary.isSocial)
  ) {
    for (const f of SYNCED_ATTRIBUTES)
      rules[f] =
        `${primary.connection} sets this at each login ("Sync user profile attributes at each login" is on), so Auth0 refuses to change it here.`;
  }
  return rules;
}

/** The characters Auth0 takes in a username (its Lock widget's rule, and its API's). */
export const USERNAME_PATTERN = /^[\w.+\-!#$'^`~@]+$/;

/** A username as the API takes it (a connection may ask for less: see `usernameProblem`). */
export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'A username is at least 1 character')
  .max(128, 'A username is at most 128 characters')
  .regex(USERNAME_PATTERN, "A username has letters, digits and _+-.!#$'^`~@ only");

export const profileChangesSchema = z
  .object({
    email: z.string().trim().email('Enter a valid email address').max(254).optional(),
    /** With a new email: mark it verified at once. */
    email_verified: z.boolean().optional(),
    /** With a new email: send the user a verification email (Auth0's default when it is not marked verified). */
    verify_email: z.boolean().optional(),
    username: usernameSchema.optional(),
    name: z.string().trim().min(1, 'A name cannot be empty').max(300).optional(),
    given_name: z.string().trim().min(1, 'A given name cannot be empty').max(150).optional(),
    family_name: z.string().trim().min(1, 'A family name cannot be empty').max(150).optional(),
    nickname: z.string().trim().min(1, 'A nickname cannot be empty').max(300).optional(),
    phone_number: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{1,14}$/, 'A phone number in international form, like +14155550123')
      .optional(),
    picture: z
      .string()
      .trim()
      .url('A picture is the https address of an image')
      .max(2048)
      .regex(/^https:\/\//, 'A picture is the https address of an image')
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!profileFields.some((f) => c[f] !== undefined))
      ctx.addIssue({ code: 'custom', message: 'No profile field was changed.' });
    if ((c.email_verified !== undefined || c.verify_email !== undefined) && c.email === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['email_verified'],
        message: 'Verification options go with a new email.',
      });
    if (c.email_verified && c.verify_email)
      ctx.addIssue({
        code: 'custom',
        path: ['verify_email'],
        message: 'An email marked verified needs no verification email.',
      });
    if (c.username !== undefined && c.email !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'Auth0 refuses a new username and a new email in one request: save one, then the other.',
      });
  });
export type ProfileChanges = z.infer<typeof profileChangesSchema>;

/** A list file of user ids or emails is at most this big (about 1.5 million emails). */
export const ID_LIST_MAX_BYTES = 64 * 1024 * 1024;

/** Auth0's CSV export takes at most this many fields, and no whole metadata objects. */
export const AUTH0_CSV_MAX_FIELDS = 30;

/** A user field, `identities[n].field`, or app_metadata / user_metadata (whole, or a dotted path into it). */
export const EXPORT_FIELD_PATTERN =
  /^(?:[a-z_][a-z0-9_]*|identities\[\d\]\.[A-Za-z_][A-Za-z0-9_]*|(?:app|user)_metadata(?:\.[^.\s$][^.\s]*)*)$/;

/** A field of a user as a path (export fields, comparison keys and fields): EXPORT_FIELD_PATTERN, no unsafe segment. */
export function fieldPathSchema(message: string) {
  return z
    .string()
    .trim()
    .max(200)
    .regex(EXPORT_FIELD_PATTERN, message)
    .superRefine((path, ctx) => {
      const problem = unsafePathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Fields of Auth0's bulk-import schema (its "Bulk User Import Database Schema"); nothing else is accepted. */
export const IMPORT_FIELDS = [
  'email',
  'email_verified',
  'user_id',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'blocked',
  'password_hash',
  'custom_password_hash',
  'app_metadata',
  'user_metadata',
  'mfa_factors',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const importFormats = ['json', 'ndjson', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];
/** Auth0 accepts an import file of at most 500 KB; files are split into chunks under this. */
export const IMPORT_CHUNK_BYTES = 500_000;
/** Auth0 runs at most two import jobs at once per tenant. */
export const IMPORT_CONCURRENT_JOBS = 2;
/** A CSV column goes to an import field, into a metadata object by key (`user_metadata.plan`), or nowhere (''). */
export const IMPORT_TARGET_PATTERN =
  /^(?:|email|email_verified|user_id|username|given_name|family_name|name|nickname|picture|blocked|password_hash|custom_password_hash|app_metadata|user_metadata|mfa_factors|(?:app|user)_metadata\.[^.\s$][^.\s$]{0,254})$/;

// ---------- database connections' password policies ----------

/**
 * What a database connection's password policy asks, in words (Auth0's policies: none, low, fair, good — the
 * default —, excellent; `password_complexity_options.min_length` raises the length).
 */
export function passwordPolicyWords(policy: string | null, minLength: number | null): string {
  const min = minLength ?? 8;
  switch (policy) {
    case 'none':
      return 'At least 1 character.';
    case 'low':
      return `At least ${Math.max(6, min)} characters.`;
    case 'fair':
      return `At least ${min} characters, with lower case, upper case and numbers.`;
    case 'excellent':
      return `At least ${Math.max(10, min)} characters, 3 of 4 kinds (lower, upper, numbers, symbols), no character three times in a row.`;
    default:
      return `At least ${min} characters, 3 of 4 kinds: lower case, upper case, numbers, symbols.`;
  }
}

/**
 * Why a username doesn't fit the connection (its `validation.username` length, 1–128 when it sets none, and Auth0's
 * characters), in words for beside the field — or null.
 */
export function usernameProblem(
  username: string,
  length: { min: number; max: number } | null = null,
): string | null {
  const u = username.trim();
  if (!u) return 'This connection asks for a username.';
  const { min, max } = length ?? { min: 1, max: 128 };
  if (u.length < min || u.length > max)
    return `A username here is ${min === max ? `${min}` : `${min} to ${max}`} characters long (this one is ${u.length}).`;
  if (!USERNAME_PATTERN.test(u)) return "A username has letters, digits and _+-.!#$'^`~@ only.";
  return null;
}

/** Why a password is too weak for the policy (the same rules Auth0 applies), or null when it is strong enough. */
export function passwordProblem(
  policy: string | null,
  minLength: number | null,
  password: string,
): string | null {
  const min = minLength ?? 8;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  const ok = (() => {
    switch (policy) {
      case 'none':
        return password.length >= 1;
      case 'low':
        return password.length >= Math.max(6, min);
      case 'fair':
        return (
          password.length >= min && /[a-z]/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password)
        );
      case 'excellent':
        return password.length >= Math.max(10, min) && kinds >= 3 && !/(.)\1\1/.test(password);
      default:
        return password.length >= min && kinds >= 3;
    }
  })();
  return ok
    ? null
    : `Too weak for this connection’s password policy (${policy ?? 'good'}): ${passwordPolicyWords(policy, minLength)}`;
}
