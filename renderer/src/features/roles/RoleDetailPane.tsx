// The role open on the Roles screen: what it is, how many hold it, and editing or deleting it (through the guard),
// with its members and its permissions below.
import { useId, useState } from 'react';
import type { ErrorEnvelope, RoleDetail, RoleSummary, TenantProfile } from '../../../../preload/contract';
import { fieldErrors, unplacedError } from '../../fields';
import { useAppStore } from '../../stores/app';
import { useRolesStore, useTenantRoles } from './store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';
import { Modal } from '../../ui/Modal';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { RoleMembersSection } from './RoleMembers';
import { RolePermissionsSection } from './RolePermissions';
import { count } from '../../format';

export function RoleDetailPane({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const s = useTenantRoles(tenant.id);
  const store = useRolesStore();
  const toast = useAppStore((st) => st.toast);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);

  const remove = async (detail: RoleDetail) => {
    const held =
      detail.memberCount === null
        ? 'Tenant Desk can’t tell how many users hold it (the grant may not list members).'
        : detail.memberCount === 0
          ? 'No user holds it.'
          : `${count(detail.memberCount)} user${detail.memberCount === 1 ? ' holds' : 's hold'} it and will lose its permissions.`;
    const r = await useRolesStore.getState().deleteRole(
      tenant,
      { tenantId: tenant.id, roleId: detail.role.id },
      {
        title: `Delete the role ${detail.role.name}?`,
        body: (
          <>
            <p>{held}</p>
            <p>
              Its {count(detail.permissions.length)} permission
              {detail.permissions.length === 1 ? '' : 's'} go with it. It can&rsquo;t be undone.
            </p>
          </>
        ),
        confirmLabel: 'Delete role',
        danger: true,
        always: true,
      },
    );
    if (!r) return;
    if (!r.ok) return setError(r.error);
    toast('success', `Role ${detail.role.name} deleted (${tenant.label})`);
    store.select(tenant.id, null);
    void store.loadList(tenant.id, s.page);
  };

  return (
    <SectionState
      value={s.detail ?? { state: 'loading' }}
      what="the role"
      retry={() => void store.loadDetail(tenant.id)}
    >
      {(detail) => (
        <article className="role-detail" aria-labelledby={`${id}-title`}>
          <div className="role-detail-head">
            <div>
              <h2 id={`${id}-title`} tabIndex={-1}>
                {detail.role.name}
              </h2>
              <p className={detail.role.description ? undefined : 'muted'}>
                {detail.role.description || 'No description.'}
              </p>
            </div>
            <div className="head-actions">
              <CapableButton capability="roles:manage" tenantId={tenant.id} onClick={() => setEditing(true)}>
                Edit…
              </CapableButton>
              <CapableButton
                capability="roles:manage"
                tenantId={tenant.id}
                className="danger"
                onClick={() => void remove(detail)}
              >
                Delete…
              </CapableButton>
            </div>
          </div>
          <dl className="facts">
            <dt>Members</dt>
            <dd data-testid="role-member-count">
              {detail.memberCount === null
                ? 'not readable with this grant'
                : `${count(detail.memberCount, 'user')}`}
            </dd>
            <dt>Permissions</dt>
            <dd>{count(detail.permissions.length)}</dd>
            <dt>Role id</dt>
            <dd className="mono">{detail.role.id}</dd>
          </dl>
          <ErrorMessage error={error} />
          <RoleMembersSection tenant={tenant} detail={detail} />
          <RolePermissionsSection tenant={tenant} detail={detail} />
          {editing && (
            <RoleFormDialog
              tenant={tenant}
              role={detail.role}
              onClose={(changed) => {
                setEditing(false);
                if (changed) {
                  void store.loadDetail(tenant.id);
                  void store.loadList(tenant.id, s.page);
                }
              }}
            />
          )}
        </article>
      )}
    </SectionState>
  );
}

const FIELDS = ['name', 'description'] as const;

/** The same rules as the contract's, said before anything is sent. */
function problems(name: string, description: string): Partial<Record<(typeof FIELDS)[number], string>> {
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  if (!name.trim()) out.name = 'A role needs a name.';
  else if (name.trim().length > 50) out.name = 'A role name is at most 50 characters.';
  if (description.trim().length > 255) out.description = 'A description is at most 255 characters.';
  return out;
}

/** Creates a role (no `role`) or renames / describes one; resolves with the role's id when something was saved. */
export function RoleFormDialog({
  tenant,
  role,
  onClose,
}: {
  tenant: TenantProfile;
  role?: RoleSummary;
  onClose: (savedId?: string) => void;
}) {
  const id = useId();
  const toast = useAppStore((s) => s.toast);
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const local = tried ? problems(name, description) : {};
  const fromMain = fieldErrors(error);
  const errors: Record<string, string | undefined> = { ...fromMain, ...local };
  const field = (f: (typeof FIELDS)[number]) => ({
    'aria-invalid': !!errors[f],
    'aria-describedby': errors[f] ? `${id}-${f}-error` : undefined,
  });
  const changes = role
    ? {
        ...(name.trim() !== role.name ? { name: name.trim() } : {}),
        ...(description.trim() !== (role.description ?? '') ? { description: description.trim() } : {}),
      }
    : null;
  const unchanged = !!changes && Object.keys(changes).length === 0;

  const submit = async () => {
    setTried(true);
    setError(null);
    if (Object.keys(problems(name, description)).length || unchanged) return;
    setBusy(true);
    const r = role
      ? await useRolesStore.getState().updateRole(
          tenant,
          { tenantId: tenant.id, roleId: role.id, ...changes },
          {
            title: `Save the role ${role.name}?`,
            body: <p>Users holding it keep it; only its {changes?.name ? 'name' : 'description'} changes.</p>,
            confirmLabel: 'Save role',
          },
        )
      : await useRolesStore.getState().createRole(
          tenant,
          { tenantId: tenant.id, name: name.trim(), description: description.trim() },
          {
            title: `Create the role ${name.trim()}?`,
            body: <p>A new role without members or permissions.</p>,
            confirmLabel: 'Create role',
          },
        );
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setError(r.error);
    toast('success', `Role ${r.data.name} ${role ? 'saved' : 'created'} (${tenant.label})`);
    onClose(r.data.id);
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={() => onClose()} busy={busy}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TenantBadge tenant={tenant} />
        <h2 id={`${id}-title`}>{role ? `Edit the role ${role.name}` : `Create a role on ${tenant.label}`}</h2>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            data-autofocus
            {...field('name')}
          />
        </label>
        <FieldError id={`${id}-name-error`} message={errors.name} />
        <label>
          Description (optional)
          <textarea
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            {...field('description')}
          />
        </label>
        <FieldError id={`${id}-description-error`} message={errors.description} />
        {tried && unchanged && <p className="hint">Nothing changed.</p>}
        <ErrorMessage error={unplacedError(error, fromMain, FIELDS)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : role ? 'Save role' : 'Create role'}
          </button>
          <button type="button" onClick={() => onClose()} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
