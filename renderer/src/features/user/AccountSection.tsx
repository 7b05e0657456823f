import { useId } from 'react';
import type { Auth0User, TenantProfile } from '../../../../preload/contract';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';
import { deleteUser, markEmailVerified, sendVerificationEmail, toggleBlocked } from './commands';

/** Blocking, email verification, deletion and brute-force blocks: each through the guard of the panel's tenant. */
export function AccountSection({ tenant, user }: { tenant: TenantProfile; user: Auth0User }) {
  const id = useId();
  const act = useDetailStore((s) => s.act);
  const blocks = useDetailStore((s) => s.blocks);
  const load = useDetailStore((s) => s.load);
  const who = user.email ?? user.user_id;
  return (
    <section aria-labelledby={`${id}-actions`}>
      <h3 id={`${id}-actions`}>Account</h3>
      <div className="actions">
        <CapableButton
          aria-keyshortcuts="Alt+Shift+B"
          capability="users:block"
          tenantId={tenant.id}
          onClick={() => void toggleBlocked()}
        >
          {user.blocked ? 'Unblock user' : 'Block user'}
        </CapableButton>
        {!user.email_verified && user.email && (
          <>
            <CapableButton
              aria-keyshortcuts="Alt+Shift+E"
              capability="users:update"
              tenantId={tenant.id}
              onClick={() => void markEmailVerified()}
            >
              Mark email verified
            </CapableButton>
            <CapableButton
              aria-keyshortcuts="Alt+Shift+V"
              capability="jobs:verification-email"
              tenantId={tenant.id}
              onClick={() => void sendVerificationEmail()}
            >
              Send verification email
            </CapableButton>
          </>
        )}
        <CapableButton
          aria-keyshortcuts="Alt+Shift+D"
          capability="users:delete"
          tenantId={tenant.id}
          className="danger"
          onClick={() => void deleteUser()}
        >
          Delete user
        </CapableButton>
      </div>
      <SectionState value={blocks} what="brute-force blocks" retry={() => void load('blocks')}>
        {(list) =>
          list.length > 0 && (
            <div className="notice" role="note">
              <p>
                Blocked after too many failed logins from:{' '}
                {list.map((b) => `${b.identifier}${b.ip ? ` (${b.ip})` : ''}`).join(', ')}.
              </p>
              <CapableButton
                capability="users:block"
                tenantId={tenant.id}
                onClick={() =>
                  void act(
                    'users:unblock-brute-force',
                    {},
                    {
                      progress: 'Removing the brute-force block',
                      success: 'Brute-force block removed',
                      confirm: {
                        title: 'Remove the brute-force block?',
                        body: <p>{who} can try to log in again from the blocked addresses.</p>,
                        confirmLabel: 'Remove block',
                      },
                    },
                  )
                }
              >
                Remove brute-force block
              </CapableButton>
            </div>
          )
        }
      </SectionState>
    </section>
  );
}
