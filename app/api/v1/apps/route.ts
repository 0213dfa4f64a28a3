import { answer } from "@/lib/api";
import { APP_SORT } from "@/lib/queries/apps";
import { fetchAppList } from "@/lib/cached";

/**
 * GET /api/v1/apps?range=30d&type=lxc&os=debian&q=dock&min=50&sort=-failure_low&page=1&size=25
 * — the apps table: runs, outcomes, failure rate with its Wilson 95 % interval, previous-period runs.
 */
export async function GET(request: Request) {
  return answer(
    request,
    "apps",
    async (state) => {
      const list = await fetchAppList(state);
      const rows = list.rows.map(({ spark, ...r }) => ({ ...r, daily_runs: spark }));
      return {
        meta: { total: list.total, page: state.page, size: state.pageSize, sort: state.sort },
        data: rows,
        table: rows.map(({ daily_runs, ...r }) => ({ ...r })),
      };
    },
    APP_SORT,
  );
}
