// Every route group of the local tenant.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { registerAuthenticationRoutes } from './authentication.js';
import { registerConnectionRoutes } from './connections.js';
import { registerExtensionRoutes } from './extensions.js';
import { registerJobRoutes } from './jobs.js';
import { registerLogRoutes } from './logs.js';
import { registerOrganizationRoutes } from './organizations.js';
import { registerResourceServerRoutes } from './resource-servers.js';
import { registerRoleRoutes } from './roles.js';
import { registerSessionRoutes } from './sessions.js';
import { registerTicketRoutes } from './tickets.js';
import { registerUserSecurityRoutes } from './user-security.js';
import { registerUserRoutes } from './users.js';

export function registerRoutes(app: FastifyInstance, ctx: TenantContext): void {
  registerUserRoutes(app, ctx);
  registerUserSecurityRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerRoleRoutes(app, ctx);
  registerOrganizationRoutes(app, ctx);
  registerResourceServerRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);
  registerLogRoutes(app, ctx);
  registerTicketRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerAuthenticationRoutes(app, ctx);
  registerExtensionRoutes(app, ctx);
}
