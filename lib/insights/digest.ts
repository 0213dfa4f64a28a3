/**
 * The weekly digest: one calendar week (Monday–Sunday, UTC; lib/week.ts) against the week
 * before, per app — which apps started failing, which recovered, which are still failing, who
 * moved most, and the week's cross-app incidents. Pure: the counts come from the rollups'
 * range views, regressions and incidents from the insights scan of the week (find-insights.ts).
 *
 * Both weeks use the same denominators as everywhere else: the failure rate is failures ÷
 * (successes + failures). "Newly failing" and "recovered" are the failure-rate change of
 * rate-change.ts (pooled two-proportion z test, Benjamini–Hochberg over every app compared),
 * so the digest and the apps table's change column agree. docs/INSIGHTS.md.
 */
import { wilson } from "../stats";
import type { Incident } from "./find-incidents";
import type { Regression } from "./find-regressions";
import { CHANGE_MIN_DECIDED, rateChanges, type RateChange } from "./rate-change";

export interface WeekCounts {
  /** Every run, with or without a verdict. */
  runs: number;
  failed: number;
  /** Successes + failures. */
  decided: number;
}

export interface AppWeekCounts {
  nsapp: string;
  current: WeekCounts;
  previous: WeekCounts;
}

/** A week's runs and failure rate against the week before (snake_case: it is the API's shape too). */
export interface WeekFigures {
  runs: number;
  previous_runs: number;
  failed: number;
  decided: number;
  rate: number | null;
  previous_failed: number;
  previous_decided: number;
  previous_rate: number | null;
}

/** One app's week against the week before. */
export interface DigestApp extends WeekFigures {
  nsapp: string;
  /** rate − previous_rate (0.05 = +5 percentage points); null without both. */
  change: number | null;
  /** Benjamini–Hochberg adjusted p of the two-proportion test; null when not tested (< 10 decided runs in a week). */
  q_value: number | null;
  significant: boolean;
}

export interface DigestRegressionRef {
  start: string;
  /** Last elevated bucket (the regression's end, or where the week's scan stops). */
  last: string;
  excess_failures: number;
}

export interface StillFailing extends DigestApp {
  /** "regression": elevated above its own baseline on the week's last day; "chronic": failing often in both weeks. */
  reason: "regression" | "chronic";
  regression: DigestRegressionRef | null;
}

export interface WeekDigest {
  totals: WeekFigures;
  /** Failure rate significantly up and at least doubled; a regression of the week, if any. */
  newly_failing: (DigestApp & { regression: DigestRegressionRef | null })[];
  /** Failure rate significantly down and at least halved, or a regression that ended during the week (unless newly failing). */
  recovered: (DigestApp & { regression: DigestRegressionRef | null })[];
  still_failing: StillFailing[];
  movers: { runs: DigestApp[]; failure_rate: DigestApp[] };
  incidents: Incident[];
}

/** Chronically failing: in both weeks at least CHANGE_MIN_DECIDED decided runs and a failure rate whose 95 % lower bound is at least this. */
export const CHRONIC_MIN_LOW = 0.1;
/** Rows per mover list. */
export const MOVERS = 10;
/** Failure-rate movers need this many decided runs in each week (the apps table's sample floor). */
export const MOVER_MIN_DECIDED = 20;

const rateOf = (c: WeekCounts) => (c.decided > 0 ? c.failed / c.decided : null);
const byName = (a: { nsapp: string }, b: { nsapp: string }) => a.nsapp.localeCompare(b.nsapp);

function digestApp(a: AppWeekCounts, c: RateChange | undefined): DigestApp {
  return {
    nsapp: a.nsapp,
    runs: a.current.runs,
    previous_runs: a.previous.runs,
    failed: a.current.failed,
    decided: a.current.decided,
    rate: rateOf(a.current),
    previous_failed: a.previous.failed,
    previous_decided: a.previous.decided,
    previous_rate: rateOf(a.previous),
    change: c?.change ?? null,
    q_value: c?.q ?? null,
    significant: c?.significant ?? false,
  };
}

const ref = (r: Regression): DigestRegressionRef => ({ start: r.start, last: r.last, excess_failures: r.excess_failures });

function chronic(a: AppWeekCounts): boolean {
  const low = (c: WeekCounts) => (c.decided >= CHANGE_MIN_DECIDED ? (wilson(c.failed, c.decided)?.low ?? 0) : 0);
  return low(a.current) >= CHRONIC_MIN_LOW && low(a.previous) >= CHRONIC_MIN_LOW;
}

function sum(apps: readonly AppWeekCounts[], pick: (a: AppWeekCounts) => WeekCounts): WeekCounts {
  return apps.reduce((s, a) => ({ runs: s.runs + pick(a).runs, failed: s.failed + pick(a).failed, decided: s.decided + pick(a).decided }), { runs: 0, failed: 0, decided: 0 });
}

/**
 * The digest of the week ending `sunday`. `apps`: every app with runs in either week (summed
 * over install types); `regressions` and `incidents`: those of the week's scan (overlapping it).
 */
export function weekDigest(sunday: string, apps: readonly AppWeekCounts[], regressions: readonly Regression[], incidents: readonly Incident[]): WeekDigest {
  // The test compares apps with runs this week, as the apps table's change column does.
  const changes = rateChanges(apps.filter((a) => a.current.runs > 0).map((a) => ({ key: a.nsapp, current: a.current, previous: a.previous })));
  const rows = apps.map((a) => digestApp(a, changes.get(a.nsapp)));
  const byApp = new Map(rows.map((r) => [r.nsapp, r]));
  const empty = (nsapp: string): DigestApp => digestApp({ nsapp, current: { runs: 0, failed: 0, decided: 0 }, previous: { runs: 0, failed: 0, decided: 0 } }, undefined);
  const regressionOf = (nsapp: string) => regressions.filter((r) => r.nsapp === nsapp).sort((a, b) => (a.start < b.start ? 1 : -1))[0];

  const newly = rows.filter((r) => changes.get(r.nsapp)?.newlyFailing);
  const ongoing = regressions.filter((r) => r.end === null || r.end.slice(0, 10) >= sunday);
  const ended = regressions.filter((r) => r.end !== null && r.end.slice(0, 10) < sunday);
  const recoveredApps = new Set([...rows.filter((r) => changes.get(r.nsapp)?.recovered).map((r) => r.nsapp), ...ended.map((r) => r.nsapp)]);
  // An app whose regression is still going on has not recovered, whatever an earlier one did;
  // one that broke and was fixed within the week is newly failing (its week against the last).
  for (const r of ongoing) recoveredApps.delete(r.nsapp);
  for (const r of newly) recoveredApps.delete(r.nsapp);

  const stillRegressing = [...new Map(ongoing.map((r) => [r.nsapp, r])).values()].sort((a, b) => b.excess_failures - a.excess_failures || byName(a, b));
  const still: StillFailing[] = [
    ...stillRegressing.map((r) => ({ ...(byApp.get(r.nsapp) ?? empty(r.nsapp)), reason: "regression" as const, regression: ref(r) })),
    ...apps
      .filter((a) => chronic(a) && !stillRegressing.some((r) => r.nsapp === a.nsapp))
      .map((a) => ({ ...byApp.get(a.nsapp)!, reason: "chronic" as const, regression: null }))
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || byName(a, b)),
  ];

  const endedOf = (nsapp: string) => ended.filter((r) => r.nsapp === nsapp).sort((a, b) => (a.last < b.last ? 1 : -1))[0];
  const current = sum(apps, (a) => a.current);
  const previous = sum(apps, (a) => a.previous);
  return {
    totals: {
      runs: current.runs,
      previous_runs: previous.runs,
      failed: current.failed,
      decided: current.decided,
      rate: rateOf(current),
      previous_failed: previous.failed,
      previous_decided: previous.decided,
      previous_rate: rateOf(previous),
    },
    newly_failing: newly
      .map((r) => {
        const reg = regressionOf(r.nsapp);
        return { ...r, regression: reg ? ref(reg) : null };
      })
      .sort((a, b) => (b.change ?? 0) - (a.change ?? 0) || byName(a, b)),
    recovered: [...recoveredApps]
      .map((nsapp) => {
        const reg = endedOf(nsapp);
        return { ...(byApp.get(nsapp) ?? empty(nsapp)), regression: reg ? ref(reg) : null };
      })
      .sort((a, b) => (a.change ?? 0) - (b.change ?? 0) || byName(a, b)),
    still_failing: still,
    movers: moversOf(rows),
    incidents: [...incidents],
  };
}

/**
 * The largest changes in runs; and in failure rate among apps with enough runs in both weeks,
 * ranked by the failures the change accounts for (|change| × this week's decided runs): a busy
 * app moving 2 points outranks a small one whose 0 of 23 against 2 of 23 is noise.
 */
export function moversOf(rows: readonly DigestApp[]): WeekDigest["movers"] {
  const delta = (r: DigestApp) => r.runs - r.previous_runs;
  const runs = rows
    .filter((r) => delta(r) !== 0)
    .sort((a, b) => Math.abs(delta(b)) - Math.abs(delta(a)) || byName(a, b))
    .slice(0, MOVERS);
  const weight = (r: DigestApp) => Math.abs(r.change!) * r.decided;
  const rate = rows
    .filter((r) => r.decided >= MOVER_MIN_DECIDED && r.previous_decided >= MOVER_MIN_DECIDED && r.change !== null && r.change !== 0)
    .sort((a, b) => weight(b) - weight(a) || byName(a, b))
    .slice(0, MOVERS);
  return { runs, failure_rate: rate };
}
