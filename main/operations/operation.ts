// An operation is one kind of write to a tenant, declared once as an object: its input, its risk for the production
// guard, what the tenant's grant must allow, its audit name, whether it may be sent twice, how it reads the state it
// changes, how it is applied, how a write of it is read back after a crash, and — where bulk edits offer it — how it is
// planned for one user, what its journal keeps and how it is undone. The registry (registry.ts) lists them; the write
// path (write-path.ts), the guard, the capability map, bulk jobs, undo, audit recovery and the window's choices read
// them from there. Nothing else knows what an operation does.
import type { ManagementClient } from 'auth0';
import type { z } from 'zod';
import type {
  AuditEntry,
  AuditResolution,
  Auth0User,
  BulkChange,
  BulkChangeKind,
  Capability,
  GuardAnswer,
  WriteChannel,
} from '../../preload/contract.js';
import type { TenantConnection } from '../auth0/tenant-connection.js';
import { AppError } from '../errors.js';
import type { StoredProfile } from '../tenants/profile-store.js';

/** What an operation may use: the tenant it was made for, and nothing else. */
export interface TenantApi {
  profile: StoredProfile;
  connection: TenantConnection;
  management: ManagementClient;
}

/** Every operation's input names its tenant; a write from the window carries the guard's answer too. */
export interface OperationInput {
  tenantId: string;
  guard?: GuardAnswer;
}

/**
 * Thrown by an operation's before-read when the write must not be sent after all (a bulk job's user changed since the
 * plan, or is already as asked): nothing was sent, so nothing is audited; the caller records why it skipped.
 */
export class SkipWrite extends AppError {
  constructor(
    message: string,
    /** The user's state as read, for the job's results. */
    readonly now?: unknown,
  ) {
    super('conflict', message);
  }
}

/** What a read-back found, with what it saw in words where that helps the reader of the audit log. */
export interface ReadBack {
  resolution: AuditResolution;
  detail?: string;
  /** What the tenant showed (the user as read), for a job's journal. */
  seen?: unknown;
}

/** A pending entry as a read-back sees it. */
export type PendingWrite = Pick<AuditEntry, 'target' | 'before' | 'intent' | 'time'>;

/** An operation whose effect leaves nothing to read (an email, a link) says why, in words for the audit log. */
export interface CannotReadBack {
  cannot: string;
}

/** One user's concrete write in a bulk plan: an operation by name and its parameters (the input less tenant and user). */
export interface OpCall {
  name: string;
  params: Record<string, unknown>;
}

/** What a bulk change means for one user: the write to send, or why nothing is sent. */
export interface ItemPlan {
  /** null: nothing to send (the note says why). */
  op: OpCall | null;
  note?: string;
  before?: unknown;
  after?: unknown;
}

/** Who holds which of the roles a change adds or removes (read from the roles' member lists). */
export type RoleMembers = Map<string, Set<string>>;

/** A user as an undo plan finds it now. */
export interface UserNow {
  user: Auth0User | null;
  roles?: string[];
}

/** A line of a bulk plan as the operation sees it when it runs (after is what the plan expected). */
export interface PlannedLine {
  u: string;
  b?: unknown;
  a?: unknown;
}

/** An operation's part in bulk edits. */
export interface BulkPart<I, B, R> {
  /** The bulk form's change kinds this operation carries out (block and unblock are one operation). */
  kinds: readonly BulkChangeKind[];
  /** The parameters a plan line holds, checked when a plan is read back from disk. */
  params: z.ZodType<Record<string, unknown>>;
  /** What the change means for this user as read: the exact write (only what differs), or why nothing is sent. */
  plan(change: BulkChange, user: Auth0User, members: RoleMembers): ItemPlan;
  /** The roles whose members planning must read first. */
  roles?(change: BulkChange): string[];
  /**
   * The organizations whose members planning must read first, with each member's organization roles: the plan's
   * map holds them as `org:<id>` and `org:<id>:role:<role id>` (see operations/org/members.ts).
   */
  orgs?(change: BulkChange): string[];
  /** Roles the change names without reading their members (organization roles): named in the plan. */
  roleNamesOf?(change: BulkChange): string[];
  /** The before-state the plan already read, so the write does not read it again (a deletion's whole user). */
  beforeFromPlan?(line: PlannedLine): B;
  /** Nothing to do once read (no brute-force block, no MFA factor): the user is skipped with these words. */
  skipIf?(before: B): string | null;
  /** What the journal keeps after the write (undo compares it with the user later); result: what apply returned or a read-back saw. */
  after?(result: R | undefined, input: I, line: PlannedLine): unknown;
  /** A credential the write returned (a password-change link): kept in memory for the results file, never on disk. */
  credential?(result: R): { ticket: string; expiresAt: string };
  /** The write that undoes one done user, given that user now — or why it can't be undone. Absent: not undoable. */
  inverse?(call: OpCall, before: unknown, after: unknown, now: UserNow): ItemPlan;
}

export interface Operation<I extends OperationInput = OperationInput, B = unknown, R = unknown> {
  /** Its one name: the registry's key, recorded with each pending write and in each bulk plan line. */
  name: string;
  /** The input as the bridge hands it over (the channel's schema); bulk plan lines add what the plan expected. */
  input: z.ZodType;
  /** The contract channel whose risk the production guard judges it by (it may depend on the input). */
  risk: WriteChannel | ((input: I) => WriteChannel);
  /** What the tenant's grant must allow: the capability map turns it into Management API scopes. */
  needs: Capability;
  /** The audit log's name for it, e.g. `user.block`. */
  action: string | ((input: I) => string);
  target(input: I): string | null;
  /** Sending it twice has the effect of sending it once: safe to repeat after a 5xx, a timeout or a lost answer. */
  mayRepeat: boolean;
  /** A write made for many users at once (a part of an import): how many, for the production guard's count. */
  guardCount?(input: I): number;
  /**
   * Reads what the write needs to know first and what undoing it needs (its plan for one user); audited as its
   * before-state. May refuse with SkipWrite (changed since planned or shown) or an AppError.
   */
  before?(api: TenantApi, input: I): Promise<B>;
  apply(api: TenantApi, input: I, before: B): Promise<R>;
  audit?: { before?(before: B, input: I): unknown; after?(result: R, input: I, before: B): unknown };
  /**
   * What the write means to do, recorded with its pending audit entry (never a password or a link): what readBack
   * compares the tenant with after a crash. `before` is absent when a bulk job reads back a write it sent.
   */
  intent?(input: I, before: B | undefined): unknown;
  /** After Tenant Desk stopped while this write was being sent: whether the tenant shows it applied. */
  readBack: ((api: TenantApi, entry: PendingWrite) => Promise<ReadBack>) | CannotReadBack;
  bulk?: BulkPart<I, B, R>;
}

/** The audit name of an operation for an input. */
export function actionOf<I>(op: { action: string | ((input: I) => string) }, input: I): string {
  return typeof op.action === 'function' ? op.action(input) : op.action;
}

/** The channel an operation's risk is judged by, for an input. */
export function riskOf<I>(op: { risk: WriteChannel | ((input: I) => WriteChannel) }, input: I): WriteChannel {
  return typeof op.risk === 'function' ? op.risk(input) : op.risk;
}

/**
 * Declares an operation with its types checked and its input types inferred. Single-user writes take the channel's
 * input; a bulk job calls the same object with a plan line's parameters.
 */
export function operation<I extends OperationInput, B = undefined, R = unknown>(
  op: Operation<I, B, R>,
): Operation<I, B, R> {
  return op;
}
