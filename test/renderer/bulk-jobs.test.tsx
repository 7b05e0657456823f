// @vitest-environment happy-dom
// The bulk job panel and the plan preview: a running job shows the tenant's rate limit (from its x-ratelimit-*
// headers, as main reports it), a finished one how long it took and its pace; roles read by name (the plan and the
// job carry the names of the role ids their users' before / after hold); an email breaks after its @ or before a dot.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkPlanSummary, JobItem, JobSummary, TaskSummary } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { OpenJob } = await import('../../renderer/src/features/bulk/JobsPanel');
const { PlanPreview } = await import('../../renderer/src/features/bulk/PlanPreview');
const { useJobsStore, finishedPace, limitWords } =
  await import('../../renderer/src/features/bulk/jobs-store');
const { useBulkStore } = await import('../../renderer/src/features/bulk/store');
const { useTasksStore } = await import('../../renderer/src/features/tasks/store');
const { UserCell } = await import('../../renderer/src/ui/UserCell');

const tenant = tenantProfile({ id: 'ten_1', label: 'Acme dev' });
const ROLE = 'rol_ng7fQ2xYzA1b2C3d';
const NAMES = { [ROLE]: 'Support agent' };
const START = '2026-03-01T10:00:00.000Z';

function job(over: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job_0123456789abcdef',
    tenantId: tenant.id,
    tenantDomain: tenant.domain,
    change: { kind: 'roles', add: [ROLE], remove: [] },
    changeLabel: 'Add role Support agent',
    sourceLabel: '1,200 selected users',
    createdAt: START,
    status: 'running',
    counts: { total: 1200, done: 600, skipped: 0, failed: 0, unknown: 0, cancelled: 0, remaining: 600 },
    rps: 8.9,
    etaSeconds: 67,
    undoable: true,
    roleNames: NAMES,
    ...over,
  };
}

const finishedJob = job({
  status: 'completed',
  finishedAt: '2026-03-01T10:02:14.000Z',
  counts: { total: 1192, done: 1190, skipped: 2, failed: 0, unknown: 0, cancelled: 0, remaining: 0 },
  rps: undefined,
  etaSeconds: undefined,
});

const outcome: JobItem = {
  index: 0,
  userId: 'auth0|65f2a9c1e4b0a1b2c3d4e5f6',
  email: 'anna.lindqvist-bergstrom@customer-support.example.com',
  state: 'done',
  before: { roles: [] },
  after: { roles: [ROLE] },
};

function showJob(j: JobSummary) {
  const task: TaskSummary = {
    id: j.id,
    kind: 'bulk',
    tenantId: tenant.id,
    tenantDomain: tenant.domain,
    label: j.changeLabel,
    status: j.status === 'interrupted' ? 'paused' : (j.status as TaskSummary['status']),
    createdAt: j.createdAt,
    progress: { done: j.counts.done, total: j.counts.total, unit: 'users', words: '' },
    can: { pause: false, resume: false, cancel: false, results: true },
    detail: { kind: 'bulk', job: j },
  };
  useTasksStore.setState({ byId: { [j.id]: task } });
  useJobsStore.getState().open(j.id);
  render(<OpenJob tenant={tenant} />);
}

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) => {
    if (channel === 'jobs:items' || channel === 'bulk:plan-items')
      return { ok: true, data: { items: [outcome], total: 1 } };
    return { ok: true, data: {} };
  });
  useJobsStore.setState({ openId: null, items: { state: 'loading' } });
  useTasksStore.setState({ byId: {} });
});
afterEach(cleanup);

describe('the job panel', () => {
  it('shows the tenant\u2019s rate limit beside the pace while the job runs', async () => {
    showJob(job({ tenantLimit: { limit: 10, perSecond: 2 } }));
    const limit = screen.getByText('Tenant’s limit').nextElementSibling!;
    expect(limit.textContent).toBe('10 requests at once, refilled at 2 a second');
    expect(screen.getByText('Pace').nextElementSibling!.textContent).toBe('8.9 req/s');
  });

  it('says the limit is not reported until the tenant\u2019s answers did', () => {
    showJob(job());
    expect(screen.getByText('Tenant’s limit').nextElementSibling!.textContent).toBe('not reported yet');
    expect(limitWords({ limit: 50 })).toBe('50 requests at once');
    expect(limitWords({ limit: 1000, perSecond: 15.4 })).toBe(
      '1,000 requests at once, refilled at 15 a second',
    );
  });

  it('shows how long a finished job took and its pace', () => {
    expect(finishedPace(finishedJob)).toBe('took 2 min 14 s · 8.9 users/s');
    expect(finishedPace(job())).toBeNull();
    expect(finishedPace({ ...finishedJob, finishedAt: '2026-03-01T10:00:00.400Z' })).toBe('took under 1 s');
    showJob(finishedJob);
    const head = screen.getByRole('heading', { name: 'Add role Support agent' }).parentElement!
      .nextElementSibling!;
    expect(head.textContent).toContain('took 2 min 14 s · 8.9 users/s');
    expect(screen.queryByText('Tenant’s limit')).toBeNull();
  });

  it('shows outcomes\u2019 roles by name (the id in the tooltip), and breaks emails at @ and dots', async () => {
    showJob(finishedJob);
    const table = await screen.findByRole('table', { name: 'Per-user outcomes' });
    const name = await within(table).findByText('Support agent');
    expect(name.getAttribute('title')).toBe(ROLE);
    expect(table.textContent).not.toContain('rol_');
    const email = table.querySelector('.user-email')!;
    expect(email.getAttribute('title')).toBe(outcome.email);
    expect(email.textContent).toBe(outcome.email);
    // After the @ and before each dot: anna / .lindqvist-bergstrom@ / customer-support / .example / .com
    expect(email.querySelectorAll('wbr')).toHaveLength(4);
    expect(table.querySelector('.user-id')!.textContent).toBe(outcome.userId);
  });

  it('falls back to the id for a role whose name is not known (a job of an earlier version)', async () => {
    showJob({ ...finishedJob, roleNames: undefined });
    const table = await screen.findByRole('table', { name: 'Per-user outcomes' });
    expect((await within(table).findByText(ROLE)).tagName).toBe('CODE');
  });
});

describe('the plan preview', () => {
  it('shows the planned users\u2019 roles by name', async () => {
    const plan: BulkPlanSummary = {
      planId: 'plan-test-0001',
      tenantId: tenant.id,
      change: { kind: 'roles', add: [ROLE], remove: [] },
      changeLabel: 'Add role Support agent',
      sourceLabel: '1 selected user',
      enumeration: 'lookup',
      total: 1,
      willChange: 1,
      skipped: 0,
      unknown: [],
      ambiguous: [],
      skipReasons: [],
      warnings: [],
      destructive: false,
      undoable: true,
      createdAt: START,
      roleNames: NAMES,
    };
    useBulkStore.getState().show(tenant.id, plan.planId, { state: 'ready', data: plan });
    render(<PlanPreview tenant={tenant} />);
    const table = await screen.findByRole('table', { name: 'Planned users, before and after' });
    expect((await within(table).findByText('Support agent')).getAttribute('title')).toBe(ROLE);
    expect(table.textContent).not.toContain('rol_');
  });
});

it('a user without an email shows the id, which may break anywhere', () => {
  render(
    <table>
      <tbody>
        <tr>
          <UserCell userId="auth0|abc" />
        </tr>
      </tbody>
    </table>,
  );
  expect(screen.getByText('auth0|abc').className).toBe('user-id');
});
