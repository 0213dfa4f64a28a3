import { ApiError, answer } from "@/lib/api";
import { AppHardwareSchema } from "@/lib/api-schemas";
import { appExists, fetchAppHardware } from "@/lib/data";
import { HARDWARE } from "@/lib/reports/hardware";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/hardware?range=30d — one app's runs by hardware and platform: per
 * dimension (GPU passthrough, GPU vendor, CPU vendor, architecture, platform) and value its runs,
 * share, outcomes, failure rate with interval and n (lib/reports/hardware.ts). Runs of the older
 * protocol are the value "" (not reported). `totals.runs`: every run in the range. CSV: the rows.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `hardware-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiAppHardware, AppHardwareSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const found = await fetchAppHardware(nsapp, state.range);
    return { extra: { totals: { runs: found.runs } }, data: found.values.map((v) => HARDWARE.json(v, { maxShare: 1 })), table: HARDWARE.csv(found.values, { maxShare: 1 }) };
  });
}
