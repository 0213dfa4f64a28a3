/**
 * What an alert says: the findings of the regression and incident scan (lib/insights,
 * docs/INSIGHTS.md) turned into events — a regression opened, a regression closed, a cross-app
 * incident — each with a key naming what it is about, so each goes to each subscription once
 * (docs/ALERTS.md). Pure: the worker passes the scan's findings, their likely causes and now.
 */
import type { Suspect } from "../changes/likely-cause";
import type { IssueTarget } from "../changes/issue-url";
import { type PublicLikelyCause, publicSuspect } from "../changes/public";
import { regressionIssueUrl } from "../changes/regression-report";
import { explainExitCode } from "../exit-codes";
import type { Incident } from "../insights/find-incidents";
import type { Regression } from "../insights/find-regressions";
import { bucketSpan } from "../insights/scan-plan";

export const ALERT_EVENTS = ["regression_opened", "regression_closed", "incident"] as const;
export type AlertEventKind = (typeof ALERT_EVENTS)[number];

export interface RegressionAlert {
  kind: "regression_opened" | "regression_closed";
  key: string;
  nsapp: string;
  /** First and last elevated bucket ("YYYY-MM-DD" or "YYYY-MM-DD HH", UTC); end null while open. */
  start: string;
  end: string | null;
  failed: number;
  decided: number;
  rate: number;
  baseline_failed: number;
  baseline_decided: number;
  baseline_rate: number;
  excess_failures: number;
  exit_codes: { exit_code: number; label: string; failed: number; expected: number }[];
  /** The likely cause (lib/changes/likely-cause.ts), as /api/v1/regressions gives it. */
  likely_cause: PublicLikelyCause | null;
  links: { app: string | null; regressions: string | null; report: string | null };
}

export interface IncidentAlert {
  kind: "incident";
  key: string;
  exit_code: number | null;
  category: string;
  label: string;
  start: string;
  end: string | null;
  failed: number;
  excess_failures: number;
  apps: { nsapp: string; excess_failures: number }[];
  links: { regressions: string | null };
}

export type AlertEvent = RegressionAlert | IncidentAlert;

export interface EventOptions {
  now: Date;
  /** The site's public origin (PUBLIC_URL); null: no links. */
  origin: string | null;
  /** Events that ended longer ago than this are old news and never sent. */
  maxAgeHours: number;
  issueTarget?: IssueTarget;
}

const HOUR_MS = 3_600_000;
const day = (bucket: string) => bucket.slice(0, 10);

/** The key of what an event is about: one delivery per subscription and key. */
export function eventKey(kind: AlertEventKind, subject: string, start: string): string {
  return `${kind} ${subject} ${day(start)}`;
}

/** The same subject's key a day earlier and later: a start that moved across midnight as more runs came in. */
export function neighbourKeys(key: string): string[] {
  const m = /^(.*) (\d{4}-\d{2}-\d{2})$/.exec(key);
  if (!m) return [];
  const at = Date.parse(`${m[2]}T00:00:00Z`);
  return [-1, 1].map((d) => `${m[1]} ${new Date(at + d * 24 * HOUR_MS).toISOString().slice(0, 10)}`);
}

/** Still going on, or ended less than `maxAgeHours` ago. */
function current(end: string | null, opts: EventOptions): boolean {
  return end === null || bucketSpan(end)[1] >= opts.now.getTime() - opts.maxAgeHours * HOUR_MS;
}

function regressionAlert(kind: RegressionAlert["kind"], r: Regression, suspects: readonly Suspect[], opts: EventOptions): RegressionAlert {
  const app = opts.origin ? `${opts.origin}/apps/${encodeURIComponent(r.nsapp)}` : null;
  const report = opts.origin ? regressionIssueUrl(opts.origin, r, suspects[0] ?? null, opts.issueTarget) : null;
  return {
    kind,
    key: eventKey(kind, r.nsapp, r.start),
    nsapp: r.nsapp,
    start: r.start,
    end: r.end,
    failed: r.failed,
    decided: r.decided,
    rate: r.rate,
    baseline_failed: r.baseline_failed,
    baseline_decided: r.baseline_decided,
    baseline_rate: r.baseline_rate,
    excess_failures: r.excess_failures,
    exit_codes: r.exit_codes.map((c) => ({ exit_code: c.exit_code, label: explainExitCode(c.exit_code), failed: c.failed, expected: c.expected })),
    likely_cause: suspects[0] ? publicSuspect(suspects[0]) : null,
    links: { app, regressions: opts.origin ? `${opts.origin}/regressions` : null, report },
  };
}

/**
 * Events of the current findings: a regression opened (unless it is part of an incident) (open, or ended within maxAgeHours), a
 * regression closed (ended within maxAgeHours; sent only where its opening was — the worker
 * checks), an incident (open or ended within maxAgeHours). `causes[i]` are regression i's
 * likely causes, best first.
 */
export function alertEvents(regressions: readonly Regression[], causes: readonly (readonly Suspect[])[], incidents: readonly Incident[], opts: EventOptions): AlertEvent[] {
  const out: AlertEvent[] = [];
  regressions.forEach((r, i) => {
    // A regression that is part of a cross-app incident is told by the incident's alert.
    if (r.incident || !current(r.end, opts)) return;
    out.push(regressionAlert("regression_opened", r, causes[i] ?? [], opts));
    if (r.end !== null) out.push(regressionAlert("regression_closed", r, causes[i] ?? [], opts));
  });
  for (const inc of incidents) {
    if (!current(inc.end, opts)) continue;
    out.push({
      kind: "incident",
      key: eventKey("incident", inc.exit_code === null ? inc.category : String(inc.exit_code), inc.start),
      exit_code: inc.exit_code,
      category: inc.category,
      label: inc.label,
      start: inc.start,
      end: inc.end,
      failed: inc.failed,
      excess_failures: inc.excess_failures,
      apps: inc.apps.map((a) => ({ nsapp: a.nsapp, excess_failures: a.excess_failures })),
      links: { regressions: opts.origin ? `${opts.origin}/regressions` : null },
    });
  }
  return out;
}

/** The apps an event is about (a subscription to some apps gets the events of any of them). */
export function eventApps(e: AlertEvent): string[] {
  return e.kind === "incident" ? e.apps.map((a) => a.nsapp) : [e.nsapp];
}

/** The key of the opening a closing follows. */
export function openedKey(e: RegressionAlert): string {
  return eventKey("regression_opened", e.nsapp, e.start);
}
