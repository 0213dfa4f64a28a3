import { ApiError, answer, csvTable } from "@/lib/api";
import { appExists, fetchRuns } from "@/lib/cached";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/runs?range=24h&outcome=unfinished&page=1&size=50 — the app's runs,
 * newest first, optionally of one outcome (lib/api-schemas.ts RunsSchema). Start times to the
 * minute; never ids, session ids or error text. Pages stop at 50 (lib/queries/runs.ts).
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `runs-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiRuns, async (state, url) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const res = await fetchRuns(nsapp, state.range, state.outcome, state.page, state.pageSize);
    if (url.searchParams.has("page") && state.page > res.pages) throw new ApiError(400, `page ${state.page} is past the last page (${res.pages})`);
    return {
      page: { number: res.page, size: res.perPage, total: res.totalItems },
      data: res.items,
      table: csvTable(res.items, { started: true, method: true, pve_version: true, exit_code: true, os_type: true, type: true, os_version: true, outcome: true }),
    };
  });
}
