import { answer } from "@/lib/api";
import { HardwareSchema } from "@/lib/api-schemas";
import { fetchHardware } from "@/lib/data";
import { HARDWARE } from "@/lib/reports/hardware";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/hardware?range=30d&type=lxc — every app's runs (of one install type, or all) by hardware and platform, as
 * /api/v1/apps/{nsapp}/hardware answers for one app (lib/reports/hardware.ts). CSV: the rows.
 */
export async function GET(request: Request) {
  return answer(request, "hardware", VIEWS.apiHardware, HardwareSchema, async (state) => {
    const found = await fetchHardware(state.range, state.type);
    return { extra: { totals: { runs: found.runs } }, data: found.values.map((v) => HARDWARE.json(v, { maxShare: 1 })), table: HARDWARE.csv(found.values, { maxShare: 1 }) };
  });
}
