import { ApiError, answer } from "@/lib/api";
import { appExists, fetchFailedRuns } from "@/lib/cached";

/** GET /api/v1/apps/{nsapp}/failed-runs?range=30d&page=2&size=50 — failed runs, newest first (no session ids, no error text). */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `failed-runs-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const res = await fetchFailedRuns(nsapp, state.range, state.page, state.pageSize);
    return { meta: { total: res.totalItems, page: res.page, size: res.perPage }, data: res.items, table: res.items.map((r) => ({ ...r })) };
  });
}
