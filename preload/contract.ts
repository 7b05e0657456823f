// The single typed contract between the renderer and main, merged from one slice per feature (preload/contract/):
// channels named `area:verb`, each with its zod input, its output type and — for a write — the risk the production
// guard judges it by; and the events main sends. Auth0's own rules live in contract/rules.ts. It imports nothing but
// zod and its slices, so the renderer, the preload and main can all depend on it.
import type { z } from 'zod';
import { accessChannels } from './contract/access.js';
import { appChannels } from './contract/app.js';
import { auditChannels } from './contract/audit.js';
import { bulkChannels } from './contract/bulk.js';
import { crossChannels } from './contract/cross.js';
import { exportsChannels } from './contract/exports.js';
import { importsChannels } from './contract/imports.js';
import { insightsChannels } from './contract/insights.js';
import { logsChannels } from './contract/logs.js';
import { organizationsChannels } from './contract/organizations.js';
import { rolesChannels } from './contract/roles.js';
import type { Environment, GuardAnswer, GuardLevel, Result, WriteRisk } from './contract/shared.js';
import { reviewsChannels } from './contract/reviews.js';
import { snapshotsChannels } from './contract/snapshots.js';
import { tasksChannels, type TaskSummary } from './contract/tasks.js';
import {
  tenantsChannels,
  type Capability,
  type LocalTenantStatus,
  type TenantProfile,
} from './contract/tenants.js';
import { usersChannels } from './contract/users.js';

export * from './contract/rules.js';
export * from './contract/shared.js';
export * from './contract/app.js';
export * from './contract/tenants.js';
export * from './contract/audit.js';
export * from './contract/users.js';
export * from './contract/access.js';
export * from './contract/organizations.js';
export * from './contract/logs.js';
export * from './contract/bulk.js';
export * from './contract/exports.js';
export * from './contract/snapshots.js';
export * from './contract/roles.js';
export * from './contract/imports.js';
export * from './contract/cross.js';
export * from './contract/tasks.js';
export * from './contract/insights.js';
export * from './contract/memberships.js';
export * from './contract/reviews.js';

// ---------- channels ----------

export const channels = {
  ...appChannels,
  ...tenantsChannels,
  ...auditChannels,
  ...usersChannels,
  ...accessChannels,
  ...organizationsChannels,
  ...logsChannels,
  ...bulkChannels,
  ...rolesChannels,
  ...importsChannels,
  ...crossChannels,
  ...exportsChannels,
  ...snapshotsChannels,
  ...reviewsChannels,
  ...tasksChannels,
  ...insightsChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Channels[C]['output'];
export const channelNames = Object.keys(channels) as ChannelName[];

// ---------- the tenant a request is bound to ----------

/** The channels bound to one tenant: those that declare where their input names it. */
export type TenantChannel = {
  [C in ChannelName]: Channels[C] extends { tenant: (input: never) => string } ? C : never;
}[ChannelName];

/**
 * Compile-time check: a channel whose input always names a tenant declares `tenant`, and what it declares takes that
 * input. A channel that breaks either rule shows up here by name.
 */
type TenantDeclarationProblem = {
  [C in ChannelName]: Channels[C] extends { tenant: (input: infer I) => string }
    ? ChannelParsedInput<C> extends I
      ? never
      : C
    : ChannelParsedInput<C> extends { tenantId: string }
      ? C
      : never;
}[ChannelName];
const tenantDeclarationsHold: [TenantDeclarationProblem] extends [never]
  ? true
  : `the tenant of ${TenantDeclarationProblem}: declare it, or make it fit the input` = true;
/** True, or the build fails naming the channel whose tenant isn't declared (see above). */
export const tenantDeclarationsChecked = tenantDeclarationsHold;

/** The tenant a valid request is bound to, or null for a channel that isn't bound to one. */
export function tenantOf<C extends ChannelName>(channel: C, input: ChannelParsedInput<C>): string | null {
  const declared = (channels[channel] as { tenant?: (input: ChannelParsedInput<C>) => string }).tenant;
  return declared ? declared(input) : null;
}

// ---------- the production guard: one policy, used by the window and enforced again by main ----------

/** The channels that change a tenant (or the profile that points at one): those that declare a risk. */
export type WriteChannel = {
  [C in ChannelName]: Channels[C] extends { risk: (input: never) => WriteRisk } ? C : never;
}[ChannelName];
export const writeChannels = channelNames.filter((c) => 'risk' in channels[c]) as WriteChannel[];

/** What a write channel's risk is judged from (its input, or the part of it that matters). */
export type RiskInput<C extends WriteChannel> = Parameters<Channels[C]['risk']>[0];

/**
 * The channels that write to a tenant (those whose operation needs a capability of its grant, and the starts of bulk
 * jobs and imports): each may carry a `reason` beside its input, and a tenant set to require one refuses it without.
 * The console's own profile channels (tenants:*) don't.
 */
export const reasonChannels = writeChannels.filter((c) => !c.startsWith('tenants:'));
export const takesReason = (channel: string): channel is WriteChannel =>
  (reasonChannels as string[]).includes(channel);

/** What a write channel's operation needs the tenant's grant to allow (none for writes to the console's own profiles). */
export function needsOf(channel: WriteChannel): Capability | undefined {
  return (channels[channel] as { needs?: Capability }).needs;
}

/** What the production guard asks before this write on a tenant of this environment. */
export function guardLevel<C extends WriteChannel>(
  channel: C,
  environment: Environment,
  input: RiskInput<C>,
): GuardLevel {
  if (environment !== 'production') return 'none';
  const risk = (channels[channel].risk as (i: RiskInput<C>) => WriteRisk)(input);
  return risk === 'bulk'
    ? 'typed-domain-and-count'
    : risk === 'destructive'
      ? 'typed-domain'
      : risk === 'write'
        ? 'confirm'
        : 'none';
}

/**
 * Whether a guard answer satisfies a level for a tenant's domain (and, for a bulk job, the number of users it
 * changes); the same check in the window and in main.
 */
export function guardSatisfied(
  level: GuardLevel,
  domain: string,
  answer: GuardAnswer,
  count?: number,
): boolean {
  if (level === 'none') return true;
  if (!answer?.confirmed) return false;
  if (level === 'confirm') return true;
  const domainOk = (answer.typedDomain ?? '').trim().toLowerCase() === domain.toLowerCase();
  if (level === 'typed-domain') return domainOk;
  return domainOk && count !== undefined && answer.typedCount === count;
}

// ---------- events (main → renderer), declared once ----------

const event = <Payload>() => ({}) as Payload;

export const events = {
  'tenants:changed': event<{ tenants: TenantProfile[] }>(),
  'local-tenant:changed': event<LocalTenantStatus>(),
  /** A tenant's request queue stopped moving (the scheduler's watchdog); shown until it moves again. */
  'tenants:stalled': event<{ tenantId: string; queued: number; inFlight: number; seconds: number }>(),
  /** Finding the users of a plan: a phase in words and how far along it is. */
  'bulk:planning': event<{ planId: string; phase: string; done: number; total: number | null }>(),
  /** A task's progress (a bulk job, an import, an export…), a few times a second at most; every change of status. */
  'task:progress': event<TaskSummary>(),
};
export type Events = typeof events;
export type EventName = keyof Events;
export const eventNames = Object.keys(events) as EventName[];

/** The one object the preload (or the browser host's client) puts on `window.tenantDesk`. */
export interface TenantDeskApi {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
