/**
 * The one formatter set: every number, rate, change and time on pages, tables, charts, widgets
 * and badges reads the same. Fixed locale so server and browser agree.
 */
const int = new Intl.NumberFormat("en-US");

export function formatInt(n: number | null): string {
  return n === null ? "–" : int.format(n);
}

export function formatPercent(rate: number | null, digits = 1): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(digits)} %`;
}

/** A 95 % interval as "2.1–4.8 %". */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 1): string {
  if (low == null || high == null) return "";
  return `${(low * 100).toFixed(digits)}–${(high * 100).toFixed(digits)} %`;
}

/** A signed figure at one decimal: the sign of what is shown, so a change that rounds to 0.0 reads "±0.0", never "−0.0". */
function signed(fraction: number, unit: string): string {
  const shown = Math.abs(fraction * 100).toFixed(1);
  const sign = Number(shown) === 0 ? "±" : fraction > 0 ? "+" : "−";
  return `${sign}${shown} ${unit}`;
}

/** "+12.3 %" / "−4.0 %" / "new" for a relative change; null → "". */
export function formatChange(relative: number | null, hadPrevious: boolean): string {
  if (!hadPrevious) return "new";
  if (relative === null) return "";
  return signed(relative, "%");
}

/** A difference of two rates in percentage points: "+1.2 pp", "−0.4 pp". */
export function formatPoints(delta: number | null): string {
  if (delta === null) return "–";
  return signed(delta, "pp");
}

/** "2026-11-22 15:04 UTC" from PocketBase's datetime text. */
export function formatPbTime(pb: string | null): string {
  return pb ? `${pb.slice(0, 16)} UTC` : "no data yet";
}

/** "2026-11-22 15:04 UTC" from a time in ms. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Short counts for badges: "9,876", "17.9k", "179k", "1.2M" (exact below 10,000). */
export function formatCompact(n: number): string {
  if (n < 10_000) return formatInt(n);
  const [div, unit] = n < 999_500 ? [1_000, "k"] : [1_000_000, "M"];
  const v = n / div;
  return `${v < 99.95 ? v.toFixed(1) : Math.round(v).toString()}${unit}`;
}

/** A rate with as many digits as its size needs: "31 %", "3.4 %", "0.45 %". */
export function formatRate(rate: number): string {
  const pct = rate * 100;
  if (pct === 0) return "0 %";
  const digits = pct >= 9.95 ? 0 : pct >= 0.995 ? 1 : 2;
  return `${pct.toFixed(digits)} %`;
}

/** "9×", "2.4×": how many times one rate is another. */
export function formatRatio(ratio: number): string {
  return ratio >= 2.95 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A span of days as people write it: "16–22 Nov 2026", "30 Nov – 6 Dec 2026", "29 Dec 2025 – 4 Jan 2026". */
export function formatDaySpan(first: string, last: string): string {
  const [y1, m1, d1] = first.split("-").map(Number) as [number, number, number];
  const [y2, m2, d2] = last.split("-").map(Number) as [number, number, number];
  const end = `${d2} ${MONTHS[m2 - 1]} ${y2}`;
  if (y1 !== y2) return `${d1} ${MONTHS[m1 - 1]} ${y1} – ${end}`;
  if (m1 !== m2) return `${d1} ${MONTHS[m1 - 1]} – ${end}`;
  return `${d1}–${end}`;
}

/** Text cut to at most `max` characters, ending in "…" when cut (commit messages in tables and alerts). */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A duration in seconds as read on pages: "45 s", "4 min 5 s", "12 min", "1 h 5 min" (seconds shown below 10 min only). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes / 60} h`;
}

/** An exact axis label for a duration on a round step (seconds): "30 s", "1.5 min", "2 h". */
export function formatDurationTick(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

/** A duration for a sentence or a badge ("typically 4 min"): "45 s", "4 min", "1.5 h". */
export function formatApproxDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
