import { answer, csvTable } from "@/lib/api";
import { IncidentsSchema } from "@/lib/api-schemas";
import { fetchInsights } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/incidents?range=7d — one exit code (or category) spiking across several apps at
 * once, relative to its baseline (docs/INSIGHTS.md), overlapping the range: open ones first,
 * then by excess failures; each with its window and the apps it hit (lib/api-schemas.ts
 * IncidentsSchema). Reads the hourly rollups for the last three days, so a new incident shows
 * within minutes. CSV: one row per incident and app.
 */
export async function GET(request: Request) {
  return answer(request, "incidents", VIEWS.apiIncidents, IncidentsSchema, async (state) => {
    const { incidents } = await fetchInsights(state.range);
    const table = incidents.flatMap((i) =>
      i.apps.map((a) => ({
        exit_code: i.exit_code,
        category: i.category,
        label: i.label,
        start: i.start,
        end: i.end,
        failed: i.failed,
        excess_failures: i.excess_failures,
        rate: i.rate,
        baseline_rate: i.baseline_rate,
        other_exit_codes: i.other_exit_codes.join(" "),
        nsapp: a.nsapp,
        app_failed: a.failed,
        app_expected_failures: a.expected_failures,
        app_excess_failures: a.excess_failures,
      })),
    );
    return {
      extra: { totals: { incidents: incidents.length, open: incidents.filter((i) => i.end === null).length } },
      data: incidents,
      table: csvTable(table, {
        exit_code: true,
        category: true,
        label: true,
        start: true,
        end: true,
        failed: true,
        excess_failures: true,
        rate: true,
        baseline_rate: true,
        other_exit_codes: true,
        nsapp: true,
        app_failed: true,
        app_expected_failures: true,
        app_excess_failures: true,
      }),
    };
  });
}
