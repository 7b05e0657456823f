// A bulk edit being prepared, per tenant: who (the picked rows, every match of a query, or a pasted list or file),
// what (the change), and the plan main worked out — nothing is sent until the plan is started.
import { create } from 'zustand';
import type {
  BulkChange,
  BulkChangeKind,
  BulkPlanItem,
  BulkPlanSummary,
  BulkSource,
  ErrorEnvelope,
  Events,
  MetadataKind,
  Result,
  RoleSummary,
} from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { bridge } from '../../bridge';
import { uploadFile } from '../../stores/uploads';
import { saveAndTell } from '../../stores/downloads';
import { guardedWrite } from '../../stores/guard';

export type SourceKind = 'selection' | 'query' | 'list' | 'log-events' | 'org-members';

export interface BulkDraft {
  source: SourceKind;
  q: string;
  /** The users of the log events matching this log query (from the Logs screen's "Act on these users"). */
  logQuery: string;
  /** The organization whose members are the users (source `org-members`), and its name for the form. */
  sourceOrgId: string;
  /** The organization an organization change is made in, and its name for the form. */
  orgId: string;
  orgLabels: Record<string, string>;
  listText: string;
  listName: string | null;
  /** A list file picked (read by main through its bounded intake when the plan is asked for, not here). */
  listFile: File | null;
  kind: BulkChangeKind;
  metadataKind: MetadataKind;
  /** A JSON object of keys to set. */
  setText: string;
  /** Keys to remove, separated by commas or new lines. */
  removeText: string;
  addRoles: RoleSummary[];
  removeRoles: RoleSummary[];
  linkTtlHours: number;
  plan: Async<BulkPlanSummary> | null;
  planId: string | null;
  progress: Events['bulk:planning'] | null;
  /** Why the draft can't be planned yet, in words (shown before anything is asked of main). */
  problem: string | null;
}

export function freshDraft(): BulkDraft {
  return {
    source: 'selection',
    q: '',
    logQuery: '',
    sourceOrgId: '',
    orgId: '',
    orgLabels: {},
    listText: '',
    listName: null,
    listFile: null,
    kind: 'metadata',
    metadataKind: 'app_metadata',
    setText: '{\n  \n}',
    removeText: '',
    addRoles: [],
    removeRoles: [],
    linkTtlHours: 24,
    plan: null,
    planId: null,
    progress: null,
    problem: null,
  };
}

/** The change as the contract wants it, or why the draft isn't one yet. */
export function changeOf(d: BulkDraft): BulkChange | string {
  switch (d.kind) {
    case 'metadata': {
      let set: unknown;
      try {
        set = d.setText.trim() ? JSON.parse(d.setText) : {};
      } catch (err) {
        return `The keys to set are not valid JSON: ${(err as Error).message}`;
      }
      if (!set || typeof set !== 'object' || Array.isArray(set))
        return 'The keys to set are a JSON object, like {"plan": "pro"}.';
      const remove = d.removeText
        .split(/[\s,]+/)
        .map((k) => k.trim())
        .filter(Boolean);
      return { kind: 'metadata', metadata: d.metadataKind, set: set as Record<string, unknown>, remove };
    }
    case 'roles':
      if (d.addRoles.length + d.removeRoles.length === 0) return 'Choose a role to add or to remove.';
      return { kind: 'roles', add: d.addRoles.map((r) => r.id), remove: d.removeRoles.map((r) => r.id) };
    case 'password-link':
      return { kind: 'password-link', ttlSec: d.linkTtlHours * 3600 };
    case 'org-add':
    case 'org-remove':
      if (!d.orgId) return 'Choose the organization.';
      return { kind: d.kind, orgId: d.orgId };
    case 'org-roles':
      if (!d.orgId) return 'Choose the organization.';
      if (d.addRoles.length + d.removeRoles.length === 0)
        return 'Choose an organization role to give or to take.';
      return {
        kind: 'org-roles',
        orgId: d.orgId,
        add: d.addRoles.map((r) => r.id),
        remove: d.removeRoles.map((r) => r.id),
      };
    default:
      return { kind: d.kind } as BulkChange;
  }
}

/** A bulk edit prepared on another screen (the Roles screen: "these users get this role"): its who and what. */
export type BulkPreset = Partial<
  Pick<
    BulkDraft,
    | 'source'
    | 'q'
    | 'listText'
    | 'listName'
    | 'kind'
    | 'addRoles'
    | 'removeRoles'
    | 'orgId'
    | 'sourceOrgId'
    | 'orgLabels'
  >
>;

let planNo = 0;
export const newPlanId = () =>
  `plan-${Date.now().toString(36)}-${(++planNo).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

interface BulkState {
  byTenant: Record<string, BulkDraft>;
  of(tenantId: string): BulkDraft;
  update(tenantId: string, patch: Partial<BulkDraft>): void;
  /** Asks main for the plan (finds the users, works out each change; sends nothing). A list file is handed over first. */
  preview(tenantId: string, source: BulkSource | { kind: 'file'; file: File }): Promise<void>;
  /** A plan made elsewhere (retry the failed ones, undo a job) shown for review. */
  show(tenantId: string, planId: string, plan: Async<BulkPlanSummary>): void;
  cancelPreview(tenantId: string): Promise<void>;
  onPlanning(event: Events['bulk:planning']): void;
  discardPlan(tenantId: string): void;
  /** Fills the form from another screen; a plan shown before is dropped (the new draft is previewed anew). */
  preset(tenantId: string, preset: BulkPreset): void;
  /** A page of the plan's users that change (or are skipped), each with what happens to it. */
  planItems(
    planId: string,
    status: 'change' | 'skip',
    offset: number,
    limit: number,
  ): Promise<Result<{ items: BulkPlanItem[]; total: number }>>;
  /** The plan's users as they are now, saved as JSON (before a destructive change); the error, or null. */
  saveUsers(planId: string): Promise<ErrorEnvelope | null>;
  /** Starts the plan (through the guard): the job it became, or null when the user cancelled. */
  start: ReturnType<typeof guardedWrite<'bulk:start'>>;
}

export const useBulkStore = create<BulkState>((set, get) => ({
  byTenant: {},
  planItems: (planId, status, offset, limit) =>
    bridge.invoke('bulk:plan-items', { planId, status, offset, limit }),
  saveUsers: async (planId) => saveAndTell(await bridge.invoke('bulk:save-users', { planId })),
  start: guardedWrite('bulk:start'),
  of(tenantId) {
    return get().byTenant[tenantId] ?? freshDraft();
  },
  update(tenantId, patch) {
    set((s) => ({ byTenant: { ...s.byTenant, [tenantId]: { ...get().of(tenantId), ...patch } } }));
  },
  async preview(tenantId, source) {
    const draft = get().of(tenantId);
    const change = changeOf(draft);
    if (typeof change === 'string') return get().update(tenantId, { problem: change });
    const planId = newPlanId();
    get().update(tenantId, { problem: null, planId, plan: { state: 'loading' }, progress: null });
    let src: BulkSource;
    if (source.kind === 'file') {
      const up = await uploadFile(source.file, () => undefined);
      if (!up.ok) {
        if (get().of(tenantId).planId === planId) get().update(tenantId, { plan: fromResult(up) });
        return;
      }
      src = { kind: 'list-file', uploadId: up.uploadId, name: source.file.name };
    } else src = source;
    const r = await bridge.invoke('bulk:plan', { tenantId, planId, source: src, change });
    // A newer preview (or a discarded one) replaced this one meanwhile.
    if (get().of(tenantId).planId !== planId) return;
    get().update(tenantId, { plan: fromResult(r), progress: null });
  },
  show(tenantId, planId, plan) {
    get().update(tenantId, { planId, plan, progress: null, problem: null });
  },
  async cancelPreview(tenantId) {
    const { planId } = get().of(tenantId);
    if (planId) await bridge.invoke('bulk:cancel-plan', { planId });
  },
  onPlanning(event) {
    for (const [tenantId, draft] of Object.entries(get().byTenant))
      if (draft.planId === event.planId) get().update(tenantId, { progress: event });
  },
  discardPlan(tenantId) {
    get().update(tenantId, { plan: null, planId: null, progress: null });
  },
  preset(tenantId, preset) {
    get().update(tenantId, { ...preset, plan: null, planId: null, progress: null, problem: null });
  },
}));
