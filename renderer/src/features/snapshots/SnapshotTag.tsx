import type { Environment, SnapshotSummary } from '../../../../preload/contract';
import { EnvironmentTag } from '../../ui/EnvironmentTag';

/** The environment of the tenant a snapshot was taken of, when it is known. */
export function SnapshotTag({ s }: { s: SnapshotSummary }) {
  return s.environment ? <EnvironmentTag environment={s.environment as Environment} /> : null;
}
