import { answer } from "@/lib/api";
import { fetchOsVersions } from "@/lib/cached";

/** GET /api/v1/os?range=30d&type=lxc&os=debian&sort=-runs — runs, failures and failure rate (with interval) per type, OS and version. */
export async function GET(request: Request) {
  return answer(
    request,
    "os",
    async (state) => {
      const rows = await fetchOsVersions(state.range, { type: state.type, os: state.os, sort: state.sort });
      return { data: rows, table: rows.map((r) => ({ ...r })) };
    },
    { sortKeys: ["runs", "failed", "failure_rate"], defaultSort: "-runs" },
  );
}
