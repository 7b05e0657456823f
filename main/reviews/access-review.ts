// The access review report of a snapshot (#24), section by section: Summary, Role holders, Flags, Changes since the
// previous snapshot. It reads the snapshots only through SnapshotReader's public methods — every result awaited,
// every list walked with `for await` — so a store that answers asynchronously fits unchanged; changes come from the
// one comparison of snapshots (compareSnapshots), told in the compare view's own words (membershipChangeList). Every
// user is streamed (a count pass, then one query per role and one for the flags), so memory stays bounded whatever
// the snapshot's size; the writer puts each row in the file as it comes.
import {
  membershipChangeList,
  type AccessReviewSummary,
  type CompareItem,
  type MembershipChange,
  type ReviewSnapshotRef,
} from '../../preload/contract.js';
import type { SnapshotMeta } from '../snapshots/snapshot-file.js';
import type { ReportCell, ReportColumn, ReportWriter } from './report-writer.js';

type MaybePromise<T> = T | Promise<T>;
type Users = Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
type Items = Iterable<CompareItem> | AsyncIterable<CompareItem>;

/** What the report reads of a snapshot: the public methods of SnapshotReader, whether they answer now or later. */
export interface ReviewSnapshot {
  readonly meta: MaybePromise<SnapshotMeta>;
  readonly count: MaybePromise<number>;
  query(
    q: string | undefined,
    opts: { offset: number; limit: number },
  ): MaybePromise<{ total: number; users: Record<string, unknown>[] }>;
  matching(q: string | undefined): MaybePromise<Users>;
}

/** The previous snapshot compared with this one over some fields: the changed, added and removed users. */
export type ReviewCompare = (
  fields: string[],
  progress: (done: number, total: number) => void,
) => Promise<() => MaybePromise<Items>>;

export type ReviewStep = 'counting' | 'comparing' | 'holders' | 'flags' | 'changes';
export interface ReviewProgress {
  step: ReviewStep;
  done: number;
  total: number;
}

export interface ReviewRun {
  current: ReviewSnapshot;
  previous: ReviewSnapshot | null;
  /** Compares `previous` with `current`; given with a previous snapshot. */
  compare: ReviewCompare | null;
  /** The privileged roles; none: every role held. */
  roles: string[];
  inactiveDays: number;
  writer: ReportWriter;
  progress(p: ReviewProgress): void;
  /** Whether the report was asked to stop; it then throws `cancelled()`. */
  stopped(): boolean;
  cancelled(): Error;
  generatedAt: Date;
}

const DAY_MS = 86_400_000;
/** Users between two checks for a stop (and a turn of the event loop, so the stop can arrive). */
const CHECK_EVERY = 2000;

export const HOLDER_COLUMNS: ReportColumn[] = [
  { header: 'role', width: 22 },
  { header: 'user_id', width: 30, mono: true },
  { header: 'email', width: 32 },
  { header: 'name', width: 24 },
  { header: 'last_login', width: 26, time: true },
  { header: 'email_verified', width: 14 },
  { header: 'blocked', width: 10 },
  { header: 'organizations', width: 30 },
];
export const FLAG_COLUMNS: ReportColumn[] = [
  { header: 'user_id', width: 30, mono: true },
  { header: 'email', width: 32 },
  { header: 'name', width: 24 },
  { header: 'flags', width: 40 },
  { header: 'roles', width: 28 },
  { header: 'last_login', width: 26, time: true },
  { header: 'days_since_login', width: 16 },
  { header: 'created_at', width: 26, time: true },
  { header: 'email_verified', width: 14 },
  { header: 'blocked', width: 10 },
];
export const CHANGE_COLUMNS: ReportColumn[] = [
  { header: 'change', width: 24 },
  { header: 'user_id', width: 30, mono: true },
  { header: 'email', width: 32 },
  { header: 'detail', width: 48 },
];
const FACT_COLUMNS: ReportColumn[] = [
  { header: 'item', width: 40 },
  { header: 'value', width: 70 },
];
export const SECTION_TITLES = ['Summary', 'Role holders', 'Flags', 'Changes'] as const;

const CHANGE_WORDS: Record<MembershipChange['kind'], string> = {
  'gained-role': 'gained role',
  'lost-role': 'lost role',
  joined: 'joined organization',
  left: 'left organization',
  'gained-org-role': 'gained organization role',
  'lost-org-role': 'lost organization role',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const n = (x: number) => x.toLocaleString('en');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** The names of the roles a user of a snapshot taken with roles holds (`roles: { <name>: true }`). */
export const rolesHeld = (u: Record<string, unknown>): string[] =>
  isObject(u.roles)
    ? Object.keys(u.roles).filter((r) => u.roles && (u.roles as Record<string, unknown>)[r])
    : [];

/** A user's organizations in words: "acme (Admin, Support), initech". */
function organizationsOf(u: Record<string, unknown>): string {
  if (!isObject(u.organizations)) return '';
  return Object.entries(u.organizations)
    .map(([org, m]) => {
      const roles = isObject(m) && Array.isArray(m.roles) ? m.roles.map(String) : [];
      return roles.length ? `${org} (${roles.join(', ')})` : org;
    })
    .join(', ');
}

/** A snapshot query for the holders of one role (roles: is a field of the snapshot's own search). */
export const roleQuery = (role: string) => `roles:"${role.replace(/["\\]/g, '\\$&')}"`;

async function firstUser(s: ReviewSnapshot): Promise<Record<string, unknown> | undefined> {
  return (await s.query('', { offset: 0, limit: 1 })).users[0];
}

async function describe(s: ReviewSnapshot): Promise<{ meta: SnapshotMeta; ref: ReviewSnapshotRef }> {
  const meta = await s.meta;
  const first = await firstUser(s);
  // An export with roles (or organizations) gives every user the key, `{}` for none: the first user tells.
  return {
    meta,
    ref: {
      id: meta.id,
      tenantLabel: meta.tenantLabel,
      tenantDomain: meta.tenantDomain,
      createdAt: meta.createdAt,
      count: await s.count,
      withRoles: !!first && isObject(first.roles),
      withOrganizations: !!first && isObject(first.organizations),
    },
  };
}

interface Flagged {
  words: string[];
  inactive: boolean;
  never: boolean;
  unverified: boolean;
  blocked: boolean;
  daysSince: number | null;
}

function flagsOf(u: Record<string, unknown>, takenAt: number, cutoff: number): Flagged {
  const last = str(u.last_login);
  const t = last ? Date.parse(last) : NaN;
  const never = Number.isNaN(t);
  const daysSince = never ? null : Math.max(0, Math.floor((takenAt - t) / DAY_MS));
  const inactive = !never && t < cutoff;
  const unverified = u.email_verified === false;
  const blocked = u.blocked === true;
  const words = [
    ...(inactive ? [`inactive ${n(daysSince!)} days`] : []),
    ...(never ? ['never logged in'] : []),
    ...(unverified ? ['email unverified'] : []),
    ...(blocked ? ['blocked'] : []),
  ];
  return { words, inactive, never, unverified, blocked, daysSince };
}

/** Writes the report; resolves with what its Summary says. */
export async function writeAccessReview(run: ReviewRun): Promise<AccessReviewSummary> {
  const { current, previous, writer } = run;
  let seen = 0;
  const tick = async () => {
    if (++seen % CHECK_EVERY !== 0) return;
    // A turn of the event loop: a request to stop (a message) can only arrive between turns.
    await new Promise((resolve) => setImmediate(resolve));
    if (run.stopped()) throw run.cancelled();
  };

  const cur = await describe(current);
  const prev = previous ? await describe(previous) : null;
  const takenAt = Date.parse(cur.meta.createdAt);
  const cutoff = takenAt - run.inactiveDays * DAY_MS;
  const chosen = new Set(run.roles);
  const privilegedOnly = chosen.size > 0;
  const withRoles = cur.ref.withRoles;
  const flagScope: AccessReviewSummary['flagScope'] = withRoles ? 'holders' : 'everyone';
  const reviewed = (role: string) => !privilegedOnly || chosen.has(role);
  const inScope = (u: Record<string, unknown>) => !withRoles || rolesHeld(u).some(reviewed);

  // ---- counting: every user once, for the Summary (which comes first in the file) ----
  const roleCounts = new Map<string, number>();
  let holders = 0;
  const flags = { accounts: 0, inactive: 0, neverLoggedIn: 0, unverified: 0, blocked: 0 };
  const total = cur.ref.count;
  let done = 0;
  run.progress({ step: 'counting', done, total });
  for await (const u of await current.matching('')) {
    await tick();
    done++;
    const held = rolesHeld(u);
    for (const r of held) roleCounts.set(r, (roleCounts.get(r) ?? 0) + 1);
    if (withRoles && held.some(reviewed)) holders++;
    if (inScope(u)) {
      const f = flagsOf(u, takenAt, cutoff);
      if (f.words.length) flags.accounts++;
      if (f.inactive) flags.inactive++;
      if (f.never) flags.neverLoggedIn++;
      if (f.unverified) flags.unverified++;
      if (f.blocked) flags.blocked++;
    }
    if (done % 10_000 === 0) run.progress({ step: 'counting', done, total });
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'en');
  const roles = (privilegedOnly ? [...chosen] : [...roleCounts.keys()])
    .sort(byName)
    .map((name) => ({ name, holders: roleCounts.get(name) ?? 0 }));

  // ---- the comparison with the previous snapshot, over the access both were taken with ----
  let items: (() => MaybePromise<Items>) | null = null;
  let changes: AccessReviewSummary['changes'] = null;
  const relevant = (item: CompareItem) =>
    membershipChangeList(item.fields, item.before, item.after).filter(
      (c) => !('role' in c) || reviewed(c.role),
    );
  if (prev && run.compare) {
    const notes: string[] = [];
    const both = (k: 'withRoles' | 'withOrganizations') => cur.ref[k] && prev.ref[k];
    if (!both('withRoles'))
      notes.push(
        `Roles gained and lost can't be told: ${!cur.ref.withRoles && !prev.ref.withRoles ? 'neither snapshot was' : !cur.ref.withRoles ? 'this snapshot was not' : 'the previous snapshot was not'} taken with roles.`,
      );
    if (!both('withOrganizations') && (cur.ref.withOrganizations || prev.ref.withOrganizations))
      notes.push(
        `Organizations joined and left can't be told: ${!cur.ref.withOrganizations ? 'this snapshot was not' : 'the previous snapshot was not'} taken with organizations.`,
      );
    const fields = [
      ...(both('withRoles') ? ['roles'] : []),
      ...(both('withOrganizations') ? ['organizations'] : []),
    ];
    run.progress({ step: 'comparing', done: 0, total: cur.ref.count + prev.ref.count });
    items = await run.compare(fields, (d, t) => run.progress({ step: 'comparing', done: d, total: t }));
    const c = {
      gainedRole: 0,
      lostRole: 0,
      joinedOrganization: 0,
      leftOrganization: 0,
      organizationRoles: 0,
      added: 0,
      removed: 0,
      notes,
    };
    for await (const item of await items()) {
      await tick();
      if (item.kind === 'added') c.added++;
      else if (item.kind === 'removed') c.removed++;
      else
        for (const change of relevant(item)) {
          if (change.kind === 'gained-role') c.gainedRole++;
          else if (change.kind === 'lost-role') c.lostRole++;
          else if (change.kind === 'joined') c.joinedOrganization++;
          else if (change.kind === 'left') c.leftOrganization++;
          else c.organizationRoles++;
        }
    }
    changes = c;
  }

  const warnings: string[] = [];
  if (!withRoles)
    warnings.push(
      'This snapshot was taken without roles: it cannot say who holds which role. Take a snapshot with roles (the export dialog’s “with each user’s roles”, or --roles on the command line) to review role holders; the flags below cover every user.',
    );
  if (privilegedOnly)
    for (const r of roles.filter((x) => x.holders === 0 && withRoles))
      warnings.push(
        `No one holds the role “${r.name}” in this snapshot (is its name spelt as in the tenant?).`,
      );

  const summary: AccessReviewSummary = {
    snapshot: cur.ref,
    previous: prev?.ref ?? null,
    roles,
    privilegedOnly,
    inactiveDays: run.inactiveDays,
    inactiveBefore: new Date(cutoff).toISOString(),
    holders,
    flagScope,
    flags,
    changes,
    warnings,
  };

  // ---- Summary ----
  await writer.section({ title: SECTION_TITLES[0], notes: [], warnings, columns: FACT_COLUMNS, facts: true });
  for (const row of summaryRows(summary, cur.meta, prev?.meta ?? null, run.generatedAt))
    await writer.row(row);

  // ---- Role holders ----
  run.progress({ step: 'holders', done: 0, total: holders });
  await writer.section({
    title: SECTION_TITLES[1],
    notes: withRoles
      ? [
          privilegedOnly
            ? `The holders of the privileged roles chosen: ${roles.map((r) => r.name).join(', ')}.`
            : `The holders of every role held in this snapshot (${plural(roles.length, 'role')}).`,
        ]
      : [],
    warnings: withRoles ? [] : ['This snapshot was taken without roles: there are no role holders to list.'],
    columns: HOLDER_COLUMNS,
    tableColumn: 0,
  });
  let written = 0;
  if (withRoles)
    for (const role of roles) {
      await writer.table(
        `${role.name} — ${plural(role.holders, 'holder')}`,
        'No one holds this role in the snapshot.',
      );
      for await (const u of await current.matching(roleQuery(role.name))) {
        await tick();
        if (!rolesHeld(u).includes(role.name)) continue;
        await writer.row([
          role.name,
          str(u.user_id),
          str(u.email),
          str(u.name),
          str(u.last_login),
          bool(u.email_verified),
          u.blocked === true,
          organizationsOf(u) || null,
        ]);
        if (++written % 5000 === 0) run.progress({ step: 'holders', done: written, total: holders });
      }
    }

  // ---- Flags ----
  run.progress({ step: 'flags', done: 0, total: flags.accounts });
  await writer.section({
    title: SECTION_TITLES[2],
    notes: [
      `${flagScope === 'holders' ? `Accounts holding ${privilegedOnly ? 'a privileged role chosen' : 'any role'}` : 'Every user (this snapshot has no roles)'}: inactive (no login in the ${n(run.inactiveDays)} days before the snapshot was taken, ${cur.meta.createdAt.slice(0, 10)}), never logged in, email unverified, or blocked.`,
    ],
    columns: FLAG_COLUMNS,
  });
  await writer.table('Flagged accounts', 'No account is flagged.');
  // Only the privileged roles' holders are read when roles were chosen (one query); else every user.
  const scope = privilegedOnly && withRoles ? roles.map((r) => roleQuery(r.name)).join(' OR ') : '';
  written = 0;
  for await (const u of await current.matching(scope)) {
    await tick();
    if (!inScope(u)) continue;
    const f = flagsOf(u, takenAt, cutoff);
    if (!f.words.length) continue;
    await writer.row([
      str(u.user_id),
      str(u.email),
      str(u.name),
      f.words.join(', '),
      rolesHeld(u).join(', ') || null,
      str(u.last_login),
      f.daysSince,
      str(u.created_at),
      bool(u.email_verified),
      u.blocked === true,
    ]);
    if (++written % 5000 === 0) run.progress({ step: 'flags', done: written, total: flags.accounts });
  }

  // ---- Changes ----
  run.progress({ step: 'changes', done: 0, total: 0 });
  await writer.section({
    title: SECTION_TITLES[3],
    notes: !prev
      ? ['No previous snapshot was chosen: choose one to see what changed since.']
      : [
          `Since the snapshot of ${prev.meta.tenantLabel} taken ${prev.meta.createdAt} (${prev.meta.id}): roles gained and lost${privilegedOnly ? ' (the privileged ones chosen)' : ''}, organizations joined and left, users added and removed.`,
        ],
    warnings: changes?.notes ?? [],
    columns: CHANGE_COLUMNS,
  });
  await writer.table('Changes', prev ? 'Nothing changed.' : 'No previous snapshot.');
  if (items)
    for await (const item of await items()) {
      await tick();
      const user = item.kind === 'removed' ? item.before : item.after;
      const email = item.email ?? str(user?.email);
      if (item.kind !== 'changed') {
        const held = user ? rolesHeld(user) : [];
        await writer.row([
          item.kind === 'added' ? 'user added' : 'user removed',
          item.userId,
          email,
          held.length ? `${item.kind === 'added' ? 'holds' : 'held'} ${held.join(', ')}` : null,
        ]);
        continue;
      }
      for (const change of relevant(item))
        await writer.row([CHANGE_WORDS[change.kind], item.userId, email, change.words]);
    }

  await writer.finish();
  return summary;
}

function summaryRows(
  s: AccessReviewSummary,
  meta: SnapshotMeta,
  prevMeta: SnapshotMeta | null,
  generatedAt: Date,
): ReportCell[][] {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const rows: ReportCell[][] = [
    ['Tenant', `${meta.tenantLabel}${meta.tenantDomain ? ` (${meta.tenantDomain})` : ''}`],
    ['Environment', meta.environment ?? 'unknown'],
    ['Snapshot', meta.id],
    ['Snapshot taken', meta.createdAt],
    ['What the snapshot holds', `${meta.sourceLabel}${meta.query ? ` (${meta.query})` : ''}`],
    ['Users in the snapshot', s.snapshot.count],
    ['Taken with roles', yes(s.snapshot.withRoles)],
    ['Taken with organizations', yes(s.snapshot.withOrganizations)],
    [
      'Previous snapshot',
      prevMeta && s.previous
        ? `${prevMeta.id}, taken ${prevMeta.createdAt} (${n(s.previous.count)} users; roles: ${yes(s.previous.withRoles)}, organizations: ${yes(s.previous.withOrganizations)})`
        : 'none chosen',
    ],
    [
      'Roles reviewed',
      !s.snapshot.withRoles
        ? 'none (the snapshot has no roles)'
        : s.privilegedOnly
          ? `the privileged roles chosen: ${s.roles.map((r) => r.name).join(', ')}`
          : `every role held (${plural(s.roles.length, 'role')})`,
    ],
    ...s.roles.map((r): ReportCell[] => [`Holders of ${r.name}`, r.holders]),
    ['Accounts holding a reviewed role', s.snapshot.withRoles ? s.holders : 'unknown (no roles)'],
    [
      'Inactive means',
      `no login in the ${n(s.inactiveDays)} days before the snapshot was taken (last login before ${s.inactiveBefore})`,
    ],
    ['Flags cover', s.flagScope === 'holders' ? 'accounts holding a reviewed role' : 'every user (no roles)'],
    ['Flagged accounts', s.flags.accounts],
    ['Inactive', s.flags.inactive],
    ['Never logged in', s.flags.neverLoggedIn],
    ['Email unverified', s.flags.unverified],
    ['Blocked', s.flags.blocked],
  ];
  if (s.changes)
    rows.push(
      ['Roles gained', s.changes.gainedRole],
      ['Roles lost', s.changes.lostRole],
      ['Organizations joined', s.changes.joinedOrganization],
      ['Organizations left', s.changes.leftOrganization],
      ['Organization roles gained or lost', s.changes.organizationRoles],
      ['Users added', s.changes.added],
      ['Users removed', s.changes.removed],
    );
  else rows.push(['Changes', 'no previous snapshot chosen']);
  rows.push(['Report made', generatedAt.toISOString()]);
  return rows;
}
