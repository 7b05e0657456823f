// "Sign out everywhere": a support desk's answer to a compromised account. Judged once by the production guard (and
// the tenant's reason policy), then each step is a write of its own through the one write path — every session
// revoked, every refresh token revoked, and as asked consents revoked, the user blocked, MFA reset, a reset email
// sent or a link made — each audited as itself and tagged with the incident's id, and the whole recorded once more as
// one `user.incident` entry with what each step did. A step that fails is reported and the next ones still run:
// signing someone out must not stop at the first refusal.
import { randomBytes } from 'node:crypto';
import type { ChannelParsedInput, SignOutReport, SignOutStep } from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { classify } from '../errors.js';
import { enforceGuard } from '../operations/guard.js';
import { SkipWrite } from '../operations/operation.js';
import { revokeGrants, revokeRefreshTokens, revokeSessions } from '../operations/user/access.js';
import { mfaReset } from '../operations/user/mfa-reset.js';
import { passwordTicket } from '../operations/user/password-ticket.js';
import { resetEmail } from '../operations/user/reset-email.js';
import { setBlocked } from '../operations/user/set-blocked.js';
import type { WritePath } from '../operations/write-path.js';
import type { TenantService } from '../tenants/tenant-service.js';

type Input = ChannelParsedInput<'users:sign-out-everywhere'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class IncidentResponse {
  constructor(
    private readonly tenants: TenantService,
    private readonly writes: WritePath,
    private readonly audit: AuditLog,
  ) {}

  async signOutEverywhere(input: Input): Promise<SignOutReport> {
    const profile = this.tenants.stored(input.tenantId);
    const { tenantId, userId, options } = input;
    const incidentId = `inc_${randomBytes(8).toString('hex')}`;
    const entry = { action: 'user.incident', target: userId, op: 'user.sign-out-everywhere' };
    enforceGuard(
      this.audit,
      'users:sign-out-everywhere',
      {
        tenantId: profile.id,
        environment: profile.environment,
        domain: profile.domain,
        requireReason: profile.requireReason ?? false,
      },
      input,
      entry,
    );
    const run = { judgedAtStart: true, incidentId } as const;
    const base = { tenantId, userId };
    const steps: SignOutStep[] = [];
    let ticket: SignOutReport['ticket'];
    const step = async (name: SignOutStep['step'], act: () => Promise<string>) => {
      try {
        steps.push({ step: name, ok: true, detail: await act() });
      } catch (err) {
        // Nothing to do is not a failure: "no sessions" is what was wanted.
        if (err instanceof SkipWrite) steps.push({ step: name, ok: true, detail: err.message });
        else steps.push({ step: name, ok: false, detail: classify(err).message });
      }
    };

    // Blocking first: a user who still has a password can't sign in again while the rest is done.
    if (options.block)
      await step('block', async () => {
        await this.writes.run(setBlocked, { ...base, blocked: true }, run);
        return 'Blocked: they cannot sign in until unblocked.';
      });
    await step('revoke-sessions', async () => {
      const held = await this.writes.run(revokeSessions, base, {
        ...run,
        skipIf: (h) => (h.sessions?.length ? null : 'None open: nothing to revoke.'),
      });
      return `Revoked ${plural(held.sessions?.length ?? 0, 'session')}.`;
    });
    await step('revoke-refresh-tokens', async () => {
      const held = await this.writes.run(revokeRefreshTokens, base, {
        ...run,
        skipIf: (h) => (h.refreshTokens?.length ? null : 'None left to revoke.'),
      });
      return `Revoked ${plural(held.refreshTokens?.length ?? 0, 'refresh token')}.`;
    });
    if (options.grants)
      await step('revoke-grants', async () => {
        const held = await this.writes.run(revokeGrants, base, {
          ...run,
          skipIf: (h) => (h.grants?.length ? null : 'None given: nothing to revoke.'),
        });
        return `Revoked ${plural(held.grants?.length ?? 0, 'consent')}.`;
      });
    if (options.mfaReset)
      await step('mfa-reset', async () => {
        const before = await this.writes.run(mfaReset, base, {
          ...run,
          skipIf: (m) => (m.authenticationMethods.length ? null : 'None enrolled: nothing to remove.'),
        });
        return before.authenticationMethods.length === 0
          ? 'Every MFA factor removed: they enrol again at their next sign-in.'
          : 'MFA reset sent.';
      });
    if (options.password === 'email')
      await step('reset-email', async () => {
        const r = await this.writes.run(resetEmail, base, run);
        return `Password reset email sent to ${r.sentTo}.`;
      });
    if (options.password === 'link')
      await step('password-link', async () => {
        ticket = await this.writes.run(
          passwordTicket,
          { ...base, ttlSec: 86_400, markEmailVerified: false },
          run,
        );
        return `Password-change link made (valid until ${ticket.expiresAt}).`;
      });

    const failed = steps.filter((s) => !s.ok);
    this.audit.record({
      tenantId: profile.id,
      tenantDomain: profile.domain,
      ...entry,
      incidentId,
      outcome: failed.length ? 'failure' : 'success',
      after: { steps: steps.map((s) => ({ step: s.step, ok: s.ok, detail: s.detail })) },
      ...(failed.length ? { error: failed.map((s) => `${s.step}: ${s.detail}`).join('; ') } : {}),
    });
    return { userId, incidentId, steps, ...(ticket ? { ticket } : {}) };
  }
}
