/**
 * The one formatter set: every number, rate, change and time on pages, tables, charts, widgets
 * and badges reads the same. Fixed locale so server and browser agree.
 */
const int = new Intl.NumberFormat("en-US");

export function formatInt(n: number | null): string {
  return n === null ? "–" : int.format(n);
}

/** 950 → "950", 17_912 → "17.9k", 2_400_000 → "2.4M" (badges, widgets). */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  const [div, unit] = n < 1_000_000 ? [1000, "k"] : [1_000_000, "M"];
  const v = n / div;
  return `${v < 100 ? v.toFixed(1).replace(/\.0$/, "") : Math.round(v)}${unit}`;
}

export function formatPercent(rate: number | null, digits = 1): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(digits)} %`;
}

/** A 95 % interval as "2.1–4.8 %". */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 1): string {
  if (low == null || high == null) return "";
  return `${(low * 100).toFixed(digits)}–${(high * 100).toFixed(digits)} %`;
}

/** "+12.3 %" / "−4.0 %" / "new" for a relative change; null → "". */
export function formatChange(relative: number | null, hadPrevious: boolean): string {
  if (!hadPrevious) return "new";
  if (relative === null) return "";
  const sign = relative > 0 ? "+" : relative < 0 ? "−" : "±";
  return `${sign}${Math.abs(relative * 100).toFixed(1)} %`;
}

/** A difference of two rates in percentage points: "+1.2 pp", "−0.4 pp". */
export function formatPoints(delta: number | null): string {
  if (delta === null) return "–";
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  return `${sign}${Math.abs(delta * 100).toFixed(1)} pp`;
}

/** "2026-11-22 15:04 UTC" from PocketBase's datetime text. */
export function formatPbTime(pb: string | null): string {
  return pb ? `${pb.slice(0, 16)} UTC` : "no data yet";
}

/** "2026-11-22 15:04 UTC" from a time in ms. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
