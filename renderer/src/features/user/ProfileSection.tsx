import { useEffect, useId, useState } from 'react';
import {
  profileEditRules,
  type Auth0User,
  type ErrorEnvelope,
  type ProfileChanges,
  type ProfileField,
  type TenantProfile,
} from '../../../../preload/contract';
import { fieldErrors, unplacedError } from '../../fields';
import { isStaleEdit, useDetailStore } from './store';
import { useTenantSearch, useUsersStore } from '../users/store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';
import { when } from '../../format';

const FIELDS: { field: ProfileField; label: string; type?: string; hint?: string }[] = [
  { field: 'email', label: 'Email', type: 'email' },
  { field: 'username', label: 'Username' },
  { field: 'name', label: 'Name' },
  { field: 'given_name', label: 'Given name' },
  { field: 'family_name', label: 'Family name' },
  { field: 'nickname', label: 'Nickname' },
  {
    field: 'phone_number',
    label: 'Phone number',
    type: 'tel',
    hint: 'International form, like +14155550123',
  },
  { field: 'picture', label: 'Picture URL', type: 'url', hint: 'The https address of an image' },
];

type EmailChoice = 'send' | 'verified' | 'silent';

const valuesOf = (user: Auth0User) =>
  Object.fromEntries(FIELDS.map(({ field }) => [field, String(user[field] ?? '')])) as Record<
    ProfileField,
    string
  >;

/** The profile as Auth0 holds it; editing shows which fields this user's connections let Auth0 change, and why not. */
export function ProfileSection({ tenant, user }: { tenant: TenantProfile; user: Auth0User }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby={`${id}-profile`}>
      <div className="section-title">
        <h3 id={`${id}-profile`}>Profile</h3>
        {!editing && (
          <CapableButton capability="users:update" tenantId={tenant.id} onClick={() => setEditing(true)}>
            Edit profile
          </CapableButton>
        )}
      </div>
      {editing ? (
        // Not remade when the user is reloaded: the form keeps what was typed (see ProfileForm).
        <ProfileForm key={user.user_id} tenant={tenant} user={user} onDone={() => setEditing(false)} />
      ) : (
        <dl className="facts">
          <dt>Email</dt>
          <dd>
            {user.email ?? '—'} {user.email ? (user.email_verified ? '(verified)' : '(not verified)') : ''}
          </dd>
          {user.username && (
            <>
              <dt>Username</dt>
              <dd>{user.username}</dd>
            </>
          )}
          <dt>Name</dt>
          <dd>{user.name ?? '—'}</dd>
          {(user.given_name || user.family_name) && (
            <>
              <dt>Given / family name</dt>
              <dd>
                {user.given_name ?? '—'} / {user.family_name ?? '—'}
              </dd>
            </>
          )}
          <dt>Nickname</dt>
          <dd>{user.nickname ?? '—'}</dd>
          {user.phone_number && (
            <>
              <dt>Phone</dt>
              <dd>{user.phone_number}</dd>
            </>
          )}
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
      )}
    </section>
  );
}

function ProfileForm({
  tenant,
  user,
  onDone,
}: {
  tenant: TenantProfile;
  user: Auth0User;
  onDone: () => void;
}) {
  const id = useId();
  const connections = useTenantSearch(tenant.id).connections;
  const loadConnections = useUsersStore((s) => s.loadConnections);
  const act = useDetailStore((s) => s.act);
  const setDirty = useDetailStore((s) => s.setDirty);
  const reload = useDetailStore((s) => s.reload);
  const initial = valuesOf(user);
  const [values, setValues] = useState(initial);
  const [emailChoice, setEmailChoice] = useState<EmailChoice>('send');
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [busy, setBusy] = useState(false);
  // The user reloaded (a stale edit's Reload, or another write): what was typed stays, fields not touched take the
  // user's values as they are now — so saving never puts back what someone else changed meanwhile.
  const [shownUser, setShownUser] = useState(user);
  const [reloaded, setReloaded] = useState(false);
  if (shownUser !== user) {
    const before = valuesOf(shownUser);
    setShownUser(user);
    setValues((v) => {
      const next = { ...v };
      for (const { field } of FIELDS) if (v[field] === before[field]) next[field] = initial[field];
      return next;
    });
    if (error && isStaleEdit(error)) {
      setError(null);
      setReloaded(true);
    }
  }

  useEffect(() => {
    if (connections.state === 'loading') void loadConnections(tenant.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant.id]);

  const rules = profileEditRules(user, connections.state === 'ready' ? connections.data : []);
  const changed = FIELDS.map((f) => f.field).filter((f) => values[f].trim() !== initial[f]);
  useEffect(() => {
    setDirty('profile', changed.length > 0);
    return () => setDirty('profile', false);
  }, [changed.length, setDirty]);
  const errors = fieldErrors(error, 'changes.');
  const bothIdentifiers = changed.includes('email') && changed.includes('username');

  const changes = (): ProfileChanges => {
    const out: Record<string, unknown> = {};
    for (const f of changed) out[f] = values[f].trim();
    if (changed.includes('email')) {
      if (emailChoice === 'verified') out.email_verified = true;
      else if (emailChoice === 'send') out.verify_email = true;
      else out.verify_email = false;
    }
    return out as ProfileChanges;
  };

  return (
    <form
      className="profile-form"
      aria-label="Edit profile"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const c = changes();
        const r = await act(
          'users:update-profile',
          { changes: c, expectedUpdatedAt: user.updated_at ?? '' },
          {
            progress: 'Saving the profile',
            success: 'Profile saved',
            confirm: {
              title: 'Save these profile changes?',
              body: (
                <ul className="change-list">
                  {changed.map((f) => (
                    <li key={f}>
                      <strong>{FIELDS.find((x) => x.field === f)!.label}</strong>: {initial[f] || '—'} →{' '}
                      {values[f].trim()}
                    </li>
                  ))}
                  {changed.includes('email') && (
                    <li>
                      {emailChoice === 'verified'
                        ? 'The new email is marked verified.'
                        : emailChoice === 'send'
                          ? 'A verification email goes to the new address.'
                          : 'The new email stays unverified; no email is sent.'}
                    </li>
                  )}
                </ul>
              ),
              confirmLabel: 'Save profile',
            },
          },
        );
        setBusy(false);
        if (!r) return;
        if (r.ok) onDone();
        else setError(r.error);
      }}
    >
      {connections.state === 'failed' && (
        <p className="hint warning-text">
          The tenant&rsquo;s connections could not be loaded, so which fields Auth0 allows is checked when you
          save.
        </p>
      )}
      {FIELDS.map(({ field, label, type, hint }) => {
        const reason = rules[field];
        const problem = errors[field];
        // A username field only where the connection uses usernames (or the user already has one).
        if (field === 'username' && reason && !user.username) return null;
        const inputId = `${id}-${field}`;
        return (
          <div key={field} className="field">
            <label htmlFor={inputId}>{label}</label>
            <input
              id={inputId}
              type={type ?? 'text'}
              value={values[field]}
              disabled={!!reason || busy}
              onChange={(e) => {
                setValues((v) => ({ ...v, [field]: e.target.value }));
                setError(null);
                setReloaded(false);
              }}
              aria-invalid={!!problem}
              aria-describedby={
                [
                  reason && `${inputId}-why`,
                  problem && `${inputId}-error`,
                  !reason && hint && `${inputId}-hint`,
                ]
                  .filter(Boolean)
                  .join(' ') || undefined
              }
              spellCheck={false}
            />
            {reason && (
              <span id={`${inputId}-why`} className="hint">
                {reason}
              </span>
            )}
            {!reason && hint && (
              <span id={`${inputId}-hint`} className="hint">
                {hint}
              </span>
            )}
            <FieldError id={`${inputId}-error`} message={problem} />
          </div>
        );
      })}
      {changed.includes('email') && (
        <fieldset>
          <legend>The new email address</legend>
          {(
            [
              ['send', 'Send a verification email to it'],
              ['verified', 'Mark it verified now (you have checked it yourself)'],
              ['silent', 'Leave it unverified and send nothing'],
            ] as [EmailChoice, string][]
          ).map(([value, text]) => (
            <label key={value} className="inline">
              <input
                type="radio"
                name={`${id}-email-choice`}
                checked={emailChoice === value}
                onChange={() => setEmailChoice(value)}
              />
              {text}
            </label>
          ))}
          <FieldError id={`${id}-verify-error`} message={errors.email_verified ?? errors.verify_email} />
        </fieldset>
      )}
      {bothIdentifiers && (
        <p className="error" role="alert">
          Auth0 refuses a new email and a new username in one request: save one, then the other.
        </p>
      )}
      <ErrorMessage
        error={unplacedError(error, errors, [
          ...FIELDS.map((f) => f.field),
          'email_verified',
          'verify_email',
        ])}
        action={
          isStaleEdit(error) && (
            <button type="button" onClick={() => void reload()}>
              Reload user
            </button>
          )
        }
      />
      {reloaded && (
        <p className="hint" role="status">
          Reloaded: the fields show the user as it is now, with your edits kept. Review them and save again.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || changed.length === 0 || bothIdentifiers}>
          Review and save
        </button>
        <button type="button" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
