// Roles, role users and permissions, user roles.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerRoleRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
