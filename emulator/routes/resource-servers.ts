// Resource servers (APIs): the system Management API plus the tenant's custom APIs. Shapes, status codes and errors as
// recorded against real tenants (auth0/go-auth0 TestResourceServer_*, auth0/terraform-provider-auth0
// TestAccResourceServer*, TestAccDataSourceResourceServer).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { api, logApi, projectFields, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { ResourceServer } from '../model.js';
import { newResourceServerId } from '../store.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
import { fieldsProps, offsetPagingProps } from './paging.js';

export const resourceServerNotFound = (): ApiError =>
  new ApiError(404, 'The resource server does not exist', 'inexistent_resource_server');

const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });

/** The settings both create and update take (Auth0's OAS: CreateResourceServerRequestContent and its update twin). */
const settings = {
  name: { type: 'string', maxLength: 200, pattern: /^[^<>]+$/ },
  scopes: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        value: { type: 'string', minLength: 1, maxLength: 280 },
        description: { type: 'string', maxLength: 500 },
      },
      required: ['value'],
      additionalProperties: false,
    },
  },
  signing_alg: { type: 'string', enum: ['HS256', 'RS256', 'RS512', 'PS256'] },
  signing_secret: { type: 'string', minLength: 16 },
  allow_offline_access: { type: 'boolean' },
  allow_online_access: { type: 'boolean' },
  allow_online_access_with_ephemeral_sessions: { type: 'boolean' },
  token_lifetime: { type: 'integer', minimum: 0, maximum: 2592000 },
  token_lifetime_for_web: { type: 'integer', minimum: 0, maximum: 2592000 },
  token_lifetime_for_anonymous_access_tokens: nullable({ type: 'integer', minimum: 0 }),
  token_dialect: {
    type: 'string',
    enum: ['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz'],
  },
  skip_consent_for_verifiable_first_party_clients: { type: 'boolean' },
  enforce_policies: { type: 'boolean' },
  token_encryption: nullable({ type: 'object' }),
  consent_policy: nullable({ type: 'string', enum: ['transactional-authorization-with-mfa'] }),
  authorization_details: nullable({ type: 'array' }),
  proof_of_possession: nullable({ type: 'object' }),
  subject_type_authorization: { type: 'object' },
  authorization_policy: nullable({ type: 'object' }),
} as const satisfies Record<string, Schema>;

const createSchema: Schema = {
  type: 'object',
  properties: { ...settings, identifier: { type: 'string', minLength: 1, maxLength: 600 } },
  required: ['identifier'],
  additionalProperties: false,
};

// No `identifier`: it "can not be changed once set", so Auth0's validator refuses it as an unknown property.
const updateSchema: Schema = { type: 'object', properties: settings, additionalProperties: false };

/** What a system API lets an update change (the rest is Auth0's). */
const SYSTEM_UPDATABLE = new Set([
  'token_lifetime',
  'skip_consent_for_verifiable_first_party_clients',
  'subject_type_authorization',
]);

/** Auth0's key order for an API (as its responses list them); other settings follow in the order they were set. */
const ORDER = [
  'id',
  'name',
  'identifier',
  'allow_offline_access',
  'skip_consent_for_verifiable_first_party_clients',
  'subject_type_authorization',
  'token_lifetime',
  'token_lifetime_for_web',
  'signing_alg',
  'signing_secret',
  'scopes',
  'enforce_policies',
  'token_dialect',
];

function ordered(rs: Record<string, unknown>): ResourceServer {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) if (rs[k] !== undefined) out[k] = rs[k];
  for (const [k, v] of Object.entries(rs)) if (!(k in out) && v !== undefined && v !== null) out[k] = v;
  return out as ResourceServer;
}

/** Applies settings from a body: `null` removes an optional setting, as Auth0 does (the field is no longer sent). */
function applySettings(target: Record<string, unknown>, body: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(body)) {
    if (v === null) delete target[k];
    else target[k] = structuredClone(v);
  }
}

export function registerResourceServerRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;

  /** By id or identifier; the identifier may arrive encoded once more (Auth0 finds `https:%252F%252F…` too). */
  const find = (raw: string): ResourceServer | undefined => {
    const found = store.findResourceServer(raw, ctx.audience);
    if (found) return found;
    try {
      const decoded = decodeURIComponent(raw);
      return decoded !== raw ? store.findResourceServer(decoded, ctx.audience) : undefined;
    } catch {
      return undefined;
    }
  };
  const param = (req: { params: unknown }) => (req.params as { id: string }).id;

  api(app, 'GET', '/resource-servers', ['read:resource_servers'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...offsetPagingProps,
          ...fieldsProps,
          identifiers: {
            type: 'array',
            maxItems: 10,
            items: { type: 'string' },
            description:
              'An optional filter on the resource server identifier. Must be URL encoded and may be specified multiple times (max 10).',
          },
        },
      },
      req.query as Record<string, unknown>,
    );
    const wanted = query.identifiers as string[] | undefined;
    const list = store
      .allResourceServers(ctx.audience)
      .filter((rs) => !wanted || wanted.includes(rs.identifier))
      .map((rs) =>
        projectFields(rs, query.fields as string | undefined, query.include_fields as boolean | undefined),
      );
    const perPage = (query.per_page as number | undefined) ?? 50;
    const page = (query.page as number | undefined) ?? 0;
    const slice = list.slice(page * perPage, page * perPage + perPage);
    if (!query.include_totals) return slice;
    // Auth0 puts the totals first here (go-auth0 TestResourceServer_List).
    return { total: list.length, start: page * perPage, limit: perPage, resource_servers: slice };
  });

  api(app, 'GET', '/resource-servers/:id', ['read:resource_servers'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: fieldsProps },
      req.query as Record<string, unknown>,
    );
    const rs = find(param(req));
    if (!rs) throw resourceServerNotFound();
    return projectFields(rs, query.fields as string | undefined, query.include_fields as boolean | undefined);
  });

  api(app, 'POST', '/resource-servers', ['create:resource_servers'], (req, reply, auth) => {
    validateBody(createSchema, req.body ?? null);
    const body = req.body as Record<string, unknown> & { identifier: string };
    if (store.findResourceServer(body.identifier, ctx.audience))
      throw errors.conflict(
        'A resource server with the same identifier already exists',
        'resource_server_conflict',
      );
    const draft: Record<string, unknown> = {
      id: newResourceServerId(),
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
      subject_type_authorization: {
        client: { policy: 'require_client_grant' },
        user: { policy: 'allow_all' },
      },
      token_lifetime: 86400,
      token_lifetime_for_web: 7200,
      signing_alg: 'RS256',
    };
    applySettings(draft, body);
    // A symmetric API signs with a secret: Auth0 makes one when none is given.
    if (draft.signing_alg === 'HS256' && draft.signing_secret === undefined)
      draft.signing_secret = randomBytes(24).toString('base64url');
    const rs = ordered(draft);
    store.resourceServers.set(rs.id, rs);
    logApi(ctx, req, auth, 'Create a resource server', { details: { resource_server_id: rs.id } });
    reply.code(201);
    return rs;
  });

  api(app, 'PATCH', '/resource-servers/:id', ['update:resource_servers'], (req, _reply, auth) => {
    validateBody(updateSchema, req.body ?? {});
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rs = find(param(req));
    if (!rs) throw resourceServerNotFound();
    if (rs.is_system) {
      // Auth0 keeps its own API's settings but these few (terraform-provider-auth0 sends nothing else for it). The
      // refusal's text is the local tenant's: no recording of it was found.
      const refused = Object.keys(body).filter((k) => !SYSTEM_UPDATABLE.has(k));
      if (refused.length)
        throw errors.badRequest(
          `Cannot update the following properties of a system resource server: ${refused.join(', ')}`,
          'invalid_body',
        );
      const stored: Record<string, unknown> = structuredClone(store.resourceServers.get(rs.id)!);
      applySettings(stored, body);
      store.resourceServers.set(rs.id, stored as ResourceServer);
      logApi(ctx, req, auth, 'Update a resource server', { details: { resource_server_id: rs.id } });
      return store.findResourceServer(rs.id, ctx.audience);
    }
    const next: Record<string, unknown> = structuredClone(rs);
    applySettings(next, body);
    if (next.signing_alg === 'HS256' && next.signing_secret === undefined)
      next.signing_secret = randomBytes(24).toString('base64url');
    const updated = ordered(next);
    store.resourceServers.set(rs.id, updated);
    // A scope taken off an API is taken off every role that had it.
    if (body.scopes) {
      const kept = new Set((updated.scopes ?? []).map((s) => s.value));
      store.prunePermissions(rs.id, (name) => kept.has(name));
    }
    logApi(ctx, req, auth, 'Update a resource server', { details: { resource_server_id: rs.id } });
    return updated;
  });

  api(app, 'DELETE', '/resource-servers/:id', ['delete:resource_servers'], (req, reply, auth) => {
    const rs = find(param(req));
    if (rs?.is_system)
      throw errors.badRequest('System resource servers cannot be deleted.', 'operation_not_supported');
    // Deleting an API that does not exist (any more) still answers 204 (go-auth0 TestResourceServer_Delete).
    if (rs) {
      store.resourceServers.delete(rs.id);
      store.prunePermissions(rs.id, () => false);
      logApi(ctx, req, auth, 'Delete a resource server', { details: { resource_server_id: rs.id } });
    }
    reply.code(204);
    return undefined;
  });
}
