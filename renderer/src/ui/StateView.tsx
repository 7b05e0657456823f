/**
 * A user's state before or after a change, readable: one line per key (a key that isn't there shows as "none");
 * a whole user (kept before a delete) folded away. Roles are held as ids: with `roleNames` (id → name) they are
 * shown by name, the id in the tooltip.
 */
export function StateView({
  value,
  roleNames,
}: {
  value: unknown;
  roleNames?: Record<string, string> | undefined;
}) {
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
            {v === null ? (
              <em className="muted">none</em>
            ) : k === 'roles' && isIds(v) ? (
              <RoleList ids={v} names={roleNames} />
            ) : (
              <code>{JSON.stringify(v)}</code>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <code>{JSON.stringify(value)}</code>;
}

const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Roles by name where known (the id where not), each with its id in the tooltip. */
function RoleList({ ids, names }: { ids: string[]; names: Record<string, string> | undefined }) {
  if (ids.length === 0) return <em className="muted">none</em>;
  return (
    <span className="role-names">
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          {names?.[id] ? (
            <span className="role-name" title={id}>
              {names[id]}
            </span>
          ) : (
            <code className="role-id">{id}</code>
          )}
        </span>
      ))}
    </span>
  );
}
