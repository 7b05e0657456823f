import { useEffect, useId, useMemo, useState } from 'react';
import {
  metadataKeyProblem,
  type Auth0User,
  type ErrorEnvelope,
  type TenantProfile,
} from '../../../../preload/contract';
import { fieldErrors } from '../../fields';
import { isStaleEdit, useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';

type Kind = 'user_metadata' | 'app_metadata';

/** Top-level changes between two objects, Auth0-style: changed or added keys with their value, removed keys as null. */
export function metadataChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after))
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) changes[k] = v;
  for (const k of Object.keys(before)) if (!(k in after)) changes[k] = null;
  return changes;
}

function parse(kind: Kind, text: string): { value: Record<string, unknown> | null; problem: string | null } {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return { value: null, problem: 'Metadata must be a JSON object, like {"plan": "pro"}.' };
    // The same rules main applies (the contract's), so the problem shows before anything is sent.
    for (const key of Object.keys(v)) {
      const problem = metadataKeyProblem(kind, key);
      if (problem) return { value: null, problem };
    }
    return { value: v as Record<string, unknown>, problem: null };
  } catch (err) {
    return { value: null, problem: `Not valid JSON: ${(err as Error).message}` };
  }
}

/** What a Reload carries for an editor: its changes (applied to the reloaded user), or text that didn't parse. */
type Carried = { changes: Record<string, unknown> } | { text: string };

/** The editor's text for the reloaded user: the carried changes on top of what the user holds now. */
function carriedText(original: Record<string, unknown>, carried: Carried | undefined): string | null {
  if (!carried) return null;
  if ('text' in carried) return carried.text;
  const out = { ...original };
  for (const [k, v] of Object.entries(carried.changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return JSON.stringify(out, null, 2);
}

/** A JSON editor with validation; saving shows the diff first and sends only changed top-level keys. */
export function MetadataEditor({
  tenant,
  user,
  kind,
}: {
  tenant: TenantProfile;
  user: Auth0User;
  kind: Kind;
}) {
  const id = useId();
  const original = useMemo(() => (user[kind] ?? {}) as Record<string, unknown>, [user, kind]);
  // The panel remakes the editor for a reloaded user; edits a stale edit's Reload carried start it.
  const [typedSince, setTypedSince] = useState(false);
  const [carried] = useState(() => carriedText(original, useDetailStore.getState().carried[kind] as Carried));
  const [text, setText] = useState(() => carried ?? JSON.stringify(original, null, 2));
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const act = useDetailStore((s) => s.act);
  const running = useDetailStore((s) => s.running);
  const setDirty = useDetailStore((s) => s.setDirty);
  const reload = useDetailStore((s) => s.reload);
  const takeCarried = useDetailStore((s) => s.takeCarried);
  useEffect(() => takeCarried(kind), [kind, takeCarried]);
  const { value, problem } = parse(kind, text);
  const changes = value ? metadataChanges(original, value) : {};
  const changed = Object.keys(changes);
  const title = kind === 'user_metadata' ? 'User metadata' : 'App metadata';
  const edited = text !== JSON.stringify(original, null, 2);
  useEffect(() => {
    setDirty(kind, edited);
    return () => setDirty(kind, false);
  }, [edited, kind, setDirty]);
  const keyErrors = fieldErrors(error, 'changes.');
  return (
    <section aria-labelledby={`${id}-title`} className="metadata">
      <h3 id={`${id}-title`}>{title}</h3>
      <label>
        {title} (JSON)
        <textarea
          value={text}
          rows={Math.min(16, Math.max(4, text.split('\n').length))}
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setReviewing(false);
            setError(null);
            setTypedSince(true);
          }}
          aria-invalid={!!problem}
          aria-describedby={`${id}-problem`}
        />
      </label>
      <p id={`${id}-problem`} className={problem ? 'error' : 'muted'} role={problem ? 'alert' : undefined}>
        {problem ??
          (changed.length
            ? `${changed.length} top-level key${changed.length === 1 ? '' : 's'} changed.`
            : 'No changes.')}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={!value}
          onClick={() => value && setText(JSON.stringify(value, null, 2))}
        >
          Format {title.toLowerCase()}
        </button>
        <button
          type="button"
          onClick={() => setText(JSON.stringify(original, null, 2))}
          disabled={changed.length === 0 && !problem}
        >
          Undo edits
        </button>
      </div>
      {!reviewing ? (
        <CapableButton
          capability="users:update"
          tenantId={tenant.id}
          disabled={!!problem || changed.length === 0}
          onClick={() => setReviewing(true)}
        >
          Review changes to {title.toLowerCase()}
        </CapableButton>
      ) : (
        <div className="diff" aria-label={`Changes to ${title.toLowerCase()}`} role="group">
          <p>These top-level keys will be sent (Auth0 merges them; null removes a key):</p>
          <table className="diff-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((k) => (
                <tr key={k} aria-invalid={!!keyErrors[k]}>
                  <th scope="row">
                    {k}
                    {keyErrors[k] && <span className="field-error"> {keyErrors[k]}</span>}
                  </th>
                  <td>
                    <code>{k in original ? JSON.stringify(original[k]) : '—'}</code>
                  </td>
                  <td>
                    <code>{changes[k] === null ? 'removed (null)' : JSON.stringify(changes[k])}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={running !== null}
              onClick={async () => {
                const r = await act(
                  'users:update-metadata',
                  { kind, changes, expectedUpdatedAt: user.updated_at ?? '' },
                  {
                    progress: `Saving ${title.toLowerCase()}`,
                    success: `${title} saved`,
                    confirm: {
                      title: `Save ${title.toLowerCase()} on ${tenant.label}?`,
                      body: (
                        <p>
                          {changed.length} top-level key{changed.length === 1 ? '' : 's'} of{' '}
                          {user.email ?? user.user_id}: {changed.join(', ')}.
                        </p>
                      ),
                      confirmLabel: `Save ${title.toLowerCase()}`,
                    },
                  },
                );
                if (!r) return;
                if (r.ok) setReviewing(false);
                else setError(r.error);
              }}
            >
              Save {title.toLowerCase()}
            </button>
            <button type="button" onClick={() => setReviewing(false)}>
              Back to editing
            </button>
          </div>
        </div>
      )}
      <ErrorMessage
        error={error}
        action={
          isStaleEdit(error) && (
            <button
              type="button"
              onClick={() =>
                void reload({ [kind]: value ? { changes } : { text } } satisfies Record<string, Carried>)
              }
            >
              Reload user
            </button>
          )
        }
      />
      {carried !== null && !typedSince && (
        <p className="hint" role="status">
          Reloaded: your edits are kept on top of the user&rsquo;s {title.toLowerCase()} as it is now. Review
          them and save again.
        </p>
      )}
    </section>
  );
}
