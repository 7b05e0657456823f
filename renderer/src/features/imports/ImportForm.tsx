// A new import: the connection (database ones only), the file, and main's check of it — rows, valid rows, chunks,
// notes, a CSV's column mapping (changing it checks the file again), each row's problem in words — then the options
// and Start, through the guard (on a production tenant the domain and the number of users are typed back).
import { useEffect, useId, useState } from 'react';
import {
  IMPORT_CHUNK_BYTES,
  IMPORT_CONCURRENT_JOBS,
  IMPORT_FIELDS,
  IMPORT_TARGET_PATTERN,
  importFormats,
  metadataKeyProblem,
  type ImportFormat,
  type ImportPreview,
  type TenantProfile,
} from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { keyFromColumn, splitTarget, useImportDraft, useImportsStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';
import { SectionState } from '../../ui/SectionState';
import { count, formatBytes } from '../../format';

export const FORMAT_WORDS: Record<ImportFormat, string> = {
  json: 'JSON (an array of users)',
  ndjson: 'NDJSON (one user per line)',
  csv: 'CSV',
};
export const UPSERT_WARNING =
  'Auth0 replaces app_metadata and user_metadata of existing users on upsert; it does not merge them.';

/**
 * How many chunks (Auth0 import jobs) the file goes in as. Main packs the valid rows, as Auth0's import JSON, into
 * chunks of at most IMPORT_CHUNK_BYTES, and only for a file without problems: before that there is no count to give,
 * and no 0 is shown in its place.
 */
export function chunksInWords(p: Pick<ImportPreview, 'chunks' | 'errorCount' | 'valid'>): string {
  if (p.chunks > 0) return count(p.chunks);
  if (p.errorCount > 0) return 'Not split yet: the file is split once no row has a problem';
  if (p.valid === 0) return 'None: the file has no user to import';
  return 'Not split yet';
}

export function ImportForm({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const d = useImportDraft(tenant.id);
  const store = useImportsStore();
  const connections = useImportsStore((s) => s.connections[tenant.id]);

  useEffect(() => {
    if (!useImportsStore.getState().connections[tenant.id]) void store.loadConnections(tenant.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant.id]);

  return (
    <section className="bulk-form import-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New import</h2>
      <SectionState
        value={connections ?? { state: 'loading' }}
        what="the tenant's connections"
        retry={() => void store.loadConnections(tenant.id)}
      >
        {(list) => {
          const databases = list.filter((c) => c.isDatabase);
          const others = list.length - databases.length;
          return databases.length === 0 ? (
            <p className="error" role="alert">
              This tenant has no database connection: Auth0 imports users only into one.
            </p>
          ) : (
            <label>
              Database connection the users go to
              <select
                value={d.connectionId}
                onChange={(e) => void store.prepare(tenant.id, { connectionId: e.target.value })}
                aria-describedby={others ? `${id}-others` : undefined}
              >
                {!d.connectionId && <option value="">Choose a connection</option>}
                {databases.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              {others > 0 && (
                <span id={`${id}-others`} className="hint">
                  {count(others)} other connection{others === 1 ? ' is' : 's are'} not offered: Auth0 imports
                  users only into database connections.
                </span>
              )}
            </label>
          );
        }}
      </SectionState>
      <label>
        File (JSON array, NDJSON or CSV; Auth0&rsquo;s own users export is converted)
        <input
          type="file"
          accept=".json,.ndjson,.jsonl,.csv,application/json,text/csv"
          disabled={!!d.sending}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Emptied, so that choosing the same file again (after fixing it) is a change too.
            e.target.value = '';
            if (file) void store.chooseFile(tenant.id, file);
          }}
        />
      </label>
      {d.sending && (
        <p role="status" className="progress">
          Handing {d.file?.name} over: {formatBytes(d.sending.sent)} of {formatBytes(d.sending.total)} (
          {Math.floor((d.sending.sent / Math.max(1, d.sending.total)) * 100)} %)
        </p>
      )}
      <ErrorMessage error={d.error} />
      {d.preview && (
        <SectionState value={d.preview} what="the file's check" retry={() => void store.prepare(tenant.id)}>
          {(p) => <Preview tenant={tenant} preview={p} />}
        </SectionState>
      )}
    </section>
  );
}

function Preview({ tenant, preview: p }: { tenant: TenantProfile; preview: ImportPreview }) {
  const id = useId();
  const d = useImportDraft(tenant.id);
  const store = useImportsStore();
  const toast = useAppStore((s) => s.toast);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]['error']>(null);
  const blocked =
    p.errorCount > 0
      ? 'The import cannot start while rows have problems: fix them in the file and choose it again.'
      : !p.ready
        ? 'The file is not ready to import.'
        : p.rows === 0
          ? 'The file has no user.'
          : d.recheckError
            ? 'The last change could not be checked.'
            : null;

  const start = async () => {
    setError(null);
    setStarting(true);
    const r = await useImportsStore.getState().start(
      tenant,
      { importId: p.importId, upsert: d.upsert, sendCompletionEmail: d.sendCompletionEmail },
      {
        title: `Import ${count(p.valid)} users into ${p.connection.name} on ${tenant.label}?`,
        body: (
          <>
            <p>
              {p.fileName}, in {count(p.chunks)} Auth0 job{p.chunks === 1 ? '' : 's'}.{' '}
              {d.upsert
                ? 'Users that already exist are updated (upsert).'
                : 'Users that already exist are refused by Auth0 and listed as failed.'}
            </p>
            {d.upsert && <p className="warning-text">{UPSERT_WARNING}</p>}
            <p>An import can&rsquo;t be undone from Tenant Desk.</p>
          </>
        ),
        confirmLabel: `Start: import ${count(p.valid)} users`,
        danger: d.upsert,
        always: true,
        // Main counts the valid rows (all of them: an import starts only without problems).
        count: p.valid,
      },
    );
    setStarting(false);
    if (!r) return;
    if (!r.ok) return setError(r.error);
    store.started(tenant.id, r.data);
    toast('info', `Import of ${p.fileName} started (${tenant.label})`);
  };

  return (
    <div className="import-preview" aria-busy={d.checking}>
      <h3>The file, checked</h3>
      {d.checking && (
        <p role="status" className="progress">
          Checking the file again…
        </p>
      )}
      <ErrorMessage error={d.recheckError} />
      <dl className="facts">
        <dt>File</dt>
        <dd>
          {p.fileName} ({formatBytes(p.bytes)})
        </dd>
        <dt>Format</dt>
        <dd>
          <label className="inline">
            <span>
              {FORMAT_WORDS[p.format]}{' '}
              <span className="muted">{d.format ? '(as chosen)' : '(detected)'}</span>
            </span>
            <select
              aria-label="Read the file as"
              value={d.format ?? ''}
              onChange={(e) =>
                void store.prepare(tenant.id, {
                  format: (e.target.value || null) as ImportFormat | null,
                  mapping: null,
                })
              }
            >
              <option value="">As detected</option>
              {importFormats.map((f) => (
                <option key={f} value={f}>
                  Read as {FORMAT_WORDS[f]}
                </option>
              ))}
            </select>
          </label>
        </dd>
        <dt>Connection</dt>
        <dd>{p.connection.name}</dd>
        <dt>Rows</dt>
        <dd data-testid="import-rows">{count(p.rows)}</dd>
        <dt>Valid</dt>
        <dd className={p.valid < p.rows ? 'bad' : undefined}>{count(p.valid)}</dd>
        <dt>Chunks</dt>
        <dd data-testid="import-chunks">
          {chunksInWords(p)}{' '}
          <span className="muted">
            (each one Auth0 import job of at most {formatBytes(IMPORT_CHUNK_BYTES)} —{' '}
            {count(IMPORT_CHUNK_BYTES, 'byte')}, Auth0&rsquo;s limit; {IMPORT_CONCURRENT_JOBS} jobs run at a
            time)
          </span>
        </dd>
      </dl>
      {(p.converted || p.notes.length > 0) && (
        <ul className="export-notes" aria-label="Notes on the file">
          {p.converted && !p.notes.some((n) => /convert/i.test(n)) && (
            <li>Auth0&rsquo;s export converted to its import schema.</li>
          )}
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {p.format === 'csv' && p.columns && p.columns.length > 0 && <MappingStep tenant={tenant} preview={p} />}
      {p.errorCount > 0 && <RowErrors preview={p} />}
      <fieldset>
        <legend>Options</legend>
        <label className="inline">
          <input
            type="checkbox"
            checked={d.upsert}
            onChange={(e) => store.update(tenant.id, { upsert: e.target.checked })}
          />
          Update users that already exist (upsert)
        </label>
        {d.upsert && (
          <p className="warning-text" role="note" id={`${id}-upsert`}>
            {UPSERT_WARNING}
          </p>
        )}
        <label className="inline">
          <input
            type="checkbox"
            checked={d.sendCompletionEmail}
            onChange={(e) => store.update(tenant.id, { sendCompletionEmail: e.target.checked })}
          />
          Email the tenant&rsquo;s administrators when each Auth0 job completes
        </label>
      </fieldset>
      {blocked && (
        <p className="error" role="alert">
          {blocked}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <CapableButton
          capability="jobs:import"
          tenantId={tenant.id}
          className={d.upsert ? 'danger-solid' : 'primary'}
          disabled={!!blocked || d.checking || starting}
          onClick={() => void start()}
        >
          Start: import {count(p.valid)} users…
        </CapableButton>
        <button type="button" onClick={() => store.discard(tenant.id)}>
          Discard
        </button>
        <span className="hint">Nothing is sent until you start it.</span>
      </div>
    </div>
  );
}

/** The problems found, row by row, in words. */
function RowErrors({ preview: p }: { preview: ImportPreview }) {
  return (
    <div className="row-errors">
      <h4>
        {count(p.errorCount, 'problem')}
        {p.errors.length < p.errorCount ? ` (the first ${count(p.errors.length)} shown)` : ''}
      </h4>
      <table className="plan-table">
        <caption className="visually-hidden">Problems in the file, by row</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {p.errors.map((e, i) => (
            <tr key={`${e.row}-${e.field ?? ''}-${i}`}>
              <td className="num">{count(e.row)}</td>
              <td>{e.field ? <code>{e.field}</code> : ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const METADATA = ['user_metadata.', 'app_metadata.'] as const;
/** The select's value for a column the mapping does not name (never sent). */
const UNMAPPED = '\u0000unmapped';

/** Each CSV column to an import field, a metadata key, or nowhere; every change is checked by main again. */
export function MappingStep({ tenant, preview: p }: { tenant: TenantProfile; preview: ImportPreview }) {
  const d = useImportDraft(tenant.id);
  const mapping = d.mapping ?? p.mapping ?? {};
  const columns = p.columns ?? [];
  const usedBy = new Map<string, string[]>();
  for (const c of columns) {
    const t = mapping[c];
    if (t) usedBy.set(t, [...(usedBy.get(t) ?? []), c]);
  }
  return (
    <fieldset className="mapping-step">
      <legend>Columns: where each one goes</legend>
      <p className="hint">
        {d.mapping ? 'Your mapping' : 'The suggested mapping'}; any change is checked again at once.
      </p>
      <table className="plan-table mapping-table">
        <caption className="visually-hidden">Column mapping</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">First values</th>
            <th scope="col">Goes to</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c, i) => {
            // A column absent from the mapping is not mapped yet (main asks for a choice); '' is ignored on purpose.
            const target = mapping[c] ?? UNMAPPED;
            const others = (usedBy.get(target) ?? []).filter((x) => x !== c);
            return (
              <MappingRow
                key={`${c}\n${target}`}
                tenantId={tenant.id}
                column={c}
                target={target}
                samples={(p.sample ?? []).map((row) => row[i] ?? '').slice(0, 3)}
                clash={
                  target && target !== UNMAPPED && others.length
                    ? `Also chosen for ${others.join(', ')}.`
                    : undefined
                }
                disabled={d.checking}
              />
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}

function MappingRow({
  tenantId,
  column,
  target,
  samples,
  clash,
  disabled,
}: {
  tenantId: string;
  column: string;
  target: string;
  samples: string[];
  clash: string | undefined;
  disabled: boolean;
}) {
  const id = useId();
  const remap = useImportsStore((s) => s.remap);
  const { kind, key: shownKey } = splitTarget(target);
  const [key, setKey] = useState(shownKey || keyFromColumn(column));
  const metadata = (METADATA as readonly string[]).includes(kind);
  const keyProblem = metadata
    ? (metadataKeyProblem(kind === 'app_metadata.' ? 'app_metadata' : 'user_metadata', key.trim()) ??
      (IMPORT_TARGET_PATTERN.test(`${kind}${key.trim()}`) ? null : 'Not a metadata key Auth0 accepts.'))
    : null;
  const commitKey = () => {
    if (!keyProblem && `${kind}${key.trim()}` !== target)
      void remap(tenantId, column, `${kind}${key.trim()}`);
  };
  return (
    <tr>
      <th scope="row">
        <code>{column}</code>
      </th>
      <td className="muted">{samples.filter(Boolean).join(', ')}</td>
      <td>
        <select
          aria-label={`Column ${column} goes to`}
          value={metadata ? kind : target}
          disabled={disabled}
          onChange={(e) => {
            const next = e.target.value;
            if (next === UNMAPPED) return;
            void remap(
              tenantId,
              column,
              (METADATA as readonly string[]).includes(next)
                ? `${next}${key.trim() || keyFromColumn(column)}`
                : next,
            );
          }}
          aria-invalid={!!clash}
          aria-describedby={clash ? `${id}-clash` : undefined}
        >
          {target === UNMAPPED && <option value={UNMAPPED}>Not mapped: choose</option>}
          <option value="">Ignored</option>
          <optgroup label="Import fields">
            {IMPORT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </optgroup>
          <optgroup label="Into metadata, by key">
            <option value="user_metadata.">user_metadata.&lt;key&gt;</option>
            <option value="app_metadata.">app_metadata.&lt;key&gt;</option>
          </optgroup>
        </select>
        {metadata && (
          <label className="inline mapping-key">
            <span>Key</span>
            <input
              value={key}
              disabled={disabled}
              onChange={(e) => setKey(e.target.value)}
              onBlur={commitKey}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  commitKey();
                }
              }}
              spellCheck={false}
              aria-invalid={!!keyProblem}
              aria-describedby={keyProblem ? `${id}-key` : undefined}
            />
          </label>
        )}
        <FieldError id={`${id}-key`} message={keyProblem ?? undefined} />
        <FieldError id={`${id}-clash`} message={clash} />
      </td>
    </tr>
  );
}
