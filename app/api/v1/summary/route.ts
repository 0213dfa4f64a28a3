import { answer, csvTable } from "@/lib/api";
import { SummarySchema } from "@/lib/api-schemas";
import { fetchOverview } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/** GET /api/v1/summary?range=30d&type=lxc — totals by outcome, success rate and the series (lib/api-schemas.ts SummarySchema). */
export async function GET(request: Request) {
  return answer(request, "summary", VIEWS.apiSummary, SummarySchema, async (state) => {
    const o = await fetchOverview(state.range, state.type);
    const { runs, successRate, ...counts } = o.totals;
    const series = o.series.map((p) => ({ ...p, partial: p.partial }));
    return {
      data: { type: o.type, totals: { ...counts, runs, success_rate: successRate }, series, as_of: o.asOf },
      table: csvTable(series, { bucket: true, partial: true, success: true, failed: true, aborted: true, unknown: true, unfinished: true, running: true }),
    };
  });
}
