import { answer, csvTable } from "@/lib/api";
import { fetchAppList } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps?range=30d&type=lxc&os=debian&q=dock&min=20&sort=-failure_low&page=1&size=25
 * — the apps table (lib/api-schemas.ts AppsSchema). `min` defaults to 20 runs, as on the page.
 */
export async function GET(request: Request) {
  return answer(request, "apps", VIEWS.apiApps, async (state) => {
    const list = await fetchAppList(state);
    const rows = list.rows.map((r) => ({
      nsapp: String(r.nsapp),
      type: String(r.type),
      runs: r.runs,
      success: r.success,
      failed: r.failed,
      aborted: r.aborted,
      unknown: r.unknown,
      installing: r.installing,
      failure_rate: r.failure_rate,
      failure_low: r.failure_low,
      failure_high: r.failure_high,
      previous: r.previous,
      rate_change: r.change && {
        change: r.change.change,
        points: r.change.change, // deprecated: the same fraction under its first, misleading name (docs/API-CHANGELOG.md)
        significant: r.change.significant,
        newly_failing: r.change.newlyFailing,
        recovered: r.change.recovered,
      },
      runs_series: r.spark,
      runs_series_from: list.sparkFrom,
    }));
    return {
      page: { number: state.page, size: state.pageSize, total: list.total },
      data: rows,
      table: csvTable(
        rows.map(({ previous, rate_change, runs_series: _s, runs_series_from: _f, ...r }) => ({
          ...r,
          previous_runs: previous.runs,
          previous_failed: previous.failed,
          previous_success: previous.success,
          rate_change_points: rate_change?.change ?? null,
          rate_change_significant: rate_change?.significant ?? false,
          newly_failing: rate_change?.newly_failing ?? false,
          recovered: rate_change?.recovered ?? false,
          // Added in v1 after the rest: new CSV columns go last (docs/API-CHANGELOG.md).
          rate_change: rate_change?.change ?? null,
        })),
        {
          nsapp: true,
          type: true,
          runs: true,
          success: true,
          failed: true,
          aborted: true,
          unknown: true,
          installing: true,
          failure_rate: true,
          failure_low: true,
          failure_high: true,
          previous_runs: true,
          previous_failed: true,
          previous_success: true,
          rate_change_points: true,
          rate_change_significant: true,
          newly_failing: true,
          recovered: true,
          rate_change: true,
        },
      ),
    };
  });
}
