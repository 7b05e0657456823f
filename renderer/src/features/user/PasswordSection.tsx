import { useEffect, useId, useRef, useState } from 'react';
import type { Auth0User, TenantProfile } from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { generatePassword } from '../../password';
import {
  LINK_PROGRESS,
  createPasswordLink,
  hasDatabaseIdentity,
  sendResetEmail,
  setPasswordSection,
} from './commands';
import { count, when } from '../../format';

/** Password-change link, reset email and a new password, for database users only. */
export function PasswordSection({ tenant, user }: { tenant: TenantProfile; user: Auth0User }) {
  const id = useId();
  const act = useDetailStore((s) => s.act);
  const setDirty = useDetailStore((s) => s.setDirty);
  const toast = useAppStore((s) => s.toast);
  const { ttlHours, resultUrl, created: ticket } = useDetailStore((s) => s.link);
  const setLink = useDetailStore((s) => s.setLink);
  const [newPassword, setNewPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const creating = useDetailStore((s) => s.running === LINK_PROGRESS);
  // A link created now (by the button, Alt+Shift+L or the palette) is shown and focused, selected for copying; one
  // already there when the section appears is left alone.
  const linkInput = useRef<HTMLInputElement>(null);
  const shownTicket = useRef(ticket);
  useEffect(() => {
    if (ticket && ticket !== shownTicket.current) {
      linkInput.current?.scrollIntoView?.({ block: 'nearest' });
      linkInput.current?.focus({ preventScroll: true });
    }
    shownTicket.current = ticket;
  }, [ticket]);
  useEffect(() => {
    setDirty('password', newPassword !== '');
    return () => setDirty('password', false);
  }, [newPassword, setDirty]);

  return (
    <section aria-labelledby={`${id}-password`} ref={setPasswordSection}>
      <h3 id={`${id}-password`}>Password</h3>
      {!hasDatabaseIdentity(user) ? (
        <p className="muted">
          This user signs in through {user.identities?.[0]?.connection ?? 'another provider'}; their password
          is managed there.
        </p>
      ) : (
        <>
          <div className="actions">
            <label className="inline">
              Link valid for
              <select value={ttlHours} onChange={(e) => setLink({ ttlHours: Number(e.target.value) })}>
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
                onChange={(e) => setLink({ resultUrl: e.target.value })}
                placeholder="https://app.example.com/login"
              />
            </label>
            <CapableButton
              aria-keyshortcuts="Alt+Shift+L"
              data-password-link
              capability="tickets:password-change"
              tenantId={tenant.id}
              onClick={() => void createPasswordLink()}
            >
              Create password-change link
            </CapableButton>
            <CapableButton
              aria-keyshortcuts="Alt+Shift+R"
              capability="users:reset-email"
              tenantId={tenant.id}
              onClick={() => void sendResetEmail()}
            >
              Send reset email
            </CapableButton>
          </div>
          {creating && (
            <p role="status" className="progress">
              {LINK_PROGRESS}…
            </p>
          )}
          {ticket && (
            <div className="ticket">
              <label>
                Password-change link (valid until {when(ticket.expiresAt)})
                <input
                  ref={linkInput}
                  readOnly
                  value={ticket.ticket}
                  onFocus={(e) => e.currentTarget.select()}
                />
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
