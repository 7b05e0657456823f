// The results' column chooser (the Users screen and a snapshot's view): the usual columns and any metadata path.
import { useId, useState } from 'react';
import { DEFAULT_COLUMNS } from './store';
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
  const id = useId();
  const [custom, setCustom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
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
          // Said beside the field, never dropped silently.
          if (!/^(app_metadata|user_metadata)\.[\w-]+(\.[\w-]+)*$/.test(path))
            return setProblem(
              'A metadata column is app_metadata. or user_metadata. and a key path, e.g. app_metadata.plan or user_metadata.address.city (letters, digits, _ and -, keys joined by dots).',
            );
          if (columns.includes(path)) return setProblem(`${path} is shown already.`);
          onChange([...columns, path]);
          setProblem(null);
          setCustom('');
        }}
      >
        <label>
          Metadata column
          <input
            value={custom}
            onChange={(e) => {
              setCustom(e.target.value);
              setProblem(null);
            }}
            placeholder="app_metadata.plan"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </label>
        <button type="submit">Add column</button>
        {problem && (
          <p id={`${id}-problem`} className="field-error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </details>
  );
}
