/**
 * Regressions and incidents of a range in one pass, reading as little as possible and as early
 * as possible: the apps' series serve both scans; a regression whose app is not involved in any
 * incident candidate is described at once, while the others wait for the incidents to be
 * confirmed (an incident's apps need no window reads of their own).
 */
import type { Range } from "../range";
import { confirmIncidents, incidentCandidates, type Incident } from "./find-incidents";
import { describeWindow, fromIncident, incidentOf, MAX_DESCRIBED, regressionFindings, toRegression, UNDESCRIBED, type Regression } from "./find-regressions";
import { scanPlan, spansOverlap } from "./scan-plan";
import { appScanSeries } from "./scan-series";
import type { InsightsSource, Span } from "./source";

export interface Insights {
  regressions: Regression[];
  incidents: Incident[];
}

export async function findInsights(source: InsightsSource, range: Range, now: Date): Promise<Insights> {
  const plan = scanPlan(range, now);
  const appSeries = appScanSeries(source, plan);
  const candidatesP = incidentCandidates(source, plan, range, appSeries);
  const findings = regressionFindings(await appSeries, plan, range);
  const scan: Span = { from: plan.from, to: plan.to, grain: "day" };
  const described = findings.slice(0, MAX_DESCRIBED);
  const involved = { nsapp: [...new Set(described.map((f) => f.nsapp))] };
  const scanTotals = described.length
    ? Promise.all([source.totals("stats_app_code", scan, involved), source.totals("stats_app", scan, involved)]).then(([codes, apps]) => ({ codes, apps }))
    : Promise.resolve({ codes: [], apps: [] });
  const candidates = await candidatesP;
  const incidentsP = confirmIncidents(source, plan, candidates);
  const regressions = await Promise.all(
    findings.map(async (f, i) => {
      const pending = candidates.some((c) => c.elevated.includes(f.nsapp) && spansOverlap({ start: c.window.start, last: c.window.end === null ? null : c.window.last }, f));
      const incident = pending ? incidentOf(f, await incidentsP) : undefined;
      if (incident) return toRegression(f, fromIncident(f, incident));
      return toRegression(f, i < MAX_DESCRIBED ? await describeWindow(source, f, await scanTotals) : UNDESCRIBED);
    }),
  );
  return { regressions, incidents: await incidentsP };
}
