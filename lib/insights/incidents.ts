/**
 * Cross-app incidents: one exit code (or one error category) whose share of all decided runs
 * jumps for some hours or days (a mirror, DNS, a shared helper) and that hits several apps at
 * once. Two steps, both pure:
 *  1. signalWindows: the change-point scan of changepoint.ts on each code's (and category's)
 *     failures against all decided runs per bucket, Benjamini–Hochberg over the signals;
 *  2. affectedApps: which apps had more failures of it in the window than their own baseline
 *     predicts (Poisson tail, Bonferroni over the apps that had any). It is an incident when at
 *     least MIN_INCIDENT_APPS apps are affected; one app's regression is not an incident.
 */
import { acceptedWindows, bestWindow, type ScanOptions } from "./changepoint";
import { bucketSpan, spansOverlap } from "./scan-plan";
import { RECOVERY_ALPHA } from "./regressions";
import { benjaminiHochberg, binomialCdf, poissonSfAtLeast } from "./significance";

export type Signal = { kind: "exit_code"; exitCode: number } | { kind: "category"; category: string };

export interface SignalSeries {
  signal: Signal;
  /** Failures of this code/category per bucket (buckets without any may be absent). */
  failed: ReadonlyMap<string, number>;
}

export interface SignalWindow {
  signal: Signal;
  start: string;
  last: string;
  /** null when the window reaches the end of a scan that ends now. */
  end: string | null;
  failed: number;
  decided: number;
  rate: number;
  baselineRate: number;
  expected: number;
  excess: number;
  q: number;
}

/**
 * An incident needs ≥ 10 excess failures, the code's odds at least doubled, and lasts at most
 * three days: a longer rise of one code is several apps' separate regressions, not one outage.
 */
export const INCIDENT_SCAN: ScanOptions = { minExcess: 10, minOddsRatio: 2, minBaselineDecided: 500, maxWindowMs: 3 * 86_400_000, quietAlpha: 1e-6 };
export const INCIDENT_FDR = 0.01;
export const MIN_INCIDENT_APPS = 3;
/** Family-wise error rate of "this app is affected", over the apps with any such failure. */
export const APP_ALPHA = 0.01;
/** Pseudo-runs at the code's overall rate added to an app's own baseline (apps with little history). */
export const APP_PRIOR_RUNS = 200;

/**
 * Significant windows of every signal. `buckets` are all scanned buckets in order with their
 * decided runs (all apps); `hypotheses` counts every code and category that could have spiked.
 */
export function signalWindows(
  buckets: readonly { bucket: string; decided: number }[],
  signals: readonly SignalSeries[],
  opts: { hypotheses: number; openEnd: boolean },
): SignalWindow[] {
  const series = signals.map((s) => buckets.map((b) => ({ failed: s.failed.get(b.bucket) ?? 0, decided: b.decided })));
  const spans = buckets.map((b) => bucketSpan(b.bucket));
  const firsts = series.map((s) => bestWindow(s, INCIDENT_SCAN, [], spans));
  const scanned = firsts.flatMap((w, i) => (w ? [{ i, p: w.p }] : []));
  const m = Math.max(opts.hypotheses, scanned.length);
  const q = benjaminiHochberg(
    scanned.map((s) => s.p),
    m,
  );
  const rejected = scanned.filter((_, j) => q[j]! <= INCIDENT_FDR);
  const cutoff = (INCIDENT_FDR * rejected.length) / m;
  return rejected.flatMap(({ i }) =>
    acceptedWindows(series[i]!, INCIDENT_SCAN, cutoff, 3, spans).map((w): SignalWindow => {
      const baselineRate = w.baselineFailed / w.baselineDecided;
      const last = buckets[w.last]!.bucket;
      const after = series[i]!.slice(w.last + 1);
      // Open, like a regression, while the runs since show no significant fall (RECOVERY_ALPHA).
      const recovered = binomialCdf(
        after.reduce((s, b) => s + b.failed, 0),
        after.reduce((s, b) => s + b.decided, 0),
        w.failed / w.decided,
      );
      return {
        signal: signals[i]!.signal,
        start: buckets[w.first]!.bucket,
        last,
        end: opts.openEnd && recovered > RECOVERY_ALPHA ? null : last,
        failed: w.failed,
        decided: w.decided,
        rate: w.failed / w.decided,
        baselineRate,
        expected: w.decided * baselineRate,
        excess: w.failed - w.decided * baselineRate,
        q: Math.min(1, (w.p * m) / rejected.length),
      };
    }),
  );
}

export interface AppSignalCounts {
  nsapp: string;
  /** Failures of the signal and decided runs of the app, in the window and in the baseline. */
  windowFailed: number;
  windowDecided: number;
  baselineFailed: number;
  baselineDecided: number;
}

export interface AffectedApp {
  nsapp: string;
  failed: number;
  expected: number;
  excess: number;
  p: number;
}

/**
 * Apps with clearly more failures of the signal in the window than their own baseline predicts
 * (Poisson tail below APP_ALPHA / max(apps examined, `hypotheses`)).
 * An app's baseline rate borrows APP_PRIOR_RUNS runs at the signal's overall baseline rate, so
 * an app that never failed that way before does not get an expectation of exactly zero.
 */
export function affectedApps(window: Pick<SignalWindow, "baselineRate">, rows: readonly AppSignalCounts[], hypotheses = 0): AffectedApp[] {
  const candidates = rows.filter((r) => r.windowFailed > 0);
  // Every app could have been hit, not only those that failed this way: two stray failures of
  // a rare code in some small app happen somewhere among 650 apps in a few days.
  const alpha = APP_ALPHA / Math.max(1, candidates.length, hypotheses);
  return candidates
    .map((r) => {
      const rate = (r.baselineFailed + APP_PRIOR_RUNS * window.baselineRate) / (r.baselineDecided + APP_PRIOR_RUNS);
      const expected = r.windowDecided * rate;
      return { nsapp: r.nsapp, failed: r.windowFailed, expected, excess: r.windowFailed - expected, p: poissonSfAtLeast(r.windowFailed, expected) };
    })
    .filter((a) => a.failed >= 2 && a.p <= alpha)
    .sort((a, b) => b.excess - a.excess || a.nsapp.localeCompare(b.nsapp));
}

/**
 * Category windows that one code of the category explains (an overlapping code window with at
 * least half the category's excess) are dropped before reading per-app data: the code is the
 * more precise signal, and its own window is examined.
 */
export function withoutExplainedCategories(windows: readonly SignalWindow[], categoryOf: (code: number, bucket: string) => string): SignalWindow[] {
  return windows.filter(
    (w) =>
      w.signal.kind !== "category" ||
      !windows.some(
        (c) =>
          c.signal.kind === "exit_code" &&
          categoryOf(c.signal.exitCode, c.start) === (w.signal.kind === "category" ? w.signal.category : "") &&
          c.excess >= w.excess / 2 &&
          spansOverlap({ start: c.start, last: c.end === null ? null : c.last }, { start: w.start, last: w.end === null ? null : w.last }),
      ),
  );
}

export interface AppBuckets {
  nsapp: string;
  buckets: readonly { bucket: string; failed: number; decided: number }[];
  /** Equal versions of one app mean equal buckets (lib/insights/scan-series.ts); absent: not known. */
  version?: string;
}

/**
 * Apps whose failures of any kind were clearly above their own rate during a window — a cheap
 * first look from the series already read for regressions. A window with fewer than
 * MIN_INCIDENT_APPS such apps cannot be an incident, and is not worth reading per-app exit
 * codes for. Apps' buckets must be laid out like the window's (scan-plan.ts joinParts).
 */
export function elevatedApps(window: { start: string; last: string }, apps: readonly AppBuckets[]): string[] {
  // Buckets compare as text across grains ("2026-11-27" < "2026-11-27 05" < "2026-11-28"); a day
  // bucket next to an hourly window belongs to an app without failures in those hours.
  const inside = (bucket: string) => bucket >= window.start && bucket.slice(0, window.last.length) <= window.last;
  const alpha = APP_ALPHA / Math.max(1, apps.length);
  return apps.flatMap((a) => {
    let wf = 0;
    let wd = 0;
    let bf = 0;
    let bd = 0;
    for (const b of a.buckets) {
      if (inside(b.bucket)) {
        wf += b.failed;
        wd += b.decided;
      } else {
        bf += b.failed;
        bd += b.decided;
      }
    }
    if (wf < 2 || bd === 0) return [];
    const expected = (wd * (bf + 1)) / (bd + 1);
    return poissonSfAtLeast(wf, expected) <= alpha ? [a.nsapp] : [];
  });
}
