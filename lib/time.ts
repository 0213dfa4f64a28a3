/** UTC calendar helpers. Rollup buckets are UTC days ("YYYY-MM-DD") and hours ("YYYY-MM-DD HH"). */

const DAY_MS = 86_400_000;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** PocketBase's datetime text format, which sorts and compares as a string. */
export function pbTime(d: Date): string {
  return d.toISOString().replace("T", " ");
}

/** Start of a UTC day in PocketBase's format. */
export function dayStart(day: string): string {
  return `${day} 00:00:00.000Z`;
}
