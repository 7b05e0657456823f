// What a users-import job does with its file: Auth0's bulk-import JSON schema (docs "Bulk User Import Database Schema
// and Examples"), validated with z-schema's codes the way the real job reports them, then insert or upsert per user.
import { randomBytes } from 'node:crypto';
import type { Connection, User } from '../model.js';
import type { TenantStore } from '../store.js';
import { violations, type Schema } from '../validate.js';
import { gravatar } from './users.js';

const encoding: Schema = { type: 'string', enum: ['base64', 'hex', 'utf8'] };

/** The documented schema, property for property; unknown properties are refused. */
export const IMPORTED_USER_SCHEMA: Schema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    email_verified: { type: 'boolean' },
    phone_number: { type: 'string' },
    phone_verified: { type: 'boolean' },
    user_id: { type: 'string' },
    username: { type: 'string' },
    given_name: { type: 'string' },
    family_name: { type: 'string' },
    name: { type: 'string' },
    nickname: { type: 'string' },
    picture: { type: 'string' },
    blocked: { type: 'boolean' },
    password_hash: { type: 'string' },
    custom_password_hash: {
      type: 'object',
      properties: {
        algorithm: {
          type: 'string',
          enum: [
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
          ],
        },
        hash: {
          type: 'object',
          properties: {
            value: { type: 'string' },
            encoding,
            digest: {
              type: 'string',
              enum: ['md4', 'md5', 'ripemd160', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'whirlpool'],
            },
            key: {
              type: 'object',
              properties: { value: { type: 'string' }, encoding },
              required: ['value'],
            },
          },
        },
        salt: {
          type: 'object',
          properties: {
            value: { type: 'string' },
            encoding,
            position: { type: 'string', enum: ['prefix', 'suffix'] },
          },
          required: ['value'],
        },
        password: {
          type: 'object',
          properties: {
            encoding: { type: 'string', enum: ['ascii', 'utf8', 'utf16le', 'ucs2', 'latin1', 'binary'] },
          },
        },
        keylen: { type: 'integer' },
        cost: { type: 'integer' },
        blockSize: { type: 'integer' },
        parallelization: { type: 'integer' },
      },
      required: ['algorithm', 'hash'],
      additionalProperties: false,
    },
    app_metadata: { type: 'object' },
    user_metadata: { type: 'object' },
    mfa_factors: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'object',
        maxProperties: 1,
        additionalProperties: false,
        properties: {
          totp: {
            type: 'object',
            properties: { secret: { type: 'string', pattern: /^[A-Z2-7]+$/ } },
            required: ['secret'],
            additionalProperties: false,
          },
          phone: {
            type: 'object',
            properties: { value: { type: 'string', pattern: /^\+[0-9]{1,15}$/ } },
            required: ['value'],
            additionalProperties: false,
          },
          email: {
            type: 'object',
            properties: { value: { type: 'string', format: 'email' } },
            required: ['value'],
            additionalProperties: false,
          },
        },
      },
    },
  },
  required: ['email'],
  additionalProperties: false,
};

/**
 * Auth0 checks `password_hash` (internally `passwordHash`) against this: bcrypt $2a$/$2b$ with 10 salt rounds (Auth0
 * support article "User Import Fails with Error: Error in passwordHash property - String does not match pattern").
 */
const PASSWORD_HASH: Schema = { type: 'string', pattern: /^\$2[ab]?\$10+\$[./A-Za-z0-9]{53}$/ };

/** The attributes an upsert may change (the schema page's "upsertable"); metadata is replaced, never merged. */
const UPSERTABLE = [
  'email_verified',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'app_metadata',
  'user_metadata',
] as const;

export interface ImportError {
  code: string;
  message: string;
  path?: string;
}

export interface ImportOutcome {
  summary: { failed: number; updated: number; inserted: number; total: number };
  errors: { user: unknown; errors: ImportError[] }[];
}

/** A schema violation as the job reports it (seen on real tenants: code INVALID_FORMAT, path
 * `identities[0].profileData.email`, message "Error in identities[0].profileData.email property - Object didn't pass
 * validation for format email: …"). Top-level violations have no property to name. */
function asImportError(v: { code: string; message: string; path: string }): ImportError {
  return v.path ? { code: v.code, message: `Error in ${v.path} property - ${v.message}`, path: v.path } : v;
}

export function importUsers(
  store: TenantStore,
  connection: Connection,
  entries: unknown[],
  upsert: boolean,
): ImportOutcome {
  const summary = { failed: 0, updated: 0, inserted: 0, total: entries.length };
  const errors: ImportOutcome['errors'] = [];
  const fail = (user: unknown, errs: ImportError[]) => {
    summary.failed++;
    errors.push({ user, errors: errs });
  };
  // Duplicates within one file fail (they are not an insert followed by an upsert).
  const seen = { email: new Set<string>(), username: new Set<string>(), user_id: new Set<string>() };
  for (const raw of entries) {
    const problems = violations(IMPORTED_USER_SCHEMA, raw).map(asImportError);
    const entry = raw as Record<string, unknown>;
    if (problems.length === 0 && typeof entry.password_hash === 'string')
      problems.push(...violations(PASSWORD_HASH, entry.password_hash, 'passwordHash').map(asImportError));
    if (problems.length) {
      fail(raw, problems);
      continue;
    }
    const email = String(entry.email).toLowerCase();
    const username = entry.username as string | undefined;
    const localId = entry.user_id as string | undefined;
    const repeated = (
      [
        ['email', email],
        ['username', username],
        ['user_id', localId],
      ] as const
    ).find(([field, value]) => value !== undefined && seen[field].has(value));
    if (repeated) {
      fail(raw, [
        { code: 'DUPLICATED_USER', message: `A user with this ${repeated[0]} was already provided.` },
      ]);
      continue;
    }
    seen.email.add(email);
    if (username !== undefined) seen.username.add(username);
    if (localId !== undefined) seen.user_id.add(localId);

    // A match on email, user id or username is the same user; with upsert off it fails.
    const existing =
      store.findInConnection(connection.name, { email }) ??
      (localId !== undefined ? store.users.get(`auth0|${localId}`) : undefined) ??
      (username !== undefined ? store.findInConnection(connection.name, { username }) : undefined);
    if (existing && !upsert) {
      // go-auth0 TestJobManager_ReadErrors: this exact text.
      fail(raw, [
        { code: 'DUPLICATED_USER', message: 'The user already exist and upsert parameter is false' },
      ]);
      continue;
    }
    const now = new Date().toISOString();
    if (existing) {
      const next: User = { ...structuredClone(existing), updated_at: now };
      for (const k of UPSERTABLE) if (entry[k] !== undefined) next[k] = structuredClone(entry[k]) as never;
      store.putUser(next);
      summary.updated++;
      continue;
    }
    if (username !== undefined && store.findInConnection(connection.name, { username })) {
      fail(raw, [{ code: 'CONFLICT_USERNAME', message: 'The username provided is in use already.' }]);
      continue;
    }
    const id = localId ?? randomBytes(12).toString('hex');
    // As a real import creates it (go-auth0 TestJobManager_ImportUsers, then users-by-email).
    const user: User = {
      email,
      email_verified: (entry.email_verified as boolean | undefined) ?? false,
      created_at: now,
      updated_at: now,
      identities: [{ provider: 'auth0', connection: connection.name, isSocial: false, user_id: id }],
      user_id: `auth0|${id}`,
      name: (entry.name as string | undefined) ?? email,
      picture: (entry.picture as string | undefined) ?? gravatar(email),
      nickname: (entry.nickname as string | undefined) ?? email.split('@')[0]!,
    };
    for (const k of [
      'username',
      'given_name',
      'family_name',
      'phone_number',
      'phone_verified',
      'blocked',
      'app_metadata',
      'user_metadata',
    ] as const)
      if (entry[k] !== undefined) user[k] = structuredClone(entry[k]) as never;
    store.putUser(user);
    // The hash is kept as given (the local tenant cannot check it); such a user signs in after a reset, as on Auth0.
    const hash = entry.password_hash ?? entry.custom_password_hash;
    if (hash !== undefined) store.passwords.set(user.user_id, `imported:${JSON.stringify(hash)}`);
    summary.inserted++;
  }
  return { summary, errors };
}
