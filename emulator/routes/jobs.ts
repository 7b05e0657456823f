// Jobs: verification email, users exports (gzipped CSV or NDJSON behind a short-lived location) and users imports.
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { api, logApi, userOr404, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { Connection, Job, User } from '../model.js';
import { validateBody, type Schema } from '../validate.js';
import { recordEmail, sendVerificationEmail } from './mail.js';
import { importUsers, type ImportOutcome } from './users-import.js';
import { valueAtPath } from '../../preload/contract.js';

const EXPORT_LINK_SECONDS = 60;
const MAX_CSV_FIELDS = 30;
const MAX_CONCURRENT_IMPORTS = 2;
const MAX_IMPORT_BYTES = 512_000;
/** Auth0's connection 404 (terraform-provider-auth0 recordings): no full stop. */
const connectionNotFound = () => errors.notFound('The connection does not exist', 'inexistent_connection');
/** How long each job state lasts, so callers see pending → processing → completed like on Auth0. */
const STEP_MS = 150;

const DEFAULT_EXPORT_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'name',
  'nickname',
  'created_at',
  'updated_at',
  'last_login',
  'logins_count',
  'blocked',
];

const exportSchema: Schema = {
  type: 'object',
  properties: {
    connection_id: { type: 'string', pattern: /^con_[A-Za-z0-9]{16}$/ },
    format: { type: 'string', enum: ['json', 'csv'] },
    limit: { type: 'integer', minimum: 1 },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1 }, export_as: { type: 'string', minLength: 1 } },
        required: ['name'],
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

const verificationSchema: Schema = {
  type: 'object',
  properties: {
    user_id: { type: 'string', minLength: 1 },
    client_id: { type: 'string' },
    organization_id: { type: 'string' },
    identity: {
      type: 'object',
      properties: { user_id: { type: 'string' }, provider: { type: 'string' } },
      required: ['user_id', 'provider'],
      additionalProperties: false,
    },
  },
  required: ['user_id'],
  additionalProperties: false,
};

function newJobId(): string {
  return `job_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`;
}

async function gzipExport(
  users: User[],
  fields: { name: string; export_as: string }[],
  format: 'csv' | 'json',
  progress: (done: number) => void,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // The compressed bytes are collected as the pipeline's last step, so its end includes gzip's final flush.
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  if (format === 'csv') {
    const rows = Readable.from(
      (function* () {
        for (const [i, u] of users.entries()) {
          if (i % 1000 === 0) progress(i);
          yield fields.map(({ name }) => {
            const v = valueAtPath(u, name);
            return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
          });
        }
      })(),
    );
    await pipeline(
      rows,
      // Auth0 escapes its CSV against formula injection.
      stringify({ header: true, columns: fields.map((f) => f.export_as), escape_formulas: true }),
      createGzip(),
      collect,
    );
  } else {
    const lines = Readable.from(
      (function* () {
        for (const [i, u] of users.entries()) {
          if (i % 1000 === 0) progress(i);
          const out: Record<string, unknown> = {};
          for (const { name, export_as } of fields) {
            const v = valueAtPath(u, name);
            if (v !== undefined) out[export_as] = v;
          }
          yield `${JSON.stringify(out)}\n`;
        }
      })(),
    );
    await pipeline(lines, createGzip(), collect);
  }
  return Buffer.concat(chunks);
}

export function registerJobRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;
  const after = (ms: number, fn: () => void | Promise<void>) => {
    const t = setTimeout(() => void fn(), ms);
    t.unref();
  };
  const publicJob = (job: Job) => {
    const { ...rest } = job;
    return rest;
  };

  api(app, 'GET', '/jobs/:id', ['create:users', 'read:users'], (req) => {
    const job = store.jobs.get((req.params as { id: string }).id);
    if (!job) throw errors.notFound('The job does not exist.', 'inexistent_job');
    // Reading a finished export again gives a fresh 60-second link (for 24 hours), as Auth0 does.
    const file =
      job.type === 'users_export' && job.status === 'completed' ? store.exports.get(job.id) : undefined;
    if (file) {
      file.expiresAt = Date.now() + EXPORT_LINK_SECONDS * 1000;
      job.location = `${ctx.url}/__emulator/exports/${job.id}/${file.filename}?expires=${Math.floor(file.expiresAt / 1000)}`;
    }
    return publicJob(job);
  });

  api(app, 'GET', '/jobs/:id/errors', ['create:users', 'read:users'], (req, reply) => {
    const id = (req.params as { id: string }).id;
    const job = store.jobs.get(id);
    if (!job) throw errors.notFound('The job does not exist.', 'inexistent_job');
    const errs = store.jobErrors.get(id) ?? [];
    if (errs.length === 0) {
      reply.code(204);
      return undefined;
    }
    // Auth0 sends this one as plain `application/json`, without a charset (go-auth0 TestJobManager_ReadErrors).
    return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(errs)));
  });

  api(app, 'POST', '/jobs/verification-email', ['update:users'], (req, reply, auth) => {
    validateBody(verificationSchema, req.body ?? null);
    const body = req.body as { user_id: string };
    const user = userOr404(ctx, body.user_id);
    const identity = user.identities[0]!;
    const connection = store.connectionByName(identity.connection);
    if (!user.email || !connection)
      throw errors.badRequest('The user does not have an email address.', 'operation_not_supported');
    const job: Job = {
      type: 'verification_email',
      status: 'pending',
      created_at: new Date().toISOString(),
      id: newJobId(),
    };
    store.jobs.set(job.id, job);
    sendVerificationEmail(ctx, user, connection);
    logApi(ctx, req, auth, 'Send a verification email', {
      user_id: user.user_id,
      user_name: user.email,
      details: { job_id: job.id },
    });
    after(STEP_MS, () => {
      job.status = 'completed';
    });
    reply.code(201);
    return publicJob(job);
  });

  api(app, 'POST', '/jobs/users-exports', ['read:users'], (req, reply, auth) => {
    validateBody(exportSchema, req.body ?? {});
    const body = (req.body ?? {}) as {
      connection_id?: string;
      format?: 'csv' | 'json';
      limit?: number;
      fields?: { name: string; export_as?: string }[];
    };
    const format = body.format ?? 'csv';
    let connection: Connection | undefined;
    if (body.connection_id) {
      connection = store.connectionById(body.connection_id);
      if (!connection) throw connectionNotFound();
    }
    const fields = (
      body.fields?.length
        ? body.fields
        : DEFAULT_EXPORT_FIELDS.map((name): { name: string; export_as?: string } => ({ name }))
    ).map((f) => ({
      name: f.name,
      export_as: f.export_as ?? f.name,
    }));
    if (format === 'csv') {
      if (fields.length > MAX_CSV_FIELDS)
        throw errors.badRequest(`Too many fields to export in CSV format; the maximum is ${MAX_CSV_FIELDS}.`);
      const whole = fields.find((f) => f.name === 'user_metadata' || f.name === 'app_metadata');
      if (whole)
        throw errors.badRequest(
          `The CSV format does not support exporting whole ${whole.name} objects; export individual fields such as ${whole.name}.key, or use the JSON format.`,
        );
    }
    // Auth0's key order (go-auth0 TestJobManager_ExportUsers).
    const job: Job = {
      type: 'users_export',
      status: 'pending',
      ...(connection ? { connection_id: connection.id } : {}),
      format,
      ...(body.limit ? { limit: body.limit } : {}),
      fields: fields.map((f) => (f.export_as === f.name ? { name: f.name } : f)),
      ...(connection ? { connection: connection.name } : {}),
      created_at: new Date().toISOString(),
      id: newJobId(),
    };
    store.jobs.set(job.id, job);
    logApi(ctx, req, auth, 'Create an export users job', { details: { job_id: job.id } });
    after(STEP_MS, async () => {
      job.status = 'processing';
      job.percentage_done = 0;
      job.time_left_seconds = 1;
      try {
        let users = [...store.users.values()];
        if (connection)
          users = users.filter((u) => u.identities.some((i) => i.connection === connection.name));
        if (body.limit) users = users.slice(0, body.limit);
        const started = Date.now();
        const file = await gzipExport(users, fields, format, (done) => {
          // Auth0 reports how far it is and how long it expects to take.
          job.percentage_done = Math.floor((done / Math.max(1, users.length)) * 100);
          const elapsed = (Date.now() - started) / 1000;
          job.time_left_seconds = done ? Math.ceil((elapsed / done) * (users.length - done)) : 1;
        });
        const filename = `${ctx.domain.replace(/[^a-z0-9.-]/gi, '_')}.${format === 'csv' ? 'csv' : 'json'}.gz`;
        store.exports.set(job.id, {
          body: file,
          filename,
          expiresAt: Date.now() + EXPORT_LINK_SECONDS * 1000,
        });
        after(STEP_MS, () => {
          job.status = 'completed';
          job.percentage_done = 100;
          job.time_left_seconds = 0;
          job.location = `${ctx.url}/__emulator/exports/${job.id}/${filename}?expires=${Math.floor(Date.now() / 1000) + EXPORT_LINK_SECONDS}`;
          // The link lives 60 s from completion, like Auth0's signed URL.
          const entry = store.exports.get(job.id);
          if (entry) entry.expiresAt = Date.now() + EXPORT_LINK_SECONDS * 1000;
        });
      } catch {
        job.status = 'failed';
      }
    });
    // 200, not 201 (go-auth0 TestJobManager_ExportUsers).
    reply.code(200);
    return publicJob(job);
  });

  api(app, 'POST', '/jobs/users-imports', ['create:users'], async (req, reply, auth) => {
    if (!req.isMultipart())
      throw errors.badRequest("Payload validation error: 'Missing required property: users'.");
    const fields: Record<string, string> = {};
    let file: Buffer | undefined;
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'users') {
          await part.toBuffer();
          continue;
        }
        file = await part.toBuffer();
        if (part.file.truncated || file.length > MAX_IMPORT_BYTES)
          throw new ApiError(
            413,
            `Payload content length greater than maximum allowed: ${MAX_IMPORT_BYTES}.`,
          );
      } else fields[part.fieldname] = String(part.value);
    }
    if (!file) throw errors.payload('Missing required property: users');
    if (!fields.connection_id) throw errors.payload('Missing required property: connection_id');
    const connection = store.connectionById(fields.connection_id);
    if (!connection) throw connectionNotFound();
    if (connection.strategy !== 'auth0')
      throw errors.badRequest('The connection must be a database connection.', 'operation_not_supported');
    for (const flag of ['upsert', 'send_completion_email'] as const) {
      if (fields[flag] !== undefined && fields[flag] !== 'true' && fields[flag] !== 'false')
        throw errors.payload(`Expected type boolean but found type string`, flag);
    }
    let entries: unknown;
    try {
      entries = JSON.parse(file.toString('utf8'));
    } catch {
      throw errors.badRequest('Users file must be a valid JSON array of users.', 'invalid_body');
    }
    if (!Array.isArray(entries))
      throw errors.badRequest('Users file must be a valid JSON array of users.', 'invalid_body');
    const active = [...store.jobs.values()].filter(
      (j) => j.type === 'users_import' && (j.status === 'pending' || j.status === 'processing'),
    );
    // Auth0's "Rate limit policy" docs quote this answer for a third concurrent import.
    if (active.length >= MAX_CONCURRENT_IMPORTS)
      throw new ApiError(
        429,
        `There are ${active.length} active import users jobs, please wait until some of them are finished and try again`,
        'too_many_requests',
      );
    const upsert = fields.upsert === 'true';
    const externalId = fields.external_id || undefined;
    // Auth0's key order, pending then completed (go-auth0 TestJobManager_ImportUsers): the summary sits between
    // connection_id and connection.
    const shape = (status: Job['status'], summary?: ImportOutcome['summary']): Job =>
      ({
        type: 'users_import',
        status,
        connection_id: connection.id,
        ...(summary ? { summary } : {}),
        connection: connection.name,
        ...(externalId ? { external_id: externalId } : {}),
        created_at: createdAt,
        id,
      }) as Job;
    const createdAt = new Date().toISOString();
    const id = newJobId();
    store.jobs.set(id, shape('pending'));
    logApi(ctx, req, auth, 'Create import users job', { details: { job_id: id } });
    after(STEP_MS, () => {
      store.jobs.set(id, shape('processing'));
      after(STEP_MS, () => {
        const outcome = importUsers(store, connection, entries, upsert);
        store.jobErrors.set(id, outcome.errors);
        store.jobs.set(id, shape('completed', outcome.summary));
        store.log({
          type: 'sapi',
          description: 'Import users job completed',
          details: { job_id: id, summary: outcome.summary },
        });
        // send_completion_email defaults to true: Auth0 mails the tenant's administrators.
        if (fields.send_completion_email !== 'false')
          recordEmail(ctx, {
            to: 'tenant-administrators',
            type: 'import_completion',
            subject: `Users import job ${id} completed`,
            connection: connection.name,
          });
      });
    });
    reply.code(202);
    return shape('pending');
  });
}
