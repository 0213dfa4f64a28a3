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

/** "+1.8 pp" / "−0.4 pp": a change in percentage points. */
export function formatPoints(change: number): string {
  const pp = change * 100;
  const sign = pp > 0 ? "+" : pp < 0 ? "−" : "±";
  return `${sign}${Math.abs(pp).toFixed(1)} pp`;
}
