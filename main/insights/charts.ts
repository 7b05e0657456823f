// What each Insights chart asks, as Auth0-syntax queries: the same queries count a snapshot (its store) and the live
// tenant (Auth0's search), and open the users behind a bar. Ages and months are counted back from a date (the
// snapshot's, or now), by whole UTC days; ranges close on the lower bound and open on the upper, so no user is in
// two bars.
import type { InsightChart, InsightChartId } from '../../preload/contract.js';

export interface BarQuery {
  label: string;
  q: string;
}

export const CHART_INFO: Record<InsightChartId, { title: string; kind: InsightChart['kind'] }> = {
  connections: { title: 'Users by connection', kind: 'bar' },
  verified: { title: 'Email verified', kind: 'pie' },
  blocked: { title: 'Blocked', kind: 'pie' },
  'last-login': { title: 'Last login', kind: 'bar' },
  signups: { title: 'Sign-ups per month', kind: 'bar' },
  logins: { title: 'Logins per user', kind: 'bar' },
  roles: { title: 'Role holders', kind: 'bar' },
};

/** Categories (connections, roles) shown at most: the most held ones. */
export const MAX_CATEGORIES = 20;

/** A value as a quoted term of the query syntax. */
export const quoted = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;
export const connectionQuery = (name: string) => `identities.connection:${quoted(name)}`;
export const roleQuery = (name: string) => `roles:${quoted(name)}`;

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The bars of a chart whose categories don't depend on the data (all but connections and roles). */
export function fixedBars(chart: Exclude<InsightChartId, 'connections' | 'roles'>, asOf: Date): BarQuery[] {
  const t = asOf.getTime();
  switch (chart) {
    case 'verified':
      return [
        { label: 'Verified', q: 'email_verified:true' },
        { label: 'Not verified', q: 'email_verified:false' },
        { label: 'No email', q: 'NOT _exists_:email_verified' },
      ];
    case 'blocked':
      return [
        { label: 'Blocked', q: 'blocked:true' },
        // Users never blocked have no `blocked` field at all.
        { label: 'Not blocked', q: 'NOT blocked:true' },
      ];
    case 'last-login': {
      const d = (days: number) => day(t - days * DAY);
      return [
        { label: 'Last 7 days', q: `last_login:[${d(7)} TO *]` },
        { label: '8–30 days', q: `last_login:[${d(30)} TO ${d(7)}}` },
        { label: '31–90 days', q: `last_login:[${d(90)} TO ${d(30)}}` },
        { label: '91–365 days', q: `last_login:[${d(365)} TO ${d(90)}}` },
        { label: 'Over a year', q: `last_login:[* TO ${d(365)}}` },
        { label: 'Never', q: 'NOT _exists_:last_login' },
      ];
    }
    case 'signups': {
      const out: BarQuery[] = [];
      const y = asOf.getUTCFullYear();
      const m = asOf.getUTCMonth();
      for (let i = 11; i >= 0; i--) {
        const from = new Date(Date.UTC(y, m - i, 1));
        const to = new Date(Date.UTC(y, m - i + 1, 1));
        out.push({
          label: from.toLocaleDateString('en', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
          q: `created_at:[${day(from.getTime())} TO ${day(to.getTime())}}`,
        });
      }
      return out;
    }
    case 'logins':
      return [
        { label: 'None', q: 'NOT logins_count:[1 TO *]' },
        { label: '1', q: 'logins_count:1' },
        { label: '2–5', q: 'logins_count:[2 TO 5]' },
        { label: '6–20', q: 'logins_count:[6 TO 20]' },
        { label: '21–100', q: 'logins_count:[21 TO 100]' },
        { label: 'Over 100', q: 'logins_count:[101 TO *]' },
      ];
  }
}
