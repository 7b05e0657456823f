// The tasks slice's handlers: every long piece of work, of every kind, listed, described, controlled and its results.
import type { tasksChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { TaskEngine } from './engine.js';

export function tasksHandlers(d: { tasks: TaskEngine }): SliceHandlers<typeof tasksChannels> {
  const { tasks } = d;
  return {
    'tasks:list': (input) => tasks.list(input.tenantId ? { tenantId: input.tenantId } : {}),
    'tasks:get': (input) => tasks.describe(input.taskId),
    'tasks:control': (input) => tasks.control(input.taskId, input.action),
    'tasks:results': (input) => tasks.results(input.taskId),
  };
}
