/**
 * Regressions: per app, the windows in which its failure rate rose clearly above its own
 * baseline (changepoint.ts), with false alarms controlled across every app scanned by
 * Benjamini–Hochberg. Pure: the scan (lib/insights/find-regressions.ts, over lib/data/queries/insights-source.ts) feeds it per-bucket
 * counts from the rollups and adds exit codes and environments. Thresholds: docs/INSIGHTS.md.
 */
import { acceptedWindows, bestWindow, type Counts, type ScanOptions, type Window } from "./changepoint";
import { SearchMemo } from "./search-memo";
import { benjaminiHochberg, binomialCdf } from "./significance";

export interface BucketCounts extends Counts {
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH" (UTC). */
  bucket: string;
}

export interface AppSeries {
  nsapp: string;
  /** In time order; buckets without decided runs may be left out. */
  buckets: readonly BucketCounts[];
  /** Equal versions of one app mean equal buckets (lib/insights/scan-series.ts): its best window is kept. */
  version?: string;
}

/**
 * Each app's best window by its series version, between scans: on a refresh most apps' series
 * did not change, and the window search is most of the detection's CPU. So are the further
 * windows of the apps found regressing (acceptedWindows), kept by version, cut-off and count.
 * The Benjamini–Hochberg step across apps runs on every scan.
 */
export class BestWindows extends SearchMemo {
  of(app: AppSeries, scan: ScanOptions): Window | null {
    if (app.version === undefined) return bestWindow(app.buckets, scan);
    return this.get(`best\n${app.nsapp}\n${app.version}\n${JSON.stringify(scan)}`, () => bestWindow(app.buckets, scan));
  }

  accepted(app: AppSeries, scan: ScanOptions, alpha: number, max: number): readonly Window[] {
    if (app.version === undefined) return acceptedWindows(app.buckets, scan, alpha, max);
    return this.get(`accepted\n${app.nsapp}\n${app.version}\n${JSON.stringify(scan)}\n${alpha}\n${max}`, () => acceptedWindows(app.buckets, scan, alpha, max));
  }
}

/** A regression needs ≥ 5 excess failures, the odds of failing at least doubled, and ≥ 30 baseline runs. */
export const REGRESSION_SCAN: ScanOptions = { minExcess: 5, minOddsRatio: 2, minBaselineDecided: 30 };
/** False-discovery rate across apps: of the apps flagged, at most ~1 % expected to be noise. */
export const REGRESSION_FDR = 0.01;
export const MAX_REGRESSIONS_PER_APP = 3;
/** Buckets with fewer decided runs are not a "peak" (1 failure in 1 run is not a 100 % peak). */
export const PEAK_MIN_DECIDED = 10;
/**
 * A window that stops short of the end of a scan that ends now is still open unless the runs
 * after it failed significantly less than in it (one-sided binomial test at 1 %): three
 * quiet hours of an app with two runs an hour are no recovery.
 */
export const RECOVERY_ALPHA = 0.01;

export interface RegressionFinding {
  nsapp: string;
  /** First and last elevated bucket. */
  start: string;
  last: string;
  /** `last`, or null while still open: the series reaches now and the runs after the window show no recovery. */
  end: string | null;
  failed: number;
  decided: number;
  rate: number;
  baselineFailed: number;
  baselineDecided: number;
  baselineRate: number;
  /** Highest rate of a bucket in the window with ≥ PEAK_MIN_DECIDED runs (else the window's rate). */
  peakRate: number;
  peakBucket: string;
  /** Failures the baseline rate predicts for the window's runs. */
  expected: number;
  /** failed − expected. */
  excess: number;
  g: number;
  dispersion: number;
  /** Benjamini–Hochberg adjusted p-value across the apps scanned. */
  q: number;
}

export interface DetectOptions {
  /** Hypotheses for the false-discovery control: at least the apps given (pass the catalogue size). */
  hypotheses?: number;
  /** The series end at the current bucket, so a window reaching the end is still open. */
  openEnd: boolean;
  scan?: ScanOptions;
  fdr?: number;
  /** Best windows kept between scans (apps with a version only). */
  memo?: BestWindows;
}

function finding(app: AppSeries, w: Window, q: number, openEnd: boolean): RegressionFinding {
  const inside = app.buckets.slice(w.first, w.last + 1);
  const rate = w.failed / w.decided;
  const baselineRate = w.baselineFailed / w.baselineDecided;
  let peak = { rate, bucket: inside[0]!.bucket };
  let peakFound = false;
  for (const b of inside) {
    if (b.decided < PEAK_MIN_DECIDED) continue;
    const r = b.failed / b.decided;
    if (!peakFound || r > peak.rate) peak = { rate: r, bucket: b.bucket };
    peakFound = true;
  }
  const expected = w.decided * baselineRate;
  const last = app.buckets[w.last]!.bucket;
  const after = app.buckets.slice(w.last + 1);
  const recovered = binomialCdf(
    after.reduce((s, b) => s + b.failed, 0),
    after.reduce((s, b) => s + b.decided, 0),
    rate,
  );
  return {
    nsapp: app.nsapp,
    start: app.buckets[w.first]!.bucket,
    last,
    end: openEnd && recovered > RECOVERY_ALPHA ? null : last,
    failed: w.failed,
    decided: w.decided,
    rate,
    baselineFailed: w.baselineFailed,
    baselineDecided: w.baselineDecided,
    baselineRate,
    peakRate: peak.rate,
    peakBucket: peak.bucket,
    expected,
    excess: w.failed - expected,
    g: w.g,
    dispersion: w.dispersion,
    q,
  };
}

/**
 * Every regression of every app, ordered open first, then by excess failures. Each app's best
 * window gives one p-value (Bonferroni over the windows it could have chosen); BH over the apps
 * decides which apps have a regression, and the same cut-off admits further windows of them.
 */
export function detectRegressions(apps: readonly AppSeries[], opts: DetectOptions): RegressionFinding[] {
  const scan = opts.scan ?? REGRESSION_SCAN;
  const fdr = opts.fdr ?? REGRESSION_FDR;
  const m = Math.max(apps.length, opts.hypotheses ?? 0);
  const firsts = apps.map((a) => (opts.memo ? opts.memo.of(a, scan) : bestWindow(a.buckets, scan)));
  const scanned = firsts.flatMap((w, i) => (w ? [{ i, p: w.p }] : []));
  const q = benjaminiHochberg(
    scanned.map((s) => s.p),
    m,
  );
  const rejected = scanned.filter((_, j) => q[j]! <= fdr);
  if (rejected.length === 0) return [];
  // BH's cut-off: every p ≤ fdr·R/m is rejected, whichever window it comes from.
  const cutoff = (fdr * rejected.length) / m;
  const out: RegressionFinding[] = [];
  for (const { i } of rejected) {
    const app = apps[i]!;
    const windows = opts.memo ? opts.memo.accepted(app, scan, cutoff, MAX_REGRESSIONS_PER_APP) : acceptedWindows(app.buckets, scan, cutoff, MAX_REGRESSIONS_PER_APP);
    for (const w of windows) {
      out.push(finding(app, w, Math.min(1, (w.p * m) / rejected.length), opts.openEnd));
    }
  }
  return out.sort((a, b) => Number(b.end === null) - Number(a.end === null) || b.excess - a.excess || a.nsapp.localeCompare(b.nsapp));
}
