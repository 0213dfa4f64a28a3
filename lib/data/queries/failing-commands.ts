/**
 * One app's failures grouped by their signature — the failing command, normalised, with its
 * script line (pb_hooks/telemetry-signature.cjs) — from the `stats_app_failure` series view:
 * per signature its failures, share of the app's failures, first and last bucket with a
 * failure, and the exit codes it ended with. Exact: the rollup counts every stored run.
 * Only the normalised signature is public; the error text never leaves PocketBase.
 */
import "server-only";
import type { Range } from "../../range";
import { publicClient } from "../pocketbase";
import { pocketbaseSource } from "./insights-source";

export interface CommandExitCode {
  exit_code: number;
  failed: number;
}

export interface FailingCommand {
  /** Script line (0: not reported). */
  line: number;
  /** The normalised command. */
  command: string;
  failed: number;
  /** Of the app's failures in the range (with a command or not). */
  share: number;
  /** First and last bucket with a failure at it (days, hours for 24 h). */
  first_seen: string;
  last_seen: string;
  /** Most failures first. */
  exit_codes: CommandExitCode[];
}

export interface FailingCommands {
  nsapp: string;
  /** Every failure of the app in the range. */
  failed: number;
  /** Failures whose error text named a command (today's scripts). */
  with_command: number;
  /** Most failures first, then by line and command. */
  commands: FailingCommand[];
}

type Key = "nsapp" | "fail_line" | "fail_command" | "exit_code";

/** The app's failures by signature over the range. */
export async function queryFailingCommands(nsapp: string, range: Pick<Range, "from" | "to" | "grain" | "repo">): Promise<FailingCommands> {
  const rows = await pocketbaseSource(publicClient(), range.repo).series<Key>("stats_app_failure", range, 1, { nsapp: [nsapp] });
  const groups = new Map<string, { line: number; command: string; failed: number; buckets: Set<string>; codes: Map<number, number> }>();
  let failed = 0;
  for (const r of rows) {
    if (r.key.nsapp !== nsapp) continue;
    failed += r.failed;
    const command = String(r.key.fail_command ?? "");
    if (!command) continue;
    const line = Number(r.key.fail_line);
    const id = `${line}\u0000${command}`;
    const g = groups.get(id) ?? { line, command, failed: 0, buckets: new Set<string>(), codes: new Map<number, number>() };
    g.failed += r.failed;
    for (const b of r.buckets) if (b.failed > 0) g.buckets.add(b.bucket);
    const code = Number(r.key.exit_code);
    g.codes.set(code, (g.codes.get(code) ?? 0) + r.failed);
    groups.set(id, g);
  }
  const commands = [...groups.values()].map((g): FailingCommand => {
    const buckets = [...g.buckets].sort();
    return {
      line: g.line,
      command: g.command,
      failed: g.failed,
      share: failed ? g.failed / failed : 0,
      first_seen: buckets[0] ?? range.from,
      last_seen: buckets[buckets.length - 1] ?? range.to,
      exit_codes: [...g.codes].map(([exit_code, n]) => ({ exit_code, failed: n })).sort((a, b) => b.failed - a.failed || a.exit_code - b.exit_code),
    };
  });
  commands.sort((a, b) => b.failed - a.failed || a.line - b.line || (a.command < b.command ? -1 : a.command > b.command ? 1 : 0));
  return { nsapp, failed, with_command: commands.reduce((n, c) => n + c.failed, 0), commands };
}
