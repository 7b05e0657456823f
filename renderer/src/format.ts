// How numbers, sizes and times read in the window: one place, so every screen says them alike.

const NUMBER = new Intl.NumberFormat('en');
/** Every date and time of the window: "24 Nov 2026, 14:03:07" (one formatter: building one per call is slow). */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
/** A day alone, in the same words: "24 Nov 2026". */
const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

/** A count with its thousands separated ("12,345"); with a noun, the noun too, plural unless one ("3 users"). */
export function count(n: number, noun?: string): string {
  const number = NUMBER.format(n);
  return noun === undefined ? number : `${number} ${noun}${n === 1 ? '' : 's'}`;
}

function dateOf(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A moment (an ISO date from Auth0 or main) as the window writes it; "—" when there is none. */
export function when(iso: string | null | undefined): string {
  const d = dateOf(iso);
  // A value that isn't a date is shown as it is rather than hidden.
  return d ? DATE_TIME.format(d) : iso || '—';
}

/** The day of a moment, in the same words as `when`. */
export function day(iso: string | null | undefined): string {
  const d = dateOf(iso);
  return d ? DAY.format(d) : iso || '—';
}

/** A length of time in seconds, roughly: "45 s", "3 min 5 s", "2 h 10 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A size in honest units, the one way the window writes one: bytes under a kilobyte ("170 bytes"), then KB, MB, GB
 * and TB of 1,024 each, with one decimal under 100 ("1.4 KB", "12.3 MB") and none from 100 ("488 KB"); a value that
 * rounds to 1,024 of a unit is written as 1 of the next ("1 MB", never "1,024 KB").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return count(Math.round(bytes), 'byte');
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  const rounded = (v: number) => (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10);
  while (rounded(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = rounded(value);
  return `${shown >= 100 ? count(shown) : shown} ${units[unit]}`;
}
