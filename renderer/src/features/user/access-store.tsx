// The open user's access — sessions, refresh tokens, consents — bound to the panel's opening like every section: an
// answer for another opening is dropped, parts the grant can't read are never asked for, and every revoke goes
// through the panel's `act` (guard, reason, progress, toast), after which the access is read again.
import { create } from 'zustand';
import type { SignOutOptions, SignOutReport, UserAccess } from '../../../../preload/contract';
import { forbidden, fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { canNow, useAppStore } from '../../stores/app';
import { useDetailStore } from './store';

export type Revocable = 'session' | 'refresh-token' | 'grant';

interface AccessState {
  /** The panel opening this was read for. */
  seq: number;
  access: Async<UserAccess>;
  /** What the last "sign out everywhere" on this opening did. */
  report: SignOutReport | null;
  /** The "Sign out everywhere" dialog is open (from its button, its key or the palette). */
  asking: boolean;
  setAsking(asking: boolean): void;
  load(): Promise<void>;
  revoke(kind: Revocable, id: string, what: string): Promise<void>;
  signOut(options: SignOutOptions, who: string): Promise<SignOutReport | null>;
  dismissReport(): void;
}

/** The capabilities that read each part: a grant without all three still reads the ones it has. */
const READS = ['sessions:read', 'refresh-tokens:read', 'grants:read'] as const;

export const useAccessStore = create<AccessState>((set, get) => ({
  seq: -1,
  access: loading,
  report: null,
  asking: false,
  setAsking(asking) {
    set({ asking });
  },
  async load() {
    const { tenantId, userId, seq } = useDetailStore.getState();
    if (!tenantId || !userId) return;
    if (get().seq !== seq) set({ seq, report: null, asking: false });
    const grant = useAppStore.getState().capabilities[tenantId];
    if (grant && !('code' in grant) && READS.every((c) => !grant[c].allowed))
      return set({ access: forbidden([...new Set(READS.flatMap((c) => grant[c].missingScopes))]) });
    set({ access: loading });
    const r = await bridge.invoke('users:access', { tenantId, userId });
    if (useDetailStore.getState().seq === seq) set({ access: fromResult(r) });
  },
  async revoke(kind, id, what) {
    const act = useDetailStore.getState().act;
    const r =
      kind === 'session'
        ? await act(
            'users:revoke-session',
            { sessionId: id },
            {
              progress: 'Revoking the session',
              success: 'Session revoked',
              confirm: {
                title: 'Revoke this session?',
                body: <p>{what} is signed out: the next request from it asks them to sign in again.</p>,
                confirmLabel: 'Revoke session',
              },
            },
          )
        : kind === 'refresh-token'
          ? await act(
              'users:revoke-refresh-token',
              { tokenId: id },
              {
                progress: 'Revoking the refresh token',
                success: 'Refresh token revoked',
                confirm: {
                  title: 'Revoke this refresh token?',
                  body: <p>{what} can no longer get new access tokens with it.</p>,
                  confirmLabel: 'Revoke token',
                },
              },
            )
          : await act(
              'users:revoke-grant',
              { grantId: id },
              {
                progress: 'Revoking the consent',
                success: 'Consent revoked',
                confirm: {
                  title: 'Revoke this consent?',
                  body: <p>{what} must ask the user&rsquo;s consent again.</p>,
                  confirmLabel: 'Revoke consent',
                },
              },
            );
    if (r) await get().load();
  },
  async signOut(options, who) {
    const { seq } = useDetailStore.getState();
    const steps = [
      options.block && 'block them',
      'revoke every session and refresh token',
      options.grants && 'revoke their consents',
      options.mfaReset && 'remove every MFA factor',
      options.password === 'email' && 'send a password reset email',
      options.password === 'link' && 'make a password-change link',
    ].filter(Boolean) as string[];
    const r = await useDetailStore.getState().act(
      'users:sign-out-everywhere',
      { options },
      {
        progress: 'Signing out everywhere',
        success: 'Signed out everywhere',
        confirm: {
          title: `Sign ${who} out everywhere?`,
          body: (
            <p>
              This will {steps.slice(0, -1).join(', ')}
              {steps.length > 1 ? ' and ' : ''}
              {steps[steps.length - 1]}.
            </p>
          ),
          confirmLabel: 'Sign out everywhere',
          danger: true,
          always: true,
        },
      },
    );
    if (!r?.ok) return null;
    if (useDetailStore.getState().seq === seq) set({ report: r.data });
    if (options.block) useDetailStore.getState().markChanged();
    await get().load();
    return r.data;
  },
  dismissReport() {
    set({ report: null });
  },
}));

/** Whether the open tenant's grant can make this revoke (the panel's buttons say why not). */
export const canRevoke = (tenantId: string, kind: Revocable) =>
  canNow(
    kind === 'session'
      ? 'sessions:revoke'
      : kind === 'refresh-token'
        ? 'refresh-tokens:revoke'
        : 'grants:revoke',
    tenantId,
  );
