// Roles, their users and permissions (an (API, scope) pair, over every API of the tenant), and a user's roles and
// permissions. Status codes and bodies as recorded against real tenants (auth0/go-auth0 TestRoleManager_*,
// TestUserManager_Roles, TestUserManager_Permissions).
import type { FastifyInstance } from 'fastify';
import { api, logApi, userOr404, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { Role } from '../model.js';
import { parsePermissionKey, permissionKey, randomAlnum } from '../store.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
import { resourceServerNotFound } from './resource-servers.js';
import {
  checkpointPage,
  checkpointPagingProps,
  isCheckpoint,
  offsetPage,
  offsetPagingProps,
} from './paging.js';

// Auth0 sends this 404 without an errorCode (go-auth0 TestRoleManager_Delete).
const roleNotFound = () => new ApiError(404, 'The role does not exist.');

const roleBody: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50 },
    description: { type: 'string', maxLength: 255 },
  },
  additionalProperties: false,
};
const idList = (key: string): Schema => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } },
  required: [key],
  additionalProperties: false,
});
const permissionsBody: Schema = {
  type: 'object',
  properties: {
    permissions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          resource_server_identifier: { type: 'string', minLength: 1 },
          permission_name: { type: 'string', minLength: 1 },
        },
        required: ['resource_server_identifier', 'permission_name'],
        additionalProperties: false,
      },
    },
  },
  required: ['permissions'],
  additionalProperties: false,
};

export function registerRoleRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;
  const roleOr404 = (id: string): Role => {
    const role = store.roles.get(id);
    if (!role) throw roleNotFound();
    return role;
  };
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;
  /** Permissions as Auth0 lists them: with their description and the API they belong to (gone APIs are skipped). */
  const describePermission = (key: string) => {
    const { resourceServerId, permissionName } = parsePermissionKey(key);
    const rs = store.findResourceServer(resourceServerId, ctx.audience);
    if (!rs) return undefined;
    return {
      permission_name: permissionName,
      description: rs.scopes?.find((s) => s.value === permissionName)?.description ?? '',
      resource_server_name: rs.name ?? rs.identifier,
      resource_server_identifier: rs.identifier,
    };
  };
  const describePermissions = (keys: Iterable<string>) =>
    [...keys].map(describePermission).filter((p) => p !== undefined);

  api(app, 'GET', '/roles', ['read:roles'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...offsetPagingProps,
          name_filter: { type: 'string', description: 'Optional filter on name (case-insensitive).' },
          type: { type: 'string' },
          owner_id: { type: 'string' },
        },
      },
      req.query as Record<string, unknown>,
    );
    const filter = (query.name_filter as string | undefined)?.toLowerCase();
    const roles = [...store.roles.values()].filter((r) => !filter || r.name.toLowerCase().includes(filter));
    return offsetPage(roles, query, 'roles');
  });

  api(app, 'POST', '/roles', ['create:roles'], (req, reply, auth) => {
    validateBody({ ...(roleBody as object), required: ['name'] } as Schema, req.body ?? null);
    const body = req.body as { name: string; description?: string };
    if ([...store.roles.values()].some((r) => r.name === body.name))
      throw errors.conflict('Role already exists.', 'role_already_exists');
    const role: Role = { id: `rol_${randomAlnum(16)}`, name: body.name, description: body.description ?? '' };
    store.roles.set(role.id, role);
    store.roleUsers.set(role.id, new Set());
    store.rolePermissions.set(role.id, new Set());
    logApi(ctx, req, auth, 'Create a role', { details: { role_id: role.id } });
    reply.code(200);
    return role;
  });

  api(app, 'GET', '/roles/:id', ['read:roles'], (req) => roleOr404(id(req)));

  api(app, 'PATCH', '/roles/:id', ['update:roles'], (req, _reply, auth) => {
    validateBody(roleBody, req.body ?? null);
    const role = roleOr404(id(req));
    const body = req.body as { name?: string; description?: string };
    if (body.name && body.name !== role.name && [...store.roles.values()].some((r) => r.name === body.name))
      throw errors.conflict('Role already exists.', 'role_already_exists');
    const next = { ...role, ...body };
    store.roles.set(role.id, next);
    logApi(ctx, req, auth, 'Update a role', { details: { role_id: role.id } });
    return next;
  });

  api(app, 'DELETE', '/roles/:id', ['delete:roles'], (req, reply, auth) => {
    const role = roleOr404(id(req));
    store.deleteRole(role.id);
    logApi(ctx, req, auth, 'Delete a role', { details: { role_id: role.id } });
    // Auth0 answers 200 with an empty object here, not 204 (go-auth0 TestRoleManager_Delete).
    reply.code(200);
    return {};
  });

  api(app, 'GET', '/roles/:id/users', ['read:users', 'read:roles', 'read:role_members'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: { ...offsetPagingProps, ...checkpointPagingProps } },
      req.query as Record<string, unknown>,
    );
    const role = roleOr404(id(req));
    // Ordered by user id, as Auth0 pages them (go-auth0 TestRoleManager_UsersCheckpointPagination).
    const members = [...(store.roleUsers.get(role.id) ?? [])]
      .sort()
      .map((uid) => store.users.get(uid))
      .filter((u) => u !== undefined)
      .map((u) => ({ user_id: u.user_id, email: u.email, picture: u.picture, name: u.name }));
    if (isCheckpoint(query)) return checkpointPage(members, query, 'users', (u) => u.user_id);
    return offsetPage(members, query, 'users');
  });

  api(app, 'POST', '/roles/:id/users', ['update:roles', 'create:role_members'], (req, reply, auth) => {
    validateBody(idList('users'), req.body ?? null);
    const role = roleOr404(id(req));
    const users = (req.body as { users: string[] }).users;
    const missing = users.filter((u) => !store.users.has(u));
    if (missing.length) throw errors.notFound(`One or more of the users do not exist.`, 'inexistent_user');
    for (const u of users) store.roleUsers.get(role.id)?.add(u);
    logApi(ctx, req, auth, 'Assign users to a role', { details: { role_id: role.id, users } });
    // 200 with `{}` (go-auth0 TestRoleManager_Users).
    reply.code(200);
    return {};
  });

  api(app, 'GET', '/roles/:id/permissions', ['read:roles'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: offsetPagingProps },
      req.query as Record<string, unknown>,
    );
    const role = roleOr404(id(req));
    return offsetPage(describePermissions(store.rolePermissions.get(role.id) ?? []), query, 'permissions');
  });

  /** The (API, scope) pairs a body names, as stored keys; an unknown API is a 404, an unknown scope a 400. */
  const permissionKeys = (
    perms: { resource_server_identifier: string; permission_name: string }[],
  ): string[] =>
    perms.map((p) => {
      // Permissions name their API by identifier (its audience), not by its id.
      const rs = store
        .allResourceServers(ctx.audience)
        .find((r) => r.identifier === p.resource_server_identifier);
      if (!rs) throw resourceServerNotFound();
      if (!rs.scopes?.some((s) => s.value === p.permission_name))
        throw errors.badRequest(
          `Permission '${p.permission_name}' does not exist on resource server '${p.resource_server_identifier}'`,
          'invalid_body',
        );
      return permissionKey(rs.id, p.permission_name);
    });

  api(app, 'POST', '/roles/:id/permissions', ['update:roles'], (req, reply, auth) => {
    validateBody(permissionsBody, req.body ?? null);
    const role = roleOr404(id(req));
    const perms = (
      req.body as { permissions: { resource_server_identifier: string; permission_name: string }[] }
    ).permissions;
    const keys = permissionKeys(perms);
    let current = store.rolePermissions.get(role.id);
    if (!current) {
      store.rolePermissions.set(role.id, new Set());
      current = store.rolePermissions.get(role.id)!;
    }
    for (const k of keys) current.add(k);
    logApi(ctx, req, auth, 'Associate permissions with a role', { details: { role_id: role.id } });
    // 201 with `{}` (go-auth0 TestRoleManager_Permissions).
    reply.code(201);
    return {};
  });

  api(app, 'DELETE', '/roles/:id/permissions', ['update:roles'], (req, reply, auth) => {
    validateBody(permissionsBody, req.body ?? null);
    const role = roleOr404(id(req));
    const perms = (
      req.body as { permissions: { resource_server_identifier: string; permission_name: string }[] }
    ).permissions;
    for (const k of permissionKeys(perms)) store.rolePermissions.get(role.id)?.delete(k);
    logApi(ctx, req, auth, 'Remove permissions from a role', { details: { role_id: role.id } });
    reply.code(204);
    return undefined;
  });

  api(app, 'GET', '/users/:id/roles', { all: ['read:users', 'read:roles', 'read:role_members'] }, (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: offsetPagingProps },
      req.query as Record<string, unknown>,
    );
    const user = userOr404(ctx, id(req));
    return offsetPage(store.rolesOfUser(user.user_id), query, 'roles');
  });

  api(app, 'GET', '/users/:id/permissions', ['read:users'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: offsetPagingProps },
      req.query as Record<string, unknown>,
    );
    const user = userOr404(ctx, id(req));
    // Each permission once, with where it comes from: `sources` lists every role granting it (go-auth0
    // TestUserManager_Permissions shows the shape, there with a direct grant: source_type "DIRECT").
    const sources = new Map<string, { source_id: string; source_name: string; source_type: 'ROLE' }[]>();
    for (const r of store.rolesOfUser(user.user_id))
      for (const key of store.rolePermissions.get(r.id) ?? []) {
        let list = sources.get(key);
        if (!list) sources.set(key, (list = []));
        list.push({ source_id: r.id, source_name: r.name, source_type: 'ROLE' });
      }
    const permissions = [...sources].flatMap(([key, from]) => {
      const p = describePermission(key);
      return p ? [{ ...p, sources: from }] : [];
    });
    return offsetPage(permissions, query, 'permissions');
  });

  const changeUserRoles = (add: boolean) => {
    return api(
      app,
      add ? 'POST' : 'DELETE',
      '/users/:id/roles',
      [add ? 'create:role_members' : 'delete:role_members', 'update:users'],
      (req, reply, auth) => {
        validateBody(idList('roles'), req.body ?? null);
        const user = userOr404(ctx, id(req));
        const roles = (req.body as { roles: string[] }).roles;
        if (roles.some((r) => !store.roles.has(r)))
          throw errors.notFound('One or more of the roles do not exist.', 'inexistent_role');
        for (const r of roles) {
          const members = store.roleUsers.get(r);
          if (add) members?.add(user.user_id);
          else members?.delete(user.user_id);
        }
        logApi(ctx, req, auth, add ? 'Assign roles to a user' : 'Removes roles from a user', {
          user_id: user.user_id,
          ...(user.email ? { user_name: user.email } : {}),
          details: { roles },
        });
        reply.code(204);
        return undefined;
      },
    );
  };
  changeUserRoles(true);
  changeUserRoles(false);
}
