// Two tenants compared user by user: pick A and B, what users are matched by (email unless said otherwise) and which
// fields to compare; Tenant Desk takes a fresh snapshot of each (their progress shown here), then lists the users only
// in A, only in B, and in both with different values — paged, and exported whole as CSV.
import { useId, useState } from 'react';
import {
  EXPORT_FIELD_PATTERN,
  unsafePathProblem,
  EXPORT_USUAL_FIELDS,
  type CompareSummary,
  type ExportStatus,
  type TenantProfile,
} from '../../../../preload/contract';
import { useAcrossStore, type CrossComparison } from './store';
import { useAppStore } from '../../stores/app';
import { useExportStatus } from '../exports/store';
import { useTenantsStore } from '../tenants/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { CompareResults, type CompareWords } from '../snapshots/CompareView';
import { count } from '../../format';

/** The contract compares at most this many fields. */
const MAX_FIELDS = 30;
/** Fields that differ between tenants by nature (ids, dates, counters): not compared unless asked. */
const NOT_BY_DEFAULT = new Set([
  'user_id',
  // The usual key: the same on both sides of every match.
  'email',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'picture',
  'identities[0].provider',
  'identities[0].isSocial',
]);
export const DEFAULT_COMPARE_FIELDS: string[] = EXPORT_USUAL_FIELDS.filter((f) => !NOT_BY_DEFAULT.has(f));
const KEYS = ['email', 'username', 'phone_number', 'user_id'];

/** The words of a comparison of two tenants: "Only in A", "Only in B", "In both, different". */
export function crossWords(a: string, b: string): CompareWords {
  return {
    order: ['removed', 'added', 'changed'],
    kinds: { removed: `Only in ${a}`, added: `Only in ${b}`, changed: 'In both, different' },
    listOf: {
      removed: `Users only in ${a}`,
      added: `Users only in ${b}`,
      changed: 'Users in both, with different values',
    },
    removed: `only in ${a}`,
    added: `only in ${b}`,
    before: `In ${a}`,
    after: `In ${b}`,
    exportLabel: 'Export comparison',
    unchanged: 'In both, the same',
    fieldsHeading: 'Fields that differ',
    fieldVerb: 'differs',
  };
}

export function CrossCompare() {
  const comparison = useAcrossStore((s) => s.comparison);
  return comparison ? <ComparisonShown comparison={comparison} /> : <CompareForm />;
}

function CompareForm() {
  const id = useId();
  const tenants = useTenantsStore((s) => s.tenants);
  const compare = useAcrossStore((s) => s.compare);
  // The last comparison's choices, or the active tenant against the next one.
  const [last] = useState(() => useAcrossStore.getState().compareDraft);
  const [first] = useState(() => {
    const activeId = useAppStore.getState().activeTenantId;
    return tenants.some((t) => t.id === activeId) ? activeId! : (tenants[0]?.id ?? '');
  });
  const [a, setA] = useState(last?.tenantA ?? first);
  const [b, setB] = useState(last?.tenantB ?? tenants.find((t) => t.id !== first)?.id ?? '');
  const [key, setKey] = useState(last?.key ?? 'email');
  const [fields, setFields] = useState<string[]>(last?.fields ?? DEFAULT_COMPARE_FIELDS);
  const [custom, setCustom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const keyProblem = EXPORT_FIELD_PATTERN.test(key.trim())
    ? unsafePathProblem(key.trim())
    : 'Match by a user field (email), or an app_metadata / user_metadata path.';
  const offered = [
    ...EXPORT_USUAL_FIELDS,
    ...fields.filter((f) => !(EXPORT_USUAL_FIELDS as readonly string[]).includes(f)),
  ];
  const tenantA = tenants.find((t) => t.id === a);
  const tenantB = tenants.find((t) => t.id === b);
  const why =
    tenants.length < 2
      ? 'Add a second tenant to compare two.'
      : a === b
        ? 'Choose two different tenants.'
        : fields.length === 0
          ? 'Choose at least one field to compare.'
          : fields.length > MAX_FIELDS
            ? `Compare at most ${MAX_FIELDS} fields.`
            : keyProblem;

  const addCustom = () => {
    const f = custom.trim();
    if (!EXPORT_FIELD_PATTERN.test(f))
      return setProblem(
        'A field is a user field (email), identities[0].connection, or app_metadata / user_metadata with an optional .path.',
      );
    const unsafe = unsafePathProblem(f);
    if (unsafe) return setProblem(unsafe);
    if (fields.includes(f)) return setProblem(`${f} is compared already.`);
    setProblem(null);
    setFields([...fields, f]);
    setCustom('');
  };

  return (
    <form
      className="compare-form cross-compare-form"
      aria-label="Compare two tenants"
      onSubmit={(e) => {
        e.preventDefault();
        if (!why) void compare({ tenantA: a, tenantB: b, key: key.trim(), fields });
      }}
    >
      <div className="inline-form">
        <TenantChoice label="Tenant A" tenants={tenants} value={a} onChange={setA} chosen={tenantA} />
        <TenantChoice label="Tenant B" tenants={tenants} value={b} onChange={setB} chosen={tenantB} />
      </div>
      <label>
        Match users by
        <input
          value={key}
          onChange={(e) => setKey(e.target.value)}
          list={`${id}-keys`}
          spellCheck={false}
          aria-invalid={!!keyProblem}
          aria-describedby={keyProblem ? `${id}-key-error` : `${id}-key-hint`}
        />
        <datalist id={`${id}-keys`}>
          {KEYS.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </label>
      <FieldError id={`${id}-key-error`} message={keyProblem ?? undefined} />
      {!keyProblem && (
        <p id={`${id}-key-hint`} className="hint">
          Users of A and B with the same {key.trim() || 'value'} are the same person. Users without one are
          counted, not compared.
        </p>
      )}
      <fieldset className="field-picker">
        <legend>
          Fields to compare ({count(fields.length)} of at most {MAX_FIELDS})
        </legend>
        <div className="field-rows">
          {offered.map((f) => (
            <label key={f} className="inline">
              <input
                type="checkbox"
                checked={fields.includes(f)}
                onChange={(e) => setFields(e.target.checked ? [...fields, f] : fields.filter((x) => x !== f))}
              />
              <code>{f}</code>
            </label>
          ))}
        </div>
        <div className="inline-form">
          <label>
            Another field (e.g. app_metadata.plan)
            <input
              value={custom}
              onChange={(e) => {
                setCustom(e.target.value);
                setProblem(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addCustom();
                }
              }}
              spellCheck={false}
              aria-invalid={!!problem}
              aria-describedby={problem ? `${id}-custom-error` : undefined}
            />
          </label>
          <button type="button" onClick={addCustom}>
            Add field
          </button>
        </div>
        <FieldError id={`${id}-custom-error`} message={problem ?? undefined} />
        <div className="actions">
          <button type="button" onClick={() => setFields(DEFAULT_COMPARE_FIELDS)}>
            Usual fields
          </button>
        </div>
      </fieldset>
      {why && <p className="hint">{why}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={!!why}>
          Compare
        </button>
        <span className="hint">
          A fresh snapshot of each tenant is taken first (a users export each); nothing is changed on either.
        </span>
      </div>
    </form>
  );
}

function TenantChoice({
  label,
  tenants,
  value,
  onChange,
  chosen,
}: {
  label: string;
  tenants: TenantProfile[];
  value: string;
  onChange: (id: string) => void;
  chosen: TenantProfile | undefined;
}) {
  return (
    <div className="tenant-choice">
      <label>
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          {!tenants.some((t) => t.id === value) && <option value="">Choose a tenant</option>}
          {tenants.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label} ({t.domain})
            </option>
          ))}
        </select>
      </label>
      {chosen && <TenantBadge tenant={chosen} />}
    </div>
  );
}

function ComparisonShown({ comparison }: { comparison: CrossComparison }) {
  const tenants = useTenantsStore((s) => s.tenants);
  const close = useAcrossStore((s) => s.closeComparison);
  const cancel = useAcrossStore((s) => s.cancelCompare);
  const showItems = useAcrossStore((s) => s.showItems);
  const progressA = useExportStatus(`${comparison.runId}-a`);
  const progressB = useExportStatus(`${comparison.runId}-b`);
  const a = tenants.find((t) => t.id === comparison.tenantA);
  const b = tenants.find((t) => t.id === comparison.tenantB);
  const labelA = a?.label ?? 'A';
  const labelB = b?.label ?? 'B';
  return (
    <div className="compare-view">
      <button
        type="button"
        className="link back"
        onClick={comparison.summary.state === 'loading' ? cancel : close}
      >
        ← {comparison.summary.state === 'loading' ? 'Cancel and choose again' : 'Compare other tenants'}
      </button>
      {comparison.summary.state === 'loading' ? (
        <div className="cross-progress" role="group" aria-label="Snapshots being taken">
          <h2>Taking a fresh snapshot of each tenant…</h2>
          <SideProgress tenant={a} side="A" status={progressA} />
          <SideProgress tenant={b} side="B" status={progressB} />
          <div className="actions">
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <SectionState value={comparison.summary} what="the comparison" retry={close}>
          {(c) => (
            <CompareResults
              summary={c}
              comparison={comparison}
              showItems={showItems}
              words={crossWords(labelA, labelB)}
              heading={
                <div className="cross-heading">
                  <h2>
                    {labelA} and {labelB}, users matched by <code>{c.key}</code>
                  </h2>
                  {a && <TenantBadge tenant={a} />} {b && <TenantBadge tenant={b} />}
                </div>
              }
              notice={<MatchNotes c={c} />}
            />
          )}
        </SectionState>
      )}
    </div>
  );
}

function MatchNotes({ c }: { c: CompareSummary }) {
  const notes = [
    c.compared && `Compared: ${c.compared.join(', ')}.`,
    c.withoutKey > 0 &&
      `${count(c.withoutKey)} user${c.withoutKey === 1 ? ' has' : 's have'} no ${c.key} and ${c.withoutKey === 1 ? 'was' : 'were'} not compared.`,
    c.duplicateKeys > 0 &&
      `${count(c.duplicateKeys)} user${c.duplicateKeys === 1 ? ' shares' : 's share'} their ${c.key} with another user of the same tenant: they cannot be matched one to one.`,
  ].filter(Boolean);
  if (notes.length === 0) return null;
  return (
    <div className={c.withoutKey || c.duplicateKeys ? 'notice' : 'hint'} role="note">
      {notes.map((n) => (
        <p key={n as string}>{n}</p>
      ))}
    </div>
  );
}

function SideProgress({
  tenant,
  side,
  status,
}: {
  tenant: TenantProfile | undefined;
  side: string;
  status: ExportStatus | undefined;
}) {
  const pct = status?.percentDone ?? null;
  return (
    <div className="side-progress">
      <p>
        <strong>{side}</strong> {tenant ? <TenantBadge tenant={tenant} /> : 'a removed tenant'}
      </p>
      <p role="status">
        {status
          ? `${status.message}${status.users ? ` — ${count(status.users)} users read` : ''}`
          : 'Starting…'}
      </p>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={`Snapshot of ${tenant?.label ?? side}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <span
          className={`progress-fill${pct === null ? ' indeterminate' : ''}${status?.phase === 'completed' ? ' status-completed' : ''}`}
          style={{ width: `${status?.phase === 'completed' ? 100 : (pct ?? 100)}%` }}
        />
      </div>
      {status?.error && <ErrorMessage error={status.error} />}
    </div>
  );
}
