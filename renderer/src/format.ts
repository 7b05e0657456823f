// How numbers, sizes and times read in the window: one place, so every screen says them alike.

/** A size in honest units: bytes under a kilobyte, then KB, MB, GB with at most one decimal (1,024 per step). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString('en')} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value).toLocaleString('en') : +value.toFixed(1)} ${units[unit]}`;
}
