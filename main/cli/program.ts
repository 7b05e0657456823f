// `tenant-desk`: the same jobs as the window, from a command line (commander for the arguments, cli-progress for the
// bar). Each command opens the app on the data directory (the same services, keychain, guard, audit and task engine
// as the window), sends the requests the window would send, prints words or one JSON document, and closes the app.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, CommanderError, Option } from 'commander';
import type {
  Auth0User,
  BulkChange,
  BulkPlanSummary,
  BulkSource,
  ExportField,
  ExportSource,
  ExportStatus,
  ImportSummary,
  JobSummary,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { DEFAULT_INACTIVE_DAYS, valueAtPath } from '../../preload/contract.js';
import { defaultDataDir } from '../fs/data-dir.js';
import { CliError, EXIT, Session } from './session.js';
import { n, Output, table, type Io } from './output.js';

const DEFAULT_FIELDS = ['user_id', 'email', 'name', 'created_at', 'last_login', 'logins_count', 'blocked'];
const newId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

interface Global {
  dataDir?: string;
  json?: boolean;
  reasonTicket?: string;
  reason?: string;
}

/** Runs one command line; resolves with its exit code (it never calls process.exit). */
export async function runCli(argv: string[], io: Io, version: string): Promise<number> {
  let exitCode: number = EXIT.ok;
  let out = new Output(io, argv.includes('--json'));

  /** Opens the app for a command, runs it, closes the app whatever happens. */
  const withSession =
    <A extends unknown[]>(body: (s: Session, out: Output, ...args: A) => Promise<number | void>) =>
    async (...args: A) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals<Global>();
      out = new Output(io, !!g.json);
      const session = await Session.open({
        dataDir: resolve(g.dataDir ?? defaultDataDir(io.env)),
        version,
        envSecret: io.env.TENANT_DESK_CLIENT_SECRET,
        reason: {
          ...(g.reasonTicket ? { ticket: g.reasonTicket } : {}),
          ...(g.reason ? { note: g.reason } : {}),
        },
      });
      try {
        exitCode = (await body(session, out, ...args)) ?? EXIT.ok;
      } finally {
        out.endProgress();
        await session.close();
      }
    };

  const program = new Command('tenant-desk')
    .description(
      'Tenant Desk from a command line: the same tenants, keychain, data directory, production guard, audit log and ' +
        'jobs as the window. A plan made in the window runs here, and the other way round.',
    )
    .version(version, '-V, --version')
    .option(
      '--data-dir <dir>',
      'the data directory (default: $TENANT_DESK_DATA_DIR, else ~/.local/share/tenant-desk)',
    )
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option('--reason-ticket <ref>', 'why the writes are made: a ticket reference (kept in the audit log)')
    .option('--reason <note>', 'why the writes are made: a note (a tenant may require a ticket or a note)')
    .showHelpAfterError('(tenant-desk --help lists the commands)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Exit codes: 0 done · 1 failed · 2 usage (a bad option, an unknown tenant) · 3 refused by the production guard
(a production tenant wants --confirm DOMAIN, and --count N for a bulk job or an import) · 4 finished, some users failed.

Examples:
  TENANT_DESK_CLIENT_SECRET=… tenant-desk tenants add --label Acme --domain acme.eu.auth0.com --client-id abc --environment production
  tenant-desk users search --tenant Acme --query 'email:*@example.com' --all --json
  tenant-desk export --tenant Acme --format csv --output users.csv
  tenant-desk snapshot take --tenant all-production
  tenant-desk bulk plan --tenant Acme --query 'app_metadata.plan:"trial"' --set-app-metadata plan=free
  tenant-desk bulk run plan-1a2b3c4d --confirm acme.eu.auth0.com --count 1200`,
    );
  program.configureHelp({ helpWidth: 110 });

  // ---------------------------------------------------------------- tenants
  const tenants = program.command('tenants').description('the tenants set up in this data directory');
  tenants
    .command('list')
    .description('every tenant: label, environment, domain, id')
    .action(
      withSession(async (s, out) => {
        const list = await s.call('tenants:list', {});
        out.document(list);
        out.say(
          list.length
            ? table([
                ['LABEL', 'ENVIRONMENT', 'DOMAIN', 'ID', 'SECRET'],
                ...list.map((t) => [t.label, t.environment, t.domain, t.id, t.secretStorage ?? '']),
              ])
            : 'No tenant yet. Add one with: tenant-desk tenants add --help',
        );
      }),
    );
  tenants
    .command('add')
    .description(
      'add a tenant; its client secret (or private key) is read from stdin or TENANT_DESK_CLIENT_SECRET, never from an argument',
    )
    .requiredOption('--label <label>', 'a name for it')
    .requiredOption('--domain <domain>', 'its Auth0 domain, e.g. acme.eu.auth0.com')
    .requiredOption('--client-id <id>', 'the machine-to-machine application’s client id')
    .addOption(
      new Option('--environment <env>', 'its tag (production is guarded)')
        .choices(['production', 'staging', 'development', 'custom'])
        .default('development'),
    )
    .option('--audience <url>', 'the Management API audience, when not https://DOMAIN/api/v2/')
    .option('--ca-file <file>', 'a CA certificate (PEM) to trust for this tenant')
    .option(
      '--private-key-file <file>',
      'sign in with private-key JWT using this key (PEM) instead of a secret',
    )
    .option('--color <hex>', 'its colour in the window', '#1565c0')
    .addHelpText(
      'after',
      `
The secret is kept in the OS keychain. With no keychain (a CI runner) it is kept for this run only: set
TENANT_DESK_CLIENT_SECRET for each command instead.

Example:
  printf '%s' "$SECRET" | tenant-desk tenants add --label Acme --domain acme.eu.auth0.com --client-id abc123`,
    )
    .action(
      withSession(async (s, out, o: Record<string, string>) => {
        const key = o.privateKeyFile ? readFileSync(o.privateKeyFile, 'utf8') : null;
        const secret = key ?? (await secretFromInput(io));
        if (!secret)
          throw new CliError(
            'No secret: pipe it on stdin or set TENANT_DESK_CLIENT_SECRET (it is never taken as an argument).',
            EXIT.usage,
          );
        const keychain = await s.call('keychain:status', {});
        const profile = await s.call('tenants:add', {
          label: o.label!,
          domain: o.domain!,
          clientId: o.clientId!,
          authMethod: key ? 'private_key_jwt' : 'client_secret',
          environment: o.environment as TenantProfile['environment'],
          color: o.color!,
          ...(o.audience ? { audience: o.audience } : {}),
          ...(o.caFile ? { caCert: readFileSync(o.caFile, 'utf8') } : {}),
          secret,
          secretStorage: keychain.available ? 'keychain' : 'session',
        });
        if (!keychain.available)
          out.note(
            `No OS keychain here (${keychain.message ?? 'unavailable'}): the secret was used for this run only; set TENANT_DESK_CLIENT_SECRET for the next.`,
          );
        out.document(profile);
        out.say(`Added ${profile.label} (${profile.domain}), id ${profile.id}.`);
      }),
    );
  tenants
    .command('test')
    .argument('<tenant>', 'its label, domain or id')
    .description('signs in and lists what the grant allows')
    .action(
      withSession(async (s, out, ref: string) => {
        const t = await s.tenant(ref);
        const r = await s.call('tenants:test-connection', { id: t.id });
        out.document(r);
        out.say(`${t.label}: connected. Scopes: ${(r.scopes ?? []).join(' ') || 'none'}`);
      }),
    );
  tenants
    .command('remove')
    .argument('<tenant>', 'its label, domain or id')
    .description('removes the tenant and forgets its secret (a production tenant wants --confirm DOMAIN)')
    .option('--confirm <domain>', 'the tenant’s domain, typed back')
    .action(
      withSession(async (s, out, ref: string, o: { confirm?: string }) => {
        const t = await s.tenant(ref);
        const r = await s.call('tenants:remove', { id: t.id, guard: s.guard(t, o) });
        out.document(r);
        out.say(`Removed ${t.label}.`);
      }),
    );

  // ---------------------------------------------------------------- users
  const users = program.command('users').description('users of a tenant');
  users
    .command('sessions')
    .argument('<user>', 'the user id')
    .description(
      'where the user is signed in: sessions, refresh tokens and consents (no token is ever shown)',
    )
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .action(
      withSession(async (s, out, userId: string, o: { tenant: string }) => {
        const t = await s.tenant(o.tenant);
        const a = await s.call('users:access', { tenantId: t.id, userId });
        out.document(a);
        const part = <T>(p: { ok: true; items: T[] } | { ok: false; reason: string }, what: string) =>
          p.ok ? p.items : (out.note(`Could not read ${what}: ${p.reason}`), []);
        const sessions = part(a.sessions, 'sessions');
        out.say(
          `${n(sessions.length)} session${sessions.length === 1 ? '' : 's'}\n` +
            table([
              ['id', 'address', 'last active', 'expires', 'application', 'device'],
              ...sessions.map((x) => [
                x.id,
                x.ip ?? '',
                x.lastInteractedAt ?? '',
                x.expiresAt ?? '',
                x.clients.map((c) => c.name ?? c.clientId).join(' '),
                x.userAgent ?? '',
              ]),
            ]),
        );
        const tokens = part(a.refreshTokens, 'refresh tokens');
        out.say(
          `${n(tokens.length)} refresh token${tokens.length === 1 ? '' : 's'}\n` +
            table([
              ['id', 'application', 'created', 'last used', 'expires'],
              ...tokens.map((x) => [
                x.id,
                x.clientName ?? x.clientId ?? '',
                x.createdAt ?? '',
                x.lastUsedAt ?? '',
                x.expiresAt ?? '',
              ]),
            ]),
        );
        const grants = part(a.grants, 'consents');
        out.say(
          `${n(grants.length)} consent${grants.length === 1 ? '' : 's'}\n` +
            table([
              ['id', 'application', 'audience', 'scope'],
              ...grants.map((x) => [x.id, x.clientName ?? x.clientId, x.audience ?? '', x.scope.join(' ')]),
            ]),
        );
      }),
    );
  users
    .command('sign-out')
    .argument('<user>', 'the user id')
    .description(
      'incident response: revokes every session and refresh token, and as asked blocks the user, resets MFA, revokes consents, sends a reset email or makes a link',
    )
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .option('--block', 'block the user in the same step')
    .option('--mfa-reset', 'remove every MFA factor')
    .option('--revoke-grants', 'revoke their consents to applications')
    .option('--reset-email', 'send Auth0’s password reset email')
    .option('--password-link', 'make a password-change link (printed once)')
    .option('--confirm <domain>', 'on a production tenant: its domain, typed back')
    .addHelpText(
      'after',
      "\nExample:\n  tenant-desk users sign-out 'auth0|64f1…' --tenant Acme --block --reset-email --reason-ticket SEC-311",
    )
    .action(
      withSession(
        async (
          s,
          out,
          userId: string,
          o: {
            tenant: string;
            block?: boolean;
            mfaReset?: boolean;
            revokeGrants?: boolean;
            resetEmail?: boolean;
            passwordLink?: boolean;
            confirm?: string;
          },
        ) => {
          if (o.resetEmail && o.passwordLink)
            throw new CliError('Give --reset-email or --password-link, not both.', EXIT.usage);
          const t = await s.tenant(o.tenant);
          const report = await s.call('users:sign-out-everywhere', {
            tenantId: t.id,
            userId,
            options: {
              block: o.block === true,
              mfaReset: o.mfaReset === true,
              grants: o.revokeGrants === true,
              password: o.resetEmail ? 'email' : o.passwordLink ? 'link' : 'none',
            },
            guard: s.guard(t, o),
          });
          out.document(report);
          for (const step of report.steps) out.say(`${step.ok ? '✓' : '✗'} ${step.step}: ${step.detail}`);
          if (report.ticket) out.say(`Password-change link (shown once): ${report.ticket.ticket}`);
          out.note(`Incident ${report.incidentId} is in the audit log.`);
          return report.steps.every((x) => x.ok) ? EXIT.ok : EXIT.someFailed;
        },
      ),
    );
  users
    .command('search')
    .description(
      'searches with Auth0’s query syntax; --all reads past the 1,000-result cap the way the window does',
    )
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .option('--query <q>', 'Auth0 query syntax (empty: every user)', '')
    .option('--all', 'every match, past 1,000 (through a users export, filtered here with the same rules)')
    .option('--fields <list>', 'comma-separated fields to print', DEFAULT_FIELDS.join(','))
    .option('--limit <n>', 'at most this many (without --all: up to 1,000)', parseCount, 100)
    .addHelpText(
      'after',
      `\nExample:\n  tenant-desk users search --tenant Acme --query 'app_metadata.plan:"pro"' --all --json`,
    )
    .action(
      withSession(
        async (
          s,
          out,
          o: { tenant: string; query: string; all?: boolean; fields: string; limit: number },
        ) => {
          const t = await s.tenant(o.tenant);
          const fields = splitList(o.fields);
          let users: Auth0User[];
          let total: number;
          if (o.all) {
            users = await exportAll(s, out, t, o.query, fields);
            total = users.length;
          } else {
            users = [];
            total = 0;
            for (let page = 0; users.length < Math.min(o.limit, 1000); page++) {
              const r = await s.call('users:search', {
                tenantId: t.id,
                q: o.query,
                page,
                perPage: Math.min(100, o.limit),
              });
              total = r.total;
              users.push(...r.users);
              if (r.users.length === 0 || users.length >= r.total) break;
            }
            users = users.slice(0, o.limit);
            if (total > users.length)
              out.note(
                `${n(total)} users match; ${n(users.length)} shown${total > 1000 ? ' (Auth0 pages a search through its first 1,000: add --all for every one)' : ''}.`,
              );
          }
          out.document({ total, users: users.map((u) => pick(u, fields)) });
          out.say(table([fields, ...users.map((u) => fields.map((f) => cell(valueAtPath(u, f))))]));
        },
      ),
    );

  // ---------------------------------------------------------------- export
  program
    .command('export')
    .description('exports a tenant’s users (any number) as CSV, NDJSON, XLSX or Parquet')
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .option('--query <q>', 'only the users matching this query')
    .option('--connection <name>', 'only the users of this connection')
    .addOption(
      new Option('--format <format>', 'the file’s format')
        .choices(['csv', 'ndjson', 'xlsx', 'parquet'])
        .makeOptionMandatory(),
    )
    .option(
      '--fields <list>',
      'comma-separated fields (any app_metadata.* / user_metadata.* path)',
      DEFAULT_FIELDS.join(','),
    )
    .option('--bom', 'a byte-order mark first (Excel reads UTF-8 CSV right with it)')
    .option('--snapshot', 'keep it as a snapshot too')
    .option('--organizations', 'with each user’s organizations and organization roles (a column, or a key)')
    .option('--roles', 'with each user’s roles (a column, or a key)')
    .requiredOption('--output <file>', 'where to write the file')
    .addHelpText(
      'after',
      "\nExample:\n  tenant-desk export --tenant Acme --query 'email_verified:false' --format xlsx --output unverified.xlsx",
    )
    .action(
      withSession(
        async (
          s,
          out,
          o: {
            tenant: string;
            query?: string;
            connection?: string;
            format: 'csv' | 'ndjson' | 'xlsx' | 'parquet';
            fields: string;
            bom?: boolean;
            snapshot?: boolean;
            organizations?: boolean;
            roles?: boolean;
            output: string;
          },
        ) => {
          if (o.query && o.connection)
            throw new CliError('Give --query or --connection, not both.', EXIT.usage);
          const t = await s.tenant(o.tenant);
          const source = o.connection
            ? { kind: 'connection' as const, ...(await connectionOf(s, t, o.connection)) }
            : o.query
              ? { kind: 'query' as const, q: o.query }
              : { kind: 'tenant' as const };
          const status = await runExport(s, out, t, {
            source,
            fields: splitList(o.fields).map((name) => ({ name })),
            format: o.format,
            bom: !!o.bom,
            keepSnapshot: !!o.snapshot,
            includeOrganizations: !!o.organizations,
            includeRoles: !!o.roles,
          });
          const path = resolve(o.output);
          s.save(status.file!.id, path);
          out.document({ ...status, output: path });
          out.say(
            `${n(status.written)} users written to ${path}${status.snapshot ? `; kept as snapshot ${status.snapshot.id}` : ''}.`,
          );
          for (const note of status.notes) out.note(note);
        },
      ),
    );

  // ---------------------------------------------------------------- snapshots
  const snapshot = program
    .command('snapshot')
    .description('offline snapshots: take, list, search, compare, review, delete');
  snapshot
    .command('take')
    .description(
      'takes a snapshot of a tenant’s users — or of every tenant of a tag: --tenant all-production',
    )
    .requiredOption('--tenant <tenant>', 'its label, domain or id, or all-<environment>')
    .option('--query <q>', 'only the users matching this query')
    .option(
      '--organizations',
      'with each user’s organizations and organization roles (compares say who joined or left)',
    )
    .option('--roles', 'with each user’s roles (compares say who gained or lost one)')
    .addHelpText(
      'after',
      '\nExample (cron, 02:00 every night):\n  0 2 * * * tenant-desk snapshot take --tenant all-production --json > /var/log/td-snapshots.json',
    )
    .action(
      withSession(
        async (s, out, o: { tenant: string; query?: string; organizations?: boolean; roles?: boolean }) => {
          const list = await s.tenants(o.tenant);
          const taken: { tenant: string; snapshot?: unknown; error?: string }[] = [];
          let failed = 0;
          for (const t of list) {
            try {
              const status = await runExport(s, out, t, {
                source: o.query ? { kind: 'query', q: o.query } : { kind: 'tenant' },
                fields: [{ name: 'user_id' }],
                format: 'ndjson',
                bom: false,
                keepSnapshot: true,
                includeOrganizations: !!o.organizations,
                includeRoles: !!o.roles,
              });
              taken.push({ tenant: t.label, snapshot: status.snapshot });
              out.say(`${t.label}: snapshot ${status.snapshot!.id} of ${n(status.snapshot!.count)} users.`);
            } catch (err) {
              failed++;
              const message = err instanceof CliError ? err.message : String((err as Error).message);
              taken.push({ tenant: t.label, error: message });
              out.note(`${t.label}: failed: ${message}`);
            }
          }
          out.document(taken);
          return failed ? EXIT.failed : EXIT.ok;
        },
      ),
    );
  snapshot
    .command('list')
    .description('every snapshot, newest first')
    .action(
      withSession(async (s, out) => {
        const list = await s.call('snapshots:list', {});
        out.document(list);
        out.say(
          list.length
            ? table([
                ['ID', 'TENANT', 'TAKEN', 'USERS', 'WHAT'],
                ...list.map((x) => [x.id, x.tenantLabel, x.createdAt, n(x.count), x.sourceLabel]),
              ])
            : 'No snapshot yet.',
        );
      }),
    );
  snapshot
    .command('search')
    .argument('<snapshot>', 'its id (snapshot list)')
    .description('searches a snapshot offline, Auth0’s syntax, no 1,000 cap')
    .option('--query <q>', 'Auth0 query syntax', '')
    .option('--fields <list>', 'comma-separated fields to print', DEFAULT_FIELDS.join(','))
    .option('--limit <n>', 'at most this many', parseCount, 100)
    .action(
      withSession(async (s, out, id: string, o: { query: string; fields: string; limit: number }) => {
        const fields = splitList(o.fields);
        const users: Auth0User[] = [];
        let total = 0;
        for (let page = 0; users.length < o.limit; page++) {
          const r = await s.call('snapshots:search', { snapshotId: id, q: o.query, page, perPage: 100 });
          total = r.total;
          users.push(...r.users);
          if (!r.users.length || users.length >= r.total) break;
        }
        const shown = users.slice(0, o.limit);
        out.document({ total, users: shown.map((u) => pick(u, fields)) });
        out.say(table([fields, ...shown.map((u) => fields.map((f) => cell(valueAtPath(u, f))))]));
        if (total > shown.length) out.note(`${n(total)} users match; ${n(shown.length)} shown (--limit).`);
      }),
    );
  snapshot
    .command('compare')
    .argument('<before>', 'the earlier snapshot’s id')
    .argument('<after>', 'the later snapshot’s id')
    .description('users added, removed and changed between two snapshots; the whole comparison as CSV')
    .requiredOption('--output <file>', 'the comparison as CSV')
    .action(
      withSession(async (s, out, before: string, after: string, o: { output: string }) => {
        const c = await s.call('snapshots:compare', { before, after });
        const file = await s.call('snapshots:compare-export', { compareId: c.compareId });
        const path = resolve(o.output);
        s.save(file.id, path);
        out.document({ ...c, output: path });
        out.say(
          `${n(c.added)} added, ${n(c.removed)} removed, ${n(c.changed)} changed, ${n(c.unchanged)} unchanged; written to ${path}.`,
        );
        for (const f of c.fields.slice(0, 10)) out.say(`  ${f.field}: ${n(f.count)} users`);
      }),
    );
  snapshot
    .command('review')
    .argument('<snapshot>', 'its id (snapshot list): a snapshot taken with --roles (and --organizations)')
    .description(
      'an access review report: who holds each role (or only --roles), flagged accounts, changes since --previous',
    )
    .option('--previous <snapshot>', 'an earlier snapshot: the report adds what changed since')
    .option('--roles <list>', 'comma-separated privileged roles to review (default: every role held)')
    .option(
      '--inactive-days <n>',
      `flag accounts with no login in the N days before the snapshot (default ${DEFAULT_INACTIVE_DAYS})`,
      parseCount,
    )
    .requiredOption('--output <file>', 'the report: .xlsx (one sheet per section) or .html (printable page)')
    .addHelpText(
      'after',
      `
Exit codes: 0 written · 1 failed (the report could not be written; cancelled) · 2 usage (an unknown snapshot, a bad
option, an output that is neither .xlsx nor .html).

Example:
  tenant-desk snapshot review snap_fedcba9876543210 --previous snap_0123456789abcdef --roles Admin,Billing --output review.xlsx`,
    )
    .action(
      withSession(
        async (
          s,
          out,
          id: string,
          o: { previous?: string; roles?: string; inactiveDays?: number; output: string },
        ) => {
          const path = resolve(o.output);
          const format = /\.xlsx$/i.test(path) ? 'xlsx' : /\.html?$/i.test(path) ? 'html' : null;
          if (!format)
            throw new CliError(
              `--output names the report's format by its extension: .xlsx or .html (got ${basename(path)}).`,
              EXIT.usage,
            );
          const reviewId = newId('cli-review-');
          try {
            await s.call('reviews:start', {
              reviewId,
              snapshotId: id,
              ...(o.previous ? { previousId: o.previous } : {}),
              ...(o.roles !== undefined ? { roles: splitList(o.roles) } : {}),
              ...(o.inactiveDays !== undefined ? { inactiveDays: o.inactiveDays } : {}),
              format,
            });
          } catch (err) {
            // A snapshot that isn't there, or options the report can't take: nothing was started.
            if (
              err instanceof CliError &&
              (err.error?.code === 'validation' || err.error?.code === 'not_found')
            )
              throw new CliError(err.message, EXIT.usage, err.error);
            throw err;
          }
          const end = await s.follow(reviewId, (x) => out.progress(x));
          out.endProgress();
          const detail = end.detail.kind === 'access-review' ? end.detail : null;
          if (end.status !== 'completed' || !detail?.export.file || !detail.review)
            throw new CliError(
              detail?.export.error?.message ?? end.reason ?? `The report ${end.status}.`,
              EXIT.failed,
              detail?.export.error,
            );
          s.save(detail.export.file.id, path);
          const r = detail.review;
          out.document({ ...r, output: path });
          for (const w of r.warnings) out.note(w);
          out.say(
            `Access review of ${r.snapshot.tenantLabel} (snapshot ${r.snapshot.id}, ${n(r.snapshot.count)} users) written to ${path}.`,
          );
          for (const role of r.roles) out.say(`  ${role.name}: ${n(role.holders)} holders`);
          out.say(
            `  flagged: ${n(r.flags.accounts)} (inactive ${n(r.flags.inactive)}, never logged in ${n(r.flags.neverLoggedIn)}, unverified ${n(r.flags.unverified)}, blocked ${n(r.flags.blocked)})`,
          );
          if (r.changes)
            out.say(
              `  since ${r.previous!.id}: ${n(r.changes.gainedRole)} roles gained, ${n(r.changes.lostRole)} lost, ${n(r.changes.joinedOrganization)} organizations joined, ${n(r.changes.leftOrganization)} left, ${n(r.changes.added)} users added, ${n(r.changes.removed)} removed`,
            );
        },
      ),
    );
  snapshot
    .command('delete')
    .argument('<snapshot>', 'its id')
    .description('deletes a snapshot (and its comparisons)')
    .action(
      withSession(async (s, out, id: string) => {
        const r = await s.call('snapshots:delete', { snapshotId: id });
        out.document(r);
        out.say(`Deleted ${id}.`);
      }),
    );

  // ---------------------------------------------------------------- bulk
  const bulk = program
    .command('bulk')
    .description('bulk edits: plan (a preview), run, list, status, resume, undo, results');
  const plan = bulk
    .command('plan')
    .description('finds the users and previews the change; prints the plan id to run (nothing is sent)')
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .option('--query <q>', 'every user matching this query (past the 1,000 cap)')
    .option('--ids <file>', 'a CSV or text file of user ids and/or emails')
    .option(
      '--log-query <q>',
      'the users of the log events matching this log query (every event, past 1,000), e.g. \'type:s AND ip:"203.0.113.7"\'',
    )
    .option('--set-app-metadata <key=value>', 'set an app_metadata key (value: JSON, or text)', collect, [])
    .option('--set-user-metadata <key=value>', 'set a user_metadata key', collect, [])
    .option('--remove-app-metadata <key>', 'remove an app_metadata key', collect, [])
    .option('--remove-user-metadata <key>', 'remove a user_metadata key', collect, [])
    .option('--add-role <name>', 'give a role (by name or id)', collect, [])
    .option('--remove-role <name>', 'take a role away', collect, [])
    .option('--block', 'block them')
    .option('--unblock', 'unblock them')
    .option('--brute-force-unblock', 'remove brute-force blocks')
    .option('--mark-verified', 'mark emails verified')
    .option('--verification-email', 'send verification emails')
    .option('--mfa-reset', 'reset MFA')
    .option('--forget-browsers', 'forget remembered browsers')
    .option('--password-link [hours]', 'create password-change links (valid this many hours; default 24)')
    .option('--delete', 'delete them (can’t be undone)')
    .option('--revoke-sessions', 'revoke every session (each application asks them to sign in again)')
    .option('--revoke-refresh-tokens', 'revoke every refresh token')
    .option('--revoke-grants', 'revoke their consents to applications')
    .option('--sign-out', 'sign them out everywhere: every session and refresh token')
    .addHelpText(
      'after',
      `
Examples:
  tenant-desk bulk plan --tenant Acme --query 'app_metadata.plan:"trial"' --set-app-metadata plan=free --remove-app-metadata trial_ends
  tenant-desk bulk plan --tenant Acme --ids leavers.csv --block
  tenant-desk bulk plan --tenant Acme --log-query 'type:s AND ip:"203.0.113.7"' --sign-out`,
    );
  plan.action(
    withSession(async (s, out, o: PlanOptions) => {
      if ([o.query, o.ids, o.logQuery].filter((x) => x !== undefined).length !== 1)
        throw new CliError(
          'Give --query (an empty one for every user), --ids or --log-query, one of them.',
          EXIT.usage,
        );
      const t = await s.tenant(o.tenant);
      const change = await changeOf(s, t, o);
      const source: BulkSource = o.ids
        ? { kind: 'list-file', uploadId: await upload(s, o.ids), name: basename(o.ids) }
        : o.logQuery !== undefined
          ? { kind: 'log-events', q: o.logQuery }
          : { kind: 'query', q: o.query ?? '' };
      const planId = newId('plan-');
      const summary = await s.call('bulk:plan', { tenantId: t.id, planId, source, change });
      out.document(summary);
      printPlan(out, t, summary);
    }),
  );
  bulk
    .command('run')
    .argument('<plan>', 'the plan id (bulk plan printed it; a plan made in the window works too)')
    .description('starts the job and follows it to the end; Ctrl+C pauses it (resume with bulk resume)')
    .option('--confirm <domain>', 'on a production tenant: its domain, typed back')
    .option('--count <n>', 'on a production tenant: the number of users it changes, typed back', parseCount)
    .option('--detach', 'start it and return (follow it with bulk status)')
    .action(
      withSession(
        async (s, out, planId: string, o: { confirm?: string; count?: number; detach?: boolean }) => {
          // The plan's tenant, from its preview; a plan that was started or has expired says so in words.
          const planned = await s.call('bulk:plan-summary', { planId });
          const t = await s.tenant(planned.tenantId);
          const job = await s.call('bulk:start', { planId, guard: s.guard(t, o) });
          out.note(`Job ${job.id} started: ${job.changeLabel} — ${n(job.counts.total)} users on ${t.label}.`);
          if (o.detach) {
            out.document(job);
            out.say(job.id);
            return EXIT.ok;
          }
          return followJob(s, out, job.id);
        },
      ),
    );
  bulk
    .command('list')
    .description('every job, newest first, with its state (running, paused, interrupted, finished)')
    .option('--tenant <tenant>', 'only this tenant’s')
    .action(
      withSession(async (s, out, o: { tenant?: string }) => {
        const tenantId = o.tenant ? (await s.tenant(o.tenant)).id : undefined;
        const jobs = (await s.call('tasks:list', tenantId ? { tenantId } : {})).filter(
          (t) => t.kind === 'bulk',
        );
        out.document(jobs.map(jobOf));
        out.say(
          jobs.length
            ? table([
                ['JOB', 'PLAN', 'STATUS', 'DONE', 'TENANT', 'CHANGE'],
                ...jobs.map((t) => {
                  const j = jobOf(t);
                  return [
                    j.id,
                    j.planId ?? '',
                    j.status,
                    `${n(j.counts.total - j.counts.remaining)}/${n(j.counts.total)}`,
                    j.tenantDomain,
                    j.changeLabel,
                  ];
                }),
              ])
            : 'No bulk job yet.',
        );
      }),
    );
  bulk
    .command('status')
    .argument('<job>', 'the job id, or the plan id it was run from')
    .description('where a job stands')
    .action(
      withSession(async (s, out, ref: string) => {
        const t = await s.task(ref);
        const j = jobOf(t);
        out.document(j);
        printJob(out, j, t);
        return exitOfJob(j);
      }),
    );
  bulk
    .command('resume')
    .argument('<job>', 'the job id, or the plan id it was run from')
    .description('resumes a paused or interrupted job and follows it (what was in flight is read back first)')
    .action(
      withSession(async (s, out, ref: string) => {
        const t = await s.task(ref);
        await s.call('tasks:control', { taskId: t.id, action: 'resume' });
        return followJob(s, out, t.id);
      }),
    );
  bulk
    .command('undo')
    .argument('<job>', 'the job id, or the plan id it was run from')
    .description('plans the inverse of a job (users changed since are skipped), then runs it')
    .option('--confirm <domain>', 'on a production tenant: its domain, typed back')
    .option('--count <n>', 'on a production tenant: the number of users the undo changes', parseCount)
    .option('--plan-only', 'print the undo’s preview and its plan id; run it with bulk run')
    .action(
      withSession(
        async (s, out, ref: string, o: { confirm?: string; count?: number; planOnly?: boolean }) => {
          const t = await s.task(ref);
          const tenant = await s.tenant(t.tenantId!);
          const undo = await s.call('jobs:undo-plan', { jobId: t.id, planId: newId('undo-') });
          printPlan(out, tenant, undo, !!o.planOnly);
          if (o.planOnly || undo.willChange === 0) {
            out.document(undo);
            return EXIT.ok;
          }
          const job = await s.call('bulk:start', { planId: undo.planId, guard: s.guard(tenant, o) });
          out.note(`Undo job ${job.id} started.`);
          return followJob(s, out, job.id);
        },
      ),
    );
  bulk
    .command('results')
    .argument('<job>', 'the job id, or the plan id it was run from')
    .description('each user’s outcome as CSV (password-change links included for that change)')
    .requiredOption('--output <file>', 'where to write the CSV')
    .action(
      withSession(async (s, out, ref: string, o: { output: string }) => {
        const t = await s.task(ref);
        const file = await s.call('tasks:results', { taskId: t.id });
        const path = resolve(o.output);
        s.save(file.id, path);
        out.document({ job: t.id, output: path, bytes: file.bytes });
        out.say(`Results of ${t.id} written to ${path}.`);
      }),
    );

  // ---------------------------------------------------------------- roles
  const roles = program.command('roles').description('roles of a tenant and who holds them');
  roles
    .command('list')
    .description('every role with its description')
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .action(
      withSession(async (s, out, o: { tenant: string }) => {
        const t = await s.tenant(o.tenant);
        const all = [];
        for (let page = 0; ; page++) {
          const r = await s.call('roles:list', { tenantId: t.id, page, perPage: 100 });
          all.push(...r.roles);
          if (r.roles.length < 100 || all.length >= r.total) break;
        }
        out.document(all);
        out.say(
          table([['ID', 'NAME', 'DESCRIPTION'], ...all.map((r) => [r.id, r.name, r.description ?? ''])]),
        );
      }),
    );
  roles
    .command('members')
    .description('every user holding a role (read by checkpoint: no limit)')
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .requiredOption('--role <name>', 'the role’s name or id')
    .addHelpText(
      'after',
      '\nExample:\n  tenant-desk roles members --tenant Acme --role Admin --json > admins.json',
    )
    .action(
      withSession(async (s, out, o: { tenant: string; role: string }) => {
        const t = await s.tenant(o.tenant);
        const roleIdOf = await roleId(s, t, o.role);
        const members = [];
        let from: string | undefined;
        do {
          const r = await s.call('roles:members', {
            tenantId: t.id,
            roleId: roleIdOf,
            take: 100,
            ...(from ? { from } : {}),
          });
          members.push(...r.members);
          from = r.next ?? undefined;
        } while (from);
        out.document(members);
        out.say(
          table([['USER', 'EMAIL', 'NAME'], ...members.map((m) => [m.user_id, m.email ?? '', m.name ?? ''])]),
        );
      }),
    );

  // ---------------------------------------------------------------- import
  program
    .command('import')
    .argument(
      '<file>',
      'the users file: Auth0’s import JSON, NDJSON (its users export too) or CSV; gzipped or not',
    )
    .description(
      'imports users into a database connection; every row is checked first, refused rows are reported',
    )
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .requiredOption('--connection <name>', 'the database connection (name or id)')
    .option('--upsert', 'update users that exist (Auth0 replaces their metadata, it does not merge it)')
    .option(
      '--map <column=field>',
      'CSV: map a column (field, user_metadata.KEY, app_metadata.KEY or ignore)',
      collect,
      [],
    )
    .option('--confirm <domain>', 'on a production tenant: its domain, typed back')
    .option('--count <n>', 'on a production tenant: the number of users in the file, typed back', parseCount)
    .addHelpText(
      'after',
      '\nExample:\n  tenant-desk import --tenant Acme --connection Username-Password-Authentication people.csv --map "First name=given_name"',
    )
    .action(
      withSession(
        async (
          s,
          out,
          file: string,
          o: {
            tenant: string;
            connection: string;
            upsert?: boolean;
            map: string[];
            confirm?: string;
            count?: number;
          },
        ) => {
          const t = await s.tenant(o.tenant);
          const connection = await connectionOf(s, t, o.connection);
          const importId = newId('imp_');
          const mapping = Object.fromEntries(o.map.map((m) => splitPair(m, '--map')));
          const preview = await s.call('imports:prepare', {
            tenantId: t.id,
            importId,
            uploadId: await upload(s, file),
            fileName: basename(file),
            connectionId: connection.connectionId,
            ...(o.map.length ? { mapping } : {}),
          });
          for (const note of preview.notes) out.note(note);
          if (!preview.ready || preview.errorCount) {
            out.document(preview);
            out.note(`${basename(file)}: ${n(preview.errorCount)} rows with problems; nothing was sent.`);
            for (const e of preview.errors)
              out.note(`  row ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
            if (preview.columns && preview.mapping)
              out.note(
                `  columns: ${preview.columns.map((c) => `${c} → ${preview.mapping![c] ?? '?'}`).join(', ')}`,
              );
            return EXIT.failed;
          }
          const started = await s.call('imports:start', {
            importId,
            upsert: !!o.upsert,
            sendCompletionEmail: false,
            guard: s.guard(t, o),
          });
          out.note(
            `Import ${started.importId}: ${n(preview.rows)} users in ${n(preview.chunks)} parts to ${connection.name}.`,
          );
          const end = await s.follow(started.importId, (x) => out.progress(x));
          out.endProgress();
          const summary = (end.detail as { import: ImportSummary }).import;
          const failures = summary.counts.failed
            ? (await s.call('imports:failures', { importId, offset: 0, limit: 500 })).items
            : [];
          out.document({ ...summary, failures });
          out.say(
            `${summary.status}: ${n(summary.counts.inserted)} inserted, ${n(summary.counts.updated)} updated, ${n(summary.counts.failed)} failed.`,
          );
          for (const f of failures)
            out.say(`  row ${f.row ?? '?'}${f.email ? ` ${f.email}` : ''}: ${f.code} ${f.message}`);
          if (end.status !== 'completed') {
            out.note(end.reason ?? `The import is ${end.status}.`);
            return EXIT.failed;
          }
          return summary.counts.failed ? EXIT.someFailed : EXIT.ok;
        },
      ),
    );

  // ---------------------------------------------------------------- audit
  program
    .command('audit')
    .description('the audit log as CSV')
    .option('--tenant <tenant>', 'only this tenant’s entries')
    .option('--since <date>', 'only entries from this date (2026-12-01, or a date and time)')
    .requiredOption('--output <file>', 'where to write the CSV')
    .action(
      withSession(async (s, out, o: { tenant?: string; since?: string; output: string }) => {
        const tenantId = o.tenant ? (await s.tenant(o.tenant)).id : undefined;
        const file = await s.call('audit:export-csv', {
          ...(tenantId ? { tenantId } : {}),
          ...(o.since ? { since: o.since } : {}),
        });
        const path = resolve(o.output);
        s.save(file.id, path);
        out.document({ output: path, bytes: file.bytes });
        out.say(`Audit log written to ${path}.`);
      }),
    );

  // ---------------------------------------------------------------- logs
  program
    .command('logs')
    .description('a tenant’s log events, newest first; --follow tails new ones until Ctrl+C')
    .requiredOption('--tenant <tenant>', 'its label, domain or id')
    .option('--query <q>', 'Auth0’s log query syntax', '')
    .option('--limit <n>', 'at most this many (up to 1,000)', parseCount, 50)
    .option('--follow', 'then print new matching events as they come (a read every 2 s)')
    .action(
      withSession(async (s, out, o: { tenant: string; query: string; limit: number; follow?: boolean }) => {
        const t = await s.tenant(o.tenant);
        const logs = [];
        for (let page = 0; logs.length < Math.min(o.limit, 1000); page++) {
          const r = await s.call('logs:search', { tenantId: t.id, q: o.query, page, perPage: 100 });
          logs.push(...r.logs);
          if (r.logs.length < 100) break;
        }
        const shown = logs.slice(0, o.limit);
        const line = (l: (typeof shown)[number]) =>
          [
            l.date,
            l.type,
            l.user_name ?? l.user_id ?? '',
            l.client_name ?? '',
            l.ip ?? '',
            l.description ?? '',
          ].join('  ');
        if (!o.follow) {
          out.document(shown);
          for (const l of shown) out.say(line(l));
          return;
        }
        // Following: JSON lines in --json mode (one event a line), words otherwise.
        const emit = (l: (typeof shown)[number]) =>
          out.json ? io.stdout.write(`${JSON.stringify(l)}\n`) : io.stdout.write(`${line(l)}\n`);
        for (const l of [...shown].reverse()) emit(l);
        let from = shown[0]?.log_id;
        let stop = false;
        const onSignal = () => (stop = true);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          while (!stop) {
            await new Promise((r) => setTimeout(r, 2000));
            if (stop) break;
            const r = await s.call('logs:checkpoint', {
              tenantId: t.id,
              q: o.query,
              take: 100,
              ...(from ? { from } : {}),
            });
            for (const l of r.logs) emit(l);
            if (r.next) from = r.next;
            else if (r.logs.length) from = r.logs[r.logs.length - 1]!.log_id;
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );

  // An example under every command's help (those above that have none of their own).
  const EXAMPLES: Record<string, string> = {
    'tenants list': 'tenant-desk tenants list --json',
    'tenants test': 'tenant-desk tenants test Acme',
    'tenants remove': 'tenant-desk tenants remove "Acme prod" --confirm acme.eu.auth0.com',
    'snapshot list': 'tenant-desk snapshot list',
    'snapshot search':
      "tenant-desk snapshot search snap_0123456789abcdef --query 'blocked:true' --fields user_id,email",
    'snapshot compare':
      'tenant-desk snapshot compare snap_0123456789abcdef snap_fedcba9876543210 --output changes.csv',
    'snapshot delete': 'tenant-desk snapshot delete snap_0123456789abcdef',
    'bulk run': 'tenant-desk bulk run plan-1a2b3c4d5e6f7a8b --confirm acme.eu.auth0.com --count 1200',
    'bulk list': 'tenant-desk bulk list --tenant Acme',
    'bulk status': 'tenant-desk bulk status plan-1a2b3c4d5e6f7a8b',
    'bulk resume': 'tenant-desk bulk resume plan-1a2b3c4d5e6f7a8b',
    'bulk undo': 'tenant-desk bulk undo job_0123456789abcdef --confirm acme.eu.auth0.com --count 1200',
    'bulk results': 'tenant-desk bulk results job_0123456789abcdef --output outcomes.csv',
    'roles list': 'tenant-desk roles list --tenant Acme --json',
    audit: 'tenant-desk audit --tenant Acme --since 2026-12-01 --output audit.csv',
    logs: "tenant-desk logs --tenant Acme --query 'type:f' --follow",
  };
  const walk = (c: Command, path: string[]): void => {
    for (const sub of c.commands) {
      const name = [...path, sub.name()].join(' ');
      if (EXAMPLES[name]) sub.addHelpText('after', `\nExample:\n  ${EXAMPLES[name]}`);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    out.endProgress();
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; a usage error has been printed by commander.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      if (out.json) out.document({ error: err.error ?? { code: 'usage', message: err.message } });
      io.stderr.write(`tenant-desk: ${err.message}\n`);
      return err.exitCode;
    }
    const message = (err as Error)?.message ?? String(err);
    if (out.json) out.document({ error: { code: 'failed', message } });
    io.stderr.write(`tenant-desk: ${message}\n`);
    return EXIT.failed;
  }

  // ---------------------------------------------------------------- helpers (closures over io)

  async function followJob(s: Session, out: Output, jobId: string): Promise<number> {
    // Ctrl+C (or a TERM from a scheduler) pauses the job where it is; `bulk resume` goes on with it.
    let pausing = false;
    const pause = () => {
      if (pausing) return;
      pausing = true;
      out.note('Pausing the job (what is in flight finishes)…');
      void s.call('tasks:control', { taskId: jobId, action: 'pause' }).catch(() => undefined);
    };
    process.once('SIGINT', pause);
    process.once('SIGTERM', pause);
    try {
      const end = await s.follow(jobId, (t) => out.progress(t));
      out.endProgress();
      const j = jobOf(end);
      out.document(j);
      printJob(out, j, end);
      return exitOfJob(j);
    } finally {
      process.off('SIGINT', pause);
      process.off('SIGTERM', pause);
    }
  }
}

// ---------------------------------------------------------------- pure helpers

interface PlanOptions {
  tenant: string;
  query?: string;
  ids?: string;
  setAppMetadata: string[];
  setUserMetadata: string[];
  removeAppMetadata: string[];
  removeUserMetadata: string[];
  addRole: string[];
  removeRole: string[];
  block?: boolean;
  unblock?: boolean;
  bruteForceUnblock?: boolean;
  markVerified?: boolean;
  verificationEmail?: boolean;
  mfaReset?: boolean;
  forgetBrowsers?: boolean;
  passwordLink?: boolean | string;
  delete?: boolean;
  logQuery?: string;
  revokeSessions?: boolean;
  revokeRefreshTokens?: boolean;
  revokeGrants?: boolean;
  signOut?: boolean;
}

/** The one change the options ask for (a bulk job makes one kind of change). */
async function changeOf(s: Session, t: TenantProfile, o: PlanOptions): Promise<BulkChange> {
  const kinds: BulkChange[] = [];
  const app = o.setAppMetadata.length + o.removeAppMetadata.length > 0;
  const user = o.setUserMetadata.length + o.removeUserMetadata.length > 0;
  if (app && user)
    throw new CliError('A job changes app_metadata or user_metadata, not both: make two plans.', EXIT.usage);
  if (app || user) {
    const set = Object.fromEntries(
      (app ? o.setAppMetadata : o.setUserMetadata).map((pair) => {
        const [k, v] = splitPair(pair, app ? '--set-app-metadata' : '--set-user-metadata');
        return [k, jsonOrText(v)];
      }),
    );
    kinds.push({
      kind: 'metadata',
      metadata: app ? 'app_metadata' : 'user_metadata',
      set,
      remove: app ? o.removeAppMetadata : o.removeUserMetadata,
    });
  }
  if (o.addRole.length || o.removeRole.length)
    kinds.push({
      kind: 'roles',
      add: await Promise.all(o.addRole.map((r) => roleId(s, t, r))),
      remove: await Promise.all(o.removeRole.map((r) => roleId(s, t, r))),
    });
  if (o.block) kinds.push({ kind: 'block' });
  if (o.unblock) kinds.push({ kind: 'unblock' });
  if (o.bruteForceUnblock) kinds.push({ kind: 'brute-force-unblock' });
  if (o.markVerified) kinds.push({ kind: 'mark-verified' });
  if (o.verificationEmail) kinds.push({ kind: 'verification-email' });
  if (o.mfaReset) kinds.push({ kind: 'mfa-reset' });
  if (o.forgetBrowsers) kinds.push({ kind: 'forget-browsers' });
  if (o.passwordLink !== undefined) {
    const hours = o.passwordLink === true ? 24 : Number(o.passwordLink);
    if (!Number.isFinite(hours) || hours <= 0)
      throw new CliError('--password-link takes a number of hours.', EXIT.usage);
    kinds.push({ kind: 'password-link', ttlSec: Math.round(hours * 3600) });
  }
  if (o.delete) kinds.push({ kind: 'delete' });
  if (o.revokeSessions) kinds.push({ kind: 'revoke-sessions' });
  if (o.revokeRefreshTokens) kinds.push({ kind: 'revoke-refresh-tokens' });
  if (o.revokeGrants) kinds.push({ kind: 'revoke-grants' });
  if (o.signOut) kinds.push({ kind: 'sign-out-everywhere' });
  if (kinds.length !== 1)
    throw new CliError(
      kinds.length
        ? 'One change a job: metadata keys, roles, --block, --unblock, … — not several. Make one plan each.'
        : 'Say what to change: --set-app-metadata k=v, --remove-user-metadata k, --add-role NAME, --block, … (bulk plan --help).',
      EXIT.usage,
    );
  return kinds[0]!;
}

async function roleId(s: Session, t: TenantProfile, name: string): Promise<string> {
  const r = await s.call('roles:search', { tenantId: t.id, nameFilter: name.slice(0, 100) });
  const exact = r.roles.filter((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
  if (exact.length === 1) return exact[0]!.id;
  throw new CliError(
    exact.length
      ? `"${name}" names ${exact.length} roles: use its id (${exact.map((x) => x.id).join(', ')}).`
      : `No role "${name}" on ${t.label}.`,
    EXIT.usage,
  );
}

async function connectionOf(
  s: Session,
  t: TenantProfile,
  ref: string,
): Promise<{ connectionId: string; name: string }> {
  const list = await s.call('connections:list', { tenantId: t.id });
  const c = list.find((x) => x.id === ref || x.name.toLowerCase() === ref.toLowerCase());
  if (!c)
    throw new CliError(
      `No connection "${ref}" on ${t.label}: ${list.map((x) => x.name).join(', ')}.`,
      EXIT.usage,
    );
  return { connectionId: c.id, name: c.name };
}

/** A file handed to the app as the window hands one over (uploads:*), in pieces; the app removes it once used. */
async function upload(s: Session, file: string): Promise<string> {
  if (!existsSync(file)) throw new CliError(`No file ${file}.`, EXIT.usage);
  const bytes = statSync(file).size;
  if (bytes === 0) throw new CliError(`${file} is empty.`, EXIT.usage);
  const { uploadId } = await s.call('uploads:begin', { name: basename(file).slice(0, 260), bytes });
  let offset = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 3 * 1024 * 1024 })) {
    const buf = chunk as Buffer;
    await s.call('uploads:chunk', { uploadId, offset, data: buf.toString('base64') });
    offset += buf.length;
  }
  await s.call('uploads:finish', { uploadId });
  return uploadId;
}

/** Runs an export task to its end (the progress on stderr); a failed or cancelled one is an error. */
async function runExport(
  s: Session,
  out: Output,
  t: TenantProfile,
  o: {
    source: ExportSource;
    fields: ExportField[];
    format: 'csv' | 'ndjson' | 'xlsx' | 'parquet';
    bom: boolean;
    keepSnapshot: boolean;
    includeOrganizations?: boolean;
    includeRoles?: boolean;
  },
): Promise<ExportStatus> {
  const started = await s.call('exports:start', { tenantId: t.id, exportId: newId('cli-'), ...o });
  const end = await s.follow(started.exportId, (x) => out.progress(x));
  out.endProgress();
  const status = (end.detail as { export: ExportStatus }).export;
  if (end.status !== 'completed' || !status.file)
    throw new CliError(
      status.error?.message ?? end.reason ?? `The export ${end.status}.`,
      EXIT.failed,
      status.error,
    );
  return status;
}

/** Every user matching a query, past the cap: an NDJSON export (the window's way), read back and removed. */
async function exportAll(
  s: Session,
  out: Output,
  t: TenantProfile,
  q: string,
  fields: string[],
): Promise<Auth0User[]> {
  const status = await runExport(s, out, t, {
    source: q ? { kind: 'query', q } : { kind: 'tenant' },
    fields: fields.map((name) => ({ name })),
    format: 'ndjson',
    bom: false,
    keepSnapshot: false,
  });
  const path = join(tmpdir(), `.tenant-desk-${process.pid}-${randomBytes(4).toString('hex')}.ndjson`);
  s.save(status.file!.id, path);
  try {
    const users: Auth0User[] = [];
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity }))
      if (line.trim()) users.push(JSON.parse(line) as Auth0User);
    return users;
  } finally {
    rmSync(path, { force: true });
  }
}

async function secretFromInput(io: Io): Promise<string | null> {
  if (io.env.TENANT_DESK_CLIENT_SECRET) return io.env.TENANT_DESK_CLIENT_SECRET;
  if (io.stdin.isTTY) return null;
  let text = '';
  for await (const chunk of io.stdin) {
    text += chunk.toString();
    if (text.length > 64 * 1024) throw new CliError('The secret on stdin is over 64 KB.', EXIT.usage);
  }
  return text.trim() || null;
}

function jobOf(t: TaskSummary): JobSummary {
  if (t.detail.kind !== 'bulk')
    throw new CliError(`${t.id} is not a bulk job (it is ${t.kind}).`, EXIT.usage);
  return t.detail.job;
}

function exitOfJob(j: JobSummary): number {
  if (j.status === 'completed') return j.counts.failed ? EXIT.someFailed : EXIT.ok;
  if (j.status === 'running') return EXIT.ok;
  return EXIT.failed;
}

function printPlan(out: Output, t: TenantProfile, p: BulkPlanSummary, hint = true): void {
  out.say(`Plan ${p.planId} on ${t.label} (${t.domain}, ${t.environment})`);
  out.say(`  ${p.changeLabel} — ${p.sourceLabel}`);
  out.say(`  ${n(p.willChange)} of ${n(p.total)} users will change; ${n(p.skipped)} skipped`);
  for (const r of p.skipReasons) out.say(`    skipped, ${r.note}: ${n(r.count)}`);
  for (const w of p.warnings) out.say(`  warning: ${n(w.count)} ${w.message}`);
  for (const u of p.unknown.slice(0, 20)) out.say(`  not found: ${u.entry} (${u.reason})`);
  for (const a of p.ambiguous.slice(0, 20))
    out.say(`  ambiguous: ${a.entry} matches ${a.matches.length} users`);
  out.say(p.undoable ? '  It can be undone (bulk undo).' : '  It can’t be undone.');
  if (p.willChange && hint)
    out.say(
      `Run it: tenant-desk bulk run ${p.planId}${t.environment === 'production' ? ` --confirm ${t.domain} --count ${p.willChange}` : ''}`,
    );
}

function printJob(out: Output, j: JobSummary, t: TaskSummary): void {
  const c = j.counts;
  out.say(`Job ${j.id}${j.planId ? ` (plan ${j.planId})` : ''} on ${j.tenantDomain}: ${j.status}`);
  out.say(`  ${j.changeLabel} — ${j.sourceLabel}`);
  out.say(
    `  ${n(c.done)} changed, ${n(c.skipped)} skipped, ${n(c.failed)} failed, ${n(c.unknown)} unknown, ${n(c.cancelled)} cancelled, ${n(c.remaining)} remaining of ${n(c.total)}`,
  );
  if (t.reason && j.status !== 'completed') out.say(`  ${t.reason}`);
  if (j.status === 'paused' || j.status === 'interrupted')
    out.say(`Resume it: tenant-desk bulk resume ${j.planId ?? j.id}`);
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function splitPair(pair: string, option: string): [string, string] {
  const i = pair.indexOf('=');
  if (i <= 0) throw new CliError(`${option} takes KEY=VALUE, got "${pair}".`, EXIT.usage);
  return [pair.slice(0, i), pair.slice(i + 1)];
}

function jsonOrText(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseCount(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 0)
    throw new CommanderError(2, 'tenant-desk.usage', `Not a whole number: ${value}`);
  return x;
}

function pick(u: Auth0User, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, valueAtPath(u, f) ?? null]));
}

function cell(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}
