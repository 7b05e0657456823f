import { useCallback, useEffect, useId, useState } from 'react';
import type { OrganizationSummary, TenantProfile, UserOrganization } from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { useCapability } from '../../stores/app';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';
import { useOrgsStore } from './store';

/** The user panel's organizations: each with the user's roles in it; add to one, remove from one. */
export function UserOrganizations({
  tenant,
  userId,
  who,
}: {
  tenant: TenantProfile;
  userId: string;
  who: string;
}) {
  const id = useId();
  const store = useOrgsStore();
  const canRead = useCapability('orgs:read', tenant.id);
  const [orgs, setOrgs] = useState<Async<UserOrganization[]>>(loading);
  const [choices, setChoices] = useState<OrganizationSummary[]>([]);
  const [chosen, setChosen] = useState('');
  const load = useCallback(async () => {
    setOrgs(loading);
    setOrgs(fromResult(await useOrgsStore.getState().userOrganizations(tenant.id, userId)));
  }, [tenant.id, userId]);
  useEffect(() => {
    if (!canRead.allowed) return;
    let live = true;
    void useOrgsStore
      .getState()
      .userOrganizations(tenant.id, userId)
      .then((r) => {
        if (live) setOrgs(fromResult(r));
      });
    return () => {
      live = false;
    };
  }, [tenant.id, userId, canRead.allowed]);
  const pickable = async () => {
    await store.loadList(tenant.id);
    setChoices(useOrgsStore.getState().of(tenant.id).list?.items ?? []);
  };
  if (!canRead.allowed)
    return (
      <section aria-labelledby={`${id}-orgs`}>
        <h3 id={`${id}-orgs`}>Organizations</h3>
        <p className="not-permitted" role="note">
          This tenant&rsquo;s grant does not allow reading organizations ({canRead.reason}).
        </p>
      </section>
    );
  return (
    <section aria-labelledby={`${id}-orgs`}>
      <h3 id={`${id}-orgs`}>Organizations</h3>
      <SectionState value={orgs} what="the user’s organizations" retry={() => void load()}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">Not a member of any organization.</p>
          ) : (
            <ul className="access-list">
              {list.map((o) => (
                <li key={o.id} data-org={o.id}>
                  <div>
                    <strong>{o.displayName ?? o.name}</strong>
                    <div className="muted">
                      {o.roles.length
                        ? `roles: ${o.roles.map((r) => r.name).join(', ')}`
                        : 'no organization role'}
                    </div>
                  </div>
                  <CapableButton
                    capability="orgs:members"
                    tenantId={tenant.id}
                    aria-label={`Remove from ${o.displayName ?? o.name}`}
                    onClick={async () => {
                      const r = await store.write(
                        tenant,
                        'orgs:remove-members',
                        { tenantId: tenant.id, orgId: o.id, userIds: [userId] },
                        {
                          title: 'Remove from this organization?',
                          body: (
                            <p>
                              {who} leaves {o.displayName ?? o.name}, with its organization roles there.
                            </p>
                          ),
                          confirmLabel: 'Remove from organization',
                          danger: true,
                          always: true,
                        },
                        'Removed from the organization',
                      );
                      if (r?.ok) void load();
                    }}
                  >
                    Remove
                  </CapableButton>
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
      <div className="actions">
        <label>
          Add to
          <select
            value={chosen}
            onFocus={() => choices.length === 0 && void pickable()}
            onChange={(e) => setChosen(e.target.value)}
          >
            <option value="">an organization…</option>
            {choices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName ?? o.name}
              </option>
            ))}
          </select>
        </label>
        <CapableButton
          capability="orgs:members"
          tenantId={tenant.id}
          disabled={!chosen}
          onClick={async () => {
            const org = choices.find((o) => o.id === chosen);
            const r = await store.write(
              tenant,
              'orgs:add-members',
              { tenantId: tenant.id, orgId: chosen, userIds: [userId] },
              {
                title: 'Add to this organization?',
                body: (
                  <p>
                    {who} joins {org?.displayName ?? org?.name ?? chosen}.
                  </p>
                ),
                confirmLabel: 'Add to organization',
              },
              'Added to the organization',
            );
            if (r?.ok) {
              setChosen('');
              void load();
            }
          }}
        >
          Add
        </CapableButton>
      </div>
    </section>
  );
}
