import { answer } from "@/lib/api";
import { AppsSchema } from "@/lib/api-schemas";
import { fetchAppList } from "@/lib/data";
import { APPS } from "@/lib/reports/apps";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps?range=30d&type=lxc&os=debian&q=dock&min=20&sort=-failure_low&page=1&size=25
 * — the apps report (lib/reports/apps.ts). `min` defaults to 20 runs, as on the page.
 */
export async function GET(request: Request) {
  return answer(request, "apps", VIEWS.apiApps, AppsSchema, async (state) => {
    const list = await fetchAppList(state);
    const ctx = { state, sparkFrom: list.sparkFrom };
    return {
      page: { number: state.page, size: state.pageSize, total: list.total },
      data: list.rows.map((r) => APPS.json(r, ctx)),
      table: APPS.csv(list.rows, ctx),
    };
  });
}
