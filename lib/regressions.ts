/**
 * Where an app's failure rate changed abruptly: a run of consecutive buckets (days, or hours in
 * the 24-hour view) whose failure rate is clearly above the app's baseline (the Wilson lower
 * bound of the bucket's rate exceeds twice the baseline and the baseline + 5 points). Marks where such a run starts and ends.
 * Pure; the baseline excludes the flagged days (re-estimated until stable) so a long
 * regression does not hide itself.
 */
import { wilson } from "./stats";

export interface BucketFailures {
  bucket: string;
  failed: number;
  /** Runs with a verdict (successes + failures). */
  decided: number;
}

export interface Shift {
  start: string;
  /** Last elevated bucket, or null when it is still going on at the end of the series. */
  end: string | null;
  baseline: number;
  peak: number;
}

function elevated(d: BucketFailures, baseline: number): boolean {
  const w = wilson(d.failed, d.decided);
  return w !== null && w.low > Math.max(2 * baseline, baseline + 0.05);
}

function rate(days: BucketFailures[]): number {
  const decided = days.reduce((a, d) => a + d.decided, 0);
  return decided === 0 ? 0 : days.reduce((a, d) => a + d.failed, 0) / decided;
}

export function detectShifts(series: BucketFailures[]): Shift[] {
  // Re-estimate the baseline without the elevated days until it settles (a few passes).
  let baseline = rate(series);
  for (let pass = 0; pass < 5; pass++) {
    const next = rate(series.filter((d) => !elevated(d, baseline)));
    if (next === baseline) break;
    baseline = next;
  }
  const shifts: Shift[] = [];
  let current: Shift | null = null;
  for (const [i, d] of series.entries()) {
    if (elevated(d, baseline)) {
      const r = d.failed / d.decided;
      if (!current) current = { start: d.bucket, end: null, baseline, peak: r };
      else current.peak = Math.max(current.peak, r);
      if (i === series.length - 1) shifts.push(current);
    } else if (d.decided > 0 && current) {
      current.end = series[i - 1]!.bucket;
      shifts.push(current);
      current = null;
    }
  }
  return shifts;
}
