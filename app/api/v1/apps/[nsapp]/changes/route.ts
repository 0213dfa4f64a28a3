import { ApiError, answer, csvTable } from "@/lib/api";
import { ChangesSchema } from "@/lib/api-schemas";
import { appExists, fetchAppChanges } from "@/lib/data";
import { publicChange } from "@/lib/changes/public";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/changes?range=30d — the app's script changes that reached users in
 * the range (docs/CHANGES.md): commits to its own files (`kind: "app"`, its website metadata
 * included) and to the shared libraries its type loads (`kind: "shared"`), newest first, at most
 * 500, each with its commit link (lib/api-schemas.ts ChangesSchema). CSV: one row per change.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `changes-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiChanges, ChangesSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const rows = (await fetchAppChanges(nsapp, state.range)).map((c) => ({
      ...publicChange(c),
      apps: [...c.apps],
      shared: [...c.shared],
      kind: c.kind,
    }));
    return {
      extra: { totals: { changes: rows.length, app: rows.filter((r) => r.kind === "app").length, shared: rows.filter((r) => r.kind === "shared").length } },
      data: rows,
      table: csvTable(
        rows.map((r) => ({ ...r, paths: r.paths.join(" "), apps: r.apps.join(" "), shared: r.shared.join(" ") })),
        { repository: true, sha: true, url: true, message: true, committed: true, pushed: true, paths: true, apps: true, shared: true, kind: true },
      ),
    };
  });
}
