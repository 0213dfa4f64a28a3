import { ApiError, answer } from "@/lib/api";
import { RunsSchema } from "@/lib/api-schemas";
import { appExists, fetchRuns } from "@/lib/data";
import { RUNS } from "@/lib/reports/runs";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/runs?range=24h&outcome=unfinished&page=1&size=50 — the app's runs,
 * newest first, optionally of one outcome (the runs report, lib/reports/runs.ts). Paged as every
 * list (MAX_LIST_ROWS in lib/params.ts).
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `runs-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiRuns, RunsSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const res = await fetchRuns(nsapp, state.range, state.outcome, state.page, state.pageSize);
    return {
      page: { number: res.page, size: res.perPage, total: res.totalItems },
      data: res.items.map((r) => RUNS.json(r, null)),
      table: RUNS.csv(res.items, null),
    };
  });
}
