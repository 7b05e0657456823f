// The insights slice's handlers: one chart over a snapshot or over the live tenant.
import type { insightsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { Insights } from './insights.js';

export function insightsHandlers(d: { insights: Insights }): SliceHandlers<typeof insightsChannels> {
  const { insights } = d;
  return {
    'insights:snapshot-chart': (input) => insights.snapshotChart(input.snapshotId, input.chart),
    'insights:live-chart': (input) => insights.liveChart(input.tenantId, input.chart),
  };
}
