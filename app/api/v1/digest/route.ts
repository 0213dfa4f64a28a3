import { answer, csvTable } from "@/lib/api";
import { DigestSchema } from "@/lib/api-schemas";
import { fetchDigest } from "@/lib/data";
import type { DigestApp, DigestRegressionRef } from "@/lib/insights/digest";
import { firstWeek } from "@/lib/params";
import { VIEWS } from "@/lib/views";
import { isoWeek, neighbours, weekContaining } from "@/lib/week";

function appRow(section: string, a: DigestApp & { reason?: string; regression?: DigestRegressionRef | null }) {
  const { regression, ...figures } = a;
  return { section, ...figures, reason: a.reason ?? null, regression_start: regression?.start ?? null, regression_last: regression?.last ?? null };
}

/**
 * GET /api/v1/digest?week=2026-11-16 — one calendar week (Monday–Sunday, UTC; default the last
 * complete week) against the week before: apps newly failing, recovered and still failing,
 * the biggest movers in runs and failure rate, and the week's cross-app incidents
 * (lib/api-schemas.ts DigestSchema; method on /methodology). CSV: one row per app listed, its
 * section in the first column, then one row per incident and app.
 */
export async function GET(request: Request) {
  return answer(request, "digest", VIEWS.apiDigest, DigestSchema, async (state) => {
    const week = weekContaining(state.range.from);
    const digest = await fetchDigest(week.monday, state.repo);
    const { previous, next } = neighbours(week.monday, new Date(), firstWeek(state.firstDay));
    const iso = isoWeek(week.monday);
    const rows = [
      ...digest.newly_failing.map((a) => appRow("newly_failing", a)),
      ...digest.recovered.map((a) => appRow("recovered", a)),
      ...digest.still_failing.map((a) => appRow("still_failing", a)),
      ...digest.movers.runs.map((a) => appRow("mover_runs", a)),
      ...digest.movers.failure_rate.map((a) => appRow("mover_failure_rate", a)),
      ...digest.incidents.flatMap((i) =>
        i.apps.map((a) => ({
          section: "incident",
          nsapp: a.nsapp,
          failed: a.failed,
          exit_code: i.exit_code,
          category: i.category,
          start: i.start,
          end: i.end,
          excess_failures: a.excess_failures,
        })),
      ),
    ];
    return {
      data: { week: { ...week, iso_year: iso.year, iso_week: iso.week, previous: previous?.monday ?? null, next: next?.monday ?? null }, ...digest },
      table: csvTable(rows, {
        section: true,
        nsapp: true,
        runs: true,
        previous_runs: true,
        failed: true,
        decided: true,
        rate: true,
        previous_failed: true,
        previous_decided: true,
        previous_rate: true,
        change: true,
        q_value: true,
        significant: true,
        reason: true,
        regression_start: true,
        regression_last: true,
        exit_code: true,
        category: true,
        start: true,
        end: true,
        excess_failures: true,
      }),
    };
  });
}
