// Auth0's bulk-import schema ("Bulk User Import Database Schema and Examples"), checked here before anything is
// sent, with each problem in words; the conversion of Auth0's own users export (NDJSON) into it; and the mapping of
// CSV columns onto it.
import {
  IMPORT_FIELDS,
  jsonDepth,
  MAX_JSON_DEPTH,
  metadataKeyProblem,
  type ImportField,
  type MetadataKind,
} from '../../preload/contract.js';

export type ImportUser = Record<string, unknown>;
export interface FieldProblem {
  field?: string;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const CUSTOM_ALGORITHMS = [
  'argon2',
  'bcrypt',
  'hmac',
  'ldap',
  'md4',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'pbkdf2',
  'scrypt',
];
const STRING_LIMITS: Partial<Record<ImportField, number>> = {
  user_id: 255,
  given_name: 150,
  family_name: 150,
  name: 300,
  nickname: 300,
  picture: 2048,
};
const FIELDS: ReadonlySet<string> = new Set(IMPORT_FIELDS);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function metadataProblems(kind: MetadataKind, v: unknown): FieldProblem[] {
  if (!isObject(v)) return [{ field: kind, message: `${kind} must be a JSON object.` }];
  const out: FieldProblem[] = [];
  for (const key of Object.keys(v)) {
    const problem = metadataKeyProblem(kind, key);
    if (problem) out.push({ field: `${kind}.${key}`, message: problem });
  }
  if (jsonDepth(v, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    out.push({ field: kind, message: `${kind} is nested more than ${MAX_JSON_DEPTH} levels deep.` });
  return out;
}

/** Everything Auth0's import would refuse in this user, in words; empty when it passes. */
export function importProblems(user: unknown): FieldProblem[] {
  if (!isObject(user)) return [{ message: 'A user is a JSON object.' }];
  const out: FieldProblem[] = [];
  for (const key of Object.keys(user))
    if (!FIELDS.has(key))
      out.push({
        field: key,
        message: `"${key}" is not a field of Auth0's import schema (allowed: ${IMPORT_FIELDS.join(', ')}).`,
      });
  const email = user.email;
  if (email === undefined || email === null || email === '')
    out.push({ field: 'email', message: 'An email is required.' });
  else if (typeof email !== 'string' || !EMAIL.test(email) || email.length > 254)
    out.push({ field: 'email', message: `"${String(email)}" is not a valid email address.` });
  for (const f of ['email_verified', 'blocked'] as const)
    if (user[f] !== undefined && typeof user[f] !== 'boolean')
      out.push({ field: f, message: `${f} must be true or false.` });
  for (const [f, max] of Object.entries(STRING_LIMITS) as [ImportField, number][]) {
    const v = user[f];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0)
      out.push({ field: f, message: `${f} must be a non-empty text.` });
    else if (v.length > max) out.push({ field: f, message: `${f} is at most ${max} characters.` });
  }
  if (typeof user.user_id === 'string' && user.user_id.includes('|'))
    out.push({
      field: 'user_id',
      message: `user_id "${user.user_id}" has a provider prefix; give it without one (Auth0 adds "auth0|").`,
    });
  if (user.username !== undefined) {
    const u = user.username;
    if (typeof u !== 'string' || !/^[\w.+\-!#$'^`~@]{1,128}$/.test(u))
      out.push({
        field: 'username',
        message: "A username is 1 to 128 letters, digits and _+-.!#$'^`~@.",
      });
  }
  if (typeof user.picture === 'string' && !/^https?:\/\//.test(user.picture))
    out.push({ field: 'picture', message: 'picture is the http(s) address of an image.' });
  if (user.password_hash !== undefined && user.custom_password_hash !== undefined)
    out.push({
      field: 'custom_password_hash',
      message: 'Give password_hash or custom_password_hash, not both.',
    });
  if (user.password_hash !== undefined) {
    const h = user.password_hash;
    if (typeof h !== 'string' || !(BCRYPT.test(h) || ARGON2.test(h)))
      out.push({
        field: 'password_hash',
        message:
          'password_hash is not a bcrypt ($2a$, $2b$ or $2y$) or Argon2 hash; for other algorithms use custom_password_hash.',
      });
  }
  if (user.custom_password_hash !== undefined) {
    const c = user.custom_password_hash;
    if (
      !isObject(c) ||
      typeof c.algorithm !== 'string' ||
      !isObject(c.hash) ||
      typeof c.hash.value !== 'string'
    )
      out.push({
        field: 'custom_password_hash',
        message: 'custom_password_hash is an object with an algorithm and a hash { value, … }.',
      });
    else if (!CUSTOM_ALGORITHMS.includes(c.algorithm))
      out.push({
        field: 'custom_password_hash.algorithm',
        message: `Auth0 does not import "${c.algorithm}" hashes (it takes ${CUSTOM_ALGORITHMS.join(', ')}).`,
      });
  }
  for (const kind of ['app_metadata', 'user_metadata'] as const)
    if (user[kind] !== undefined) out.push(...metadataProblems(kind, user[kind]));
  if (user.mfa_factors !== undefined) {
    const m = user.mfa_factors;
    const ok =
      Array.isArray(m) &&
      m.every(
        (f) =>
          isObject(f) &&
          Object.keys(f).length === 1 &&
          ((isObject(f.totp) && typeof f.totp.secret === 'string') ||
            (isObject(f.phone) && typeof f.phone.value === 'string') ||
            (isObject(f.email) && typeof f.email.value === 'string')),
      );
    if (!ok)
      out.push({
        field: 'mfa_factors',
        message:
          'mfa_factors is a list of { totp: { secret } }, { phone: { value } } or { email: { value } }.',
      });
  }
  return out;
}

/** Fields Auth0's export has that its import does not take: dropped on conversion (said in the notes). */
const EXPORT_ONLY = new Set([
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'identities',
  'multifactor',
  'last_password_reset',
  'phone_number',
  'phone_verified',
  'Id',
]);

/** Whether a record looks like a line of Auth0's users export rather than an import record. */
export function looksExported(record: Record<string, unknown>): boolean {
  return (
    (typeof record.user_id === 'string' && record.user_id.includes('|')) ||
    Object.keys(record).some((k) => EXPORT_ONLY.has(k))
  );
}

/**
 * A record of Auth0's users export as an import record: the user id without its `auth0|` prefix, the fields the
 * import does not take dropped (counted in `dropped`). A user of another provider can't be imported into a
 * database connection: a problem, not a silent skip.
 */
export function convertExported(
  record: Record<string, unknown>,
  dropped: Map<string, number>,
): { user: ImportUser } | { problem: FieldProblem } {
  const user: ImportUser = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === 'user_id' && typeof v === 'string' && v.includes('|')) {
      const [provider, ...rest] = v.split('|');
      if (provider !== 'auth0')
        return {
          problem: {
            field: 'user_id',
            message: `${v} signs in with ${provider}, not a database connection: Auth0 imports only database users.`,
          },
        };
      user.user_id = rest.join('|');
    } else if (FIELDS.has(k)) user[k] = v;
    else if (v !== undefined && v !== null) dropped.set(k, (dropped.get(k) ?? 0) + 1);
  }
  return { user };
}

// ---------- CSV ----------

const SYNONYMS: Record<string, ImportField> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  emailverified: 'email_verified',
  verified: 'email_verified',
  userid: 'user_id',
  id: 'user_id',
  username: 'username',
  login: 'username',
  givenname: 'given_name',
  firstname: 'given_name',
  familyname: 'family_name',
  lastname: 'family_name',
  surname: 'family_name',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  nickname: 'nickname',
  picture: 'picture',
  avatar: 'picture',
  blocked: 'blocked',
  passwordhash: 'password_hash',
  customPasswordHash: 'custom_password_hash',
  custompasswordhash: 'custom_password_hash',
  appmetadata: 'app_metadata',
  usermetadata: 'user_metadata',
  mfafactors: 'mfa_factors',
};

/** A mapping for a CSV header: known names (and common synonyms) mapped; unknown columns left out for the user. */
export function suggestMapping(columns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const column of columns) {
    const trimmed = column.trim();
    const meta = /^(app_metadata|user_metadata)\.([^.\s$][^.\s$]*)$/.exec(trimmed);
    const name = trimmed.toLowerCase().replace(/[\s_\-.]/g, '');
    const target = meta
      ? trimmed
      : Object.prototype.hasOwnProperty.call(SYNONYMS, name)
        ? SYNONYMS[name]
        : undefined;
    if (target && !taken.has(target)) {
      out[column] = target;
      taken.add(target);
    }
  }
  return out;
}

/** Problems of a mapping itself (before any row is read): unmapped columns, a field given twice, no email. */
export function mappingProblems(columns: readonly string[], mapping: Record<string, string>): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const [i, column] of columns.entries()) {
    const target = Object.prototype.hasOwnProperty.call(mapping, column) ? mapping[column] : undefined;
    const meta = target ? /^(app_metadata|user_metadata)\.(.*)$/s.exec(target) : null;
    const keyProblem = meta ? metadataKeyProblem(meta[1] as MetadataKind, meta[2]!) : null;
    if (keyProblem) out.push(`Column ${i + 1} "${column}" goes to ${target}: ${keyProblem}`);
    else if (target === undefined)
      out.push(
        `Column ${i + 1} "${column}" matches no import field: map it to a field or to user_metadata.<key> / app_metadata.<key>, or ignore it.`,
      );
    else if (target !== '') {
      const earlier = seen.get(target);
      if (earlier) out.push(`Columns "${earlier}" and "${column}" both go to ${target}.`);
      seen.set(target, column);
    }
  }
  for (const column of Object.keys(mapping))
    if (!columns.includes(column)) out.push(`The mapping names a column "${column}" the file does not have.`);
  if (!seen.has('email')) out.push('No column goes to email, which every imported user needs.');
  const whole = ['app_metadata', 'user_metadata'].filter((k) => seen.has(k));
  for (const k of whole)
    if ([...seen.keys()].some((t) => t.startsWith(`${k}.`)))
      out.push(`A column holds all of ${k} and another a key of it: use one or the other.`);
  return out;
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n']);

/** One CSV row as an import record by the mapping; empty cells are left out. */
export function csvRowToUser(
  columns: readonly string[],
  cells: readonly string[],
  mapping: Record<string, string>,
): { user: ImportUser; problems: FieldProblem[] } {
  const user: ImportUser = {};
  const problems: FieldProblem[] = [];
  if (cells.length !== columns.length)
    problems.push({
      message: `The row has ${cells.length} cells where the header has ${columns.length} columns.`,
    });
  for (const [i, column] of columns.entries()) {
    const target = mapping[column];
    const cell = (cells[i] ?? '').trim();
    if (!target || cell === '') continue;
    if (target === 'email_verified' || target === 'blocked') {
      const v = cell.toLowerCase();
      if (TRUE.has(v)) user[target] = true;
      else if (FALSE.has(v)) user[target] = false;
      else problems.push({ field: target, message: `${target} is "${cell}"; write true or false.` });
    } else if (
      target === 'app_metadata' ||
      target === 'user_metadata' ||
      target === 'custom_password_hash' ||
      target === 'mfa_factors'
    ) {
      try {
        user[target] = JSON.parse(cell) as unknown;
      } catch {
        problems.push({ field: target, message: `${target} (column "${column}") is not valid JSON.` });
      }
    } else if (target.includes('.')) {
      const [kind, key] = target.split(/\.(.*)/s) as [string, string];
      const meta = (user[kind] ??= {}) as Record<string, unknown>;
      meta[key] = cell;
    } else user[target] = cell;
  }
  return { user, problems };
}
