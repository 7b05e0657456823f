// The bulk slice's handlers: plans (found, previewed, saved) and the jobs run from them (their items, and plans to
// retry or undo them). Running, pausing and resuming a job is the task engine's (tasks:*).
import type { bulkChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { JobsService } from './jobs-service.js';

export function bulkHandlers(d: { jobs: JobsService }): SliceHandlers<typeof bulkChannels> {
  const { jobs } = d;
  return {
    'bulk:plan': (input) => jobs.plan(input),
    'bulk:plan-summary': (input) => jobs.planSummary(input.planId),
    'bulk:cancel-plan': (input) => jobs.cancelPlan(input.planId),
    'bulk:plan-items': (input) => jobs.planItems(input),
    'bulk:save-users': (input) => jobs.saveUsers(input.planId),
    'bulk:start': (input) => jobs.start(input.planId, input.guard),
    'jobs:items': (input) => jobs.items(input),
    'jobs:retry-plan': (input) => jobs.retryPlan(input.jobId, input.planId),
    'jobs:undo-plan': (input) => jobs.undoPlan(input.jobId, input.planId),
  };
}
