/** Number and date formatting shared by pages (fixed locale so server and browser agree). */
const int = new Intl.NumberFormat("en-US");

export function formatInt(n: number): string {
  return int.format(n);
}

export function formatPercent(rate: number | null, digits = 1): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(digits)} %`;
}

/** "2026-11-22 15:04 UTC" from PocketBase's datetime text. */
export function formatPbTime(pb: string | null): string {
  return pb ? `${pb.slice(0, 16)} UTC` : "no data yet";
}

/** "+12.3 %" / "−4.0 %" / "new" for a relative change; null → "". */
export function formatChange(relative: number | null, hadPrevious: boolean): string {
  if (!hadPrevious) return "new";
  if (relative === null) return "";
  const sign = relative > 0 ? "+" : relative < 0 ? "−" : "±";
  return `${sign}${Math.abs(relative * 100).toFixed(1)} %`;
}
