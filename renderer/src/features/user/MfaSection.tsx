import { useId } from 'react';
import type { TenantProfile } from '../../../../preload/contract';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';
import { day } from '../../format';

/** Enrolled factors (or why they can't be shown), MFA reset and forgetting remembered browsers. */
export function MfaSection({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const mfa = useDetailStore((s) => s.mfa);
  const load = useDetailStore((s) => s.load);
  const act = useDetailStore((s) => s.act);
  return (
    <section aria-labelledby={`${id}-mfa`}>
      <h3 id={`${id}-mfa`}>Multi-factor authentication</h3>
      <SectionState value={mfa} what="MFA factors" retry={() => void load('mfa')}>
        {(state) =>
          state.authenticationMethods.length === 0 && state.enrollments.length === 0 ? (
            <p className="muted">No MFA factors enrolled.</p>
          ) : (
            <ul>
              {state.authenticationMethods.map((m) => (
                <li key={m.id}>
                  {m.type}
                  {m.name ? ` — ${m.name}` : ''} {m.created_at ? `(since ${day(m.created_at)})` : ''}
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
      <div className="actions">
        <CapableButton
          data-command="Reset MFA"
          data-shortcut="Alt+Shift+M"
          aria-keyshortcuts="Alt+Shift+M"
          capability="mfa:reset"
          tenantId={tenant.id}
          disabled={mfa.state !== 'ready' || mfa.data.authenticationMethods.length === 0}
          onClick={() =>
            void act(
              'users:mfa-reset',
              {},
              {
                progress: 'Resetting MFA',
                success: 'MFA reset',
                confirm: {
                  title: 'Reset MFA?',
                  body: (
                    <p>
                      All of this user&rsquo;s authentication factors are removed; they enrol again at their
                      next login.
                    </p>
                  ),
                  confirmLabel: 'Reset MFA',
                  danger: true,
                  always: true,
                },
              },
            )
          }
        >
          Reset MFA
        </CapableButton>
        <CapableButton
          data-command="Forget remembered browsers"
          data-shortcut="Alt+Shift+F"
          aria-keyshortcuts="Alt+Shift+F"
          capability="users:forget-browsers"
          tenantId={tenant.id}
          onClick={() =>
            void act(
              'users:invalidate-remember-browser',
              {},
              {
                progress: 'Forgetting remembered browsers',
                success: 'Remembered browsers forgotten',
                confirm: {
                  title: 'Forget remembered browsers?',
                  body: <p>The user is asked for a second factor again on every browser.</p>,
                  confirmLabel: 'Forget browsers',
                },
              },
            )
          }
        >
          Forget remembered browsers
        </CapableButton>
      </div>
    </section>
  );
}
