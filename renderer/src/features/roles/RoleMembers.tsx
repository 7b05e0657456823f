// Who holds a role: members read page by page from a checkpoint ("Load more" reads on from `next`, past any limit),
// removed a few at a time through the guard, exported as CSV; new members found by a user search, or handed to the
// Bulk edits screen as every match of a query (or the users selected there) with "add this role" filled in.
import { useId, useRef, useState } from 'react';
import type { Auth0User, ErrorEnvelope, RoleDetail, TenantProfile } from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { useAppStore } from '../../stores/app';
import { useBulkStore, type BulkPreset } from '../bulk/store';
import { useRolesStore, useTenantRoles } from './store';
import { useTenantSearch } from '../users/store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { count } from '../../format';

/** Auth0 takes at most this many users per removal request here; more go through a bulk edit. */
const REMOVE_AT_ONCE = 100;
const ADD_AT_ONCE = 1000;

export function RoleMembersSection({ tenant, detail }: { tenant: TenantProfile; detail: RoleDetail }) {
  const id = useId();
  const s = useTenantRoles(tenant.id);
  const store = useRolesStore();
  const toast = useAppStore((st) => st.toast);
  const [adding, setAdding] = useState<'search' | 'bulk' | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [failures, setFailures] = useState<{ userId: string; error: ErrorEnvelope }[]>([]);
  const m = s.members;
  const picked = Object.keys(m.picked);
  const role = detail.role;
  const allShownPicked = m.items.length > 0 && m.items.every((u) => m.picked[u.user_id]);

  const removePicked = async () => {
    setError(null);
    setFailures([]);
    const userIds = picked;
    const r = await useRolesStore.getState().removeMembers(
      tenant,
      { tenantId: tenant.id, roleId: role.id, userIds },
      {
        title: `Remove the role ${role.name} from ${count(userIds.length, 'user')}?`,
        body: <p>They lose the permissions this role grants. Each removal is its own audited write.</p>,
        confirmLabel: `Remove from ${count(userIds.length)}`,
        danger: true,
        always: true,
      },
    );
    if (!r) return;
    if (!r.ok) return setError(r.error);
    const failed = new Set(r.data.failed.map((f) => f.userId));
    store.dropMembers(
      tenant.id,
      userIds.filter((u) => !failed.has(u)),
    );
    setFailures(r.data.failed);
    toast(
      r.data.failed.length ? 'error' : 'success',
      `Role ${role.name} removed from ${count(r.data.removed, 'user')}${r.data.failed.length ? `; ${count(r.data.failed.length)} failed` : ''} (${tenant.label})`,
    );
    void store.loadDetail(tenant.id);
  };

  const exportMembers = async () => {
    setError(null);
    setError(await store.exportMembers(tenant.id, role.id));
  };

  return (
    <section className="role-members" aria-labelledby={`${id}-title`}>
      <div className="section-title">
        <h3 id={`${id}-title`}>Members</h3>
        <div className="head-actions">
          <CapableButton
            capability="roles:members"
            tenantId={tenant.id}
            aria-expanded={adding === 'search'}
            onClick={() => setAdding(adding === 'search' ? null : 'search')}
          >
            Add members…
          </CapableButton>
          <CapableButton
            capability="roles:assign"
            tenantId={tenant.id}
            aria-expanded={adding === 'bulk'}
            onClick={() => setAdding(adding === 'bulk' ? null : 'bulk')}
          >
            Add from a query or selection…
          </CapableButton>
          <CapableButton capability="roles:members" tenantId={tenant.id} onClick={() => void exportMembers()}>
            Export members as CSV
          </CapableButton>
        </div>
      </div>
      {adding === 'search' && <AddMembers tenant={tenant} detail={detail} onDone={() => setAdding(null)} />}
      {adding === 'bulk' && <BulkHandover tenant={tenant} detail={detail} />}
      <ErrorMessage error={error} />
      {failures.length > 0 && (
        <div className="section-failed" role="alert">
          <p>The role could not be removed from {count(failures.length)} user(s):</p>
          <ul>
            {failures.map((f) => (
              <li key={f.userId}>
                <code>{f.userId}</code>: {f.error.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {m.forbidden ? (
        <p className="not-permitted" role="note">
          This tenant&rsquo;s grant does not allow listing the role&rsquo;s members
          {m.forbidden.length ? ` (it lacks ${m.forbidden.join(', ')})` : ''}.
        </p>
      ) : (
        <>
          {m.items.length > 0 && (
            <div className="selection-bar" role="region" aria-label="Members picked for removal">
              <span role="status">
                {picked.length
                  ? `${count(picked.length)} picked`
                  : 'Tick members to remove the role from them'}
              </span>
              {picked.length > 0 && (
                <>
                  <CapableButton
                    capability="roles:members"
                    tenantId={tenant.id}
                    className="danger"
                    disabled={picked.length > REMOVE_AT_ONCE}
                    onClick={() => void removePicked()}
                  >
                    Remove the role from {count(picked.length)}…
                  </CapableButton>
                  <button type="button" onClick={() => store.clearPicked(tenant.id)}>
                    Clear
                  </button>
                </>
              )}
            </div>
          )}
          {picked.length > REMOVE_AT_ONCE && (
            <p className="notice" role="note">
              At most {REMOVE_AT_ONCE} members are removed at once here. For more, use Bulk edits with
              &ldquo;remove role {role.name}&rdquo;.
            </p>
          )}
          <table className="plan-table members-table">
            <caption className="visually-hidden">Members of {role.name}</caption>
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <input
                    type="checkbox"
                    aria-label="Pick every member shown"
                    checked={allShownPicked}
                    disabled={m.items.length === 0}
                    onChange={(e) =>
                      m.items.forEach((u) => store.togglePicked(tenant.id, u.user_id, e.target.checked))
                    }
                  />
                </th>
                <th scope="col">User</th>
                <th scope="col">Name</th>
              </tr>
            </thead>
            <tbody>
              {m.items.map((u) => (
                <tr key={u.user_id} className={m.picked[u.user_id] ? 'selected' : undefined}>
                  <td className="select-cell">
                    <input
                      type="checkbox"
                      aria-label={`Pick ${u.email ?? u.user_id}`}
                      checked={!!m.picked[u.user_id]}
                      onChange={(e) => store.togglePicked(tenant.id, u.user_id, e.target.checked)}
                    />
                  </td>
                  <td>
                    {u.email ?? u.user_id}
                    {u.email && <div className="muted">{u.user_id}</div>}
                  </td>
                  <td>{u.name ?? ''}</td>
                </tr>
              ))}
              {m.items.length === 0 && !m.loading && !m.error && (
                <tr>
                  <td colSpan={3} className="muted">
                    No user holds this role.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <div className="members-more">
            <span role="status" aria-live="polite">
              {m.loading
                ? 'Loading members…'
                : `${count(m.items.length, 'member')} shown${
                    detail.memberCount !== null ? ` of ${count(detail.memberCount)}` : ''
                  }${m.complete ? ' · all of them' : ''}`}
            </span>
            {!m.complete && !m.loading && m.next && (
              <button type="button" onClick={() => void store.loadMembers(tenant.id, true)}>
                Load more
              </button>
            )}
          </div>
          {m.error && (
            <div className="section-failed">
              <p>Could not load {m.items.length ? 'more ' : ''}members.</p>
              <ErrorMessage error={m.error} />
              <button type="button" onClick={() => void store.loadMembers(tenant.id, m.items.length > 0)}>
                Retry loading members
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Finds users (Auth0 query syntax) and gives the role to those picked. */
function AddMembers({
  tenant,
  detail,
  onDone,
}: {
  tenant: TenantProfile;
  detail: RoleDetail;
  onDone: () => void;
}) {
  const id = useId();
  const store = useRolesStore();
  const toast = useAppStore((s) => s.toast);
  const setView = useAppStore((s) => s.setView);
  const preset = useBulkStore((s) => s.preset);
  const members = useTenantRoles(tenant.id).members;
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Async<{ users: Auth0User[]; total: number }> | null>(null);
  const [picked, setPicked] = useState<Record<string, Auth0User>>({});
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [busy, setBusy] = useState(false);
  // Only the newest search's answer is shown.
  const seq = useRef(0);
  const role = detail.role;
  const holders = new Set(members.items.map((m) => m.user_id));
  const pickedIds = Object.keys(picked);

  const find = async () => {
    const mine = ++seq.current;
    setFound({ state: 'loading' });
    const r = await useRolesStore.getState().findUsers(tenant.id, q);
    if (seq.current === mine) setFound(fromResult(r));
  };
  const add = async () => {
    setError(null);
    setBusy(true);
    const r = await useRolesStore.getState().addMembers(
      tenant,
      { tenantId: tenant.id, roleId: role.id, userIds: pickedIds },
      {
        title: `Give the role ${role.name} to ${count(pickedIds.length, 'user')}?`,
        body: (
          <ul className="change-list">
            {Object.values(picked)
              .slice(0, 10)
              .map((u) => (
                <li key={u.user_id}>{u.email ?? u.user_id}</li>
              ))}
            {pickedIds.length > 10 && <li>and {count(pickedIds.length - 10)} more</li>}
          </ul>
        ),
        confirmLabel: `Add ${count(pickedIds.length, 'member')}`,
      },
    );
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setError(r.error);
    toast('success', `Role ${role.name} given to ${count(r.data.added)} user(s) (${tenant.label})`);
    setPicked({});
    void store.loadDetail(tenant.id);
    void store.loadMembers(tenant.id);
    onDone();
  };

  return (
    <div className="add-members" role="region" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Add members to {role.name}</h4>
      <form
        className="inline-form"
        role="search"
        aria-label="Find users to add"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <label>
          Find users (Auth0 query syntax, e.g. <code>email:*@example.com</code>)
          <input value={q} onChange={(e) => setQ(e.target.value)} spellCheck={false} data-autofocus />
        </label>
        <button type="submit">Find users</button>
      </form>
      {found && (
        <SectionState value={found} what="the users" retry={() => void find()}>
          {({ users, total }) => (
            <>
              <p className="muted">
                {total > users.length
                  ? `The first ${count(users.length)} of ${count(total)} matches: narrow the query, or add every match through Bulk edits.`
                  : `${count(users.length)} match${users.length === 1 ? '' : 'es'}`}
              </p>
              <ul className="pick-list" aria-label="Matching users">
                {users.length === 0 && <li className="muted">No user matches.</li>}
                {users.map((u) => (
                  <li key={u.user_id}>
                    <label className="inline">
                      <input
                        type="checkbox"
                        checked={!!picked[u.user_id]}
                        disabled={holders.has(u.user_id)}
                        onChange={(e) =>
                          setPicked((p) => {
                            const next = { ...p };
                            if (e.target.checked) next[u.user_id] = u;
                            else delete next[u.user_id];
                            return next;
                          })
                        }
                      />
                      <span>
                        {u.email ?? u.user_id}
                        {holders.has(u.user_id) && <span className="muted"> — holds the role already</span>}
                        <span className="muted mono"> {u.user_id}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </>
          )}
        </SectionState>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <CapableButton
          capability="roles:members"
          tenantId={tenant.id}
          className="primary"
          disabled={busy || pickedIds.length === 0 || pickedIds.length > ADD_AT_ONCE}
          onClick={() => void add()}
        >
          {pickedIds.length
            ? `Add ${count(pickedIds.length)} picked user${pickedIds.length === 1 ? '' : 's'}`
            : 'Pick users to add'}
        </CapableButton>
        {pickedIds.length > 0 && (
          <button
            type="button"
            onClick={() => {
              preset(tenant.id, {
                source: 'list',
                listText: pickedIds.join('\n'),
                listName: `${count(pickedIds.length)} users picked on the Roles screen`,
                kind: 'roles',
                addRoles: [role],
                removeRoles: [],
              });
              setView('bulk');
            }}
          >
            Review them in Bulk edits instead…
          </button>
        )}
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}

/**
 * Every user matching a query, or the users selected on the Users screen, handed to Bulk edits with "add this role"
 * filled in: the preview there says who changes before anything is sent.
 */
export function BulkHandover({ tenant, detail }: { tenant: TenantProfile; detail: RoleDetail }) {
  const id = useId();
  const selected = Object.keys(useTenantSearch(tenant.id).selected);
  const preset = useBulkStore((s) => s.preset);
  const setView = useAppStore((s) => s.setView);
  const [source, setSource] = useState<'query' | 'selection'>(selected.length ? 'selection' : 'query');
  const [q, setQ] = useState('');
  const go = () => {
    const base: BulkPreset = { kind: 'roles', addRoles: [detail.role], removeRoles: [] };
    preset(
      tenant.id,
      source === 'query' ? { ...base, source: 'query', q } : { ...base, source: 'selection' },
    );
    setView('bulk');
  };
  return (
    <form
      className="add-members"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        go();
      }}
    >
      <h4 id={`${id}-title`}>Give {detail.role.name} to many users</h4>
      <label className="inline">
        <input
          type="radio"
          name={`${id}-source`}
          checked={source === 'query'}
          onChange={() => setSource('query')}
        />
        Every user matching a query (past Auth0&rsquo;s 1,000-result limit too)
      </label>
      {source === 'query' && (
        <label>
          Query (Auth0 syntax; empty for every user)
          <input value={q} onChange={(e) => setQ(e.target.value)} spellCheck={false} />
        </label>
      )}
      <label className="inline">
        <input
          type="radio"
          name={`${id}-source`}
          checked={source === 'selection'}
          disabled={selected.length === 0}
          onChange={() => setSource('selection')}
        />
        The {count(selected.length, 'user')} selected on the Users screen
      </label>
      <div className="actions">
        <button type="submit" className="primary">
          Continue in Bulk edits…
        </button>
        <span className="hint">The preview there shows who changes; nothing is sent until you start it.</span>
      </div>
    </form>
  );
}
