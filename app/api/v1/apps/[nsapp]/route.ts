import { ApiError, answer } from "@/lib/api";
import { appExists, fetchAppDetail } from "@/lib/cached";

/** GET /api/v1/apps/{nsapp}?range=90d — one app: totals, series (daily; hourly for range=24h), exit codes, OS, PVE, methods, RAM vs default. CSV: the series. */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `app-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const d = await fetchAppDetail(nsapp, state.range);
    return { data: d, table: d.series.map((x) => ({ ...x })) };
  });
}
