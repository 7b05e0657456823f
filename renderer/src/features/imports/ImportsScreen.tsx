// User imports into one tenant: a file (JSON, NDJSON or CSV — Auth0's own export is converted) checked against
// Auth0's import schema before anything is sent, a CSV's columns mapped to import fields, then the import itself —
// chunk by chunk, two Auth0 jobs at a time — with its progress, the rows Auth0 refused and the tenant's history.
import { useEffect, useId, useState } from 'react';
import type { ErrorEnvelope, TenantProfile } from '../../../../preload/contract';
import { useCapability } from '../../stores/app';
import { useImportDraft, useImportsStore } from './store';
import { importOf, importsOf, useTasksStore } from '../tasks/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { ImportForm } from './ImportForm';
import { ImportRun } from './ImportRun';
import { TASK_STATUS_WORDS as STATUS_WORDS } from '../tasks/words';
import { count, when } from '../../format';

export function ImportsScreen({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const allowed = useCapability('jobs:import', tenant.id);
  const openId = useImportsStore((s) => s.openId[tenant.id] ?? null);
  const open = useTasksStore((s) => importOf(openId ? s.byId[openId] : undefined));
  const draft = useImportDraft(tenant.id);
  const [error, setError] = useState<ErrorEnvelope | null>(null);

  const template = async (format: 'csv' | 'json') => {
    setError(null);
    setError(await useImportsStore.getState().template(tenant.id, draft.connectionId, format));
  };

  return (
    <section className="imports-screen" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h1 id={`${id}-title`}>Imports</h1>
        <div className="head-actions">
          <TenantBadge tenant={tenant} />
          <button
            type="button"
            disabled={!draft.connectionId}
            title={draft.connectionId ? undefined : 'Choose a connection first'}
            onClick={() => void template('csv')}
          >
            CSV template
          </button>
          <button
            type="button"
            disabled={!draft.connectionId}
            title={draft.connectionId ? undefined : 'Choose a connection first'}
            onClick={() => void template('json')}
          >
            JSON template
          </button>
        </div>
      </div>
      <ErrorMessage error={error} />
      {!allowed.allowed && (
        <p className="not-permitted" role="note">
          Not permitted: {allowed.reason}, which Auth0&rsquo;s user imports need. The history below is still
          shown.
        </p>
      )}
      <div className="bulk-columns">
        <div className="bulk-main">
          {open && <ImportRun tenant={tenant} summary={open} />}
          {allowed.allowed && <ImportForm tenant={tenant} />}
        </div>
        <ImportHistory tenant={tenant} />
      </div>
    </section>
  );
}

/** The tenant's imports, newest first; choosing one opens it. */
function ImportHistory({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const load = useTasksStore((s) => s.load);
  const listed = useTasksStore((s) => s.listed);
  const all = useTasksStore((s) => s.byId);
  const openId = useImportsStore((s) => s.openId[tenant.id] ?? null);
  const open = useImportsStore((s) => s.open);
  const imports = importsOf(all, tenant.id);

  useEffect(() => {
    void load();
  }, [load, tenant.id]);

  return (
    <section className="jobs-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Imports on this tenant</h2>
      <SectionState value={listed} what="the imports" retry={() => void load()}>
        {() =>
          imports.length === 0 ? (
            <p className="muted">No import has run on this tenant yet.</p>
          ) : (
            <ul className="job-list">
              {imports.map((i) => (
                <li key={i.importId} className={i.importId === openId ? 'current' : undefined}>
                  <button
                    type="button"
                    className="job-row"
                    aria-current={i.importId === openId ? 'true' : undefined}
                    onClick={() => open(tenant.id, i.importId === openId ? null : i.importId)}
                  >
                    <span className="job-row-label">
                      {i.fileName} → {i.connectionName}
                    </span>
                    <span className={`job-status status-${i.status}`}>{STATUS_WORDS[i.status]}</span>
                    <span className="muted">
                      {when(i.createdAt)} · {count(i.rows)} rows · {count(i.counts.inserted)} inserted,{' '}
                      {count(i.counts.updated)} updated, {count(i.counts.failed)} failed
                      {i.upsert ? ' · upsert' : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
    </section>
  );
}
