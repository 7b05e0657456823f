// User blocks, MFA enrollments, authentication methods, remember-browser.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerUserSecurityRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
