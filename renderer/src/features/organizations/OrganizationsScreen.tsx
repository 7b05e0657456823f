// The tenant's organizations: a list (a name filter, read by checkpoint past any count) beside the one open — its
// branding, metadata and enabled connections, and three tabs: its members with their organization roles, its
// invitations, and who holds each organization role. Creating, renaming and deleting an organization, adding and
// removing members, giving and taking organization roles, inviting and revoking each go through the guard.
import { useEffect, useId, useState } from 'react';
import type {
  ClientSummary,
  OrgMember,
  RoleSummary,
  TenantProfile,
  UserSearchResult,
} from '../../../../preload/contract';
import { count, when } from '../../format';
import { useAppStore, useCapability } from '../../stores/app';
import { useBulkStore } from '../bulk/store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Modal } from '../../ui/Modal';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { freshOrgs, useOrgsStore } from './store';

/** What a tenant not seen yet shows (one object, so the selector is stable). */
const NONE = freshOrgs();
const useTenantOrgs = (tenantId: string) => useOrgsStore((s) => s.byTenant[tenantId] ?? NONE);

export function OrganizationsScreen({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const s = useTenantOrgs(tenant.id);
  const store = useOrgsStore();
  const canRead = useCapability('orgs:read', tenant.id);
  const [dialog, setDialog] = useState<null | 'create' | 'rename' | 'delete'>(null);

  useEffect(() => {
    if (!useOrgsStore.getState().of(tenant.id).list && canRead.allowed) void store.loadList(tenant.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant.id, canRead.allowed]);

  const head = (
    <div className="section-head">
      <h1 id={`${id}-title`}>Organizations</h1>
      <div className="head-actions">
        <TenantBadge tenant={tenant} />
        {canRead.allowed && (
          <CapableButton capability="orgs:manage" tenantId={tenant.id} onClick={() => setDialog('create')}>
            Create organization…
          </CapableButton>
        )}
      </div>
    </div>
  );
  if (!canRead.allowed)
    return (
      <section className="orgs-screen" aria-labelledby={`${id}-title`}>
        {head}
        <p className="not-permitted" role="note">
          Not permitted: {canRead.reason}. Add <code>read:organizations</code> to the tenant&rsquo;s grant to
          see its organizations.
        </p>
      </section>
    );
  const detail = s.detail?.state === 'ready' ? s.detail.data : null;
  return (
    <section className="orgs-screen" aria-labelledby={`${id}-title`}>
      {head}
      <div className="roles-columns">
        <div className="role-list-pane">
          <form
            className="inline-form"
            role="search"
            aria-label="Find organizations"
            onSubmit={(e) => {
              e.preventDefault();
              void store.loadList(tenant.id);
            }}
          >
            <label>
              Name contains
              <input
                value={s.filter}
                onChange={(e) => store.setFilter(tenant.id, e.target.value)}
                maxLength={100}
                spellCheck={false}
              />
            </label>
            <button type="submit">Filter</button>
          </form>
          <ErrorMessage error={s.list?.error ?? null} />
          {s.list && (
            <>
              <p className="muted" role="status" id={`${id}-count`}>
                {s.list.loading && s.list.items.length === 0
                  ? 'Reading the organizations…'
                  : `${count(s.list.items.length, 'organization')}${s.list.next ? ' so far' : ''}${s.shownFilter ? ` whose name contains “${s.shownFilter}”` : ''}`}
              </p>
              <ul className="role-list" aria-labelledby={`${id}-count`}>
                {s.list.items.map((o) => (
                  <li key={o.id}>
                    <button
                      type="button"
                      className="role-row"
                      aria-current={o.id === s.selectedId ? 'true' : undefined}
                      onClick={() => void store.select(tenant.id, o.id)}
                    >
                      <span className="role-row-name">{o.displayName ?? o.name}</span>
                      <span className="muted">{o.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
              {s.list.next && (
                <button
                  type="button"
                  disabled={s.list.loading}
                  onClick={() => void store.loadList(tenant.id, true)}
                >
                  Read more organizations
                </button>
              )}
            </>
          )}
        </div>
        <div className="role-pane">
          {!s.selectedId ? (
            <p className="empty">Choose an organization to see its members, invitations and roles.</p>
          ) : (
            <SectionState
              value={s.detail ?? { state: 'loading' }}
              what="the organization"
              retry={() => void store.select(tenant.id, s.selectedId)}
            >
              {(d) => (
                <OrgDetail
                  tenant={tenant}
                  onRename={() => setDialog('rename')}
                  onDelete={() => setDialog('delete')}
                  detail={d}
                />
              )}
            </SectionState>
          )}
        </div>
      </div>
      {dialog === 'create' && <OrgFormDialog tenant={tenant} onClose={() => setDialog(null)} />}
      {dialog === 'rename' && detail && (
        <OrgFormDialog tenant={tenant} org={detail.organization} onClose={() => setDialog(null)} />
      )}
      {dialog === 'delete' && detail && (
        <DeleteOrg tenant={tenant} detail={detail} onClose={() => setDialog(null)} />
      )}
    </section>
  );
}

type Detail = NonNullable<
  Extract<NonNullable<ReturnType<typeof useTenantOrgs>['detail']>, { state: 'ready' }>['data']
>;

function OrgDetail({
  tenant,
  detail,
  onRename,
  onDelete,
}: {
  tenant: TenantProfile;
  detail: Detail;
  onRename: () => void;
  onDelete: () => void;
}) {
  const id = useId();
  const s = useTenantOrgs(tenant.id);
  const store = useOrgsStore();
  const o = detail.organization;
  return (
    <div className="org-detail">
      <div className="section-head">
        <h2 id={`${id}-name`}>
          {o.logoUrl ? <span className="muted">[logo] </span> : null}
          {o.displayName ?? o.name}
        </h2>
        <div className="head-actions">
          <CapableButton capability="orgs:manage" tenantId={tenant.id} onClick={onRename}>
            Rename…
          </CapableButton>
          <CapableButton capability="orgs:manage" tenantId={tenant.id} className="danger" onClick={onDelete}>
            Delete…
          </CapableButton>
        </div>
      </div>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{o.name}</dd>
        <dt>Id</dt>
        <dd>
          <code>{o.id}</code>
        </dd>
        <dt>Members</dt>
        <dd>{detail.memberCount === null ? 'not known' : count(detail.memberCount)}</dd>
        {o.colors?.primary && (
          <>
            <dt>Colours</dt>
            <dd>
              <span className="swatch" style={{ background: o.colors.primary }} aria-hidden="true" />{' '}
              {o.colors.primary}
              {o.colors.pageBackground ? ` on ${o.colors.pageBackground}` : ''}
            </dd>
          </>
        )}
        {o.logoUrl && (
          <>
            <dt>Logo</dt>
            <dd>{o.logoUrl}</dd>
          </>
        )}
        {o.metadata &&
          Object.entries(o.metadata).map(([k, v]) => (
            <span key={k} className="contents">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </span>
          ))}
      </dl>
      <h3>Enabled connections</h3>
      {detail.connections.length === 0 ? (
        <p className="muted">None listed (or the grant lacks read:organization_connections).</p>
      ) : (
        <ul>
          {detail.connections.map((c) => (
            <li key={c.connectionId}>
              {c.name ?? c.connectionId}
              {c.strategy ? ` (${c.strategy})` : ''} ·{' '}
              {c.assignMembershipOnLogin ? 'new users join at login' : 'members only'} ·{' '}
              {c.showAsButton ? 'shown on the login page' : 'not shown on the login page'}
            </li>
          ))}
        </ul>
      )}
      <div role="tablist" aria-label="Organization" className="tabs">
        {(['members', 'invitations', 'roles'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={s.tab === t}
            onClick={() => store.setTab(tenant.id, t)}
          >
            {t === 'members' ? 'Members' : t === 'invitations' ? 'Invitations' : 'Roles'}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {s.tab === 'members' && <MembersTab tenant={tenant} />}
        {s.tab === 'invitations' && <InvitationsTab tenant={tenant} />}
        {s.tab === 'roles' && <RolesTab tenant={tenant} />}
      </div>
    </div>
  );
}

/** The tenant's roles, for the organization-role pickers (roles are the tenant's; giving one is per organization). */
function useRoles(tenantId: string): RoleSummary[] {
  const [roles, setRoles] = useState<RoleSummary[]>([]);
  useEffect(() => {
    let live = true;
    void useOrgsStore
      .getState()
      .roles(tenantId)
      .then((r) => {
        if (live && r.ok) setRoles(r.data.roles);
      });
    return () => {
      live = false;
    };
  }, [tenantId]);
  return roles;
}

function MembersTab({ tenant }: { tenant: TenantProfile }) {
  const s = useTenantOrgs(tenant.id);
  const store = useOrgsStore();
  const roles = useRoles(tenant.id);
  const [adding, setAdding] = useState(false);
  const orgId = s.selectedId!;
  const org = s.detail?.state === 'ready' ? s.detail.data.organization : null;
  const label = org?.displayName ?? org?.name ?? orgId;
  const reread = () => {
    void store.loadMembers(tenant.id);
    void store.select(tenant.id, orgId);
  };
  const remove = async (m: OrgMember) => {
    const r = await store.write(
      tenant,
      'orgs:remove-members',
      { tenantId: tenant.id, orgId, userIds: [m.userId] },
      {
        title: 'Remove this member?',
        body: <p>{m.email ?? m.userId} leaves the organization, with its organization roles.</p>,
        confirmLabel: 'Remove member',
        danger: true,
        always: true,
      },
      'Member removed',
    );
    if (r?.ok) reread();
  };
  const give = async (m: OrgMember, roleId: string) => {
    const role = roles.find((r) => r.id === roleId);
    const r = await store.write(
      tenant,
      'orgs:assign-member-roles',
      { tenantId: tenant.id, orgId, userId: m.userId, roleIds: [roleId] },
      {
        title: 'Give this organization role?',
        body: (
          <p>
            {m.email ?? m.userId} gets {role?.name ?? roleId} in this organization only.
          </p>
        ),
        confirmLabel: 'Give role',
      },
      'Organization role given',
    );
    if (r?.ok) void store.loadMembers(tenant.id);
  };
  const take = async (m: OrgMember, role: RoleSummary) => {
    const r = await store.write(
      tenant,
      'orgs:remove-member-roles',
      { tenantId: tenant.id, orgId, userId: m.userId, roleIds: [role.id] },
      {
        title: 'Take this organization role?',
        body: (
          <p>
            {m.email ?? m.userId} no longer has {role.name} in this organization.
          </p>
        ),
        confirmLabel: 'Take role',
        danger: true,
      },
      'Organization role taken',
    );
    if (r?.ok) void store.loadMembers(tenant.id);
  };
  return (
    <section aria-label="Members">
      <div className="actions">
        <CapableButton capability="orgs:members" tenantId={tenant.id} onClick={() => setAdding(true)}>
          Add members…
        </CapableButton>
        <button type="button" onClick={() => void store.exportMembers(tenant.id)}>
          Export members as CSV
        </button>
        <button type="button" onClick={() => toBulk(tenant.id, orgId, label, 'add')}>
          Add users by query or list…
        </button>
        <button type="button" onClick={() => toBulk(tenant.id, orgId, label, 'members')}>
          Bulk edit the members…
        </button>
      </div>
      <ErrorMessage error={s.members.error} />
      <p className="muted" role="status">
        {s.members.loading && s.members.items.length === 0
          ? 'Reading the members…'
          : `${count(s.members.items.length, 'member')}${s.members.complete ? '' : ' so far'}`}
      </p>
      <table className="org-members">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Organization roles</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {s.members.items.map((m) => (
            <tr key={m.userId} data-member={m.userId}>
              <td>
                {m.email ?? m.name ?? m.userId}
                <div className="muted">{m.userId}</div>
              </td>
              <td>
                {m.roles.length === 0 && <span className="muted">none</span>}
                {m.roles.map((r) => (
                  <span key={r.id} className="chip">
                    {r.name}{' '}
                    <CapableButton
                      capability="orgs:member-roles"
                      tenantId={tenant.id}
                      className="link"
                      aria-label={`Take ${r.name} from ${m.email ?? m.userId}`}
                      onClick={() => void take(m, r)}
                    >
                      ×
                    </CapableButton>
                  </span>
                ))}
                <label className="visually-hidden" htmlFor={`give-${m.userId}`}>
                  Give {m.email ?? m.userId} an organization role
                </label>
                <select
                  id={`give-${m.userId}`}
                  value=""
                  onChange={(e) => e.target.value && void give(m, e.target.value)}
                >
                  <option value="">Give role…</option>
                  {roles
                    .filter((r) => !m.roles.some((x) => x.id === r.id))
                    .map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                </select>
              </td>
              <td>
                <CapableButton
                  capability="orgs:members"
                  tenantId={tenant.id}
                  aria-label={`Remove ${m.email ?? m.userId}`}
                  onClick={() => void remove(m)}
                >
                  Remove
                </CapableButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.members.next && (
        <button
          type="button"
          disabled={s.members.loading}
          onClick={() => void store.loadMembers(tenant.id, true)}
        >
          Read more members
        </button>
      )}
      {adding && (
        <AddMembersDialog tenant={tenant} orgId={orgId} onClose={() => setAdding(false)} onAdded={reread} />
      )}
    </section>
  );
}

/**
 * To Bulk edits with this organization set: users found by a query (past 1,000), a list or a selection added to it,
 * or its members as the users of any change (organization roles, removal, anything else).
 */
function toBulk(tenantId: string, orgId: string, label: string, what: 'add' | 'members') {
  const bulk = useBulkStore.getState();
  bulk.discardPlan(tenantId);
  bulk.update(
    tenantId,
    what === 'add'
      ? { kind: 'org-add', orgId, orgLabels: { [orgId]: label }, source: 'query', problem: null }
      : {
          kind: 'org-roles',
          orgId,
          source: 'org-members',
          sourceOrgId: orgId,
          orgLabels: { [orgId]: label },
          problem: null,
        },
  );
  useAppStore.getState().setView('bulk');
}

/** Finds users by a search and adds the ones ticked. */
function AddMembersDialog({
  tenant,
  orgId,
  onClose,
  onAdded,
}: {
  tenant: TenantProfile;
  orgId: string;
  onClose: () => void;
  onAdded: () => void;
}) {
  const id = useId();
  const store = useOrgsStore();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<UserSearchResult | null>(null);
  const [picked, setPicked] = useState<Record<string, true>>({});
  const [busy, setBusy] = useState(false);
  const ids = Object.keys(picked);
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} busy={busy}>
      <h2 id={`${id}-title`}>Add members</h2>
      <form
        role="search"
        aria-label="Find users to add"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await store.searchUsers(tenant.id, q);
          if (r.ok) setFound(r.data);
        }}
      >
        <label>
          Users matching (Auth0 query syntax)
          <input value={q} onChange={(e) => setQ(e.target.value)} spellCheck={false} data-autofocus />
        </label>
        <button type="submit">Search</button>
      </form>
      {found && (
        <ul className="pick-list" aria-label="Users found">
          {found.users.map((u) => (
            <li key={u.user_id}>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={!!picked[u.user_id]}
                  onChange={(e) => {
                    const next = { ...picked };
                    if (e.target.checked) next[u.user_id] = true;
                    else delete next[u.user_id];
                    setPicked(next);
                  }}
                />
                {u.email ?? u.user_id}
              </label>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        More than 50? Use Bulk edits: “Add to an organization” for a query past 1,000, a list or a selection.
      </p>
      <div className="actions">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || ids.length === 0}
          onClick={async () => {
            setBusy(true);
            const r = await store.write(
              tenant,
              'orgs:add-members',
              { tenantId: tenant.id, orgId, userIds: ids },
              {
                title: `Add ${count(ids.length, 'member')}?`,
                body: <p>They join the organization (with no organization role yet).</p>,
                confirmLabel: 'Add members',
              },
              `${count(ids.length, 'member')} added`,
            );
            setBusy(false);
            if (r?.ok) {
              onAdded();
              onClose();
            }
          }}
        >
          Add {count(ids.length, 'member')}
        </button>
      </div>
    </Modal>
  );
}

function InvitationsTab({ tenant }: { tenant: TenantProfile }) {
  const s = useTenantOrgs(tenant.id);
  const store = useOrgsStore();
  const [inviting, setInviting] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const orgId = s.selectedId!;
  return (
    <section aria-label="Invitations">
      <div className="actions">
        <CapableButton capability="orgs:invitations" tenantId={tenant.id} onClick={() => setInviting(true)}>
          Invite…
        </CapableButton>
      </div>
      {link && (
        <p className="ticket">
          <label>
            Invitation link (shown once)
            <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </p>
      )}
      <SectionState
        value={s.invitations ?? { state: 'loading' }}
        what="the invitations"
        retry={() => void store.loadInvitations(tenant.id)}
      >
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No invitation pending.</p>
          ) : (
            <table className="org-members">
              <thead>
                <tr>
                  <th scope="col">Invitee</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((i) => (
                  <tr key={i.id} data-invitation={i.id}>
                    <td>{i.invitee}</td>
                    <td>{i.inviter}</td>
                    <td>{i.roles.length ? i.roles.join(', ') : <span className="muted">none</span>}</td>
                    <td>{when(i.expiresAt)}</td>
                    <td>
                      <CapableButton
                        capability="orgs:invitations"
                        tenantId={tenant.id}
                        aria-label={`Revoke the invitation of ${i.invitee}`}
                        onClick={async () => {
                          const r = await store.write(
                            tenant,
                            'orgs:revoke-invitation',
                            { tenantId: tenant.id, orgId, invitationId: i.id },
                            {
                              title: 'Revoke this invitation?',
                              body: <p>The link sent to {i.invitee} stops working.</p>,
                              confirmLabel: 'Revoke invitation',
                            },
                            'Invitation revoked',
                          );
                          if (r?.ok) void store.loadInvitations(tenant.id);
                        }}
                      >
                        Revoke
                      </CapableButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </SectionState>
      {inviting && (
        <InviteDialog
          tenant={tenant}
          orgId={orgId}
          onClose={(url) => {
            setInviting(false);
            if (url !== undefined) {
              setLink(url);
              void store.loadInvitations(tenant.id);
            }
          }}
        />
      )}
    </section>
  );
}

function InviteDialog({
  tenant,
  orgId,
  onClose,
}: {
  tenant: TenantProfile;
  orgId: string;
  onClose: (url?: string) => void;
}) {
  const id = useId();
  const store = useOrgsStore();
  const roles = useRoles(tenant.id);
  const [clients, setClients] = useState<ClientSummary[] | null>(null);
  const [inviter, setInviter] = useState('');
  const [email, setEmail] = useState('');
  const [clientId, setClientId] = useState('');
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [days, setDays] = useState(7);
  const [sendEmail, setSendEmail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void store.clients(tenant.id).then((r) => {
      const apps = r.ok ? r.data.filter((c) => c.appType !== 'non_interactive') : [];
      setClients(apps);
      if (apps[0]) setClientId(apps[0].clientId);
    });
  }, [store, tenant.id]);
  return (
    <Modal labelledBy={`${id}-title`} onClose={() => onClose()} busy={busy}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const r = await store.write(
            tenant,
            'orgs:create-invitation',
            {
              tenantId: tenant.id,
              orgId,
              inviter,
              email,
              clientId,
              roleIds,
              ttlSec: days * 86_400,
              sendEmail,
            },
            {
              title: 'Send this invitation?',
              body: (
                <p>
                  {email} is invited{roleIds.length ? ' with organization roles' : ''}; the link works for{' '}
                  {days} days.
                </p>
              ),
              confirmLabel: 'Invite',
            },
            'Invitation made',
          );
          setBusy(false);
          if (!r) return;
          if (!r.ok) return setProblem(r.error.message);
          onClose((r.data as { url: string }).url);
        }}
      >
        <h2 id={`${id}-title`}>Invite to the organization</h2>
        <label>
          Invited by (their name, shown in the email)
          <input value={inviter} onChange={(e) => setInviter(e.target.value)} required data-autofocus />
        </label>
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Application the link opens
          <select value={clientId} onChange={(e) => setClientId(e.target.value)} required>
            {(clients ?? []).map((c) => (
              <option key={c.clientId} value={c.clientId}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Organization roles</legend>
          {roles.slice(0, 12).map((r) => (
            <label key={r.id} className="inline">
              <input
                type="checkbox"
                checked={roleIds.includes(r.id)}
                onChange={(e) =>
                  setRoleIds(e.target.checked ? [...roleIds, r.id] : roleIds.filter((x) => x !== r.id))
                }
              />
              {r.name}
            </label>
          ))}
        </fieldset>
        <label>
          Valid for (days)
          <input
            type="number"
            min={1}
            max={30}
            value={days}
            onChange={(e) => setDays(Math.max(1, Math.min(30, Number(e.target.value) || 1)))}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={sendEmail} onChange={(e) => setSendEmail(e.target.checked)} />
          Send the invitation email (or copy the link after)
        </label>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => onClose()} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !clientId}>
            Invite…
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Who holds each organization role in this organization (from its members and their roles). */
function RolesTab({ tenant }: { tenant: TenantProfile }) {
  const s = useTenantOrgs(tenant.id);
  const byRole = new Map<string, { role: RoleSummary; members: OrgMember[] }>();
  for (const m of s.members.items)
    for (const r of m.roles) {
      const e = byRole.get(r.id) ?? { role: r, members: [] };
      e.members.push(m);
      byRole.set(r.id, e);
    }
  return (
    <section aria-label="Roles in this organization">
      <p className="muted" role="status">
        {s.members.loading
          ? `Reading the members… ${count(s.members.items.length)} so far`
          : `${count(byRole.size, 'organization role')} held by the ${count(s.members.items.length, 'member')}`}
      </p>
      {[...byRole.values()]
        .sort((a, b) => a.role.name.localeCompare(b.role.name))
        .map(({ role, members }) => (
          <details key={role.id} open={byRole.size <= 3}>
            <summary>
              {role.name} — {count(members.length, 'member')}
            </summary>
            <ul>
              {members.map((m) => (
                <li key={m.userId}>{m.email ?? m.userId}</li>
              ))}
            </ul>
          </details>
        ))}
    </section>
  );
}

function OrgFormDialog({
  tenant,
  org,
  onClose,
}: {
  tenant: TenantProfile;
  org?: { id: string; name: string; displayName?: string };
  onClose: () => void;
}) {
  const id = useId();
  const store = useOrgsStore();
  const [name, setName] = useState(org?.name ?? '');
  const [displayName, setDisplayName] = useState(org?.displayName ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} busy={busy}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const r = org
            ? await store.write(
                tenant,
                'orgs:update',
                {
                  tenantId: tenant.id,
                  orgId: org.id,
                  ...(name !== org.name ? { name } : {}),
                  ...(displayName !== (org.displayName ?? '') ? { displayName } : {}),
                },
                { title: 'Rename this organization?', body: null, confirmLabel: 'Save' },
                'Organization renamed',
              )
            : await store.write(
                tenant,
                'orgs:create',
                { tenantId: tenant.id, name, ...(displayName ? { displayName } : {}) },
                {
                  title: 'Create this organization?',
                  body: <p>{displayName || name}</p>,
                  confirmLabel: 'Create organization',
                },
                'Organization created',
              );
          setBusy(false);
          if (!r) return;
          if (!r.ok) return setProblem(r.error.message);
          onClose();
          await store.loadList(tenant.id);
          const made = r.data as { id?: string };
          if (made.id) void store.select(tenant.id, made.id);
        }}
      >
        <h2 id={`${id}-title`}>{org ? `Rename ${org.displayName ?? org.name}` : 'Create an organization'}</h2>
        <label>
          Name (lower case, digits, - and _; used in login links)
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            data-autofocus
            spellCheck={false}
          />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {org ? 'Save…' : 'Create…'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteOrg({
  tenant,
  detail,
  onClose,
}: {
  tenant: TenantProfile;
  detail: Detail;
  onClose: () => void;
}) {
  const store = useOrgsStore();
  useEffect(() => {
    let live = true;
    void (async () => {
      const o = detail.organization;
      const r = await store.write(
        tenant,
        'orgs:delete',
        { tenantId: tenant.id, orgId: o.id },
        {
          title: `Delete ${o.displayName ?? o.name}?`,
          body: (
            <p>
              Its {detail.memberCount === null ? '' : `${count(detail.memberCount, 'member')}, their `}
              organization roles and its invitations go with it. This cannot be undone.
            </p>
          ),
          confirmLabel: 'Delete organization',
          danger: true,
          always: true,
        },
        'Organization deleted',
      );
      if (!live) return;
      onClose();
      if (r?.ok) {
        await store.select(tenant.id, null);
        await store.loadList(tenant.id);
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return null;
}
