/**
 * Regressions as the API reports them: the findings of regressions.ts that overlap the range,
 * each described by what happened inside its window — the exit codes that rose, the environment
 * split, the traits that explain it — or, when it is part of a cross-app incident, by the
 * incident. find-insights.ts orders the reads; this file holds the pieces.
 */
import type { Range } from "../range";
import { APPS } from "../reference/apps";
import { CATALOGUE_APPS } from "./catalogue";
import type { Incident } from "./find-incidents";
import type { AppBuckets } from "./incidents";
import { BestWindows, detectRegressions, type RegressionFinding } from "./regressions";
import { overlaps, spansOverlap, type ScanPlan } from "./scan-plan";
import { windowSpan } from "./scan-series";
import type { InsightsSource, KeyedTotals } from "./source";
import { asTraitRows, traitCounts, traitTotal, type ScriptDefaults } from "./trait-counts";
import { unusualTraits, type TraitFinding } from "./traits";
import { methodLabel, osLabel, pveMinor } from "../labels";
import { risingCodes, splitOf, type RisingCode, type SplitRow } from "./window-details";

/** Regressions described in full (window reads); the rest of a long list carries its figures only. */
export const MAX_DESCRIBED = 12;

export interface Cause {
  dimension: string;
  key: string;
  sentence: string;
  failed: number;
  rate: number;
  other_rate: number;
  ratio: number | null;
  p_adjusted: number;
}

/** The command most of a regression's failures failed at (the failure signature, normalised), when one did. */
export interface FailingCommandRef {
  line: number;
  command: string;
  /** Failures at it inside the regression's window, and their share of all its failures there. */
  failed: number;
  share: number;
}

export interface IncidentRef {
  exit_code: number | null;
  category: string | null;
  start: string;
}

export interface Regression {
  nsapp: string;
  /** First elevated bucket ("YYYY-MM-DD", or "YYYY-MM-DD HH" inside the hourly window). */
  start: string;
  /** Last elevated bucket; null while still open. */
  end: string | null;
  /** Last elevated bucket, also while open (the window the details below cover). */
  last: string;
  failed: number;
  decided: number;
  rate: number;
  baseline_rate: number;
  /** The baseline's failures and decided runs (the app's other buckets in the scan): baseline_rate's n. */
  baseline_failed: number;
  baseline_decided: number;
  peak_rate: number;
  peak_bucket: string;
  expected_failures: number;
  excess_failures: number;
  q_value: number;
  /** False beyond the first MAX_DESCRIBED regressions: codes, environment and causes not read. */
  described: boolean;
  exit_codes: RisingCode[];
  environment: SplitRow[];
  causes: Cause[];
  /** The command more than half of the window's failures failed at; null when none did (or not read). */
  failing_command: FailingCommandRef | null;
  /** The cross-app incident this regression is part of (its app, at an overlapping time), if any. */
  incident: IncidentRef | null;
}

type Description = Pick<Regression, "described" | "exit_codes" | "environment" | "causes" | "failing_command" | "incident">;

export function scriptDefaults(nsapp: string): ScriptDefaults {
  const rows = APPS.filter((a) => a.nsapp === nsapp);
  const first = <T>(pick: (a: (typeof APPS)[number]) => T | null) => rows.map(pick).find((v) => v !== null) ?? null;
  return { cpu: first((a) => a.cpu), ramMb: first((a) => a.ramMb), diskGb: first((a) => a.diskGb) };
}

export function causeOf(f: TraitFinding): Cause {
  return {
    dimension: f.dimension,
    key: f.key,
    sentence: f.sentence,
    failed: f.failed,
    rate: f.rate,
    other_rate: f.otherRate,
    ratio: Number.isFinite(f.ratio) ? f.ratio : null,
    p_adjusted: f.pAdjusted,
  };
}

/**
 * The signature more than half of the failures failed at (`rows`: stats_app_failure totals of
 * one app over the window), or null: "mostly" is a majority, so at most one command is named.
 */
export function mostlyFailingAt(rows: readonly KeyedTotals[]): FailingCommandRef | null {
  let total = 0;
  const by = new Map<string, FailingCommandRef>();
  for (const r of rows) {
    total += r.failed;
    const command = String(r.fail_command ?? "");
    if (!command || r.failed === 0) continue;
    const line = Number(r.fail_line);
    const id = `${line}\u0000${command}`;
    const g = by.get(id) ?? { line, command, failed: 0, share: 0 };
    g.failed += r.failed;
    by.set(id, g);
  }
  const top = [...by.values()].sort((a, b) => b.failed - a.failed || a.line - b.line)[0];
  return top && top.failed * 2 > total ? { ...top, share: top.failed / total } : null;
}

/** "Since 2026-12-02 mostly `curl -fsSL https://…/releases/latest` at line 31 (41 of 52 failures)". */
export function failingCommandSentence(r: Pick<Regression, "start" | "failing_command" | "failed">): string | null {
  const c = r.failing_command;
  if (!c) return null;
  return `Since ${r.start.slice(0, 10)} mostly \`${c.command}\`${c.line ? ` at line ${c.line}` : ""} (${c.failed} of ${r.failed} failures)`;
}

/** Best windows of the apps' series versions, kept for the process's scans (regressions.ts BestWindows). */
const BEST_WINDOWS = new BestWindows();

/** The regressions of the scanned apps that overlap the range, open first, then by excess. */
export function regressionFindings(apps: readonly AppBuckets[], plan: ScanPlan, range: Range): RegressionFinding[] {
  return detectRegressions(apps, { openEnd: plan.open, hypotheses: Math.max(apps.length, CATALOGUE_APPS), memo: BEST_WINDOWS }).filter((f) => overlaps(f.start, f.end, range));
}

const sumDecided = (rows: readonly KeyedTotals[]) => rows.reduce((s, r) => s + r.failed + r.success, 0);

function failuresByCode(rows: readonly KeyedTotals[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) if (r.failed > 0) m.set(Number(r.exit_code), (m.get(Number(r.exit_code)) ?? 0) + r.failed);
  return m;
}

/**
 * Reads the window's exit codes, OS, and PVE/method/privilege of the app, and
 * compares the codes with the whole scan's (`scan`: the scan's stats_app_code and stats_app
 * totals of the regressing apps).
 */
export async function describeWindow(source: InsightsSource, f: RegressionFinding, scan: { codes: readonly KeyedTotals[]; apps: readonly KeyedTotals[] }): Promise<Description> {
  const span = windowSpan(f);
  const one = { nsapp: [f.nsapp] };
  const [codes, os, env, commands] = await Promise.all([
    source.totals("stats_app_code", span, one),
    source.totals("stats_app_os", span, one),
    source.totals("stats_app_env", span, one),
    source.totals("stats_app_failure", span, one),
  ]);
  const scanDecided = sumDecided(ofApp(scan.apps, f.nsapp));
  const scanCodes = failuresByCode(ofApp(scan.codes, f.nsapp));
  // The same reads (kept between scans: lib/data/window-memo.ts answers with the same rows) and
  // the same figures describe the same: kept, not worked out again on every refresh.
  const context = JSON.stringify([f, scanDecided, [...scanCodes]]);
  const kept = DESCRIBED.get(codes);
  if (kept && kept.os === os && kept.env === env && kept.commands === commands && kept.context === context) return kept.description;
  const description = describeFrom(f, { codes, os, env, commands }, scanDecided, scanCodes);
  for (const list of [description.exit_codes, description.environment, description.causes]) Object.freeze(list);
  Object.freeze(description);
  DESCRIBED.set(codes, { os, env, commands, context, description });
  return description;
}

/** The rows of one app. */
const ofApp = (rows: readonly KeyedTotals[], nsapp: string) => rows.filter((r) => r.nsapp === nsapp);

/** Descriptions by the rows they were made from (the exit codes' rows as the key: a WeakMap lets them go with the rows). */
const DESCRIBED = new WeakMap<
  readonly KeyedTotals[],
  { os: readonly KeyedTotals[]; env: readonly KeyedTotals[]; commands: readonly KeyedTotals[]; context: string; description: Description }
>();

function describeFrom(
  f: RegressionFinding,
  { codes, os, env, commands }: Record<"codes" | "os" | "env" | "commands", readonly KeyedTotals[]>,
  scanDecided: number,
  scanCodes: Map<number, number>,
): Description {
  const decided = { window: sumDecided(env), scan: scanDecided };
  const exit_codes = risingCodes(failuresByCode(codes), scanCodes, decided, f.excess, f.start.slice(0, 10));
  const outcomes = (r: KeyedTotals) => ({ failed: r.failed, success: r.success });
  const environment = [
    ...splitOf(
      "os",
      os.map((r) => ({ key: osLabel(String(r.os_type ?? ""), String(r.os_version ?? "")), ...outcomes(r) })),
    ),
    ...splitOf(
      "pve",
      env.map((r) => ({ key: pveMinor(String(r.pve_version ?? "")), ...outcomes(r) })),
    ),
    ...splitOf(
      "method",
      env.map((r) => ({ key: methodLabel(String(r.method ?? "")), ...outcomes(r) })),
    ),
  ];
  // Resources are left out here: a regression is a change in time, and users' RAM choices do not
  // change from one day to the next (the app page's traits over the whole range cover them).
  const rows = asTraitRows({ os, env, resources: [] });
  const causes = unusualTraits(traitCounts(rows, scriptDefaults(f.nsapp)), traitTotal(rows.env)).map(causeOf);
  return { described: true, exit_codes, environment, causes, failing_command: mostlyFailingAt(ofApp(commands, f.nsapp)), incident: null };
}

/** The incident a regression is part of: one of its apps, at an overlapping time. */
export function incidentOf(f: RegressionFinding, incidents: readonly Incident[]): Incident | undefined {
  return incidents.find((i) => i.apps.some((a) => a.nsapp === f.nsapp) && spansOverlap({ start: i.start, last: i.end === null ? null : i.last }, f));
}

/** A regression explained by an incident: the incident's code and this app's figures in it. */
export function fromIncident(f: RegressionFinding, i: Incident): Description {
  const app = i.apps.find((a) => a.nsapp === f.nsapp)!;
  const codes: RisingCode[] =
    i.exit_code === null ? [] : [{ exit_code: i.exit_code, category: i.category, failed: app.failed, expected: app.expected_failures, excess: app.excess_failures }];
  return {
    described: true,
    exit_codes: codes,
    environment: [],
    causes: [],
    failing_command: null,
    incident: { exit_code: i.exit_code, category: i.exit_code === null ? i.category : null, start: i.start },
  };
}

export const UNDESCRIBED: Description = { described: false, exit_codes: [], environment: [], causes: [], failing_command: null, incident: null };

export function toRegression(f: RegressionFinding, d: Description): Regression {
  return {
    nsapp: f.nsapp,
    start: f.start,
    end: f.end,
    last: f.last,
    failed: f.failed,
    decided: f.decided,
    rate: f.rate,
    baseline_rate: f.baselineRate,
    baseline_failed: f.baselineFailed,
    baseline_decided: f.baselineDecided,
    peak_rate: f.peakRate,
    peak_bucket: f.peakBucket,
    expected_failures: f.expected,
    excess_failures: f.excess,
    q_value: f.q,
    ...d,
  };
}
