import { useId } from 'react';
import { useDetailStore } from './store';
import { LogTypeCell } from '../logs/LogTypeCell';
import { SectionState } from '../../ui/SectionState';
import { count, when } from '../../format';

const PAGE = 50;

/** The user's log events, newest first, in words (as on the Logs screen), 50 a page; or why they can't be shown. */
export function LogsSection() {
  const id = useId();
  const logs = useDetailStore((s) => s.logs);
  const page = useDetailStore((s) => s.logsPage);
  const load = useDetailStore((s) => s.load);
  return (
    <section aria-labelledby={`${id}-logs`}>
      <h3 id={`${id}-logs`}>Log events</h3>
      <SectionState value={logs} what="log events" retry={() => void load('logs')}>
        {({ logs: list, total }) => {
          const last = Math.max(0, Math.min(Math.ceil(total / PAGE), 1000 / PAGE) - 1);
          return list.length === 0 ? (
            <p className="muted">No log events for this user.</p>
          ) : (
            <>
              <table className="logs">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Type</th>
                    <th scope="col">Description</th>
                    <th scope="col">IP</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((l) => (
                    <tr key={l.log_id}>
                      <td>{when(l.date)}</td>
                      <td>
                        <LogTypeCell code={l.type} />
                      </td>
                      <td>{l.description ?? ''}</td>
                      <td>{l.ip ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="pager">
                <button type="button" disabled={page === 0} onClick={() => void load('logs', page - 1)}>
                  Newer
                </button>
                <span>
                  Page {page + 1} of {last + 1} ({count(total)} events)
                </span>
                <button type="button" disabled={page >= last} onClick={() => void load('logs', page + 1)}>
                  Older
                </button>
              </p>
            </>
          );
        }}
      </SectionState>
    </section>
  );
}
