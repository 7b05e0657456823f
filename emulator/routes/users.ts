// /api/v2/users, /users-by-email: search, get, create, update (Auth0's merge and field rules), delete.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { api, logApi, projectFields, userOr404, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { Connection, User } from '../model.js';
import { QueryError } from '../../query/index.js';
import { passwordProblem } from '../../preload/contract/rules.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
import { sendVerificationEmail } from './mail.js';
import { fieldsProps, offsetPagingProps } from './paging.js';

export const MAX_SEARCH_RESULTS = 1000;

const listQuery = {
  type: 'object',
  properties: {
    ...offsetPagingProps,
    ...fieldsProps,
    sort: {
      type: 'string',
      pattern: /^(([a-zA-Z0-9_.]+)):(1|-1)$/,
      description:
        'Field to sort by. Use <code>field:order</code> where order is <code>1</code> for ascending and <code>-1</code> for descending. e.g. <code>created_at:1</code>',
    },
    connection: {
      type: 'string',
      description:
        'Connection filter. Only applies when using <code>search_engine=v1</code>. To filter by connection with <code>search_engine=v2|v3</code>, use <code>q=identities.connection:"connection_name"</code>',
    },
    q: {
      type: 'string',
      description:
        "Query in <a target='new' href ='http://www.lucenetutorial.com/lucene-query-syntax.html'>Lucene query string syntax</a>. Some query types cannot be used on metadata fields, for details see <a href='https://auth0.com/docs/users/search/v3/query-syntax#searchable-fields'>Searchable Fields</a>.",
    },
    search_engine: {
      type: 'string',
      enum: ['v1', 'v2', 'v3'],
      description: 'The version of the search engine',
    },
    primary_order: {
      type: 'boolean',
      description:
        'If true (default), results are returned in a deterministic order. If false, results may be returned in a non-deterministic order, which can enhance performance for complex queries targeting a small number of users. Set to false only when consistent ordering and pagination is not required.',
    },
  },
} as const satisfies Schema;

const metadataSchema: Schema = { type: 'object' };
const userProps = {
  email: { type: 'string', format: 'email' },
  phone_number: { type: 'string', pattern: /^\+[0-9]{1,15}$/ },
  user_metadata: metadataSchema,
  app_metadata: metadataSchema,
  blocked: { type: 'boolean' },
  email_verified: { type: 'boolean' },
  phone_verified: { type: 'boolean' },
  given_name: { type: 'string', minLength: 1, maxLength: 150 },
  family_name: { type: 'string', minLength: 1, maxLength: 150 },
  name: { type: 'string', minLength: 1, maxLength: 300 },
  nickname: { type: 'string', minLength: 1, maxLength: 300 },
  picture: { type: 'string', format: 'uri' },
  verify_email: { type: 'boolean' },
  username: { type: 'string', minLength: 1, maxLength: 128 },
  password: { type: 'string', minLength: 1 },
  connection: { type: 'string', minLength: 1 },
} as const satisfies Record<string, Schema>;

const createSchema: Schema = {
  type: 'object',
  properties: { ...userProps, user_id: { type: 'string', minLength: 1, maxLength: 255 } },
  required: ['connection'],
  additionalProperties: false,
};

const updateSchema: Schema = {
  type: 'object',
  properties: {
    ...userProps,
    verify_phone_number: { type: 'boolean' },
    client_id: { type: 'string' },
  },
  additionalProperties: false,
};

const RESERVED_APP_METADATA = new Set([
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
]);

function checkMetadata(
  kind: 'user_metadata' | 'app_metadata',
  value: Record<string, unknown> | undefined,
): void {
  if (!value) return;
  for (const key of Object.keys(value)) {
    if (key.includes('.') || key.includes('$'))
      throw errors.badRequest(
        `Payload validation error: '${kind} keys must not contain '.' or '$' (found "${key}")'.`,
      );
    if (kind === 'app_metadata' && RESERVED_APP_METADATA.has(key))
      throw errors.badRequest(
        `Payload validation error: 'app_metadata.${key}' is a reserved property name and cannot be set'.`,
      );
  }
}

/** Auth0's policies (none, low, fair, good — the default of new database connections —, excellent), by the rules the
 * console checks a password against before sending it (contract/rules.ts). */
export function passwordIsStrongEnough(connection: Connection, password: string): boolean {
  const policy = String(connection.options.passwordPolicy ?? 'good');
  const minLength = Number(
    (connection.options.password_complexity_options as { min_length?: number } | undefined)?.min_length ?? 8,
  );
  return passwordProblem(policy, minLength, password) === null;
}

function passwordTooWeak(): ApiError {
  return new ApiError(400, 'PasswordStrengthError: Password is too weak', 'invalid_password');
}

function mergeMetadata(
  current: Record<string, unknown> | undefined,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  if (Object.keys(patch).length === 0) return {};
  const out: Record<string, unknown> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    // Defined, not assigned: a key named __proto__ (JSON.parse makes it an own key) stays data.
    else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function gravatar(email: string | undefined): string {
  const initials = (email ?? 'u').slice(0, 2).toLowerCase();
  return `https://s.gravatar.com/avatar/${randomBytes(16).toString('hex')}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F${initials}.png`;
}

export function searchQuery(req: FastifyRequest): Record<string, unknown> {
  return parseQueryParams(listQuery, req.query as Record<string, unknown>);
}

export function registerUserRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;

  api(app, 'GET', '/users', ['read:users'], (req) => {
    const query = searchQuery(req);
    const engine = (query.search_engine as string | undefined) ?? 'v3';
    if (engine !== 'v3')
      throw new ApiError(
        400,
        `You are not allowed to use search_engine=${engine}. Use search_engine=v3 instead.`,
        'operation_not_supported',
      );
    const perPage = (query.per_page as number | undefined) ?? 50;
    const page = (query.page as number | undefined) ?? 0;
    const start = page * perPage;
    if (start + perPage > MAX_SEARCH_RESULTS)
      throw new ApiError(
        400,
        'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation',
        'invalid_paging',
      );
    let q = (query.q as string | undefined)?.trim() || undefined;
    if (query.connection) {
      const c = JSON.stringify(String(query.connection));
      q = q ? `(${q}) AND identities.connection:${c}` : `identities.connection:${c}`;
    }
    let result: { total: number; users: Record<string, unknown>[] };
    try {
      result = store.index.query(q, {
        sort: query.sort as string | undefined,
        offset: start,
        limit: perPage,
      });
    } catch (err) {
      if (err instanceof QueryError) throw new ApiError(400, err.message, err.errorCode);
      throw err;
    }
    const users = result.users.map((u) =>
      projectFields(u, query.fields as string | undefined, query.include_fields as boolean | undefined),
    );
    if (!query.include_totals) return users;
    // Auth0's key order (go-auth0 TestUserManager_List).
    return { start, limit: perPage, length: users.length, users, total: result.total };
  });

  api(app, 'GET', '/users/:id', ['read:users', 'read:user_idp_tokens', 'read:current_user'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: fieldsProps },
      req.query as Record<string, unknown>,
    );
    const user = userOr404(ctx, (req.params as { id: string }).id);
    return projectFields(
      user,
      query.fields as string | undefined,
      query.include_fields as boolean | undefined,
    );
  });

  api(app, 'GET', '/users-by-email', ['read:users'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...fieldsProps,
          email: { type: 'string', description: 'Email address to search for (case-sensitive).' },
        },
      },
      req.query as Record<string, unknown>,
    );
    if (typeof query.email !== 'string' || !query.email)
      throw errors.query(
        'Missing required property: email',
        'email',
        'Email address to search for (case-sensitive).',
      );
    return store
      .usersByEmail(query.email)
      .map((u) =>
        projectFields(u, query.fields as string | undefined, query.include_fields as boolean | undefined),
      );
  });

  api(app, 'POST', '/users', ['create:users'], (req, reply, auth) => {
    const body = req.body;
    validateBody(createSchema, body ?? null);
    const input = body as Record<string, unknown> & { connection: string };
    const connection = store.connectionByName(input.connection);
    if (!connection) throw new ApiError(400, 'The connection does not exist.', 'inexistent_connection');
    if (connection.strategy !== 'auth0')
      throw new ApiError(400, 'Connection is not supported for this operation.', 'operation_not_supported');
    const requiresUsername = connection.options.requires_username === true;
    if (!input.email) throw errors.payload('Missing required property: email');
    if (requiresUsername && !input.username) throw errors.payload('Missing required property: username');
    if (!requiresUsername && input.username)
      throw new ApiError(
        400,
        'Cannot set username for connection without requires_username',
        'operation_not_supported',
      );
    const lengths = (
      connection.options.validation as { username?: { min?: number; max?: number } } | undefined
    )?.username;
    if (requiresUsername && lengths && typeof input.username === 'string') {
      const [min, max] = [lengths.min ?? 1, lengths.max ?? 128];
      if (input.username.length < min || input.username.length > max)
        throw new ApiError(400, `Username must be between ${min} and ${max} characters.`, 'invalid_body');
    }
    if (typeof input.password !== 'string') throw errors.payload('Missing required property: password');
    if (!passwordIsStrongEnough(connection, input.password)) throw passwordTooWeak();
    checkMetadata('user_metadata', input.user_metadata as Record<string, unknown> | undefined);
    checkMetadata('app_metadata', input.app_metadata as Record<string, unknown> | undefined);
    const email = (input.email as string).toLowerCase();
    if (
      store.findInConnection(connection.name, {
        email,
        ...(input.username ? { username: input.username as string } : {}),
      })
    )
      throw errors.conflict('The user already exists.', 'auth0_idp_error');
    const localId = typeof input.user_id === 'string' ? input.user_id : randomBytes(12).toString('hex');
    const userId = `auth0|${localId}`;
    if (store.users.has(userId)) throw errors.conflict('The user already exists.', 'auth0_idp_error');
    const now = new Date().toISOString();
    const user: User = {
      created_at: now,
      email,
      email_verified: (input.email_verified as boolean | undefined) ?? false,
      identities: [{ connection: connection.name, user_id: localId, provider: 'auth0', isSocial: false }],
      name: (input.name as string | undefined) ?? email,
      nickname: (input.nickname as string | undefined) ?? email.split('@')[0]!,
      picture: (input.picture as string | undefined) ?? gravatar(email),
      updated_at: now,
      user_id: userId,
    };
    for (const k of [
      'given_name',
      'family_name',
      'username',
      'phone_number',
      'phone_verified',
      'blocked',
    ] as const) {
      if (input[k] !== undefined) user[k] = input[k] as never;
    }
    if (input.user_metadata)
      user.user_metadata = mergeMetadata(undefined, input.user_metadata as Record<string, unknown>);
    if (input.app_metadata)
      user.app_metadata = mergeMetadata(undefined, input.app_metadata as Record<string, unknown>);
    store.putUser(user);
    store.setPassword(userId, input.password);
    logApi(ctx, req, auth, 'Create a User', { user_id: userId, user_name: email });
    const verify = (input.verify_email as boolean | undefined) ?? !user.email_verified;
    if (verify) sendVerificationEmail(ctx, user, connection);
    reply.code(201);
    return user;
  });

  api(
    app,
    'PATCH',
    '/users/:id',
    ['update:users', 'update:users_app_metadata', 'update:current_user_metadata'],
    (req, _reply, auth) => {
      const body = req.body;
      validateBody(updateSchema, body ?? null);
      const patch = body as Record<string, unknown>;
      if (Object.keys(patch).length === 0) throw errors.payload('Too few properties defined (0), minimum 1');
      const user = userOr404(ctx, (req.params as { id: string }).id);
      const has = (k: string) => patch[k] !== undefined;
      const pairs: [string, string][] = [
        ['password', 'email'],
        ['password', 'email_verified'],
        ['username', 'email'],
        ['username', 'email_verified'],
        ['username', 'password'],
      ];
      for (const [a, b] of pairs) {
        if (has(a) && has(b))
          throw errors.badRequest(`Cannot update ${a} and ${b} simultaneously.`, 'invalid_body');
      }
      const primary = user.identities[0]!;
      const connectionName = (patch.connection as string | undefined) ?? primary.connection;
      const identity = user.identities.find((i) => i.connection === connectionName);
      if (!identity) throw new ApiError(400, 'The connection does not exist.', 'inexistent_connection');
      const connection = store.connectionByName(connectionName);
      const isDatabase = identity.provider === 'auth0';
      for (const k of ['email', 'password', 'username'] as const) {
        if (has(k) && !isDatabase)
          throw errors.badRequest(`Cannot update ${k} for non-database user.`, 'operation_not_supported');
      }
      const primaryConnection = store.connectionByName(primary.connection);
      // Social connections overwrite these at each login unless set_user_root_attributes says otherwise.
      const syncs =
        (primaryConnection?.options.set_user_root_attributes as string | undefined) ??
        (primary.isSocial ? 'on_each_login' : 'on_first_login');
      if (primary.provider !== 'auth0' && syncs === 'on_each_login') {
        const locked = ['given_name', 'family_name', 'name', 'nickname', 'picture'].filter(has);
        if (locked.length)
          throw errors.badRequest(
            `The following user attributes cannot be updated: ${locked.join(', ')}. The connection (${primary.connection}) must either be a custom database connection or the "Sync user profile attributes at each login" setting must be disabled.`,
            'operation_not_supported',
          );
      }
      checkMetadata('user_metadata', patch.user_metadata as Record<string, unknown> | undefined);
      checkMetadata('app_metadata', patch.app_metadata as Record<string, unknown> | undefined);
      if (has('password') && connection && !passwordIsStrongEnough(connection, patch.password as string))
        throw passwordTooWeak();
      let newEmail: string | undefined;
      if (has('email')) {
        newEmail = (patch.email as string).toLowerCase();
        const other = store.findInConnection(connectionName, { email: newEmail });
        if (other && other.user_id !== user.user_id)
          throw errors.badRequest('The specified new email already exists', 'email_exists');
      }
      if (has('username') && connection?.options.requires_username !== true)
        throw new ApiError(
          400,
          'Cannot set username for connection without requires_username',
          'operation_not_supported',
        );
      if (has('username')) {
        const other = store.findInConnection(connectionName, { username: patch.username as string });
        if (other && other.user_id !== user.user_id)
          throw errors.badRequest('The specified new username already exists', 'username_exists');
      }

      // All checks passed: apply.
      const before = structuredClone(user);
      const next: User = structuredClone(user);
      const now = new Date().toISOString();
      for (const k of [
        'blocked',
        'email_verified',
        'phone_number',
        'phone_verified',
        'given_name',
        'family_name',
        'name',
        'nickname',
        'picture',
        'username',
      ] as const) {
        if (has(k)) next[k] = patch[k] as never;
      }
      if (newEmail !== undefined) {
        next.email = newEmail;
        if (!has('email_verified')) next.email_verified = false;
      }
      if (patch.user_metadata)
        next.user_metadata = mergeMetadata(
          user.user_metadata,
          patch.user_metadata as Record<string, unknown>,
        );
      if (patch.app_metadata)
        next.app_metadata = mergeMetadata(user.app_metadata, patch.app_metadata as Record<string, unknown>);
      if (has('password')) {
        store.setPassword(user.user_id, patch.password as string);
        next.last_password_reset = now;
      }
      next.updated_at = now;
      store.putUser(next);
      logApi(ctx, req, auth, 'Update a User', {
        user_id: user.user_id,
        ...(next.email ? { user_name: next.email } : {}),
        details: {
          changedFields: Object.keys(patch).filter((k) => k !== 'password'),
          before: { updated_at: before.updated_at },
        },
      });
      if (has('password')) {
        ctx.store.log({
          type: 'scp',
          description: 'Successful change password',
          user_id: user.user_id,
          ...(next.email ? { user_name: next.email } : {}),
          connection: connectionName,
        });
      }
      if (newEmail !== undefined && patch.verify_email !== false && connection && !next.email_verified)
        sendVerificationEmail(ctx, next, connection);
      return next;
    },
  );

  api(app, 'DELETE', '/users/:id', ['delete:users', 'delete:current_user'], (req, reply, auth) => {
    const id = (req.params as { id: string }).id;
    const user = store.users.get(id);
    if (user) {
      store.deleteUser(id);
      logApi(ctx, req, auth, 'Delete a User', {
        user_id: id,
        ...(user.email ? { user_name: user.email } : {}),
      });
    }
    reply.code(204);
    return undefined;
  });
}
