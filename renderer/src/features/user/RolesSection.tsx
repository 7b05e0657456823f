import { useId, useState } from 'react';
import type { RoleSummary, TenantProfile } from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { useRolesStore } from '../roles/store';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';

/** The user's roles (or why they can't be read), removal, and a picker over all of the tenant's roles. */
export function RolesSection({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const roles = useDetailStore((s) => s.roles);
  const load = useDetailStore((s) => s.load);
  const act = useDetailStore((s) => s.act);
  const [filter, setFilter] = useState('');
  const [found, setFound] = useState<Async<{ roles: RoleSummary[] }> | null>(null);
  const assigned = new Set(roles.state === 'ready' ? roles.data.map((r) => r.id) : []);
  const find = async () => {
    setFound({ state: 'loading' });
    setFound(fromResult(await useRolesStore.getState().searchRoles(tenant.id, filter)));
  };
  return (
    <section aria-labelledby={`${id}-roles`}>
      <h3 id={`${id}-roles`}>Roles</h3>
      <SectionState value={roles} what="this user's roles" retry={() => void load('roles')}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No roles.</p>
          ) : (
            <ul className="roles">
              {list.map((r) => (
                <li key={r.id}>
                  {r.name}{' '}
                  <CapableButton
                    capability="roles:assign"
                    tenantId={tenant.id}
                    aria-label={`Remove role ${r.name}`}
                    onClick={() =>
                      void act(
                        'users:remove-roles',
                        { roleIds: [r.id] },
                        {
                          progress: 'Removing the role',
                          success: `Role ${r.name} removed`,
                          confirm: {
                            title: `Remove the role ${r.name}?`,
                            body: <p>The user loses the permissions this role grants.</p>,
                            confirmLabel: 'Remove role',
                            danger: true,
                            always: true,
                          },
                        },
                      )
                    }
                  >
                    Remove
                  </CapableButton>
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <label>
          Find a role (searches all of the tenant&rsquo;s roles)
          <input value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <CapableButton capability="roles:read" tenantId={tenant.id} type="submit">
          Find roles
        </CapableButton>
      </form>
      {found && (
        <SectionState value={found} what="the tenant's roles" retry={() => void find()}>
          {({ roles: matches }) => (
            <ul className="role-results" aria-label="Matching roles">
              {matches.length === 0 && <li className="muted">No role matches.</li>}
              {matches.map((r) => (
                <li key={r.id}>
                  {r.name}{' '}
                  <CapableButton
                    capability="roles:assign"
                    tenantId={tenant.id}
                    disabled={assigned.has(r.id)}
                    aria-label={`Assign role ${r.name}`}
                    onClick={() =>
                      void act(
                        'users:assign-roles',
                        { roleIds: [r.id] },
                        {
                          progress: 'Assigning the role',
                          success: `Role ${r.name} assigned`,
                          confirm: {
                            title: `Assign the role ${r.name}?`,
                            body: <p>The user gets every permission this role grants.</p>,
                            confirmLabel: 'Assign role',
                          },
                        },
                      )
                    }
                  >
                    {assigned.has(r.id) ? 'Assigned' : 'Assign'}
                  </CapableButton>
                </li>
              ))}
            </ul>
          )}
        </SectionState>
      )}
    </section>
  );
}
