/**
 * Scores what the insights found against the generator's seeded events (demo-events.ts): was
 * each event found, with start and end within one bucket, its exit code and its trait named;
 * and which findings match no event (false alarms). Shared by the benchmark and the tests.
 */
import type { Incident } from "../../lib/insights/find-incidents";
import type { Regression } from "../../lib/insights/find-regressions";
import { bucketSpan } from "../../lib/insights/scan-plan";
import type { EventTruth } from "./demo-events";

export interface EventScore {
  id: string;
  found: boolean;
  startOk: boolean;
  endOk: boolean;
  codeOk: boolean;
  /** null when the event has no trait to name. */
  traitOk: boolean | null;
  /** The incident's apps that were named (incidents only). */
  appsNamed?: number;
  detail: string;
}

export interface Score {
  events: EventScore[];
  falseRegressions: Regression[];
  falseIncidents: Incident[];
}

/** Whether a detected bucket lies within one bucket (of its own length) of an instant. */
function near(bucket: string, instantMs: number, side: 0 | 1): boolean {
  const span = bucketSpan(bucket);
  return Math.abs(span[side] - instantMs) <= span[1] - span[0];
}

function truthSpan(t: EventTruth): { startMs: number; endMs: number | null } {
  return { startMs: bucketSpan(t.start)[0], endMs: t.last === null ? null : bucketSpan(t.last)[1] };
}

function overlapsTruth(start: string, last: string, t: EventTruth): boolean {
  const { startMs, endMs } = truthSpan(t);
  return bucketSpan(start)[0] < (endMs ?? Infinity) && bucketSpan(last)[1] > startMs;
}

function scoreRegression(t: EventTruth, regressions: readonly Regression[]): EventScore {
  const r = regressions.find((x) => x.nsapp === t.apps[0] && overlapsTruth(x.start, x.last, t));
  if (!r) return { id: t.id, found: false, startOk: false, endOk: false, codeOk: false, traitOk: t.trait ? false : null, detail: "not found" };
  const { startMs, endMs } = truthSpan(t);
  const traitOk = t.trait ? r.causes.some((c) => c.key === t.trait!.key && (t.trait!.family === "pve" ? c.dimension === "pve" : c.dimension === "os_version")) : null;
  return {
    id: t.id,
    found: true,
    startOk: near(r.start, startMs, 0),
    endOk: endMs === null ? r.end === null : r.end !== null && near(r.end, endMs, 1),
    codeOk: r.exit_codes.some((c) => c.exit_code === t.exitCode),
    traitOk,
    detail: `${r.start} … ${r.end ?? "open"}, codes ${r.exit_codes.map((c) => c.exit_code).join(" ") || "–"}${r.causes.length ? `; ${r.causes.map((c) => c.sentence).join("; ")}` : ""}`,
  };
}

function scoreIncident(t: EventTruth, incidents: readonly Incident[]): EventScore {
  const i = incidents.find((x) => x.exit_code === t.exitCode && overlapsTruth(x.start, x.last, t));
  if (!i) return { id: t.id, found: false, startOk: false, endOk: false, codeOk: false, traitOk: null, appsNamed: 0, detail: "not found" };
  const { startMs, endMs } = truthSpan(t);
  const appsNamed = i.apps.filter((a) => t.apps.includes(a.nsapp)).length;
  return {
    id: t.id,
    found: true,
    startOk: near(i.start, startMs, 0),
    endOk: endMs !== null && i.end !== null && near(i.end, endMs, 1),
    codeOk: true,
    traitOk: null,
    appsNamed,
    detail: `${i.start} … ${i.end ?? "open"}, ${appsNamed} of ${t.apps.length} apps named, ${i.apps.length - appsNamed} others`,
  };
}

/** A regression that belongs to a seeded event: its app and time, or one of a seeded incident's apps in it. */
function explained(r: Regression, truth: readonly EventTruth[]): boolean {
  return truth.some((t) => t.apps.includes(r.nsapp) && overlapsTruth(r.start, r.last, t));
}

export function scoreInsights(truth: readonly EventTruth[], regressions: readonly Regression[], incidents: readonly Incident[]): Score {
  return {
    events: truth.map((t) => (t.kind === "incident" ? scoreIncident(t, incidents) : scoreRegression(t, regressions))),
    falseRegressions: regressions.filter((r) => !explained(r, truth)),
    falseIncidents: incidents.filter((i) => !truth.some((t) => t.kind === "incident" && t.exitCode === i.exit_code && overlapsTruth(i.start, i.last, t))),
  };
}

/** Every check of an event passed. */
export function eventOk(e: EventScore): boolean {
  return e.found && e.startOk && e.endOk && e.codeOk && e.traitOk !== false && (e.appsNamed === undefined || e.appsNamed >= 5);
}
