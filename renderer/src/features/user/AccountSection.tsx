import { useId } from 'react';
import type { Auth0User, TenantProfile } from '../../../../preload/contract';
import { useDetailStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { SectionState } from '../../ui/SectionState';

/** Blocking, email verification, deletion and brute-force blocks: each through the guard of the panel's tenant. */
export function AccountSection({
  tenant,
  user,
  onChanged,
}: {
  tenant: TenantProfile;
  user: Auth0User;
  onChanged: () => void;
}) {
  const id = useId();
  const act = useDetailStore((s) => s.act);
  const blocks = useDetailStore((s) => s.blocks);
  const load = useDetailStore((s) => s.load);
  const close = useDetailStore((s) => s.close);
  const who = user.email ?? user.user_id;
  const done = (r: { ok: boolean } | null) => {
    if (r?.ok) onChanged();
  };
  return (
    <section aria-labelledby={`${id}-actions`}>
      <h3 id={`${id}-actions`}>Account</h3>
      <div className="actions">
        {user.blocked ? (
          <CapableButton
            data-command="Unblock user"
            data-shortcut="Alt+Shift+B"
            aria-keyshortcuts="Alt+Shift+B"
            capability="users:block"
            tenantId={tenant.id}
            onClick={async () =>
              done(
                await act(
                  'users:set-blocked',
                  { blocked: false },
                  {
                    progress: 'Unblocking',
                    success: 'User unblocked',
                    confirm: {
                      title: 'Unblock this user?',
                      body: <p>{who} will be able to log in again.</p>,
                      confirmLabel: 'Unblock user',
                    },
                  },
                ),
              )
            }
          >
            Unblock user
          </CapableButton>
        ) : (
          <CapableButton
            data-command="Block user"
            data-shortcut="Alt+Shift+B"
            aria-keyshortcuts="Alt+Shift+B"
            capability="users:block"
            tenantId={tenant.id}
            onClick={async () =>
              done(
                await act(
                  'users:set-blocked',
                  { blocked: true },
                  {
                    progress: 'Blocking',
                    success: 'User blocked',
                    confirm: {
                      title: 'Block this user?',
                      body: <p>{who} will not be able to log in until unblocked.</p>,
                      confirmLabel: 'Block user',
                      danger: true,
                      always: true,
                    },
                  },
                ),
              )
            }
          >
            Block user
          </CapableButton>
        )}
        {!user.email_verified && user.email && (
          <>
            <CapableButton
              data-command="Mark email verified"
              data-shortcut="Alt+Shift+E"
              aria-keyshortcuts="Alt+Shift+E"
              capability="users:update"
              tenantId={tenant.id}
              onClick={async () =>
                done(
                  await act(
                    'users:set-email-verified',
                    {},
                    {
                      progress: 'Marking the email verified',
                      success: 'Email marked as verified',
                      confirm: {
                        title: 'Mark the email verified?',
                        body: <p>{user.email} is marked verified without the user confirming it.</p>,
                        confirmLabel: 'Mark verified',
                      },
                    },
                  ),
                )
              }
            >
              Mark email verified
            </CapableButton>
            <CapableButton
              data-command="Send verification email"
              data-shortcut="Alt+Shift+V"
              aria-keyshortcuts="Alt+Shift+V"
              capability="jobs:verification-email"
              tenantId={tenant.id}
              onClick={() =>
                void act(
                  'users:send-verification-email',
                  {},
                  {
                    progress: 'Sending the verification email',
                    success: `Verification email sent to ${user.email}`,
                    confirm: {
                      title: 'Send a verification email?',
                      body: <p>An email with a verification link goes to {user.email}.</p>,
                      confirmLabel: 'Send email',
                    },
                  },
                )
              }
            >
              Send verification email
            </CapableButton>
          </>
        )}
        <CapableButton
          data-command="Delete user"
          data-shortcut="Alt+Shift+D"
          aria-keyshortcuts="Alt+Shift+D"
          capability="users:delete"
          tenantId={tenant.id}
          className="danger"
          onClick={async () => {
            const r = await act(
              'users:delete',
              {},
              {
                progress: 'Deleting',
                success: 'User deleted',
                confirm: {
                  title: 'Delete this user?',
                  body: <p>{who} will be deleted from the tenant. This cannot be undone.</p>,
                  confirmLabel: 'Delete user',
                  danger: true,
                  always: true,
                },
              },
            );
            if (r?.ok) {
              close();
              onChanged();
            }
          }}
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
