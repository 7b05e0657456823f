import { useEffect, useId, useRef, useState } from 'react';
import type { RoleSummary, TenantProfile } from '../../../preload/contract';
import { bridge } from '../bridge';
import { useAppStore } from '../stores/app';
import { useDetailStore } from '../stores/detail';
import { CapableButton } from './Capable';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { ErrorMessage } from './ErrorMessage';
import { MetadataEditor } from './MetadataEditor';
import { generatePassword } from './password';

function when(v: string | undefined): string {
  return v ? new Date(v).toLocaleString() : '—';
}

/** Everything about one user, and every support-desk action on them. */
export function UserDetail({ tenant, onChanged }: { tenant: TenantProfile; onChanged: () => void }) {
  const id = useId();
  const d = useDetailStore();
  const toast = useAppStore((s) => s.toast);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [ticket, setTicket] = useState<{ ticket: string; expiresAt: string } | null>(null);
  const [ttlHours, setTtlHours] = useState(24);
  const [resultUrl, setResultUrl] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [roleFilter, setRoleFilter] = useState('');
  const [roleResults, setRoleResults] = useState<RoleSummary[] | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const guard = tenant.environment === 'production' ? tenant.domain : null;
  const user = d.user;
  const userId = d.userId!;

  useEffect(() => heading.current?.focus(), [userId]);

  const act = async (label: string, run: () => Promise<{ ok: boolean }>) => {
    const r = await run();
    if (r.ok) onChanged();
    return r;
  };

  if (d.loading || (!user && !d.error)) {
    return (
      <aside className="detail" aria-label="User detail">
        <p role="status">Loading user…</p>
      </aside>
    );
  }
  if (!user) {
    return (
      <aside className="detail" aria-label="User detail">
        <ErrorMessage error={d.error} />
        <button type="button" onClick={d.close}>
          Close
        </button>
      </aside>
    );
  }
  const dbIdentity = user.identities?.find((i) => i.provider === 'auth0');
  const assigned = new Set((d.roles ?? []).map((r) => r.id));

  return (
    <aside className="detail" aria-labelledby={`${id}-title`}>
      <div className="detail-head">
        {/* Remote pictures are not loaded: they would tell a third party who is being looked at. */}
        <span className="avatar" aria-hidden="true">
          {(user.name ?? user.email ?? '?')
            .split(/[\s@.]+/)
            .slice(0, 2)
            .map((w) => w[0]?.toUpperCase() ?? '')
            .join('')}
        </span>
        <div>
          <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
            {user.name ?? user.email ?? user.user_id}
          </h2>
          <p className="muted">{user.user_id}</p>
        </div>
        <button type="button" onClick={d.close} aria-label="Close user detail">
          Close
        </button>
      </div>
      {d.running && (
        <p role="status" className="progress">
          {d.running}…
        </p>
      )}
      {user.blocked && (
        <p className="notice blocked-notice" role="note">
          This user is blocked: they cannot log in.
        </p>
      )}

      <section aria-labelledby={`${id}-profile`}>
        <h3 id={`${id}-profile`}>Profile</h3>
        <dl className="facts">
          <dt>Email</dt>
          <dd>
            {user.email ?? '—'} {user.email ? (user.email_verified ? '(verified)' : '(not verified)') : ''}
          </dd>
          <dt>Created</dt>
          <dd>{when(user.created_at)}</dd>
          <dt>Updated</dt>
          <dd>{when(user.updated_at)}</dd>
          <dt>Last login</dt>
          <dd>
            {when(user.last_login)} {user.last_ip ? `from ${user.last_ip}` : ''}
          </dd>
          <dt>Logins</dt>
          <dd>{user.logins_count ?? 0}</dd>
          <dt>Last password reset</dt>
          <dd>{when(user.last_password_reset)}</dd>
          <dt>Blocked</dt>
          <dd>{user.blocked ? 'Yes' : 'No'}</dd>
        </dl>
      </section>

      <section aria-labelledby={`${id}-identities`}>
        <h3 id={`${id}-identities`}>Identities</h3>
        <p className="muted">
          Read-only: identities come from the connections the user signs in with and are managed by Auth0.
        </p>
        <ul>
          {(user.identities ?? []).map((i) => (
            <li key={`${i.provider}|${i.user_id}`}>
              {i.connection} ({i.provider}
              {i.isSocial ? ', social' : ''})
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby={`${id}-actions`}>
        <h3 id={`${id}-actions`}>Account</h3>
        <div className="actions">
          {user.blocked ? (
            <CapableButton
              capability="users:block"
              onClick={() =>
                void act('unblock', () =>
                  d.act(
                    'Unblocking',
                    'users:set-blocked',
                    { tenantId: tenant.id, userId, blocked: false },
                    'User unblocked',
                  ),
                )
              }
            >
              Unblock user
            </CapableButton>
          ) : (
            <CapableButton
              capability="users:block"
              onClick={() =>
                setConfirm({
                  title: 'Block this user?',
                  body: <p>{user.email ?? user.user_id} will not be able to log in until unblocked.</p>,
                  confirmLabel: 'Block user',
                  requireDomain: guard,
                  danger: true,
                  run: (confirmDomain) =>
                    act('block', () =>
                      d.act(
                        'Blocking',
                        'users:set-blocked',
                        {
                          tenantId: tenant.id,
                          userId,
                          blocked: true,
                          ...(confirmDomain ? { confirmDomain } : {}),
                        },
                        'User blocked',
                      ),
                    ),
                })
              }
            >
              Block user
            </CapableButton>
          )}
          {!user.email_verified && user.email && (
            <>
              <CapableButton
                capability="users:update"
                onClick={() =>
                  void act('verify', () =>
                    d.act(
                      'Marking the email verified',
                      'users:set-email-verified',
                      { tenantId: tenant.id, userId },
                      'Email marked as verified',
                    ),
                  )
                }
              >
                Mark email verified
              </CapableButton>
              <CapableButton
                capability="jobs:verification-email"
                onClick={() =>
                  void d.act(
                    'Sending the verification email',
                    'users:send-verification-email',
                    { tenantId: tenant.id, userId },
                    `Verification email sent to ${user.email}`,
                  )
                }
              >
                Send verification email
              </CapableButton>
            </>
          )}
          <CapableButton
            capability="users:delete"
            className="danger"
            onClick={() =>
              setConfirm({
                title: 'Delete this user?',
                body: (
                  <p>{user.email ?? user.user_id} will be deleted from the tenant. This cannot be undone.</p>
                ),
                confirmLabel: 'Delete user',
                requireDomain: guard,
                danger: true,
                run: async (confirmDomain) => {
                  const r = await d.act(
                    'Deleting',
                    'users:delete',
                    { tenantId: tenant.id, userId, ...(confirmDomain ? { confirmDomain } : {}) },
                    'User deleted',
                  );
                  if (r.ok) {
                    d.close();
                    onChanged();
                  }
                },
              })
            }
          >
            Delete user
          </CapableButton>
        </div>
        {d.blocks && d.blocks.length > 0 && (
          <div className="notice" role="note">
            <p>
              Blocked after too many failed logins from:{' '}
              {d.blocks.map((b) => `${b.identifier}${b.ip ? ` (${b.ip})` : ''}`).join(', ')}.
            </p>
            <CapableButton
              capability="users:block"
              onClick={() =>
                void d.act(
                  'Removing the brute-force block',
                  'users:unblock-brute-force',
                  { tenantId: tenant.id, userId },
                  'Brute-force block removed',
                )
              }
            >
              Remove brute-force block
            </CapableButton>
          </div>
        )}
      </section>

      <section aria-labelledby={`${id}-password`}>
        <h3 id={`${id}-password`}>Password</h3>
        {!dbIdentity ? (
          <p className="muted">
            This user signs in through {user.identities?.[0]?.connection ?? 'another provider'}; their
            password is managed there.
          </p>
        ) : (
          <>
            <div className="actions">
              <label className="inline">
                Link valid for
                <select value={ttlHours} onChange={(e) => setTtlHours(Number(e.target.value))}>
                  {[1, 24, 72, 120].map((h) => (
                    <option key={h} value={h}>
                      {h} hour{h === 1 ? '' : 's'}
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline">
                Then send the user to (optional)
                <input
                  type="url"
                  value={resultUrl}
                  onChange={(e) => setResultUrl(e.target.value)}
                  placeholder="https://app.example.com/login"
                />
              </label>
              <CapableButton
                capability="tickets:password-change"
                onClick={async () => {
                  const r = await d.act(
                    'Creating a password-change link',
                    'users:password-ticket',
                    {
                      tenantId: tenant.id,
                      userId,
                      ttlSec: ttlHours * 3600,
                      ...(resultUrl.trim() ? { resultUrl: resultUrl.trim() } : {}),
                    },
                    'Password-change link created',
                  );
                  if (r.ok) setTicket(r.data as { ticket: string; expiresAt: string });
                }}
              >
                Create password-change link
              </CapableButton>
              <CapableButton
                capability="users:update"
                onClick={() =>
                  void d.act(
                    'Sending the reset email',
                    'users:reset-email',
                    { tenantId: tenant.id, userId },
                    `Reset email sent to ${user.email}`,
                  )
                }
              >
                Send reset email
              </CapableButton>
            </div>
            {ticket && (
              <div className="ticket">
                <label>
                  Password-change link (valid until {new Date(ticket.expiresAt).toLocaleString()})
                  <input readOnly value={ticket.ticket} onFocus={(e) => e.currentTarget.select()} />
                </label>
                <button
                  type="button"
                  onClick={async () => {
                    await navigator.clipboard.writeText(ticket.ticket).catch(() => undefined);
                    toast('info', 'Link copied');
                  }}
                >
                  Copy link
                </button>
              </div>
            )}
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                const password = newPassword;
                setConfirm({
                  title: 'Set a new password?',
                  body: <p>The user&rsquo;s current password stops working at once.</p>,
                  confirmLabel: 'Set password',
                  requireDomain: guard,
                  danger: true,
                  run: async (confirmDomain) => {
                    const r = await d.act(
                      'Setting the password',
                      'users:set-password',
                      { tenantId: tenant.id, userId, password, ...(confirmDomain ? { confirmDomain } : {}) },
                      'Password set',
                    );
                    if (r.ok) setNewPassword('');
                  },
                });
              }}
            >
              <label>
                New password
                <input
                  type={showPassword ? 'text' : 'password'}
                  value={newPassword}
                  onChange={(e) => setNewPassword(e.target.value)}
                  autoComplete="new-password"
                  required
                />
              </label>
              <button type="button" onClick={() => setNewPassword(generatePassword())}>
                Generate
              </button>
              <button type="button" aria-pressed={showPassword} onClick={() => setShowPassword((v) => !v)}>
                {showPassword ? 'Hide' : 'Show'}
              </button>
              <CapableButton capability="users:update" type="submit">
                Set password
              </CapableButton>
            </form>
          </>
        )}
      </section>

      <section aria-labelledby={`${id}-mfa`}>
        <h3 id={`${id}-mfa`}>Multi-factor authentication</h3>
        {!d.mfa ? (
          <p className="muted">Loading…</p>
        ) : d.mfa.authenticationMethods.length === 0 && d.mfa.enrollments.length === 0 ? (
          <p className="muted">No MFA factors enrolled.</p>
        ) : (
          <ul>
            {d.mfa.authenticationMethods.map((m) => (
              <li key={m.id}>
                {m.type}
                {m.name ? ` — ${m.name}` : ''}{' '}
                {m.created_at ? `(since ${new Date(m.created_at).toLocaleDateString()})` : ''}
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <CapableButton
            capability="mfa:reset"
            disabled={!d.mfa || d.mfa.authenticationMethods.length === 0}
            onClick={() =>
              setConfirm({
                title: 'Reset MFA?',
                body: (
                  <p>
                    All of this user&rsquo;s authentication factors are removed; they enrol again at their
                    next login.
                  </p>
                ),
                confirmLabel: 'Reset MFA',
                requireDomain: guard,
                danger: true,
                run: (confirmDomain) =>
                  d.act(
                    'Resetting MFA',
                    'users:mfa-reset',
                    { tenantId: tenant.id, userId, ...(confirmDomain ? { confirmDomain } : {}) },
                    'MFA reset',
                  ),
              })
            }
          >
            Reset MFA
          </CapableButton>
          <CapableButton
            capability="users:update"
            onClick={() =>
              void d.act(
                'Forgetting remembered browsers',
                'users:invalidate-remember-browser',
                { tenantId: tenant.id, userId },
                'Remembered browsers forgotten',
              )
            }
          >
            Forget remembered browsers
          </CapableButton>
        </div>
      </section>

      <MetadataEditor
        key={`${user.user_id}:u:${user.updated_at}`}
        tenant={tenant}
        user={user}
        kind="user_metadata"
      />
      <MetadataEditor
        key={`${user.user_id}:a:${user.updated_at}`}
        tenant={tenant}
        user={user}
        kind="app_metadata"
      />

      <section aria-labelledby={`${id}-roles`}>
        <h3 id={`${id}-roles`}>Roles</h3>
        {!d.roles ? (
          <p className="muted">Loading…</p>
        ) : d.roles.length === 0 ? (
          <p className="muted">No roles.</p>
        ) : (
          <ul className="roles">
            {d.roles.map((r) => (
              <li key={r.id}>
                {r.name}{' '}
                <CapableButton
                  capability="roles:assign"
                  aria-label={`Remove role ${r.name}`}
                  onClick={() =>
                    setConfirm({
                      title: `Remove the role ${r.name}?`,
                      body: <p>The user loses the permissions this role grants.</p>,
                      confirmLabel: 'Remove role',
                      requireDomain: guard,
                      danger: true,
                      run: (confirmDomain) =>
                        d.act(
                          'Removing the role',
                          'users:remove-roles',
                          {
                            tenantId: tenant.id,
                            userId,
                            roleIds: [r.id],
                            ...(confirmDomain ? { confirmDomain } : {}),
                          },
                          `Role ${r.name} removed`,
                        ),
                    })
                  }
                >
                  Remove
                </CapableButton>
              </li>
            ))}
          </ul>
        )}
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await bridge.invoke('roles:search', { tenantId: tenant.id, nameFilter: roleFilter });
            setRoleResults(r.ok ? r.data.roles : []);
          }}
        >
          <label>
            Find a role (searches all of the tenant&rsquo;s roles)
            <input value={roleFilter} onChange={(e) => setRoleFilter(e.target.value)} />
          </label>
          <CapableButton capability="roles:read" type="submit">
            Find roles
          </CapableButton>
        </form>
        {roleResults && (
          <ul className="role-results" aria-label="Matching roles">
            {roleResults.length === 0 && <li className="muted">No role matches.</li>}
            {roleResults.map((r) => (
              <li key={r.id}>
                {r.name}{' '}
                <CapableButton
                  capability="roles:assign"
                  disabled={assigned.has(r.id)}
                  aria-label={`Assign role ${r.name}`}
                  onClick={() =>
                    void d.act(
                      'Assigning the role',
                      'users:assign-roles',
                      { tenantId: tenant.id, userId, roleIds: [r.id] },
                      `Role ${r.name} assigned`,
                    )
                  }
                >
                  {assigned.has(r.id) ? 'Assigned' : 'Assign'}
                </CapableButton>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby={`${id}-logs`}>
        <h3 id={`${id}-logs`}>Recent log events</h3>
        {!d.logs ? (
          <p className="muted">Loading…</p>
        ) : d.logs.length === 0 ? (
          <p className="muted">No log events for this user.</p>
        ) : (
          <table className="logs">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {d.logs.map((l) => (
                <tr key={l.log_id}>
                  <td>{when(l.date)}</td>
                  <td>{l.type}</td>
                  <td>{l.description ?? ''}</td>
                  <td>{l.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <details>
        <summary>Raw JSON</summary>
        <pre className="raw">{JSON.stringify(user, null, 2)}</pre>
      </details>
      {confirm && <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />}
    </aside>
  );
}
