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
import { digest, dropOldest, type SearchMemo } from "./search-memo";
import { bucketSpan, spansOverlap } from "./scan-plan";
import { RECOVERY_ALPHA } from "./regressions";
import { benjaminiHochberg, binomialCdf, poissonSfAtLeast } from "./significance";

export type Signal = { kind: "exit_code"; exitCode: number } | { kind: "category"; category: string };

export interface SignalSeries {
  signal: Signal;
  /** Failures of this code/category per bucket (buckets without any may be absent). */
  failed: ReadonlyMap<string, number>;
  /**
   * Equal versions of one signal over equal buckets mean equal failures (the versions of the
   * series rows it was summed from: lib/insights/find-incidents.ts); its searches are then kept.
   */
  version?: string;
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
  opts: { hypotheses: number; openEnd: boolean; memo?: SearchMemo },
): SignalWindow[] {
  const series = signals.map((s) => buckets.map((b) => ({ failed: s.failed.get(b.bucket) ?? 0, decided: b.decided })));
  const spans = buckets.map((b) => bucketSpan(b.bucket));
  // A search's input is its series and the buckets: with a memo and a signal's version, the
  // searches of an unchanged signal over unchanged buckets are kept between scans.
  const memo = opts.memo;
  const context = memo ? digest(buckets.map((b) => [b.bucket, b.decided])) : "";
  const kept = <T>(i: number, kind: string, run: () => T): T => {
    const version = signals[i]!.version;
    return memo && version !== undefined ? memo.get(`${kind}\n${context}\n${JSON.stringify(signals[i]!.signal)}\n${version}`, run) : run();
  };
  const firsts = series.map((s, i) => kept(i, "best", () => bestWindow(s, INCIDENT_SCAN, [], spans)));
  const scanned = firsts.flatMap((w, i) => (w ? [{ i, p: w.p }] : []));
  const m = Math.max(opts.hypotheses, scanned.length);
  const q = benjaminiHochberg(
    scanned.map((s) => s.p),
    m,
  );
  const rejected = scanned.filter((_, j) => q[j]! <= INCIDENT_FDR);
  const cutoff = (INCIDENT_FDR * rejected.length) / m;
  return rejected.flatMap(({ i }) =>
    kept(i, `accepted ${cutoff}`, () => acceptedWindows(series[i]!, INCIDENT_SCAN, cutoff, 3, spans)).map((w): SignalWindow => {
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
  const alpha = APP_ALPHA / Math.max(1, apps.length);
  const id = `${window.start}|${window.last}|${alpha}`;
  return apps.flatMap((a) => {
    let kept = ELEVATED.get(a);
    let elevated = kept?.get(id);
    if (elevated === undefined) {
      const { wf, wd, bf, bd } = windowCounts(a, window);
      elevated = wf >= 2 && bd > 0 && poissonSfAtLeast(wf, (wd * (bf + 1)) / (bd + 1)) <= alpha;
      kept ??= new Map();
      kept.set(id, elevated);
      dropOldest(kept, ELEVATED_KEPT);
      ELEVATED.set(a, kept);
    }
    return elevated ? [a.nsapp] : [];
  });
}

/**
 * Each app's verdict per window, kept with its buckets: an app whose runs did not change is the
 * same object between scans (scan-series.ts keeps it by version), and the verdict is a function of
 * its buckets, the window and alpha. A few windows per app (a scan tests its codes' windows).
 */
const ELEVATED = new WeakMap<AppBuckets, Map<string, boolean>>();
const ELEVATED_KEPT = 32;

/** An app's buckets as text with running totals of failed and decided runs (null: not in text order). */
interface Running {
  buckets: string[];
  failed: Float64Array;
  decided: Float64Array;
}
const RUNNING = new WeakMap<AppBuckets, Running | null>();
/**
 * By app and series version, between scans (equal versions mean equal buckets: scan-series.ts);
 * bounded like regressions.ts BestWindows, the oldest dropped first.
 */
const RUNNING_BY_VERSION = new Map<string, Running | null>();
const RUNNING_KEPT = 5_000;

function running(a: AppBuckets): Running | null {
  if (RUNNING.has(a)) return RUNNING.get(a)!;
  const id = a.version === undefined ? null : `${a.nsapp}\n${a.version}`;
  const kept = id === null ? undefined : RUNNING_BY_VERSION.get(id);
  if (kept !== undefined) {
    RUNNING.set(a, kept);
    return kept;
  }
  const n = a.buckets.length;
  let r: Running | null = { buckets: new Array<string>(n), failed: new Float64Array(n + 1), decided: new Float64Array(n + 1) };
  for (let i = 0; i < n; i++) {
    const b = a.buckets[i]!;
    if (i > 0 && b.bucket < a.buckets[i - 1]!.bucket) {
      r = null;
      break;
    }
    r.buckets[i] = b.bucket;
    r.failed[i + 1] = r.failed[i]! + b.failed;
    r.decided[i + 1] = r.decided[i]! + b.decided;
  }
  RUNNING.set(a, r);
  if (id !== null) {
    RUNNING_BY_VERSION.set(id, r);
    dropOldest(RUNNING_BY_VERSION, RUNNING_KEPT);
  }
  return r;
}

/** How many of the sorted texts pass `below` (a prefix of them: `below` holds up to some point). */
function countWhile(xs: readonly string[], below: (x: string) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(xs[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An app's failed and decided runs inside the window and outside it. Buckets compare as text
 * across grains ("2026-11-27" < "2026-11-27 05" < "2026-11-28"); a day bucket next to an hourly
 * window belongs to an app without failures in those hours. In text order the buckets inside
 * are one stretch (at or after the start, and cut to the last's length not after it), found by
 * two binary searches in the app's running totals — a scan tests every significant window of
 * every code against every app, which at 10 M runs was a third of a quiet scan.
 */
function windowCounts(a: AppBuckets, window: { start: string; last: string }): { wf: number; wd: number; bf: number; bd: number } {
  const r = running(a);
  if (r === null) {
    const inside = (bucket: string) => bucket >= window.start && bucket.slice(0, window.last.length) <= window.last;
    const c = { wf: 0, wd: 0, bf: 0, bd: 0 };
    for (const b of a.buckets) {
      if (inside(b.bucket)) {
        c.wf += b.failed;
        c.wd += b.decided;
      } else {
        c.bf += b.failed;
        c.bd += b.decided;
      }
    }
    return c;
  }
  const n = r.buckets.length;
  const lo = countWhile(r.buckets, (b) => b < window.start);
  // b cut to the last's length is not after it: b is before it, or starts with it (no copy of b).
  const hi = Math.max(
    lo,
    countWhile(r.buckets, (b) => b < window.last || b.startsWith(window.last)),
  );
  const wf = r.failed[hi]! - r.failed[lo]!;
  const wd = r.decided[hi]! - r.decided[lo]!;
  return { wf, wd, bf: r.failed[n]! - wf, bd: r.decided[n]! - wd };
}
