// The production guard in the window: the contract's policy decides what a write needs on this tenant; the guard
// dialog asks for it (a confirmation, or the domain typed back); main checks the answer again. Destructive actions
// are confirmed on every tenant, guarded or not.
import type { ReactNode } from 'react';
import { create } from 'zustand';
import {
  guardLevel,
  takesReason,
  type ChannelInput,
  type ChannelOutput,
  type GuardAnswer,
  type GuardLevel,
  type Reason,
  type Result,
  type TenantProfile,
  type WriteChannel,
} from '../../../preload/contract';
import { bridge } from '../bridge';

export interface GuardCopy {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** Ask even where the guard does not (a delete on a development tenant). */
  always?: boolean;
  /** A bulk job: how many users it changes (typed back on a production tenant). */
  count?: number;
}

/** What the dialog answers: the guard's answer, and why the write is made (a ticket, a note), when given. */
export interface DialogAnswer {
  guard: NonNullable<GuardAnswer>;
  reason?: Reason;
}

export interface GuardRequest extends GuardCopy {
  tenant: TenantProfile;
  level: GuardLevel;
  /** The write goes to the tenant: the dialog offers a reason (required where the tenant says). */
  reasonAsked?: boolean;
  resolve(answer: DialogAnswer | null): void;
}

export const useGuardStore = create<{ request: GuardRequest | null }>(() => ({ request: null }));

/** Shows the guard dialog; resolves with the answer, or null when the user cancels. */
export function askGuard(request: Omit<GuardRequest, 'resolve'>): Promise<DialogAnswer | null> {
  // A request still open (it can't be, modals are exclusive) is cancelled rather than lost.
  useGuardStore.getState().request?.resolve(null);
  return new Promise((resolve) =>
    useGuardStore.setState({
      request: {
        ...request,
        resolve: (answer) => {
          useGuardStore.setState({ request: null });
          resolve(answer);
        },
      },
    }),
  );
}

type WriteInput<C extends WriteChannel> = Omit<ChannelInput<C>, 'guard'>;

/**
 * What the guard asks of this write on this tenant, with the window's own "always confirm" added; a tenant that
 * requires a reason on every write is always asked (the dialog takes the reason).
 */
export function needsAsking(tenant: TenantProfile, channel: WriteChannel, input: unknown, always = false) {
  const level = guardLevel(channel, tenant.environment, input as never);
  return { level, ask: level !== 'none' || always || (tenant.requireReason && takesReason(channel)) };
}

/**
 * Runs a write on a tenant through the guard: asks what the policy needs, then sends it with the answer.
 * Resolves with null when the user cancelled (nothing was sent).
 */
export async function guardedInvoke<C extends WriteChannel>(
  tenant: TenantProfile,
  channel: C,
  input: WriteInput<C>,
  copy: GuardCopy,
  /** Called once the user has answered, just before the write is sent. */
  onSend?: () => void,
): Promise<Result<ChannelOutput<C>> | null> {
  const { level, ask } = needsAsking(tenant, channel, input, copy.always);
  let guard: GuardAnswer | undefined;
  let reason: Reason | undefined;
  if (ask) {
    const answer = await askGuard({ ...copy, tenant, level, reasonAsked: takesReason(channel) });
    if (!answer) return null;
    guard = level === 'none' ? undefined : answer.guard;
    reason = answer.reason;
  }
  onSend?.();
  return bridge.invoke(channel, {
    ...input,
    ...(guard ? { guard } : {}),
    ...(reason ? { reason } : {}),
  } as ChannelInput<C>);
}

/** A store's action for one guarded write channel: (tenant, input, what the guard says) → the result, or null. */
export function guardedWrite<C extends WriteChannel>(channel: C) {
  return (tenant: TenantProfile, input: WriteInput<C>, copy: GuardCopy, onSend?: () => void) =>
    guardedInvoke(tenant, channel, input, copy, onSend);
}
