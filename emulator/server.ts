// The local tenant's HTTPS server: plumbing shared by every route (body parsing with Auth0's errors, latency,
// rate limiting, injected failures, bearer verification) and the token endpoint.
import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { importSPKI, jwtVerify } from 'jose';
import { ApiError, errors, sendError } from './errors.js';
import type { TenantContext } from './context.js';
import type { TokenBucket } from './ratelimit.js';
import { TokenVerificationError } from './tokens.js';
import { MAX_BODY_DEPTH, tooDeep } from './validate.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const TOKEN_LIFETIME_SECONDS = 86_400;

export interface ServerOptions {
  tls: { cert: string; key: string };
  bucket: TokenBucket;
  latencyMs: number;
  failRate: number;
  random: () => number;
}

export function createServer(ctx: TenantContext, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    https: { cert: options.tls.cert, key: options.tls.key },
    bodyLimit: MAX_BODY_BYTES,
    logger: false,
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
  });

  // Auth0 (hapi) answers malformed JSON with 400 "Invalid request payload JSON format".
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new ApiError(400, 'Invalid request payload JSON format'), undefined);
    }
    if (tooDeep(parsed))
      return done(errors.payload(`Object nesting exceeds the maximum depth of ${MAX_BODY_DEPTH}`), undefined);
    done(null, parsed);
  });
  void app.register(formbody, { bodyLimit: MAX_BODY_BYTES });
  void app.register(multipart, { limits: { fileSize: 512_000 + 1, files: 1, fields: 20 } });

  app.setErrorHandler((err: FastifyError | ApiError, _req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    const code = (err as FastifyError).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(
        reply,
        new ApiError(413, `Payload content length greater than maximum allowed: ${MAX_BODY_BYTES}`),
      );
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      return sendError(
        reply,
        new ApiError(413, 'Payload content length greater than maximum allowed: 512000.'),
      );
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendError(reply, new ApiError(415, 'Unsupported Media Type'));
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
      return sendError(reply, new ApiError(400, 'Invalid request payload JSON format'));
    if (
      code?.startsWith('FST_') &&
      (err as FastifyError).statusCode &&
      (err as FastifyError).statusCode! < 500
    )
      return sendError(reply, new ApiError((err as FastifyError).statusCode!, err.message));
    return sendError(reply, new ApiError(500, 'Internal Server Error'));
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, new ApiError(404, 'Not Found')));

  app.addHook('onRequest', async (req, reply) => {
    if (options.latencyMs > 0) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (!req.url.startsWith('/api/v2/') && req.url !== '/api/v2') return;
    const { allowed, headers } = options.bucket.take();
    void reply.headers(headers);
    if (!allowed) return sendError(reply, errors.tooManyRequests());
    // Injected failures happen before anything is applied, like an overloaded front end.
    if (options.failRate > 0 && options.random() < options.failRate) {
      return options.random() < 0.5
        ? sendError(reply, new ApiError(500, 'Internal Server Error'))
        : sendError(reply, new ApiError(503, 'Service Unavailable'));
    }
    const injected = ctx.store.takeFault(req.method, req.url.split('?')[0]!);
    if (injected !== null)
      return sendError(
        reply,
        new ApiError(
          injected.status,
          injected.status === 503 ? 'Service Unavailable' : 'Internal Server Error',
        ),
      );
    const header = req.headers.authorization;
    if (!header) return sendError(reply, errors.unauthorized('Missing authentication'));
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return sendError(reply, errors.unauthorized('Bad HTTP authentication header format'));
    try {
      req.auth = await ctx.signer.verify(m[1] as string, ctx.audience, ctx.issuer);
    } catch (err) {
      return sendError(
        reply,
        errors.unauthorized(err instanceof TokenVerificationError ? err.message : 'Invalid token'),
      );
    }
  });

  registerTokenEndpoint(app, ctx);
  return app;
}

function oauthError(status: number, error: string, description: string) {
  return Object.assign(new Error(description), { status, body: { error, error_description: description } });
}

function registerTokenEndpoint(app: FastifyInstance, ctx: TenantContext): void {
  app.post('/oauth/token', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const grantType = body.grant_type;
      if (typeof grantType !== 'string' || !grantType)
        throw oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
      if (grantType !== 'client_credentials')
        throw oauthError(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
      const clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
      const assertion = typeof body.client_assertion === 'string' ? body.client_assertion : undefined;
      let client = clientId ? ctx.store.clients.find((c) => c.client_id === clientId) : undefined;
      if (assertion) {
        if (body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
          throw oauthError(
            400,
            'invalid_request',
            'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          );
        const claimed = decodeIssuer(assertion);
        client = ctx.store.clients.find((c) => c.client_id === (clientId ?? claimed));
        if (!client?.public_key) throw oauthError(401, 'access_denied', 'Unauthorized');
        try {
          const key = await importSPKI(client.public_key, 'RS256');
          await jwtVerify(assertion, key, {
            issuer: client.client_id,
            subject: client.client_id,
            audience: [`${ctx.url}/`, `${ctx.url}/oauth/token`],
            maxTokenAge: '5m',
          });
        } catch {
          throw oauthError(401, 'invalid_client', 'Client authentication failed');
        }
      } else {
        if (!client || typeof body.client_secret !== 'string' || client.client_secret !== body.client_secret)
          throw oauthError(401, 'access_denied', 'Unauthorized');
      }
      const audience = body.audience;
      if (typeof audience !== 'string' || !audience)
        throw oauthError(
          403,
          'access_denied',
          'No audience parameter was provided, and no default audience has been configured',
        );
      if (audience !== ctx.audience)
        throw oauthError(403, 'access_denied', `Service not enabled within domain: ${audience}`);
      if (client.scopes.length === 0)
        throw oauthError(
          403,
          'access_denied',
          `Client is not authorized to access "${ctx.audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
        );
      let scopes = client.scopes;
      if (typeof body.scope === 'string' && body.scope.trim()) {
        const asked = new Set(body.scope.split(/\s+/));
        scopes = scopes.filter((s) => asked.has(s));
      }
      const scope = scopes.join(' ');
      const accessToken = await ctx.signer.sign(
        {
          iss: ctx.issuer,
          sub: `${client.client_id}@clients`,
          aud: ctx.audience,
          scope,
          gty: 'client-credentials',
          azp: client.client_id,
        },
        TOKEN_LIFETIME_SECONDS,
      );
      ctx.store.log({
        type: 'seccft',
        description: 'Client Credentials for Access Token',
        client_id: client.client_id,
        client_name: client.name,
        ip: req.ip,
        hostname: ctx.domain,
        details: { audience },
      });
      return reply
        .header('cache-control', 'no-store')
        .send({ access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, scope, token_type: 'Bearer' });
    } catch (err) {
      const e = err as { status?: number; body?: unknown };
      if (e.status && e.body) {
        ctx.store.log({
          type: 'feccft',
          description: (e.body as { error_description: string }).error_description,
          client_id: clientIdOf(body),
          ip: req.ip,
          hostname: ctx.domain,
        });
        return reply.code(e.status).send(e.body);
      }
      throw err;
    }
  });
}

function clientIdOf(body: Record<string, unknown>): string | undefined {
  return typeof body.client_id === 'string' ? body.client_id : undefined;
}

function decodeIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iss?: unknown;
    };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
