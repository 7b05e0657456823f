import { useEffect, useId, useState } from 'react';
import type { Auth0User, TenantProfile } from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { generatePassword } from '../../password';
import { count, when } from '../../format';

/** Password-change link, reset email and a new password, for database users only. */
export function PasswordSection({ tenant, user }: { tenant: TenantProfile; user: Auth0User }) {
  const id = useId();
  const act = useDetailStore((s) => s.act);
  const setDirty = useDetailStore((s) => s.setDirty);
  const toast = useAppStore((s) => s.toast);
  const [ticket, setTicket] = useState<{ ticket: string; expiresAt: string } | null>(null);
  const [ttlHours, setTtlHours] = useState(24);
  const [resultUrl, setResultUrl] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const dbIdentity = user.identities?.find((i) => i.provider === 'auth0');
  useEffect(() => {
    setDirty('password', newPassword !== '');
    return () => setDirty('password', false);
  }, [newPassword, setDirty]);

  return (
    <section aria-labelledby={`${id}-password`}>
      <h3 id={`${id}-password`}>Password</h3>
      {!dbIdentity ? (
        <p className="muted">
          This user signs in through {user.identities?.[0]?.connection ?? 'another provider'}; their password
          is managed there.
        </p>
      ) : (
        <>
          <div className="actions">
            <label className="inline">
              Link valid for
              <select value={ttlHours} onChange={(e) => setTtlHours(Number(e.target.value))}>
                {[1, 24, 72, 120].map((h) => (
                  <option key={h} value={h}>
                    {count(h, 'hour')}
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
              data-command="Create a password-change link"
              data-shortcut="Alt+Shift+L"
              aria-keyshortcuts="Alt+Shift+L"
              capability="tickets:password-change"
              tenantId={tenant.id}
              onClick={async () => {
                const r = await act(
                  'users:password-ticket',
                  { ttlSec: ttlHours * 3600, ...(resultUrl.trim() ? { resultUrl: resultUrl.trim() } : {}) },
                  {
                    progress: 'Creating a password-change link',
                    success: 'Password-change link created',
                    confirm: {
                      title: 'Create a password-change link?',
                      body: (
                        <p>
                          Anyone with the link can set {user.email ?? 'this user'}&rsquo;s password for the
                          next {count(ttlHours, 'hour')}.
                        </p>
                      ),
                      confirmLabel: 'Create link',
                    },
                  },
                );
                if (r?.ok) setTicket(r.data);
              }}
            >
              Create password-change link
            </CapableButton>
            <CapableButton
              data-command="Send password reset email"
              data-shortcut="Alt+Shift+R"
              aria-keyshortcuts="Alt+Shift+R"
              capability="users:reset-email"
              tenantId={tenant.id}
              onClick={() =>
                void act(
                  'users:reset-email',
                  {},
                  {
                    progress: 'Sending the reset email',
                    success: `Reset email sent to ${user.email}`,
                    confirm: {
                      title: 'Send a password reset email?',
                      body: <p>A reset link goes to {user.email}.</p>,
                      confirmLabel: 'Send email',
                    },
                  },
                )
              }
            >
              Send reset email
            </CapableButton>
          </div>
          {ticket && (
            <div className="ticket">
              <label>
                Password-change link (valid until {when(ticket.expiresAt)})
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
            onSubmit={async (e) => {
              e.preventDefault();
              const r = await act(
                'users:set-password',
                { password: newPassword },
                {
                  progress: 'Setting the password',
                  success: 'Password set',
                  confirm: {
                    title: 'Set a new password?',
                    body: <p>The user&rsquo;s current password stops working at once.</p>,
                    confirmLabel: 'Set password',
                    danger: true,
                    always: true,
                  },
                },
              );
              if (r?.ok) setNewPassword('');
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
            <CapableButton capability="users:update" tenantId={tenant.id} type="submit">
              Set password
            </CapableButton>
          </form>
        </>
      )}
    </section>
  );
}
