// The open user's actions: each one function (the panel's button and the command run the same), registered as
// commands whose availability comes from the stores — the panel on screen, the user loaded, the state the action
// applies to (blocked or not, an unverified email, MFA factors, a database identity), and the tenant's grant.
import { needsOf, type Auth0User, type TenantProfile, type WriteChannel } from '../../../../preload/contract';
import { registerCommands, watchCommandState, type Command } from '../../commands/registry';
import { count } from '../../format';
import { canNow, useAppStore } from '../../stores/app';
import { useAccessStore } from './access-store';
import { detailTenant, useDetailStore } from './store';

/** The panel's user and tenant, when the panel shows a loaded user. */
function openUser(): { user: Auth0User; tenant: TenantProfile } | null {
  const d = useDetailStore.getState();
  const tenant = detailTenant(d.tenantId);
  if (!tenant || d.user.state !== 'ready') return null;
  return { user: d.user.data, tenant };
}

const whoOf = (u: Auth0User) => u.email ?? u.user_id;
export const hasDatabaseIdentity = (u: Auth0User) => !!u.identities?.some((i) => i.provider === 'auth0');
const act = useDetailStore.getState().act;
const changed = (r: { ok: boolean } | null) => {
  if (r?.ok) useDetailStore.getState().markChanged();
};

export async function toggleBlocked(): Promise<void> {
  const open = openUser();
  if (!open) return;
  const who = whoOf(open.user);
  changed(
    open.user.blocked
      ? await act(
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
        )
      : await act(
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
  );
}

export async function markEmailVerified(): Promise<void> {
  const open = openUser();
  if (!open) return;
  changed(
    await act(
      'users:set-email-verified',
      {},
      {
        progress: 'Marking the email verified',
        success: 'Email marked as verified',
        confirm: {
          title: 'Mark the email verified?',
          body: <p>{open.user.email} is marked verified without the user confirming it.</p>,
          confirmLabel: 'Mark verified',
        },
      },
    ),
  );
}

export async function sendVerificationEmail(): Promise<void> {
  const open = openUser();
  if (!open) return;
  await act(
    'users:send-verification-email',
    {},
    {
      progress: 'Sending the verification email',
      success: `Verification email sent to ${open.user.email}`,
      confirm: {
        title: 'Send a verification email?',
        body: <p>An email with a verification link goes to {open.user.email}.</p>,
        confirmLabel: 'Send email',
      },
    },
  );
}

export async function deleteUser(): Promise<void> {
  const open = openUser();
  if (!open) return;
  const r = await act(
    'users:delete',
    {},
    {
      progress: 'Deleting',
      success: 'User deleted',
      confirm: {
        title: 'Delete this user?',
        body: <p>{whoOf(open.user)} will be deleted from the tenant. This cannot be undone.</p>,
        confirmLabel: 'Delete user',
        danger: true,
        always: true,
      },
    },
  );
  if (r?.ok) {
    // Lists of the panel's tenant search again first, then the panel closes (its user is gone).
    changed(r);
    useDetailStore.getState().close();
  }
}

export async function resetMfa(): Promise<void> {
  if (!openUser()) return;
  await act(
    'users:mfa-reset',
    {},
    {
      progress: 'Resetting MFA',
      success: 'MFA reset',
      confirm: {
        title: 'Reset MFA?',
        body: (
          <p>
            All of this user&rsquo;s authentication factors are removed; they enrol again at their next login.
          </p>
        ),
        confirmLabel: 'Reset MFA',
        danger: true,
        always: true,
      },
    },
  );
}

export async function forgetBrowsers(): Promise<void> {
  if (!openUser()) return;
  await act(
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
  );
}

/** The panel's password section while it is on screen (it registers itself): the link is made and shown there. */
let passwordSection: HTMLElement | null = null;
export function setPasswordSection(section: HTMLElement | null): void {
  passwordSection = section;
}

/**
 * Brings the password section into view with focus on its Create button — run from a key or the palette, the panel
 * may be scrolled anywhere — so the guard dialog gives focus back there and the link is seen where it appears.
 */
function showPasswordSection(): void {
  const section = passwordSection;
  if (!section?.isConnected) return;
  section.scrollIntoView?.({ block: 'nearest' });
  section.querySelector<HTMLElement>('[data-password-link]')?.focus({ preventScroll: true });
}

/** What the panel says while a password-change link is being made. */
export const LINK_PROGRESS = 'Creating a password-change link';

/** A password-change link, valid for the hours chosen in the panel, then sending the user where it says. */
export async function createPasswordLink(): Promise<void> {
  const open = openUser();
  if (!open) return;
  showPasswordSection();
  const { ttlHours, resultUrl } = useDetailStore.getState().link;
  const r = await act(
    'users:password-ticket',
    { ttlSec: ttlHours * 3600, ...(resultUrl.trim() ? { resultUrl: resultUrl.trim() } : {}) },
    {
      progress: LINK_PROGRESS,
      success: 'Password-change link created',
      confirm: {
        title: 'Create a password-change link?',
        body: (
          <p>
            Anyone with the link can set {open.user.email ?? 'this user'}&rsquo;s password for the next{' '}
            {count(ttlHours, 'hour')}.
          </p>
        ),
        confirmLabel: 'Create link',
      },
    },
  );
  if (r?.ok) useDetailStore.getState().setLink({ created: r.data });
}

export async function sendResetEmail(): Promise<void> {
  const open = openUser();
  if (!open) return;
  await act(
    'users:reset-email',
    {},
    {
      progress: 'Sending the reset email',
      success: `Reset email sent to ${open.user.email}`,
      confirm: {
        title: 'Send a password reset email?',
        body: <p>A reset link goes to {open.user.email}.</p>,
        confirmLabel: 'Send email',
      },
    },
  );
}

/** Opens "Sign out everywhere" (its options, then the guard): the incident response for a compromised account. */
export async function signOutEverywhere(): Promise<void> {
  if (!openUser()) return;
  useAccessStore.getState().setAsking(true);
  await Promise.resolve();
}

/**
 * An action on the open user as a command: offered while the panel shows the user, it applies and the grant allows
 * the write it sends (the capability the contract gives its channel, as main's operation registry declares it).
 */
function userCommand(
  key: string,
  label: string | ((u: Auth0User) => string),
  letter: string,
  channel: WriteChannel,
  applies: (u: Auth0User) => boolean,
  run: () => Promise<void>,
  order: number,
  help?: string,
): Command {
  return {
    id: `user:${key}`,
    group: 'Open user',
    section: 'On the open user',
    label: () => {
      const u = openUser()?.user;
      return typeof label === 'string' ? label : u ? label(u) : help!;
    },
    ...(help ? { help } : {}),
    shortcut: `Alt+Shift+${letter}`,
    order,
    when: () => {
      const open = openUser();
      const needs = needsOf(channel);
      return (
        !!open &&
        useDetailStore.getState().shown &&
        applies(open.user) &&
        (!needs || canNow(needs, open.tenant.id))
      );
    },
    run: () => void run(),
  };
}

const unverified = (u: Auth0User) => !u.email_verified && !!u.email;
const hasFactors = () => {
  const mfa = useDetailStore.getState().mfa;
  return mfa.state === 'ready' && mfa.data.authenticationMethods.length > 0;
};

export const USER_COMMANDS: Command[] = [
  userCommand(
    'block',
    (u) => (u.blocked ? 'Unblock user' : 'Block user'),
    'B',
    'users:set-blocked',
    () => true,
    toggleBlocked,
    1,
    'Block or unblock',
  ),
  userCommand(
    'reset-email',
    'Send password reset email',
    'R',
    'users:reset-email',
    hasDatabaseIdentity,
    sendResetEmail,
    2,
  ),
  userCommand(
    'password-link',
    'Create a password-change link',
    'L',
    'users:password-ticket',
    hasDatabaseIdentity,
    createPasswordLink,
    3,
  ),
  userCommand(
    'send-verification',
    'Send verification email',
    'V',
    'users:send-verification-email',
    unverified,
    sendVerificationEmail,
    4,
  ),
  userCommand(
    'mark-verified',
    'Mark email verified',
    'E',
    'users:set-email-verified',
    unverified,
    markEmailVerified,
    5,
  ),
  userCommand('reset-mfa', 'Reset MFA', 'M', 'users:mfa-reset', hasFactors, resetMfa, 6),
  userCommand(
    'forget-browsers',
    'Forget remembered browsers',
    'F',
    'users:invalidate-remember-browser',
    () => true,
    forgetBrowsers,
    7,
  ),
  userCommand('delete', 'Delete user', 'D', 'users:delete', () => true, deleteUser, 8),
  userCommand(
    'sign-out',
    'Sign out everywhere…',
    'O',
    'users:sign-out-everywhere',
    () => true,
    signOutEverywhere,
    9,
  ),
];

registerCommands(USER_COMMANDS);
watchCommandState(useDetailStore.subscribe, useAccessStore.subscribe, useAppStore.subscribe);
