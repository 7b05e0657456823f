// What a role grants: its permissions (an API's scopes), removed through the guard, and a picker over the tenant's
// own APIs and their scopes to add more. Auth0's own APIs are listed but not offered, with the reason.
import { useEffect, useId, useState } from 'react';
import type {
  ErrorEnvelope,
  PermissionRef,
  ResourceServerSummary,
  RoleDetail,
  TenantProfile,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { useAppStore } from '../../stores/app';
import { useRolesStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { count } from '../../format';

const MAX_AT_ONCE = 100;
const keyOf = (p: PermissionRef) => `${p.resourceServer}\n${p.name}`;

export function RolePermissionsSection({ tenant, detail }: { tenant: TenantProfile; detail: RoleDetail }) {
  const id = useId();
  const store = useRolesStore();
  const toast = useAppStore((s) => s.toast);
  const [picked, setPicked] = useState<Record<string, PermissionRef>>({});
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const role = detail.role;
  const pickedList = Object.values(picked);

  const remove = async () => {
    setError(null);
    const r = await useRolesStore.getState().removePermissions(
      tenant,
      { tenantId: tenant.id, roleId: role.id, permissions: pickedList },
      {
        title: `Remove ${count(pickedList.length, 'permission')} from ${role.name}?`,
        body: (
          <>
            <ul className="change-list">
              {pickedList.slice(0, 10).map((p) => (
                <li key={keyOf(p)}>
                  <code>{p.name}</code> of {p.resourceServer}
                </li>
              ))}
              {pickedList.length > 10 && <li>and {count(pickedList.length - 10)} more</li>}
            </ul>
            <p>Every user holding the role loses them.</p>
          </>
        ),
        confirmLabel: 'Remove permissions',
        danger: true,
        always: true,
      },
    );
    if (!r) return;
    if (!r.ok) return setError(r.error);
    setPicked({});
    toast('success', `${count(pickedList.length)} permission(s) removed from ${role.name} (${tenant.label})`);
    void store.loadDetail(tenant.id);
  };

  return (
    <section className="role-permissions" aria-labelledby={`${id}-title`}>
      <div className="section-title">
        <h3 id={`${id}-title`}>Permissions</h3>
        <div className="head-actions">
          {pickedList.length > 0 && (
            <CapableButton
              capability="roles:manage"
              tenantId={tenant.id}
              className="danger"
              disabled={pickedList.length > MAX_AT_ONCE}
              onClick={() => void remove()}
            >
              Remove {count(pickedList.length)} picked…
            </CapableButton>
          )}
          <CapableButton
            capability="roles:manage"
            tenantId={tenant.id}
            aria-expanded={adding}
            onClick={() => setAdding((a) => !a)}
          >
            Add permissions…
          </CapableButton>
        </div>
      </div>
      <ErrorMessage error={error} />
      {adding && <PermissionPicker tenant={tenant} detail={detail} onDone={() => setAdding(false)} />}
      {detail.permissions.length === 0 ? (
        <p className="muted">This role grants no permission yet.</p>
      ) : (
        <table className="plan-table permissions-table">
          <caption className="visually-hidden">Permissions of {role.name}</caption>
          <thead>
            <tr>
              <th scope="col" className="select-cell">
                <span className="visually-hidden">Pick</span>
              </th>
              <th scope="col">API</th>
              <th scope="col">Permission</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {detail.permissions.map((p) => {
              const ref = { resourceServer: p.resourceServer, name: p.name };
              const key = keyOf(ref);
              return (
                <tr key={key} className={picked[key] ? 'selected' : undefined}>
                  <td className="select-cell">
                    <input
                      type="checkbox"
                      aria-label={`Pick ${p.name} of ${p.resourceServerName}`}
                      checked={!!picked[key]}
                      onChange={(e) =>
                        setPicked((all) => {
                          const next = { ...all };
                          if (e.target.checked) next[key] = ref;
                          else delete next[key];
                          return next;
                        })
                      }
                    />
                  </td>
                  <td>
                    {p.resourceServerName}
                    <div className="muted mono">{p.resourceServer}</div>
                  </td>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>{p.description}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The tenant's APIs and their scopes; the ones ticked are added to the role. */
function PermissionPicker({
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
  const [apis, setApis] = useState<Async<ResourceServerSummary[]>>(loading);
  const [attempt, setAttempt] = useState(0);
  const [apiId, setApiId] = useState('');
  const [filter, setFilter] = useState('');
  const [ticked, setTicked] = useState<Record<string, true>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const role = detail.role;

  useEffect(() => {
    let live = true;
    void useRolesStore
      .getState()
      .resourceServers(tenant.id)
      .then((r) => {
        if (!live) return;
        setApis(fromResult(r));
        // The first API whose scopes can be given, chosen at once.
        if (r.ok) setApiId((chosen) => chosen || (r.data.find((a) => !a.isSystem)?.id ?? ''));
      });
    return () => {
      live = false;
    };
  }, [tenant.id, attempt]);

  const add = async (api: ResourceServerSummary) => {
    const permissions = Object.keys(ticked).map((name) => ({ resourceServer: api.identifier, name }));
    setError(null);
    setBusy(true);
    const r = await useRolesStore.getState().addPermissions(
      tenant,
      { tenantId: tenant.id, roleId: role.id, permissions },
      {
        title: `Add ${count(permissions.length, 'permission')} of ${api.name} to ${role.name}?`,
        body: (
          <>
            <ul className="change-list">
              {permissions.slice(0, 10).map((p) => (
                <li key={p.name}>
                  <code>{p.name}</code>
                </li>
              ))}
              {permissions.length > 10 && <li>and {count(permissions.length - 10)} more</li>}
            </ul>
            <p>Every user holding the role gets them.</p>
          </>
        ),
        confirmLabel: 'Add permissions',
      },
    );
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setError(r.error);
    setTicked({});
    toast('success', `${count(permissions.length)} permission(s) added to ${role.name} (${tenant.label})`);
    void store.loadDetail(tenant.id);
    onDone();
  };

  return (
    <div className="add-members permission-picker" role="region" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Add permissions to {role.name}</h4>
      <SectionState value={apis} what="the tenant's APIs" retry={() => setAttempt((a) => a + 1)}>
        {(list) => {
          const api = list.find((a) => a.id === apiId);
          const has = new Set(
            detail.permissions.filter((p) => p.resourceServer === api?.identifier).map((p) => p.name),
          );
          const words = filter.trim().toLowerCase();
          const scopes = (api?.scopes ?? []).filter(
            (sc) => !words || `${sc.value} ${sc.description}`.toLowerCase().includes(words),
          );
          const tickedCount = Object.keys(ticked).length;
          if (list.length === 0) return <p className="muted">This tenant has no API.</p>;
          return (
            <>
              <label>
                API
                <select
                  value={apiId}
                  onChange={(e) => {
                    setApiId(e.target.value);
                    setTicked({});
                  }}
                  aria-describedby={`${id}-system`}
                >
                  {!list.some((a) => !a.isSystem) && <option value="">No API of yours</option>}
                  {list.map((a) => (
                    <option key={a.id} value={a.id} disabled={a.isSystem}>
                      {a.name} ({a.identifier}){a.isSystem ? ' — Auth0’s own API, not given to roles' : ''}
                    </option>
                  ))}
                </select>
              </label>
              {list.some((a) => a.isSystem) && (
                <p id={`${id}-system`} className="hint">
                  Auth0&rsquo;s own APIs (such as the Management API) are shown but not offered: their scopes
                  are granted to applications, not given to users through roles here.
                </p>
              )}
              {api && (
                <>
                  {api.scopes.length > 8 && (
                    <label>
                      Filter permissions
                      <input value={filter} onChange={(e) => setFilter(e.target.value)} spellCheck={false} />
                    </label>
                  )}
                  {api.scopes.length === 0 ? (
                    <p className="muted">{api.name} defines no permission.</p>
                  ) : (
                    <ul className="pick-list" aria-label={`Permissions of ${api.name}`}>
                      {scopes.map((sc) => (
                        <li key={sc.value}>
                          <label className="inline">
                            <input
                              type="checkbox"
                              disabled={has.has(sc.value)}
                              checked={has.has(sc.value) || !!ticked[sc.value]}
                              onChange={(e) =>
                                setTicked((t) => {
                                  const next = { ...t };
                                  if (e.target.checked) next[sc.value] = true;
                                  else delete next[sc.value];
                                  return next;
                                })
                              }
                            />
                            <span>
                              <code>{sc.value}</code>
                              {sc.description && <span className="muted"> — {sc.description}</span>}
                              {has.has(sc.value) && <span className="muted"> (on the role already)</span>}
                            </span>
                          </label>
                        </li>
                      ))}
                      {scopes.length === 0 && <li className="muted">No permission matches the filter.</li>}
                    </ul>
                  )}
                </>
              )}
              <ErrorMessage error={error} />
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={!api || busy || tickedCount === 0 || tickedCount > MAX_AT_ONCE}
                  onClick={() => api && void add(api)}
                >
                  {tickedCount ? `Add ${count(tickedCount, 'permission')}` : 'Tick permissions to add'}
                </button>
                <button type="button" onClick={onDone}>
                  Close
                </button>
              </div>
            </>
          );
        }}
      </SectionState>
    </div>
  );
}
