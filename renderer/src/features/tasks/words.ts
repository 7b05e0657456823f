// A task's state in words: one list for every kind of long work (bulk jobs, imports, exports, …).
import type { TaskStatus } from '../../../../preload/contract';

export const TASK_STATUS_WORDS: Record<TaskStatus, string> = {
  running: 'Running',
  paused: 'Paused',
  interrupted: 'Interrupted',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
