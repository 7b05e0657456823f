// Authentication API pieces: /dbconnections/change_password and the ticket pages under /u/.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerAuthenticationRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
