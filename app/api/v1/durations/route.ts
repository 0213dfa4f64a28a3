import { answer, csvTable } from "@/lib/api";
import { DurationsSchema } from "@/lib/api-schemas";
import { fetchDurationList } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/durations?range=30d&repo=official&q=frig&min=10&sort=-success_p50&page=1&size=25
 * — install time per app (lib/api-schemas.ts DurationsSchema; method: /methodology#install-time).
 */
export async function GET(request: Request) {
  return answer(request, "durations", VIEWS.apiDurations, DurationsSchema, async (state) => {
    const list = await fetchDurationList(state.range, { q: state.q, minRuns: state.minRuns, sort: state.sort, page: state.page, pageSize: state.pageSize });
    return {
      page: { number: state.page, size: state.pageSize, total: list.total },
      extra: { repo: state.repo },
      data: list.items,
      table: csvTable(
        list.items.map((d) => ({
          nsapp: d.nsapp,
          success_n: d.success.n,
          success_p50: d.success.p50,
          success_p90: d.success.p90,
          failed_n: d.failed.n,
          failed_p50: d.failed.p50,
          failed_p90: d.failed.p90,
        })),
        { nsapp: true, success_n: true, success_p50: true, success_p90: true, failed_n: true, failed_p50: true, failed_p90: true },
      ),
    };
  });
}
