// The tenant's logs — a support desk's first stop ("why can't this user log in?"): Auth0's log query syntax plus
// filters (category, user, client, IP, dates), type codes in words with their category, a drawer with the raw
// event, paging within Auth0's first 1,000 results and past them by checkpoint, and a live tail that follows new
// events (pausable). From an event, its user opens in the side panel.
import { downToResults } from '../../reads';
import { FiltersDisclosure } from '../../ui/FiltersDisclosure';
import { useEffect, useId, useRef, useState } from 'react';
import type { LogEventSummary, TenantProfile } from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { categoryOf, LOG_CATEGORIES, logType, type LogCategory } from './log-types';
import { useAppStore, useCapability } from '../../stores/app';
import { useBulkStore } from '../bulk/store';
import { useDetailStore } from '../user/store';
import { composeLogQuery, LOG_PAGE, useLogsStore, useTenantLogs } from './store';
import { isSizes, isStringArray, usePref, usePrefsStore } from '../../stores/prefs';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { DataTable, type TableColumn } from '../../ui/DataTable';
import { UserDetail } from '../user/UserDetail';
import { WithSidePanel } from '../../ui/SidePanel';
import { LogTypeCell } from './LogTypeCell';
import { count, when } from '../../format';

const COLUMNS = ['date', 'type', 'description', 'user_name', 'client_name', 'ip', 'connection'];
const HEADERS: Record<string, string> = {
  date: 'When',
  type: 'Type',
  description: 'Description',
  user_name: 'User',
  client_name: 'Application',
  ip: 'IP',
  connection: 'Connection',
};

export function LogsScreen({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const s = useTenantLogs(tenant.id);
  const store = useLogsStore();
  const allowed = useCapability('logs:read', tenant.id);
  const openUser = useDetailStore((d) => d.open);
  const detailOpen = useDetailStore((d) => d.userId !== null && d.tenantId === tenant.id);
  const queryInput = useRef<HTMLInputElement>(null);
  const [active, setActive] = useState(0);
  const order = usePref(`table:logs:${tenant.id}:columns`, COLUMNS, isStringArray);
  const sizes = usePref(`table:logs:${tenant.id}:sizes`, { date: 215, type: 280, description: 300 }, isSizes);
  const composed = composeLogQuery(s.typed, s.filters);
  // The users of the events shown, by their query, to Bulk edits (main reads every matching event, past 1,000).
  const actOnUsers = (q: string) => {
    const bulk = useBulkStore.getState();
    bulk.discardPlan(tenant.id);
    bulk.update(tenant.id, {
      source: 'log-events',
      logQuery: q.trim(),
      kind: 'sign-out-everywhere',
      problem: null,
    });
    useAppStore.getState().setView('bulk');
  };

  useEffect(() => {
    // Opening the screen shows the newest events at once.
    if (!s.searched && !s.loading && allowed.allowed) void store.search(tenant.id);
    // The tail stops when the screen is left; it is started again by hand.
    return () => useLogsStore.getState().stopTail(tenant.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant.id]);

  const columns: TableColumn<LogEventSummary>[] = COLUMNS.map((c) => ({
    id: c,
    header: HEADERS[c]!,
    cell: (l) =>
      c === 'type' ? (
        <LogTypeCell code={l.type} />
      ) : c === 'date' ? (
        <button type="button" className="link" tabIndex={-1} onClick={() => store.open(tenant.id, l.log_id)}>
          {when(l.date)}
        </button>
      ) : c === 'user_name' && l.user_id ? (
        <span title={l.user_id}>{l.user_name ?? l.user_id}</span>
      ) : (
        <span title={(l as unknown as Record<string, string>)[c] ?? ''}>
          {(l as unknown as Record<string, string>)[c] ?? ''}
        </span>
      ),
  }));
  const lastPage = Math.max(0, Math.ceil(Math.min(s.total, 1000) / LOG_PAGE) - 1);
  const open = s.logs.find((l) => l.log_id === s.openId) ?? null;

  if (!allowed.allowed)
    return (
      <section className="logs-screen" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>Logs</h1>
        <p className="notice" role="note">
          Not permitted: {allowed.reason}. Add <code>read:logs</code> to the tenant&apos;s grant to see its
          logs.
        </p>
      </section>
    );

  return (
    <WithSidePanel panel={detailOpen ? <UserDetail /> : null}>
      <section className="logs-screen screen" aria-labelledby={`${id}-title`}>
        <div className="section-head">
          <h1 id={`${id}-title`}>Logs</h1>
          <div className="head-actions tail-controls" role="group" aria-label="Live tail">
            {!s.tail.on ? (
              <button type="button" onClick={() => store.startTail(tenant.id)}>
                Follow new events
              </button>
            ) : (
              <>
                <span
                  className={`tail-state${s.tail.paused ? '' : s.tail.failures ? ' failing' : ' live'}`}
                  role="status"
                >
                  {s.tail.paused
                    ? 'Tail paused'
                    : s.tail.failures
                      ? `Not following: ${s.tail.failures === 1 ? 'the last read' : `${count(s.tail.failures)} reads in a row`} failed; trying again by itself${s.tail.retryAt ? ` at ${new Date(s.tail.retryAt).toLocaleTimeString('en-GB')}` : ''}`
                      : `Following new events${s.tail.arrived ? ` · ${count(s.tail.arrived)} new` : ''}`}
                </span>
                <button type="button" onClick={() => store.pauseTail(tenant.id, !s.tail.paused)}>
                  {s.tail.paused ? 'Resume' : 'Pause'}
                </button>
                <button type="button" onClick={() => store.stopTail(tenant.id)}>
                  Stop
                </button>
              </>
            )}
          </div>
        </div>
        {s.tail.error && <ErrorMessage error={s.tail.error} />}
        <form
          className="query-bar"
          role="search"
          aria-label="Search logs"
          onSubmit={(e) => {
            e.preventDefault();
            void store.search(tenant.id, 0);
          }}
        >
          <label className="query-label">
            Log query (Auth0 syntax)
            <input
              ref={queryInput}
              value={s.typed}
              onChange={(e) => store.setTyped(tenant.id, e.target.value)}
              placeholder='type:f AND description:"Wrong email or password."'
              spellCheck={false}
              // Down from the query goes to the results, to walk them with the arrow keys.
              onKeyDown={downToResults('logs-table')}
              aria-invalid={s.error?.code === 'invalid_query'}
              aria-describedby={`${id}-problem`}
            />
          </label>
          {s.loading ? (
            <button type="button" onClick={() => store.cancel(tenant.id)}>
              Cancel search
            </button>
          ) : (
            <button type="submit" className="primary">
              Search
            </button>
          )}
          <div id={`${id}-problem`}>
            <ErrorMessage error={s.error} />
          </div>
          <FiltersDisclosure screen="logs" active={Object.values(s.filters).filter(Boolean).length}>
            <fieldset className="quick-filters">
              <legend>Log filters</legend>
              <label>
                Type
                <select
                  value={s.filters.category}
                  onChange={(e) => store.setFilter(tenant.id, 'category', e.target.value as LogCategory | '')}
                >
                  <option value="">Any</option>
                  {LOG_CATEGORIES.filter((c) => c.id !== 'other').map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                User
                <input
                  value={s.filters.user}
                  onChange={(e) => store.setFilter(tenant.id, 'user', e.target.value)}
                  placeholder="name, email or auth0|…"
                />
              </label>
              <label>
                Application
                <input
                  value={s.filters.client}
                  onChange={(e) => store.setFilter(tenant.id, 'client', e.target.value)}
                  placeholder="name or client id"
                />
              </label>
              <label>
                IP
                <input
                  value={s.filters.ip}
                  onChange={(e) => store.setFilter(tenant.id, 'ip', e.target.value)}
                />
              </label>
              <label>
                From
                <input
                  type="date"
                  value={s.filters.from}
                  onChange={(e) => store.setFilter(tenant.id, 'from', e.target.value)}
                />
              </label>
              <label>
                To
                <input
                  type="date"
                  value={s.filters.to}
                  onChange={(e) => store.setFilter(tenant.id, 'to', e.target.value)}
                />
              </label>
            </fieldset>
          </FiltersDisclosure>
          <p className="composed">
            Query sent: <code data-testid="composed-log-query">{composed || '(all events)'}</code>
          </p>
        </form>

        <div className="results-bar">
          <span role="status" aria-live="polite">
            {s.loading && !s.searched
              ? 'Searching…'
              : s.mode === 'checkpoint'
                ? `${count(s.logs.length)} matching of ${count(s.checkpoint?.read ?? 0)} events read by checkpoint, oldest first${s.checkpoint?.caughtUp ? ' · up to now' : ''}`
                : s.searched
                  ? `${count(s.total, 'event')}, newest first`
                  : ''}
            {s.loading && s.searched ? ' · Searching…' : ''}
          </span>
          {s.mode === 'search' ? (
            <span className="pager">
              <button
                type="button"
                disabled={s.page === 0 || s.loading}
                onClick={() => void store.search(tenant.id, s.page - 1)}
              >
                Newer
              </button>
              <span>
                Page {count(s.page + 1)} of {count(lastPage + 1)}
              </span>
              <button
                type="button"
                disabled={s.page >= lastPage || s.loading}
                onClick={() => void store.search(tenant.id, s.page + 1)}
              >
                Older
              </button>
            </span>
          ) : (
            <span className="pager">
              <button
                type="button"
                disabled={s.loading || s.checkpoint?.caughtUp}
                onClick={() => void store.readOn(tenant.id)}
              >
                Read on
              </button>
              <button type="button" disabled={s.loading} onClick={() => void store.search(tenant.id, 0)}>
                Back to newest first
              </button>
            </span>
          )}
        </div>
        {s.searched && s.logs.length > 0 && (s.shownQuery ?? composed).trim() && (
          <p className="act-on-users">
            <button type="button" onClick={() => actOnUsers(s.shownQuery ?? composed)}>
              Act on the users of these events…
            </button>{' '}
            <span className="muted">
              Every matching event&rsquo;s user (past 1,000 events too) in Bulk edits: sign them out, block
              them, reset MFA…
            </span>
          </p>
        )}
        {s.error && s.logs.length > 0 && (
          <p className="stale" role="note">
            These events are from before the failed request: they may not match the query above.
          </p>
        )}
        {s.capped && s.mode === 'search' && (
          <p className="notice" role="note">
            Auth0 lets a log search page through only its first 1,000 events ({count(s.total)} match).{' '}
            <button type="button" className="link" onClick={() => void store.readByCheckpoint(tenant.id)}>
              Read every matching event by checkpoint
            </button>{' '}
            (oldest first, from the oldest of those 1,000; set From to start earlier).
          </p>
        )}
        <div className={`split${open ? ' with-drawer' : ''}`}>
          <DataTable
            label="Log events"
            testId="logs-table"
            rows={s.logs}
            rowKey={(l) => l.log_id}
            columns={columns}
            layout={{ order, sizes }}
            onLayout={(layout) => {
              const prefs = usePrefsStore.getState();
              prefs.set(`table:logs:${tenant.id}:columns`, layout.order);
              prefs.set(`table:logs:${tenant.id}:sizes`, layout.sizes);
            }}
            active={active}
            onActive={setActive}
            onOpen={(l) => store.open(tenant.id, l.log_id)}
            rowClass={(l) =>
              [s.fresh[l.log_id] && 'fresh', categoryOf(logType(l.type).category).tone === 'bad' && 'bad']
                .filter(Boolean)
                .join(' ') || undefined
            }
            emptyRow={
              <tr>
                <td colSpan={COLUMNS.length} className="empty">
                  {s.loading ? 'Searching…' : s.searched ? 'No log events match.' : ''}
                </td>
              </tr>
            }
          />
          {open && (
            <LogDrawer
              tenant={tenant}
              event={open}
              onClose={() => store.open(tenant.id, null)}
              onOpenUser={(userId) => {
                // The user opens in the side panel; the event's drawer makes room for it.
                store.open(tenant.id, null);
                void openUser(tenant.id, userId);
              }}
            />
          )}
        </div>
      </section>
    </WithSidePanel>
  );
}

/** One event: in words, with the raw event as Auth0 gave it; its user opens in the side panel. */
function LogDrawer({
  tenant,
  event,
  onClose,
  onOpenUser,
}: {
  tenant: TenantProfile;
  event: LogEventSummary;
  onClose: () => void;
  onOpenUser: (userId: string) => void;
}) {
  const id = useId();
  const [attempt, setAttempt] = useState(0);
  // The answer for one event and attempt; another event (or a retry) shows "loading" until its own arrives.
  const key = `${event.log_id}:${attempt}`;
  const [answer, setAnswer] = useState<{ key: string; value: Async<Record<string, unknown>> } | null>(null);
  const raw = answer?.key === key ? answer.value : loading;
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    returnTo.current ??= document.activeElement;
    heading.current?.focus();
    let live = true;
    void useLogsStore
      .getState()
      .getEvent(tenant.id, event.log_id)
      .then((r) => {
        if (live) setAnswer({ key, value: fromResult(r) });
      });
    return () => {
      live = false;
    };
  }, [tenant.id, event.log_id, key]);
  const close = () => {
    onClose();
    (returnTo.current as HTMLElement | null)?.focus?.();
  };
  const t = logType(event.type);
  return (
    <aside
      className="drawer"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <div className="drawer-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {t.label}
        </h2>
        <button type="button" onClick={close} aria-label="Close log event">
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>When</dt>
        <dd>{when(event.date)}</dd>
        <dt>Type</dt>
        <dd>
          <LogTypeCell code={event.type} /> <code>{event.type}</code>
        </dd>
        {event.description && (
          <>
            <dt>Description</dt>
            <dd>{event.description}</dd>
          </>
        )}
        {event.user_id && (
          <>
            <dt>User</dt>
            <dd>
              {event.user_name ?? event.user_id}{' '}
              <button type="button" onClick={() => onOpenUser(event.user_id!)}>
                Open user
              </button>
            </dd>
          </>
        )}
        {event.client_name && (
          <>
            <dt>Application</dt>
            <dd>{event.client_name}</dd>
          </>
        )}
        {event.ip && (
          <>
            <dt>IP</dt>
            <dd>{event.ip}</dd>
          </>
        )}
      </dl>
      <h3>Raw event</h3>
      <SectionState value={raw} what="the event" retry={() => setAttempt((a) => a + 1)}>
        {(data) => (
          <pre className="raw-json" tabIndex={0} aria-label="Raw event JSON">
            {JSON.stringify(data, null, 2)}
          </pre>
        )}
      </SectionState>
    </aside>
  );
}
