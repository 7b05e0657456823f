// The results' column chooser (the Users screen and a snapshot's view): the usual columns and any metadata path.
import { useState } from 'react';
import { DEFAULT_COLUMNS } from '../stores/users';
import { columnLabel } from './UserTable';

const KNOWN_COLUMNS = [
  ...DEFAULT_COLUMNS,
  'user_id',
  'nickname',
  'email_verified',
  'created_at',
  'updated_at',
];

export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: string[];
  onChange: (columns: string[]) => void;
}) {
  const [custom, setCustom] = useState('');
  return (
    <details className="columns">
      <summary>Columns</summary>
      {[...new Set([...KNOWN_COLUMNS, ...columns])].map((c) => (
        <label key={c} className="inline">
          <input
            type="checkbox"
            checked={columns.includes(c)}
            onChange={(e) => onChange(e.target.checked ? [...columns, c] : columns.filter((x) => x !== c))}
          />
          {columnLabel(c)}
        </label>
      ))}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const path = custom.trim();
          if (/^(app_metadata|user_metadata)\.[\w.-]+$/.test(path) && !columns.includes(path))
            onChange([...columns, path]);
          setCustom('');
        }}
      >
        <label>
          Metadata column
          <input value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="app_metadata.plan" />
        </label>
        <button type="submit">Add column</button>
      </form>
    </details>
  );
}
