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
import { spansOverlap } from "./scan-plan";
import { benjaminiHochberg, poissonSfAtLeast } from "./significance";

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

export const INCIDENT_SCAN: ScanOptions = { minExcess: 10, minOddsRatio: 2, minBaselineDecided: 500 };
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
  const firsts = series.map((s) => bestWindow(s, INCIDENT_SCAN));
  const scanned = firsts.flatMap((w, i) => (w ? [{ i, p: w.p }] : []));
  const m = Math.max(opts.hypotheses, scanned.length);
  const q = benjaminiHochberg(
    scanned.map((s) => s.p),
    m,
  );
  const rejected = scanned.filter((_, j) => q[j]! <= INCIDENT_FDR);
  const cutoff = (INCIDENT_FDR * rejected.length) / m;
  return rejected.flatMap(({ i }) =>
    acceptedWindows(series[i]!, INCIDENT_SCAN, cutoff, 3).map((w): SignalWindow => {
      const baselineRate = w.baselineFailed / w.baselineDecided;
      const last = buckets[w.last]!.bucket;
      return {
        signal: signals[i]!.signal,
        start: buckets[w.first]!.bucket,
        last,
        end: opts.openEnd && w.last === buckets.length - 1 ? null : last,
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
 * Apps with clearly more failures of the signal in the window than their own baseline predicts.
 * An app's baseline rate borrows APP_PRIOR_RUNS runs at the signal's overall baseline rate, so
 * an app that never failed that way before does not get an expectation of exactly zero.
 */
export function affectedApps(window: Pick<SignalWindow, "baselineRate">, rows: readonly AppSignalCounts[]): AffectedApp[] {
  const candidates = rows.filter((r) => r.windowFailed > 0);
  const alpha = APP_ALPHA / Math.max(1, candidates.length);
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
 * A category incident repeats a code incident when one of its codes is an incident in an
 * overlapping window: only the code is reported then (it is the more precise cause).
 */
export function withoutRepeatedCategories<I extends { signal: Signal; start: string; end: string | null; last: string }>(
  incidents: readonly I[],
  categoryOf: (code: number, bucket: string) => string,
): I[] {
  const codes = incidents.filter((i) => i.signal.kind === "exit_code");
  return incidents.filter(
    (i) =>
      i.signal.kind === "exit_code" ||
      !codes.some(
        (c) =>
          c.signal.kind === "exit_code" &&
          categoryOf(c.signal.exitCode, c.start) === (i.signal.kind === "category" ? i.signal.category : "") &&
          spansOverlap({ start: c.start, last: c.end === null ? null : c.last }, { start: i.start, last: i.end === null ? null : i.last }),
      ),
  );
}
