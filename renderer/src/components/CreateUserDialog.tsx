import { useId, useState } from 'react';
import type { ConnectionSummary, ErrorEnvelope, TenantProfile } from '../../../preload/contract';
import { bridge } from '../bridge';
import { useAppStore } from '../stores/app';
import { ErrorMessage } from './ErrorMessage';
import { generatePassword, passwordRules } from './password';

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
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [verifyEmail, setVerifyEmail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const toast = useAppStore((s) => s.toast);
  const chosen = databases.find((c) => c.name === connection);
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const r = await bridge.invoke('users:create', {
            tenantId: tenant.id,
            connection,
            email,
            password,
            verifyEmail,
            ...(name ? { name } : {}),
          });
          setBusy(false);
          if (!r.ok) return setError(r.error);
          toast('success', `Created ${r.data.email ?? r.data.user_id}`);
          onClose(r.data.user_id);
        }}
      >
        <h2 id={`${id}-title`}>Create a user on {tenant.label}</h2>
        <label>
          Connection
          <select value={connection} onChange={(e) => setConnection(e.target.value)} required>
            {databases.map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Email
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="off"
          />
        </label>
        <label>
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            type={show ? 'text' : 'password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
            aria-describedby={`${id}-rules`}
          />
        </label>
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
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !connection}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
          <button type="button" onClick={() => onClose()} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
