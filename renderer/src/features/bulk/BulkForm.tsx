import { useId, useState } from 'react';
import {
  BULK_CHANGES,
  ID_LIST_MAX_BYTES,
  type BulkChangeKind,
  type BulkSource,
  type RoleSummary,
  type TenantProfile,
} from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { useOrgsStore } from '../organizations/store';
import { useRolesStore } from '../roles/store';
import { count, formatBytes } from '../../format';
import { changeOf, useBulkStore } from './store';
import { useTenantSearch } from '../users/store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';

/** The changes offered, in the contract's order: each with its words and what the tenant's grant must allow. */
export const CHANGES = (Object.keys(BULK_CHANGES) as BulkChangeKind[]).map((kind) => ({
  kind,
  label: BULK_CHANGES[kind].label,
  capability: BULK_CHANGES[kind].needs,
}));

/** Who and what: the users (picked rows, every match of a query, or a list) and the change; then a preview. */
export function BulkForm({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const d = useBulkStore((s) => s.byTenant[tenant.id]) ?? useBulkStore.getState().of(tenant.id);
  const update = useBulkStore((s) => s.update);
  const preview = useBulkStore((s) => s.preview);
  const cancel = useBulkStore((s) => s.cancelPreview);
  const search = useTenantSearch(tenant.id);
  const picked = Object.keys(search.selected);
  const set = (patch: Parameters<typeof update>[1]) => update(tenant.id, patch);
  const planning = d.plan?.state === 'loading';
  const change = CHANGES.find((c) => c.kind === d.kind)!;
  const draftProblem = typeof changeOf(d) === 'string' ? (changeOf(d) as string) : null;

  const source = (): BulkSource | { kind: 'file'; file: File } | null =>
    d.source === 'selection'
      ? picked.length
        ? { kind: 'users', userIds: picked, seen: search.selected }
        : null
      : d.source === 'query'
        ? { kind: 'query', q: d.q }
        : d.source === 'org-members'
          ? d.sourceOrgId
            ? { kind: 'org-members', orgId: d.sourceOrgId }
            : null
          : d.source === 'log-events'
            ? d.logQuery.trim()
              ? { kind: 'log-events', q: d.logQuery }
              : null
            : d.listFile
              ? { kind: 'file', file: d.listFile }
              : d.listText.trim()
                ? { kind: 'list', text: d.listText, ...(d.listName ? { name: d.listName } : {}) }
                : null;

  return (
    <form
      className="bulk-form"
      aria-label="New bulk edit"
      onSubmit={(e) => {
        e.preventDefault();
        const src = source();
        if (!src)
          return set({
            problem:
              d.source === 'selection'
                ? 'No user is selected: tick users in the results first, or choose another way.'
                : d.source === 'org-members'
                  ? 'Choose the organization whose members to change.'
                  : d.source === 'log-events'
                    ? 'Say which log events: a log query such as type:s AND ip:"203.0.113.7".'
                    : 'The list is empty.',
          });
        void preview(tenant.id, src);
      }}
    >
      <fieldset>
        <legend>Which users</legend>
        <label className="inline">
          <input
            type="radio"
            name={`${id}-source`}
            checked={d.source === 'selection'}
            onChange={() => set({ source: 'selection' })}
          />
          The {count(picked.length, 'user')} selected in the results
        </label>
        <label className="inline">
          <input
            type="radio"
            name={`${id}-source`}
            checked={d.source === 'query'}
            onChange={() => set({ source: 'query' })}
          />
          Every user matching a query (past Auth0&rsquo;s 1,000-result limit too)
        </label>
        {d.source === 'query' && (
          <label>
            Query (Auth0 syntax; empty for every user)
            <input value={d.q} onChange={(e) => set({ q: e.target.value })} spellCheck={false} />
          </label>
        )}
        <label className="inline">
          <input
            type="radio"
            name={`${id}-source`}
            checked={d.source === 'log-events'}
            onChange={() => set({ source: 'log-events' })}
          />
          The users of log events (every matching event, past 1,000 too)
        </label>
        {d.source === 'log-events' && (
          <label>
            Log query (Auth0&rsquo;s log search syntax, e.g. type:s AND ip:&quot;203.0.113.7&quot; AND
            date:[2026-12-01T02:00 TO 2026-12-01T03:00])
            <input
              value={d.logQuery}
              onChange={(e) => set({ logQuery: e.target.value })}
              spellCheck={false}
            />
          </label>
        )}
        <label className="inline">
          <input
            type="radio"
            name={`${id}-source`}
            checked={d.source === 'org-members'}
            onChange={() => set({ source: 'org-members' })}
          />
          Every member of an organization
        </label>
        {d.source === 'org-members' && (
          <OrgPicker
            tenant={tenant}
            label="Organization whose members"
            value={d.sourceOrgId}
            labels={d.orgLabels}
            onChange={(orgId, name) =>
              set({ sourceOrgId: orgId, orgLabels: { ...d.orgLabels, [orgId]: name } })
            }
          />
        )}
        <label className="inline">
          <input
            type="radio"
            name={`${id}-source`}
            checked={d.source === 'list'}
            onChange={() => set({ source: 'list' })}
          />
          A list of user ids or emails
        </label>
        {d.source === 'list' && (
          <>
            <label>
              User ids or emails, one per line (or paste a CSV with a user_id or email column)
              <textarea
                rows={5}
                value={d.listText}
                onChange={(e) => set({ listText: e.target.value, listName: null, listFile: null })}
                spellCheck={false}
                disabled={!!d.listFile}
              />
            </label>
            <label>
              Or load a CSV or TXT file (UTF-8 or UTF-16, at most {formatBytes(ID_LIST_MAX_BYTES)})
              <input
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  if (file.size > ID_LIST_MAX_BYTES)
                    return set({
                      problem: `${file.name} is ${formatBytes(file.size)}; a list may be at most ${formatBytes(ID_LIST_MAX_BYTES)}.`,
                    });
                  set({ listFile: file, listName: file.name, listText: '', problem: null });
                }}
              />
            </label>
            {d.listFile ? (
              <p className="hint">
                {d.listFile.name} ({formatBytes(d.listFile.size)}) is read when you preview.{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => set({ listFile: null, listName: null })}
                >
                  Use the text box instead
                </button>
              </p>
            ) : (
              d.listName && <p className="hint">Loaded {d.listName}.</p>
            )}
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>What to change</legend>
        <label>
          Change
          <select value={d.kind} onChange={(e) => set({ kind: e.target.value as BulkChangeKind })}>
            {CHANGES.map((c) => (
              <option key={c.kind} value={c.kind}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {d.kind === 'metadata' && (
          <>
            <div className="inline-choices" role="radiogroup" aria-label="Which metadata">
              {(['app_metadata', 'user_metadata'] as const).map((k) => (
                <label key={k} className="inline">
                  <input
                    type="radio"
                    name={`${id}-meta`}
                    checked={d.metadataKind === k}
                    onChange={() => set({ metadataKind: k })}
                  />
                  {k}
                </label>
              ))}
            </div>
            <label>
              Keys to set (a JSON object; Auth0 merges the first level)
              <textarea
                rows={4}
                value={d.setText}
                onChange={(e) => set({ setText: e.target.value })}
                spellCheck={false}
                aria-invalid={!!draftProblem}
              />
            </label>
            <label>
              Keys to remove (comma or line separated)
              <input
                value={d.removeText}
                onChange={(e) => set({ removeText: e.target.value })}
                spellCheck={false}
              />
            </label>
          </>
        )}
        {d.kind === 'roles' && <RolePicker tenant={tenant} />}
        {(d.kind === 'org-add' || d.kind === 'org-remove' || d.kind === 'org-roles') && (
          <OrgPicker
            tenant={tenant}
            label={
              d.kind === 'org-add'
                ? 'Add to organization'
                : d.kind === 'org-remove'
                  ? 'Remove from organization'
                  : 'In organization'
            }
            value={d.orgId}
            labels={d.orgLabels}
            onChange={(orgId, name) => set({ orgId, orgLabels: { ...d.orgLabels, [orgId]: name } })}
          />
        )}
        {d.kind === 'org-roles' && <RolePicker tenant={tenant} />}
        {d.kind === 'password-link' && (
          <label>
            Links valid for
            <select value={d.linkTtlHours} onChange={(e) => set({ linkTtlHours: Number(e.target.value) })}>
              {[1, 24, 72, 120].map((h) => (
                <option key={h} value={h}>
                  {count(h, 'hour')}
                </option>
              ))}
            </select>
          </label>
        )}
        {d.kind === 'delete' && (
          <p className="warning-text">
            Deleting can&rsquo;t be undone. The preview offers to save the users as JSON first.
          </p>
        )}
      </fieldset>
      {(d.problem ?? draftProblem) && (
        <p className="error" role="alert">
          {d.problem ?? draftProblem}
        </p>
      )}
      {planning && (
        <p role="status" className="progress">
          {d.progress
            ? `${d.progress.phase}${d.progress.total !== null ? ` — ${count(d.progress.done)} of ${count(d.progress.total)}` : d.progress.done ? ` — ${count(d.progress.done)}` : ''}…`
            : 'Finding the users…'}{' '}
          <button type="button" onClick={() => void cancel(tenant.id)}>
            Cancel
          </button>
        </p>
      )}
      <div className="actions">
        <CapableButton
          capability={change.capability}
          tenantId={tenant.id}
          type="submit"
          className="primary"
          disabled={planning || !!draftProblem}
        >
          Preview
        </CapableButton>
        <span className="hint">Nothing is sent until you start it.</span>
      </div>
    </form>
  );
}

/** Roles to add and to remove, found among all of the tenant's roles. */
function RolePicker({ tenant }: { tenant: TenantProfile }) {
  const d = useBulkStore((s) => s.byTenant[tenant.id]) ?? useBulkStore.getState().of(tenant.id);
  const update = useBulkStore((s) => s.update);
  const [filter, setFilter] = useState('');
  const [found, setFound] = useState<Async<{ roles: RoleSummary[] }> | null>(null);
  const find = async () => {
    setFound({ state: 'loading' });
    setFound(fromResult(await useRolesStore.getState().searchRoles(tenant.id, filter)));
  };
  const chosen = (list: RoleSummary[], what: string, key: 'addRoles' | 'removeRoles') =>
    list.length > 0 && (
      <p>
        {what}:{' '}
        {list.map((r) => (
          <button
            key={r.id}
            type="button"
            className="chip"
            aria-label={`Don't ${what.toLowerCase()} ${r.name}`}
            onClick={() => update(tenant.id, { [key]: list.filter((x) => x.id !== r.id) })}
          >
            {r.name} ×
          </button>
        ))}
      </p>
    );
  return (
    <div className="role-picker">
      <div className="inline-form">
        <label>
          Find a role (all of the tenant&rsquo;s roles)
          <input
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void find();
              }
            }}
          />
        </label>
        <button type="button" onClick={() => void find()}>
          Find roles
        </button>
      </div>
      {chosen(d.addRoles, 'Add', 'addRoles')}
      {chosen(d.removeRoles, 'Remove', 'removeRoles')}
      {found && (
        <SectionState value={found} what="the tenant's roles" retry={() => void find()}>
          {({ roles }) => (
            <ul className="role-results" aria-label="Matching roles">
              {roles.length === 0 && <li className="muted">No role matches.</li>}
              {roles.slice(0, 50).map((r) => (
                <li key={r.id}>
                  {r.name}{' '}
                  <button
                    type="button"
                    aria-label={`Add role ${r.name}`}
                    disabled={d.addRoles.some((x) => x.id === r.id)}
                    onClick={() =>
                      update(tenant.id, {
                        addRoles: [...d.addRoles, r],
                        removeRoles: d.removeRoles.filter((x) => x.id !== r.id),
                      })
                    }
                  >
                    Add
                  </button>{' '}
                  <button
                    type="button"
                    aria-label={`Remove role ${r.name}`}
                    disabled={d.removeRoles.some((x) => x.id === r.id)}
                    onClick={() =>
                      update(tenant.id, {
                        removeRoles: [...d.removeRoles, r],
                        addRoles: d.addRoles.filter((x) => x.id !== r.id),
                      })
                    }
                  >
                    Remove
                  </button>
                </li>
              ))}
              {roles.length > 50 && <li className="muted">{roles.length - 50} more: narrow the filter.</li>}
            </ul>
          )}
        </SectionState>
      )}
    </div>
  );
}

/** An organization of the tenant, chosen from its list (read by checkpoint, filtered by name). */
function OrgPicker({
  tenant,
  label,
  value,
  labels,
  onChange,
}: {
  tenant: TenantProfile;
  label: string;
  value: string;
  labels: Record<string, string>;
  onChange: (orgId: string, name: string) => void;
}) {
  const orgs = useOrgsStore((s) => s.byTenant[tenant.id]?.list?.items);
  const load = useOrgsStore((s) => s.loadList);
  const known = [...(orgs ?? [])];
  if (value && !known.some((o) => o.id === value)) known.unshift({ id: value, name: labels[value] ?? value });
  return (
    <label>
      {label}
      <select
        value={value}
        onFocus={() => !orgs && void load(tenant.id)}
        onChange={(e) => {
          const o = known.find((x) => x.id === e.target.value);
          onChange(e.target.value, o?.displayName ?? o?.name ?? e.target.value);
        }}
      >
        <option value="">Choose…</option>
        {known.map((o) => (
          <option key={o.id} value={o.id}>
            {o.displayName ?? o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
