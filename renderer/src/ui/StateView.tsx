/**
 * A user's state before or after a change, readable: one line per key (a key that isn't there shows as "none");
 * a whole user (kept before a delete) folded away.
 */
export function StateView({ value }: { value: unknown }) {
  if (value === undefined) return null;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('user_id' in value)
      return (
        <details className="state-user">
          <summary>The whole user</summary>
          <pre>{JSON.stringify(value, null, 2)}</pre>
        </details>
      );
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="muted">nothing</span>;
    return (
      <ul className="state-list">
        {entries.map(([k, v]) => (
          <li key={k}>
            <span className="state-key">{k}</span>{' '}
            {v === null ? <em className="muted">none</em> : <code>{JSON.stringify(v)}</code>}
          </li>
        ))}
      </ul>
    );
  }
  return <code>{JSON.stringify(value)}</code>;
}
