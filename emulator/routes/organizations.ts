// Organizations: the organizations themselves, their members and the members' roles, invitations and enabled
// connections, and a user's organizations. Status codes, envelopes, key order and texts as recorded against real
// tenants (auth0/go-auth0 test/data/recordings TestOrganizationManager_*, TestUserManager_Organizations):
// - POST /organizations 201; DELETE 204; an unknown id or name 404 "No organization found by that id or name"
//   (no errorCode).
// - Lists: offset (`{organizations|members|roles, start, limit, total}` with include_totals) or, given `from`/`take`,
//   checkpoint (`{organizations|members, next?}`; `next` names the last item given, the next page starts after it).
//   Organizations give `next` while more follow; members give it for every non-empty page (the page after the last
//   one is empty, without `next`).
// - Invitations list `{invitations, start, limit}` where `limit` is the count returned and there is no total; enabled
//   connections list `{enabled_connections, start, limit, total}`, `limit` again the count returned.
// - Members, member roles, invitation and connection deletes answer 204 without a body; enabled connections and
//   invitations are created with 201.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APPLICATIONS } from '../clients.js';
import { api, logApi, projectFields, userOr404, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type {
  Connection,
  Organization,
  OrganizationConnection,
  OrganizationInvitation,
  Role,
  User,
} from '../model.js';
import { orgMemberKey, randomAlnum } from '../store.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
import { recordEmail } from './mail.js';
import { checkpointPagingProps, fieldsProps, isCheckpoint, offsetPage, offsetPagingProps } from './paging.js';

export const orgNotFound = () => new ApiError(404, 'No organization found by that id or name');
const orgConnectionNotFound = () => new ApiError(404, 'No connection found by that id');
const invitationNotFound = () => errors.notFound('The invitation does not exist.', 'inexistent_invitation');

const DEFAULT_INVITATION_TTL = 604_800;
const MAX_INVITATION_TTL = 2_592_000;

const hexColor = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const orgProps = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 50,
    format: 'organization-name',
    description: 'The name of this organization.',
  },
  display_name: {
    type: 'string',
    minLength: 1,
    maxLength: 255,
    description: 'Friendly name of this organization.',
  },
  branding: {
    type: 'object',
    properties: {
      logo_url: { type: 'string', format: 'uri' },
      colors: {
        type: 'object',
        properties: {
          primary: { type: 'string', pattern: hexColor },
          page_background: { type: 'string', pattern: hexColor },
        },
        required: ['primary', 'page_background'],
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  metadata: { type: 'object', maxProperties: 25 },
} as const satisfies Record<string, Schema>;

const connectionProps = {
  assign_membership_on_login: { type: 'boolean' },
  is_signup_enabled: { type: 'boolean' },
  show_as_button: { type: 'boolean' },
} as const satisfies Record<string, Schema>;
const addConnectionBody = {
  type: 'object',
  properties: { connection_id: { type: 'string', minLength: 1 }, ...connectionProps },
  required: ['connection_id'],
  additionalProperties: false,
} as const satisfies Schema;

const createOrgBody: Schema = {
  type: 'object',
  properties: {
    ...orgProps,
    enabled_connections: { type: 'array', items: addConnectionBody, maxItems: 10 },
  },
  required: ['name'],
  additionalProperties: false,
};
const updateOrgBody: Schema = { type: 'object', properties: orgProps, additionalProperties: false };

const idList = (key: string): Schema => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } },
  required: [key],
  additionalProperties: false,
});

const invitationBody: Schema = {
  type: 'object',
  properties: {
    inviter: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 300 } },
      required: ['name'],
      additionalProperties: false,
    },
    invitee: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' } },
      required: ['email'],
      additionalProperties: false,
    },
    client_id: { type: 'string', minLength: 1 },
    connection_id: { type: 'string', minLength: 1 },
    app_metadata: { type: 'object' },
    user_metadata: { type: 'object' },
    ttl_sec: { type: 'integer', minimum: 0, maximum: MAX_INVITATION_TTL },
    roles: { type: 'array', items: { type: 'string', minLength: 1 } },
    send_invitation_email: { type: 'boolean' },
  },
  required: ['inviter', 'invitee', 'client_id'],
  additionalProperties: false,
};

/** As GET /organizations/{id} and the lists answer: id, name, display_name, branding, metadata. */
export function presentOrganization(o: Organization): Organization {
  return {
    id: o.id,
    name: o.name,
    ...(o.display_name !== undefined ? { display_name: o.display_name } : {}),
    ...(o.branding !== undefined ? { branding: o.branding } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
  };
}

/** As POST and PATCH answer (and GET /users/{id}/organizations): branding, id, display_name, name, metadata. */
function presentWritten(o: Organization): Record<string, unknown> {
  return {
    ...(o.branding !== undefined ? { branding: o.branding } : {}),
    id: o.id,
    ...(o.display_name !== undefined ? { display_name: o.display_name } : {}),
    name: o.name,
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
  };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

export function registerOrganizationRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;
  const params = (req: FastifyRequest) =>
    req.params as { id: string; user_id?: string; invitation_id?: string; connection_id?: string };
  const orgOr404 = (id: string): Organization => {
    const org = store.organizations.get(id);
    if (!org) throw orgNotFound();
    return org;
  };
  const query = (req: FastifyRequest, properties: Record<string, Schema>) =>
    parseQueryParams({ type: 'object', properties }, req.query as Record<string, unknown>);
  const orgLog = (
    req: FastifyRequest,
    auth: Parameters<typeof logApi>[2],
    description: string,
    details: Record<string, unknown>,
    user?: User,
  ) =>
    logApi(ctx, req, auth, description, {
      ...(user ? { user_id: user.user_id, ...(user.email ? { user_name: user.email } : {}) } : {}),
      details,
    });

  /** Metadata values are strings of at most 255 characters (Auth0's organization metadata rule). */
  const checkMetadata = (metadata: unknown) => {
    if (metadata === undefined) return;
    for (const [k, v] of Object.entries(metadata as Record<string, unknown>)) {
      if (typeof v !== 'string')
        throw errors.payload(
          `Expected type string but found type ${v === null ? 'null' : typeof v}`,
          `metadata.${k}`,
        );
      if (v.length > 255)
        throw errors.payload(`String is too long (${v.length} chars), maximum 255`, `metadata.${k}`);
    }
  };
  const nameTaken = (name: string, except?: string) =>
    [...store.organizations.values()].some((o) => o.name === name && o.id !== except);
  const nameConflict = () =>
    errors.conflict('An organization with this name already exists.', 'organization_conflict');

  // ---- enabled connections ----
  const presentConnection = (c: OrganizationConnection) => {
    const conn = store.connectionById(c.connection_id);
    return {
      connection_id: c.connection_id,
      assign_membership_on_login: c.assign_membership_on_login,
      ...(c.is_signup_enabled !== undefined ? { is_signup_enabled: c.is_signup_enabled } : {}),
      show_as_button: c.show_as_button,
      connection: { name: conn?.name ?? '', strategy: conn?.strategy ?? '' },
    };
  };
  /** A connection setting checked as Auth0 does: sign-up only for database connections that assign membership. */
  const settle = (
    conn: Connection,
    base: Partial<OrganizationConnection>,
    body: { assign_membership_on_login?: boolean; is_signup_enabled?: boolean; show_as_button?: boolean },
  ): OrganizationConnection => {
    const database = conn.strategy === 'auth0';
    const assign = body.assign_membership_on_login ?? base.assign_membership_on_login ?? false;
    const signup = body.is_signup_enabled ?? base.is_signup_enabled ?? false;
    if (signup && (!database || !assign))
      throw errors.badRequest(
        'Only database connections with assign_membership_on_login = true support is_signup_enabled = true.',
      );
    return {
      connection_id: conn.id,
      assign_membership_on_login: assign,
      ...(database ? { is_signup_enabled: signup } : {}),
      show_as_button: body.show_as_button ?? base.show_as_button ?? true,
    };
  };
  const connectionOr404 = (connectionId: string): Connection => {
    const conn = store.connectionById(connectionId);
    if (!conn) throw orgConnectionNotFound();
    return conn;
  };

  // ---- organizations ----
  api(app, 'GET', '/organizations', ['read:organizations'], (req) => {
    const q = query(req, {
      ...offsetPagingProps,
      ...checkpointPagingProps,
      sort: {
        type: 'string',
        pattern: /^(name|display_name|created_at):(1|-1)$/,
        description:
          'Field to sort by. Use field:order where order is 1 for ascending and -1 for descending.',
      },
      include_client_association_for: { type: 'string' },
    });
    let orgs = [...store.organizations.values()];
    if (typeof q.sort === 'string') {
      const [field, order] = q.sort.split(':') as ['name' | 'display_name' | 'created_at', string];
      if (field !== 'created_at') orgs = orgs.sort((a, b) => (a[field] ?? '').localeCompare(b[field] ?? ''));
      if (order === '-1') orgs.reverse();
    }
    const list = orgs.map(presentOrganization);
    if (!isCheckpoint(q)) return offsetPage(list, q, 'organizations');
    // The cursor names the last organization given (and its place, should it be deleted meanwhile).
    const take = (q.take as number | undefined) ?? 50;
    let start = 0;
    if (typeof q.from === 'string' && q.from !== '') {
      const [place, id] = unb64(q.from).split(',') as [string, string | undefined];
      const at = list.findIndex((o) => o.id === id);
      start = at >= 0 ? at + 1 : Math.max(0, Number(place) || 0);
    }
    const page = list.slice(start, start + take);
    const last = page[page.length - 1];
    return {
      organizations: page,
      ...(last && start + take < list.length ? { next: b64(`${start + page.length - 1},${last.id}`) } : {}),
    };
  });

  api(app, 'POST', '/organizations', ['create:organizations'], (req, reply, auth) => {
    validateBody(createOrgBody, req.body ?? null);
    const body = req.body as Omit<Organization, 'id'> & {
      enabled_connections?: ({ connection_id: string } & Partial<OrganizationConnection>)[];
    };
    checkMetadata(body.metadata);
    if (nameTaken(body.name)) throw nameConflict();
    const enabled = (body.enabled_connections ?? []).map((c) =>
      settle(connectionOr404(c.connection_id), {}, c),
    );
    const org: Organization = {
      id: `org_${randomAlnum(16)}`,
      name: body.name,
      ...(body.display_name !== undefined ? { display_name: body.display_name } : {}),
      ...(body.branding !== undefined ? { branding: body.branding } : {}),
      ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
    };
    store.organizations.set(org.id, org);
    store.orgMembers.set(org.id, new Set());
    if (enabled.length) store.orgConnections.set(org.id, enabled);
    orgLog(req, auth, 'Create an Organization', { organization_id: org.id });
    reply.code(201);
    return {
      ...presentWritten(org),
      ...(body.enabled_connections ? { enabled_connections: enabled.map(presentConnection) } : {}),
    };
  });

  api(app, 'GET', '/organizations/:id', ['read:organizations'], (req) =>
    presentOrganization(orgOr404(params(req).id)),
  );

  api(app, 'GET', '/organizations/name/:name', ['read:organizations'], (req) => {
    const name = (req.params as { name: string }).name;
    const org = [...store.organizations.values()].find((o) => o.name === name);
    if (!org) throw orgNotFound();
    return presentOrganization(org);
  });

  api(app, 'PATCH', '/organizations/:id', ['update:organizations'], (req, _reply, auth) => {
    validateBody(updateOrgBody, req.body ?? {});
    const org = orgOr404(params(req).id);
    const body = (req.body ?? {}) as Partial<Organization>;
    checkMetadata(body.metadata);
    if (body.name !== undefined && nameTaken(body.name, org.id)) throw nameConflict();
    const next: Organization = { ...org, ...body, id: org.id };
    store.organizations.set(org.id, next);
    orgLog(req, auth, 'Update an Organization', { organization_id: org.id });
    return presentWritten(next);
  });

  api(app, 'DELETE', '/organizations/:id', ['delete:organizations'], (req, reply, auth) => {
    const org = orgOr404(params(req).id);
    store.deleteOrganization(org.id);
    orgLog(req, auth, 'Delete an Organization', { organization_id: org.id });
    reply.code(204);
    return undefined;
  });

  // ---- members ----
  const rolesOf = (orgId: string, userId: string): Role[] =>
    [...(store.orgMemberRoles.get(orgMemberKey(orgId, userId)) ?? [])]
      .map((r) => store.roles.get(r))
      .filter((r) => r !== undefined);

  api(app, 'GET', '/organizations/:id/members', ['read:organization_members'], (req) => {
    const q = query(req, {
      ...offsetPagingProps,
      ...checkpointPagingProps,
      ...fieldsProps,
    });
    const org = orgOr404(params(req).id);
    const fields = q.fields as string | undefined;
    const includeFields = q.include_fields as boolean | undefined;
    const withRoles = includeFields !== false && !!fields?.split(',').some((f) => f.trim() === 'roles');
    // Ordered by user id, as Auth0 pages them (go-auth0 TestOrganizationManager_MembersCheckpointPagination).
    const ids = [...(store.orgMembers.get(org.id) ?? [])].sort();
    const present = (userId: string) => {
      const u = store.users.get(userId);
      const member: Record<string, unknown> = {
        user_id: userId,
        email: u?.email,
        picture: u?.picture,
        name: u?.name,
        ...(withRoles ? { roles: rolesOf(org.id, userId).map((r) => ({ id: r.id, name: r.name })) } : {}),
      };
      return projectFields(member, fields, includeFields);
    };
    if (!isCheckpoint(q)) return pageMembers(ids, q, present);
    const take = (q.take as number | undefined) ?? 50;
    // The cursor names the last member given; the next page starts after it.
    const from = typeof q.from === 'string' && q.from !== '' ? unb64(q.from) : null;
    const after = from === null ? null : from.slice(from.indexOf(',') + 1);
    const rest = after === null ? ids : ids.filter((id) => id > after);
    const page = rest.slice(0, take);
    const last = page[page.length - 1];
    return {
      members: page.map(present),
      ...(last ? { next: b64(`m,${last}`) } : {}),
    };
  });

  const changeMembers = (add: boolean) =>
    api(
      app,
      add ? 'POST' : 'DELETE',
      '/organizations/:id/members',
      [add ? 'create:organization_members' : 'delete:organization_members'],
      (req, reply, auth) => {
        validateBody(idList('members'), req.body ?? null);
        const org = orgOr404(params(req).id);
        const members = (req.body as { members: string[] }).members;
        if (add && members.some((u) => !store.users.has(u)))
          throw errors.notFound('One or more of the users do not exist.', 'inexistent_user');
        let set = store.orgMembers.get(org.id);
        if (!set) {
          store.orgMembers.set(org.id, new Set());
          set = store.orgMembers.get(org.id)!;
        }
        for (const u of members) {
          if (add) set.add(u);
          else {
            set.delete(u);
            // A member removed loses their roles in the organization.
            store.orgMemberRoles.delete(orgMemberKey(org.id, u));
          }
        }
        orgLog(req, auth, add ? 'Add members to an Organization' : 'Delete members from an Organization', {
          organization_id: org.id,
          members,
        });
        reply.code(204);
        return undefined;
      },
    );
  changeMembers(true);
  changeMembers(false);

  // ---- member roles ----
  api(app, 'GET', '/organizations/:id/members/:user_id/roles', ['read:organization_member_roles'], (req) => {
    const q = query(req, offsetPagingProps);
    const org = orgOr404(params(req).id);
    const user = userOr404(ctx, params(req).user_id!);
    return offsetPage(rolesOf(org.id, user.user_id), q, 'roles');
  });

  const changeMemberRoles = (add: boolean) =>
    api(
      app,
      add ? 'POST' : 'DELETE',
      '/organizations/:id/members/:user_id/roles',
      [add ? 'create:organization_member_roles' : 'delete:organization_member_roles'],
      (req, reply, auth) => {
        validateBody(idList('roles'), req.body ?? null);
        const org = orgOr404(params(req).id);
        const user = userOr404(ctx, params(req).user_id!);
        const roles = (req.body as { roles: string[] }).roles;
        if (roles.some((r) => !store.roles.has(r)))
          throw errors.notFound('One or more of the roles do not exist.', 'inexistent_role');
        const key = orgMemberKey(org.id, user.user_id);
        let set = store.orgMemberRoles.get(key);
        if (!set && add) {
          store.orgMemberRoles.set(key, new Set());
          set = store.orgMemberRoles.get(key)!;
        }
        for (const r of roles) {
          if (add) set!.add(r);
          else set?.delete(r);
        }
        if (set && set.size === 0) store.orgMemberRoles.delete(key);
        orgLog(
          req,
          auth,
          add ? 'Assign roles to an Organization member' : 'Delete roles from an Organization member',
          { organization_id: org.id, roles },
          user,
        );
        reply.code(204);
        return undefined;
      },
    );
  changeMemberRoles(true);
  changeMemberRoles(false);

  // ---- invitations ----
  const presentInvitation = (org: Organization, i: OrganizationInvitation) => {
    const { id, client_id, inviter, invitee, ticket_id, ...rest } = i;
    const url = new URL(`${ctx.url}/login`);
    url.searchParams.set('invitation', ticket_id);
    url.searchParams.set('organization', org.id);
    url.searchParams.set('organization_name', org.name);
    return { id, client_id, inviter, invitee, invitation_url: url.toString(), ticket_id, ...rest };
  };
  const invitationOr404 = (orgId: string, invitationId: string) => {
    const inv = (store.orgInvitations.get(orgId) ?? []).find((i) => i.id === invitationId);
    if (!inv) throw invitationNotFound();
    return inv;
  };

  api(app, 'GET', '/organizations/:id/invitations', ['read:organization_invitations'], (req) => {
    const q = query(req, {
      ...offsetPagingProps,
      ...fieldsProps,
      sort: {
        type: 'string',
        pattern: /^created_at:(1|-1)$/,
        description:
          'Field to sort by. Use field:order where order is 1 for ascending and -1 for descending Defaults to created_at:-1.',
      },
    });
    const org = orgOr404(params(req).id);
    // Newest first unless asked otherwise (Auth0's default sort, created_at:-1).
    const list = [...(store.orgInvitations.get(org.id) ?? [])].sort((a, b) =>
      q.sort === 'created_at:1'
        ? a.created_at.localeCompare(b.created_at)
        : b.created_at.localeCompare(a.created_at),
    );
    const items = list.map((i) =>
      projectFields(
        presentInvitation(org, i),
        q.fields as string | undefined,
        q.include_fields as boolean | undefined,
      ),
    );
    const page = offsetPage(items, q, 'invitations');
    if (Array.isArray(page)) return page;
    // No total, and `limit` is the count given (go-auth0 TestOrganizationManager_Invitations).
    const { invitations, start } = page as { invitations: unknown[]; start: number };
    return { invitations, start, limit: invitations.length };
  });

  api(
    app,
    'GET',
    '/organizations/:id/invitations/:invitation_id',
    ['read:organization_invitations'],
    (req) => {
      const q = query(req, fieldsProps);
      const org = orgOr404(params(req).id);
      const inv = invitationOr404(org.id, params(req).invitation_id!);
      return projectFields(
        presentInvitation(org, inv),
        q.fields as string | undefined,
        q.include_fields as boolean | undefined,
      );
    },
  );

  api(
    app,
    'POST',
    '/organizations/:id/invitations',
    ['create:organization_invitations'],
    (req, reply, auth) => {
      validateBody(invitationBody, req.body ?? null);
      const org = orgOr404(params(req).id);
      const body = req.body as {
        inviter: { name: string };
        invitee: { email: string };
        client_id: string;
        connection_id?: string;
        app_metadata?: Record<string, unknown>;
        user_metadata?: Record<string, unknown>;
        ttl_sec?: number;
        roles?: string[];
        send_invitation_email?: boolean;
      };
      const known =
        store.clients.some((c) => c.client_id === body.client_id) ||
        APPLICATIONS.some((a) => a.client_id === body.client_id);
      if (!known) throw errors.notFound('The client does not exist', 'inexistent_client');
      if (body.connection_id !== undefined) connectionOr404(body.connection_id);
      if (body.roles?.some((r) => !store.roles.has(r)))
        throw errors.notFound('One or more of the roles do not exist.', 'inexistent_role');
      const ttl = body.ttl_sec && body.ttl_sec > 0 ? body.ttl_sec : DEFAULT_INVITATION_TTL;
      const now = Date.now();
      const inv: OrganizationInvitation = {
        id: `uinv_${randomAlnum(16)}`,
        client_id: body.client_id,
        inviter: { name: body.inviter.name },
        invitee: { email: body.invitee.email },
        ticket_id: randomAlnum(32),
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + ttl * 1000).toISOString(),
        organization_id: org.id,
        ...(body.connection_id !== undefined ? { connection_id: body.connection_id } : {}),
        ...(body.app_metadata !== undefined ? { app_metadata: body.app_metadata } : {}),
        ...(body.user_metadata !== undefined ? { user_metadata: body.user_metadata } : {}),
        ...(body.roles !== undefined ? { roles: body.roles } : {}),
      };
      store.orgInvitations.set(org.id, [...(store.orgInvitations.get(org.id) ?? []), inv]);
      const presented = presentInvitation(org, inv);
      if (body.send_invitation_email !== false)
        recordEmail(ctx, {
          to: inv.invitee.email,
          type: 'organization_invitation',
          subject: `${inv.inviter.name} has invited you to join ${org.display_name ?? org.name}`,
          link: presented.invitation_url,
        });
      orgLog(req, auth, 'Create invitations to an Organization', {
        organization_id: org.id,
        invitation_id: inv.id,
      });
      reply.code(201);
      return presented;
    },
  );

  api(
    app,
    'DELETE',
    '/organizations/:id/invitations/:invitation_id',
    ['delete:organization_invitations'],
    (req, reply, auth) => {
      const org = orgOr404(params(req).id);
      const inv = invitationOr404(org.id, params(req).invitation_id!);
      const rest = (store.orgInvitations.get(org.id) ?? []).filter((i) => i.id !== inv.id);
      if (rest.length) store.orgInvitations.set(org.id, rest);
      else store.orgInvitations.delete(org.id);
      orgLog(req, auth, 'Delete an invitation to an Organization', {
        organization_id: org.id,
        invitation_id: inv.id,
      });
      reply.code(204);
      return undefined;
    },
  );

  // ---- enabled connections ----
  const enabledOr404 = (orgId: string, connectionId: string) => {
    const c = (store.orgConnections.get(orgId) ?? []).find((x) => x.connection_id === connectionId);
    if (!c) throw orgConnectionNotFound();
    return c;
  };

  api(app, 'GET', '/organizations/:id/enabled_connections', ['read:organization_connections'], (req) => {
    const q = query(req, offsetPagingProps);
    const org = orgOr404(params(req).id);
    const page = offsetPage(
      (store.orgConnections.get(org.id) ?? []).map(presentConnection),
      q,
      'enabled_connections',
    );
    if (Array.isArray(page)) return page;
    // `limit` is the count given (go-auth0 TestOrganizationManager_Connections).
    const p = page as { enabled_connections: unknown[]; start: number; total: number };
    return {
      enabled_connections: p.enabled_connections,
      start: p.start,
      limit: p.enabled_connections.length,
      total: p.total,
    };
  });

  api(
    app,
    'GET',
    '/organizations/:id/enabled_connections/:connection_id',
    ['read:organization_connections'],
    (req) => {
      const org = orgOr404(params(req).id);
      return presentConnection(enabledOr404(org.id, params(req).connection_id!));
    },
  );

  api(
    app,
    'POST',
    '/organizations/:id/enabled_connections',
    ['create:organization_connections'],
    (req, reply, auth) => {
      validateBody(addConnectionBody, req.body ?? null);
      const org = orgOr404(params(req).id);
      const body = req.body as { connection_id: string } & Partial<OrganizationConnection>;
      const conn = connectionOr404(body.connection_id);
      const list = store.orgConnections.get(org.id) ?? [];
      if (list.some((c) => c.connection_id === conn.id))
        throw errors.conflict('The connection is already enabled for this organization.');
      const enabled = settle(conn, {}, body);
      store.orgConnections.set(org.id, [...list, enabled]);
      orgLog(req, auth, 'Add connections to an Organization', {
        organization_id: org.id,
        connection_id: conn.id,
      });
      reply.code(201);
      return presentConnection(enabled);
    },
  );

  api(
    app,
    'PATCH',
    '/organizations/:id/enabled_connections/:connection_id',
    ['update:organization_connections'],
    (req, _reply, auth) => {
      validateBody(
        { type: 'object', properties: connectionProps, additionalProperties: false },
        req.body ?? {},
      );
      const org = orgOr404(params(req).id);
      const current = enabledOr404(org.id, params(req).connection_id!);
      const conn = connectionOr404(current.connection_id);
      const next = settle(conn, current, (req.body ?? {}) as Partial<OrganizationConnection>);
      store.orgConnections.set(
        org.id,
        (store.orgConnections.get(org.id) ?? []).map((c) => (c.connection_id === conn.id ? next : c)),
      );
      orgLog(req, auth, 'Modify an Organization connection', {
        organization_id: org.id,
        connection_id: conn.id,
      });
      return presentConnection(next);
    },
  );

  api(
    app,
    'DELETE',
    '/organizations/:id/enabled_connections/:connection_id',
    ['delete:organization_connections'],
    (req, reply, auth) => {
      const org = orgOr404(params(req).id);
      const current = enabledOr404(org.id, params(req).connection_id!);
      const rest = (store.orgConnections.get(org.id) ?? []).filter(
        (c) => c.connection_id !== current.connection_id,
      );
      if (rest.length) store.orgConnections.set(org.id, rest);
      else store.orgConnections.delete(org.id);
      orgLog(req, auth, 'Delete connections from an Organization', {
        organization_id: org.id,
        connection_id: current.connection_id,
      });
      reply.code(204);
      return undefined;
    },
  );

  // ---- a user's organizations ----
  api(app, 'GET', '/users/:id/organizations', ['read:organizations'], (req) => {
    const q = query(req, offsetPagingProps);
    const user = userOr404(ctx, params(req).id);
    // Key order as recorded (go-auth0 TestUserManager_Organizations): branding, id, display_name, name.
    return offsetPage(store.organizationsOfUser(user.user_id).map(presentWritten), q, 'organizations');
  });
}

/** Offset paging over member ids, presenting only the page. */
function pageMembers(
  ids: string[],
  q: Record<string, unknown>,
  present: (id: string) => Record<string, unknown>,
): unknown {
  const page = offsetPage(ids, q, 'members');
  if (Array.isArray(page)) return (page as string[]).map(present);
  const p = page as { members: string[] };
  return { ...p, members: p.members.map(present) };
}
