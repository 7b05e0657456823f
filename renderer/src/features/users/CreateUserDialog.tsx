import { passwordProblem, usernameProblem } from '../../../../preload/contract';
import { useId, useState } from 'react';
import type { ConnectionSummary, ErrorEnvelope, TenantProfile } from '../../../../preload/contract';
import { fieldErrors, unplacedError } from '../../fields';
import { useAppStore } from '../../stores/app';
import { useUsersStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';
import { Modal } from '../../ui/Modal';
import { TenantBadge } from '../../ui/TenantBadge';
import { generatePassword, passwordRules } from '../../password';

const FIELDS = ['connection', 'email', 'username', 'name', 'password'] as const;

/** Creates a user on the tenant it was opened for (database connections only), through the guard. */
export function CreateUserDialog({
  tenant,
  connections,
  onClose,
}: {
  tenant: TenantProfile;
  connections: ConnectionSummary[];
  onClose: (createdUserId?: string) => void;
}) {
  const id = useId();
  const databases = connections.filter((c) => c.isDatabase);
  const [connection, setConnection] = useState(databases[0]?.name ?? '');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [verifyEmail, setVerifyEmail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const toast = useAppStore((s) => s.toast);
  const chosen = databases.find((c) => c.name === connection);
  const errors = fieldErrors(error);
  const described = (field: string, extra?: string) =>
    [errors[field] && `${id}-${field}-error`, extra].filter(Boolean).join(' ') || undefined;
  return (
    <Modal labelledBy={`${id}-title`} onClose={() => onClose()} busy={busy}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          // The connection's rules are known: a username it won't take and a weak password are said beside their
          // fields, before any confirmation.
          const issues = [
            ...(chosen?.requiresUsername
              ? [{ path: 'username', message: usernameProblem(username, chosen.usernameLength ?? null) }]
              : []),
            {
              path: 'password',
              message: chosen ? passwordProblem(chosen.passwordPolicy, chosen.minLength, password) : null,
            },
          ].filter((i): i is { path: string; message: string } => !!i.message);
          if (issues.length)
            return setError({
              code: 'validation',
              message: issues.map((i) => i.message).join(' '),
              retryable: false,
              details: { issues },
            });
          setBusy(true);
          const r = await useUsersStore.getState().createUser(
            tenant,
            {
              tenantId: tenant.id,
              connection,
              email,
              password,
              verifyEmail,
              ...(name ? { name } : {}),
              ...(chosen?.requiresUsername ? { username: username.trim() } : {}),
            },
            {
              title: 'Create this user?',
              body: (
                <p>
                  {email} in {connection}
                  {verifyEmail ? ', with a verification email.' : '.'}
                </p>
              ),
              confirmLabel: 'Create user',
            },
          );
          setBusy(false);
          if (!r) return;
          if (!r.ok) return setError(r.error);
          toast('success', `Created ${r.data.email ?? r.data.user_id} on ${tenant.label}`);
          onClose(r.data.user_id);
        }}
      >
        <TenantBadge tenant={tenant} />
        <h2 id={`${id}-title`}>Create a user on {tenant.label}</h2>
        {databases.length === 0 && (
          <p className="error" role="alert">
            This tenant has no database connection (or its connections could not be loaded): users can only be
            created in one.
          </p>
        )}
        <label>
          Connection
          <select
            value={connection}
            onChange={(e) => setConnection(e.target.value)}
            required
            aria-invalid={!!errors.connection}
            aria-describedby={described('connection')}
          >
            {databases.map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <FieldError id={`${id}-connection-error`} message={errors.connection} />
        <label>
          Email
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="off"
            data-autofocus
            aria-invalid={!!errors.email}
            aria-describedby={described('email')}
          />
        </label>
        <FieldError id={`${id}-email-error`} message={errors.email} />
        {chosen?.requiresUsername && (
          <>
            <label>
              Username
              <input
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                aria-required
                autoComplete="off"
                spellCheck={false}
                aria-invalid={!!errors.username}
                aria-describedby={described('username', `${id}-username-rules`)}
              />
            </label>
            <FieldError id={`${id}-username-error`} message={errors.username} />
            <p id={`${id}-username-rules`} className="muted">
              {chosen.name} asks for a username:{' '}
              {chosen.usernameLength
                ? `${chosen.usernameLength.min} to ${chosen.usernameLength.max} characters`
                : 'up to 128 characters'}
              , letters, digits and _+-.!#$&apos;^`~@.
            </p>
          </>
        )}
        <label>
          Name (optional)
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!errors.name}
            aria-describedby={described('name')}
          />
        </label>
        <FieldError id={`${id}-name-error`} message={errors.name} />
        <label>
          Password
          <input
            type={show ? 'text' : 'password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            aria-describedby={described('password', `${id}-rules`)}
          />
        </label>
        <FieldError id={`${id}-password-error`} message={errors.password} />
        <p id={`${id}-rules`} className="muted">
          {passwordRules(chosen?.passwordPolicy ?? null, chosen?.minLength ?? null)}
        </p>
        <div className="actions">
          <button type="button" onClick={() => setPassword(generatePassword())}>
            Generate password
          </button>
          <button type="button" onClick={() => setShow((v) => !v)} aria-pressed={show}>
            {show ? 'Hide password' : 'Show password'}
          </button>
        </div>
        <label className="inline">
          <input type="checkbox" checked={verifyEmail} onChange={(e) => setVerifyEmail(e.target.checked)} />
          Send a verification email
        </label>
        <ErrorMessage error={unplacedError(error, errors, FIELDS)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !connection}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
          <button type="button" onClick={() => onClose()} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
