// The Insights screen, registered: in the sidebar, on G then N (every Alt+digit is taken), in the palette and the
// overlay. Its charts library loads only when the screen is first shown (a chunk of its own).
import { lazy, Suspense } from 'react';
import { registerScreen } from '../../commands/registry';

const InsightsScreen = lazy(() => import('./InsightsScreen'));

// Over a snapshot it needs no tenant: an auditor can chart a file on a machine with none.
registerScreen({
  view: 'insights',
  label: 'Insights',
  letter: 'n',
  order: 4.5,
  needs: 'nothing',
  render: () => (
    <Suspense fallback={<p className="muted">Loading the charts…</p>}>
      <InsightsScreen />
    </Suspense>
  ),
});
