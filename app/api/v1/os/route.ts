import { answer } from "@/lib/api";
import { OsSchema } from "@/lib/api-schemas";
import { fetchOsVersions } from "@/lib/data";
import { OS } from "@/lib/reports/os";
import { shareContext } from "@/lib/reports/report";
import { VIEWS } from "@/lib/views";

/** GET /api/v1/os?range=30d&type=lxc&os=debian&sort=-runs — runs and failure rate per type, OS and version (the OS report, lib/reports/os.ts). */
export async function GET(request: Request) {
  return answer(request, "os", VIEWS.apiOs, OsSchema, async (state) => {
    const rows = await fetchOsVersions(state.range, { type: state.type, os: state.os, sort: state.sort });
    const ctx = shareContext(state, rows);
    return { data: rows.map((r) => OS.json(r, ctx)), table: OS.csv(rows, ctx) };
  });
}
