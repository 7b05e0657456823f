import { useId } from 'react';
import type { TenantProfile } from '../../../../preload/contract';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';
import { forgetBrowsers, resetMfa } from './commands';
import { day } from '../../format';

/** Removes one factor (the others stay), after the guard's confirmation. */
async function removeMethod(methodId: string, what: string): Promise<void> {
  await useDetailStore.getState().act(
    'users:delete-authentication-method',
    { methodId },
    {
      progress: 'Removing the authentication method',
      success: 'Authentication method removed',
      confirm: {
        title: 'Remove this authentication method?',
        body: <p>{what} no longer works as a second factor; the user's other factors stay.</p>,
        confirmLabel: 'Remove method',
        danger: true,
        always: true,
      },
    },
  );
}

/** Enrolled factors (or why they can't be shown), MFA reset and forgetting remembered browsers. */
export function MfaSection({ tenant }: { tenant: TenantProfile }) {
  const id = useId();
  const mfa = useDetailStore((s) => s.mfa);
  const load = useDetailStore((s) => s.load);
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
                  {m.name ? ` — ${m.name}` : ''} {m.created_at ? `(since ${day(m.created_at)})` : ''}{' '}
                  <CapableButton
                    capability="mfa:reset"
                    tenantId={tenant.id}
                    aria-label={`Remove ${m.type}${m.name ? ` (${m.name})` : ''}`}
                    onClick={() => void removeMethod(m.id, `${m.type}${m.name ? ` (${m.name})` : ''}`)}
                  >
                    Remove
                  </CapableButton>
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
      <div className="actions">
        <CapableButton
          aria-keyshortcuts="Alt+Shift+M"
          capability="mfa:reset"
          tenantId={tenant.id}
          disabled={mfa.state !== 'ready' || mfa.data.authenticationMethods.length === 0}
          onClick={() => void resetMfa()}
        >
          Reset MFA
        </CapableButton>
        <CapableButton
          aria-keyshortcuts="Alt+Shift+F"
          capability="users:forget-browsers"
          tenantId={tenant.id}
          onClick={() => void forgetBrowsers()}
        >
          Forget remembered browsers
        </CapableButton>
      </div>
    </section>
  );
}
