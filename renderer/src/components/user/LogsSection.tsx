import { useId } from 'react';
import { useDetailStore } from '../../stores/detail';
import { SectionState } from '../SectionState';

function when(v: string | undefined): string {
  return v ? new Date(v).toLocaleString() : '—';
}

/** The user's recent log events, or why they can't be shown. */
export function LogsSection() {
  const id = useId();
  const logs = useDetailStore((s) => s.logs);
  const load = useDetailStore((s) => s.load);
  return (
    <section aria-labelledby={`${id}-logs`}>
      <h3 id={`${id}-logs`}>Recent log events</h3>
      <SectionState value={logs} what="log events" retry={() => void load('logs')}>
        {({ logs: list }) =>
          list.length === 0 ? (
            <p className="muted">No log events for this user.</p>
          ) : (
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
                    <td>{l.type}</td>
                    <td>{l.description ?? ''}</td>
                    <td>{l.ip ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </SectionState>
    </section>
  );
}
