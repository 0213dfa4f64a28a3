import { ApiError, answer } from "@/lib/api";
import { FailingCommandsSchema } from "@/lib/api-schemas";
import { appExists, fetchFailingCommands } from "@/lib/data";
import { FAILING_COMMANDS } from "@/lib/reports/failing-commands";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/failing-commands?range=30d — one app's failures grouped by the
 * command that failed (normalised, with its script line): failures, share, first and last seen,
 * exit codes (lib/reports/failing-commands.ts). `totals`: the app's failures in the range and
 * how many named a command. Never the error text. CSV: the commands.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `failing-commands-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiFailingCommands, FailingCommandsSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const found = await fetchFailingCommands(nsapp, state.range);
    return {
      extra: { totals: { failed: found.failed, with_command: found.with_command } },
      data: found.commands.map((c) => FAILING_COMMANDS.json(c, null)),
      table: FAILING_COMMANDS.csv(found.commands, null),
    };
  });
}
