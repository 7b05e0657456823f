// The tenant's roles: a list (name filter, paged) beside the role open — its description, members and permissions.
// Creating, editing and deleting a role, and changing who holds it or what it grants, each go through the guard.
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { TenantProfile } from '../../../../preload/contract';
import { useCapability } from '../../stores/app';
import { ROLES_PAGE, useRolesStore, useTenantRoles } from './store';
import { CapableButton } from '../../ui/Capable';
import { Pager } from '../../ui/Pager';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { RoleDetailPane, RoleFormDialog } from './RoleDetailPane';
import { count } from '../../format';

export function RolesScreen({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const s = useTenantRoles(tenant.id);
  const loadList = useRolesStore((st) => st.loadList);
  const select = useRolesStore((st) => st.select);
  const canRead = useCapability('roles:read', tenant.id);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    // Opening the screen lists the roles at once (or keeps the list this tenant had).
    if (!useRolesStore.getState().of(tenant.id).list && canRead.allowed) void loadList(tenant.id);
  }, [tenant.id, canRead.allowed, loadList]);

  if (!canRead.allowed)
    return (
      <section className="roles-screen" aria-labelledby={`${id}-title`}>
        <div className="section-head">
          <h1 id={`${id}-title`}>Roles</h1>
          <TenantBadge tenant={tenant} />
        </div>
        <p className="not-permitted" role="note">
          Not permitted: {canRead.reason}. Add <code>read:roles</code> to the tenant&rsquo;s grant to see its
          roles.
        </p>
      </section>
    );

  return (
    <section className="roles-screen" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h1 id={`${id}-title`}>Roles</h1>
        <div className="head-actions">
          <TenantBadge tenant={tenant} />
          <CapableButton capability="roles:manage" tenantId={tenant.id} onClick={() => setCreating(true)}>
            Create role…
          </CapableButton>
        </div>
      </div>
      <div className="roles-columns">
        <RoleList tenant={tenant} />
        <div className="role-pane">
          {s.selectedId ? (
            <RoleDetailPane key={s.selectedId} tenant={tenant} />
          ) : (
            <p className="empty">Choose a role to see its members and permissions.</p>
          )}
        </div>
      </div>
      {creating && (
        <RoleFormDialog
          tenant={tenant}
          onClose={(createdId) => {
            setCreating(false);
            if (createdId) {
              void loadList(tenant.id, useRolesStore.getState().of(tenant.id).page);
              select(tenant.id, createdId);
            }
          }}
        />
      )}
    </section>
  );
}

/** The roles, filtered by name and paged; ↑/↓ move between them, Enter or a click opens one. */
function RoleList({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const s = useTenantRoles(tenant.id);
  const store = useRolesStore();
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.role-row')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? buttons.length - 1
          : Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    e.preventDefault();
    buttons[next]?.focus();
  };
  return (
    <div className="role-list-pane">
      <form
        className="inline-form"
        role="search"
        aria-label="Find roles"
        onSubmit={(e) => {
          e.preventDefault();
          void store.loadList(tenant.id, 0);
        }}
      >
        <label>
          Role name contains
          <input
            value={s.filter}
            onChange={(e) => store.setFilter(tenant.id, e.target.value)}
            maxLength={100}
            spellCheck={false}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <SectionState
        value={s.list ?? { state: 'loading' }}
        what="the roles"
        retry={() => void store.loadList(tenant.id, s.page)}
      >
        {({ roles, total }) => (
          <>
            <p className="muted" role="status" id={`${id}-count`}>
              {count(total, 'role')}
              {s.shownFilter ? ` whose name contains “${s.shownFilter}”` : ''}
            </p>
            {roles.length === 0 ? (
              <p className="empty">
                {s.shownFilter ? 'No role matches this filter.' : 'This tenant has no roles yet.'}
              </p>
            ) : (
              <ul className="role-list" aria-labelledby={`${id}-count`} onKeyDown={onKeyDown}>
                {roles.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className="role-row"
                      aria-current={r.id === s.selectedId ? 'true' : undefined}
                      onClick={() => store.select(tenant.id, r.id)}
                    >
                      <span className="role-row-name">{r.name}</span>
                      {r.description && <span className="muted">{r.description}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {total > ROLES_PAGE && (
              <Pager
                offset={s.page * ROLES_PAGE}
                page={ROLES_PAGE}
                total={total}
                onOffset={(o) => void store.loadList(tenant.id, Math.floor(o / ROLES_PAGE))}
              />
            )}
          </>
        )}
      </SectionState>
    </div>
  );
}
