// Creating, renaming and deleting an organization. A delete records what the organization was (its name, display
// name and how many members it had) in the audit; it can't be undone — its members, their organization roles and its
// invitations go with it.
import { channels, type ChannelParsedInput, type OrganizationSummary } from '../../../preload/contract.js';
import { AppError } from '../../errors.js';
import { orgSummary, readOrganization } from '../../organizations/org-reads.js';
import { operation, SkipWrite } from '../operation.js';

export const orgCreate = operation<ChannelParsedInput<'orgs:create'>, undefined, OrganizationSummary>({
  name: 'org.create',
  input: channels['orgs:create'].input,
  risk: 'orgs:create',
  needs: 'orgs:manage',
  action: 'org.create',
  target: (i) => i.name,
  // A second create of the same name is refused by Auth0 (409): read back instead.
  mayRepeat: false,
  async apply({ management }, input) {
    try {
      const made = await management.organizations.create({
        name: input.name,
        ...(input.displayName ? { display_name: input.displayName } : {}),
      });
      return orgSummary(made as Record<string, unknown>);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 409)
        throw new AppError(
          'conflict',
          `An organization named “${input.name}” already exists on this tenant.`,
          {
            status: 409,
            details: { issues: [{ path: 'name', message: 'This name is taken on this tenant' }] },
          },
        );
      throw err;
    }
  },
  audit: { after: (o) => ({ id: o.id, name: o.name, display_name: o.displayName }) },
  intent: (input) => ({ name: input.name }),
  async readBack({ management }, entry) {
    const { name } = entry.intent as { name: string };
    try {
      await management.organizations.getByName(name);
      return { resolution: 'applied' };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { resolution: 'not-applied' };
      throw err;
    }
  },
});

export const orgUpdate = operation<
  ChannelParsedInput<'orgs:update'>,
  OrganizationSummary,
  OrganizationSummary
>({
  name: 'org.update',
  input: channels['orgs:update'].input,
  risk: 'orgs:update',
  needs: 'orgs:manage',
  action: 'org.update',
  target: (i) => i.orgId,
  mayRepeat: true,
  async before({ management }, input) {
    const now = orgSummary((await management.organizations.get(input.orgId)) as Record<string, unknown>);
    if (
      (input.name === undefined || input.name === now.name) &&
      (input.displayName === undefined || input.displayName === (now.displayName ?? ''))
    )
      throw new SkipWrite('already as asked');
    return now;
  },
  async apply({ management }, input) {
    const r = await management.organizations.update(input.orgId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
    });
    return orgSummary(r as Record<string, unknown>);
  },
  audit: {
    before: (o) => ({ name: o.name, display_name: o.displayName }),
    after: (o) => ({ name: o.name, display_name: o.displayName }),
  },
  intent: (input) => ({
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
  }),
  async readBack({ management }, entry) {
    const want = entry.intent as { name?: string; display_name?: string };
    const now = (await management.organizations.get(entry.target!)) as Record<string, unknown>;
    const applied =
      (want.name === undefined || now.name === want.name) &&
      (want.display_name === undefined || (now.display_name ?? '') === want.display_name);
    return { resolution: applied ? 'applied' : 'not-applied' };
  },
});

export const orgDelete = operation<
  ChannelParsedInput<'orgs:delete'>,
  { organization: OrganizationSummary; memberCount: number | null },
  { orgId: string }
>({
  name: 'org.delete',
  input: channels['orgs:delete'].input,
  risk: 'orgs:delete',
  needs: 'orgs:manage',
  action: 'org.delete',
  target: (i) => i.orgId,
  mayRepeat: true,
  async before({ management, connection }, input) {
    const { organization, memberCount } = await readOrganization(management, input.orgId, (path) =>
      connection.readJson(path),
    );
    return { organization, memberCount };
  },
  async apply({ management }, input) {
    try {
      await management.organizations.delete(input.orgId);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    return { orgId: input.orgId };
  },
  audit: {
    before: (b) => ({
      name: b.organization.name,
      display_name: b.organization.displayName,
      members: b.memberCount,
    }),
  },
  async readBack({ management }, entry) {
    try {
      await management.organizations.get(entry.target!);
      return { resolution: 'not-applied' };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { resolution: 'applied' };
      throw err;
    }
  },
});
