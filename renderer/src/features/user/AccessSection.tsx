import { useEffect, useId, useState } from 'react';
import type {
  AccessPart,
  SignOutOptions,
  SignOutReport,
  TenantProfile,
  UserAccess,
} from '../../../../preload/contract';
import { when } from '../../format';
import { CapableButton } from '../../ui/Capable';
import { Modal } from '../../ui/Modal';
import { SectionState } from '../../ui/SectionState';
import { useAccessStore, type Revocable } from './access-store';
import { deviceWords } from './devices';
import { useDetailStore } from './store';

/**
 * Where the user is signed in — sessions (device, address, last activity, expiry, application), refresh tokens and
 * consents — each revocable, and "Sign out everywhere", the incident response, with its report once done.
 */
export function AccessSection({ tenant, who }: { tenant: TenantProfile; who: string }) {
  const id = useId();
  const seq = useDetailStore((d) => d.seq);
  const access = useAccessStore((s) => s.access);
  const report = useAccessStore((s) => s.report);
  const load = useAccessStore((s) => s.load);
  const asking = useAccessStore((s) => s.asking);
  const setAsking = useAccessStore((s) => s.setAsking);
  useEffect(() => {
    void load();
  }, [seq, load]);
  return (
    <section aria-labelledby={`${id}-access`} className="access-section">
      <h3 id={`${id}-access`}>Sessions and tokens</h3>
      <SectionState value={access} what="sessions and tokens" retry={() => void load()}>
        {(a) => <AccessLists tenant={tenant} access={a} />}
      </SectionState>
      <div className="actions">
        <CapableButton
          capability="sessions:revoke"
          tenantId={tenant.id}
          className="danger"
          aria-keyshortcuts="Alt+Shift+O"
          onClick={() => setAsking(true)}
        >
          Sign out everywhere…
        </CapableButton>
        <button type="button" onClick={() => void load()}>
          Read again
        </button>
      </div>
      {report && <SignOutReportView report={report} />}
      {asking && <SignOutDialog tenant={tenant} who={who} onClose={() => setAsking(false)} />}
    </section>
  );
}

function Part<T>({
  part,
  what,
  children,
}: {
  part: AccessPart<T>;
  what: string;
  children: (items: T[]) => React.ReactNode;
}) {
  if (!part.ok)
    return (
      <p className="not-permitted" role="note">
        Could not read {what}: {part.reason}
      </p>
    );
  if (part.items.length === 0) return <p className="muted">No {what}.</p>;
  return <>{children(part.items)}</>;
}

function AccessLists({ tenant, access }: { tenant: TenantProfile; access: UserAccess }) {
  const revoke = useAccessStore((s) => s.revoke);
  const button = (kind: Revocable, itemId: string, what: string, label: string) => (
    <CapableButton
      capability={
        kind === 'session'
          ? 'sessions:revoke'
          : kind === 'refresh-token'
            ? 'refresh-tokens:revoke'
            : 'grants:revoke'
      }
      tenantId={tenant.id}
      aria-label={`${label}: ${what}`}
      onClick={() => void revoke(kind, itemId, what)}
    >
      {label}
    </CapableButton>
  );
  return (
    <>
      <h4>Sessions</h4>
      <Part part={access.sessions} what="sessions">
        {(items) => (
          <ul className="access-list">
            {items.map((s) => {
              const device = deviceWords(s.userAgent);
              const apps = s.clients.map((c) => c.name ?? c.clientId).join(', ') || 'no application';
              return (
                <li key={s.id} data-session={s.id}>
                  <div>
                    <strong title={s.userAgent}>{device}</strong> · {apps}
                    <div className="muted">
                      {s.ip ?? 'address unknown'}
                      {s.location ? ` (${s.location})` : ''}
                      {s.initialIp ? `, first from ${s.initialIp}` : ''} · active{' '}
                      {when(s.lastInteractedAt ?? s.authenticatedAt)} · expires {when(s.expiresAt)}
                    </div>
                  </div>
                  {button('session', s.id, `${device} session (${s.ip ?? 'unknown address'})`, 'Revoke')}
                </li>
              );
            })}
          </ul>
        )}
      </Part>
      <h4>Refresh tokens</h4>
      <Part part={access.refreshTokens} what="refresh tokens">
        {(items) => (
          <ul className="access-list">
            {items.map((t) => {
              const app = t.clientName ?? t.clientId ?? 'Unknown application';
              return (
                <li key={t.id} data-refresh-token={t.id}>
                  <div>
                    <strong title={t.userAgent}>{app}</strong>
                    {t.rotating ? ' · rotating' : ''}
                    {t.userAgent ? ` · ${deviceWords(t.userAgent)}` : ''}
                    <div className="muted">
                      created {when(t.createdAt)} · last used {when(t.lastUsedAt)} · expires{' '}
                      {when(t.expiresAt)}
                    </div>
                  </div>
                  {button('refresh-token', t.id, `${app} refresh token`, 'Revoke')}
                </li>
              );
            })}
          </ul>
        )}
      </Part>
      <h4>Consents</h4>
      <Part part={access.grants} what="consents">
        {(items) => (
          <ul className="access-list">
            {items.map((g) => {
              const app = g.clientName ?? g.clientId;
              return (
                <li key={g.id} data-grant={g.id}>
                  <div>
                    <strong>{app}</strong> for {g.audience ?? 'an API'}
                    <div className="muted">{g.scope.join(' ') || 'no scopes'}</div>
                  </div>
                  {button('grant', g.id, `${app} consent`, 'Revoke')}
                </li>
              );
            })}
          </ul>
        )}
      </Part>
    </>
  );
}

const STEP_WORDS: Record<SignOutReport['steps'][number]['step'], string> = {
  block: 'Block',
  'revoke-sessions': 'Sessions',
  'revoke-refresh-tokens': 'Refresh tokens',
  'revoke-grants': 'Consents',
  'mfa-reset': 'MFA',
  'reset-email': 'Password reset email',
  'password-link': 'Password-change link',
};

function SignOutReportView({ report }: { report: SignOutReport }) {
  const dismiss = useAccessStore((s) => s.dismissReport);
  const failed = report.steps.filter((s) => !s.ok).length;
  return (
    <div className={`signout-report ${failed ? 'has-failures' : ''}`} role="status">
      <p>
        <strong>
          {failed
            ? `Signed out, with ${failed} step${failed === 1 ? '' : 's'} failed`
            : 'Signed out everywhere'}
        </strong>{' '}
        <span className="muted">(incident {report.incidentId}, in the audit log)</span>
      </p>
      <ul>
        {report.steps.map((s) => (
          <li key={s.step} className={s.ok ? 'ok' : 'failed'}>
            <span aria-hidden="true">{s.ok ? '✓' : '✗'}</span> {STEP_WORDS[s.step]}: {s.detail}
          </li>
        ))}
      </ul>
      {report.ticket && (
        <p>
          <label>
            Password-change link (shown once)
            <input readOnly value={report.ticket.ticket} onFocus={(e) => e.currentTarget.select()} />
          </label>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(report.ticket!.ticket)}>
            Copy link
          </button>
        </p>
      )}
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** What to do besides revoking every session and refresh token; the guard dialog asks next. */
function SignOutDialog({
  tenant,
  who,
  onClose,
}: {
  tenant: TenantProfile;
  who: string;
  onClose: () => void;
}) {
  const id = useId();
  const signOut = useAccessStore((s) => s.signOut);
  const [options, setOptions] = useState<SignOutOptions>({
    block: false,
    mfaReset: false,
    grants: false,
    password: 'none',
  });
  const flag = (key: 'block' | 'mfaReset' | 'grants', label: string, hint: string) => (
    <label className="check">
      <input
        type="checkbox"
        checked={options[key]}
        onChange={(e) => setOptions({ ...options, [key]: e.currentTarget.checked })}
      />{' '}
      {label} <span className="muted">— {hint}</span>
    </label>
  );
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onClose();
          void signOut(options, who);
        }}
      >
        <h2 id={`${id}-title`}>Sign {who} out everywhere</h2>
        <p>
          Every session and every refresh token of this user on <strong>{tenant.label}</strong> is revoked:
          each application asks them to sign in again. In the same step:
        </p>
        <fieldset>
          <legend>Also</legend>
          {flag('block', 'Block the user', 'they cannot sign in again until unblocked')}
          {flag('mfaReset', 'Reset MFA', 'every factor removed; they enrol again')}
          {flag('grants', 'Revoke consents', 'applications ask for consent again')}
        </fieldset>
        <fieldset>
          <legend>Password</legend>
          {(
            [
              ['none', 'Leave the password'],
              ['email', 'Send a password reset email'],
              ['link', 'Make a password-change link to pass on'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input
                type="radio"
                name={`${id}-password`}
                value={value}
                checked={options.password === value}
                onChange={() => setOptions({ ...options, password: value })}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="submit" className="danger">
            Continue…
          </button>
        </div>
      </form>
    </Modal>
  );
}
