import { answer } from "@/lib/api";
import { fetchOverview } from "@/lib/cached";

/** GET /api/v1/summary?range=30d — totals by outcome, success rate and the series (daily; hourly for range=24h). */
export async function GET(request: Request) {
  return answer(request, "summary", async (state) => {
    const o = await fetchOverview(state.range);
    return { data: { totals: o.totals, series: o.series, asOf: o.asOf }, table: o.series.map((d) => ({ ...d })) };
  });
}
