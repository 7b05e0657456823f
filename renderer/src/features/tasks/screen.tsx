// The Tasks screen, registered: in the sidebar, past the ninth screen (no Alt+digit: the chord G then K — the first
// letter of its name no other screen has — and the palette).
import { registerScreen } from '../../commands/registry';
import { TasksScreen } from './TasksScreen';

registerScreen({
  view: 'tasks',
  label: 'Tasks',
  order: 10,
  needs: 'nothing',
  render: () => <TasksScreen />,
});
