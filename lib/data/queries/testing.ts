/**
 * Scripts in testing (issue 15): apps with runs from the development repository, each judged
 * by the promotion rule of lib/testing.ts against the official repository's median app in the
 * same range, with the command its development runs failed at most. Three reads of rollups
 * keyed by the repository selection (lib/rollups/spec.ts): every app's runs for the official
 * selection (the official repository and the older protocol's runs, which name none:
 * lib/repo.ts) and for the development one, and the development runs' failure signatures;
 * and a fourth of the private session rollup for the development runs' distinct sessions.
 */
import "server-only";
import { type Range, withRepo } from "../../range";
import { judge, officialMedianRate, type TestingScript } from "../../testing";
import { rangeAll, rangeDistinct } from "./rollup-range";
import { publicClient } from "../pocketbase";

/** The command a script's development runs failed at most (the failure signature: pb_hooks/telemetry-signature.cjs). */
export interface TopCommand {
  command: string;
  line: number;
  /** Its failures; of `failed` of the script's. */
  failed: number;
}

export type TestingRow = TestingScript & {
  /** Distinct sessions (random_id) among its decided development runs: a retry from the recovery menu is a second run of one session. */
  sessions: number;
  topCommand: TopCommand | null;
};

export interface TestingView {
  /** The official repository's median app failure rate the rule compares with (null: no app has enough runs). */
  officialMedian: number | null;
  /** Ready first, then most development runs. */
  scripts: TestingRow[];
}

const ORDER = { ready: 0, "not ready": 1, "too few runs": 2 } as const;
type Counts = Map<string, { success: number; failed: number }>;

/** Every app's successes and failures (its install types summed). */
function perApp(rows: readonly { nsapp: string; success: number; failed: number }[]): Counts {
  const out: Counts = new Map();
  for (const r of rows) {
    const c = out.get(r.nsapp) ?? { success: 0, failed: 0 };
    out.set(r.nsapp, { success: c.success + r.success, failed: c.failed + r.failed });
  }
  return out;
}

/** Each app's most frequent failing command (most failures, then the lower line, then the command). */
function topCommands(rows: readonly { nsapp: string; fail_line: number; fail_command: string; failed: number }[]): Map<string, TopCommand> {
  const sums = new Map<string, { nsapp: string } & TopCommand>();
  for (const r of rows) {
    if (!r.fail_command || r.failed <= 0) continue;
    const id = `${r.nsapp}\u0000${r.fail_line}\u0000${r.fail_command}`;
    const s = sums.get(id) ?? { nsapp: r.nsapp, command: r.fail_command, line: r.fail_line, failed: 0 };
    s.failed += r.failed;
    sums.set(id, s);
  }
  const top = new Map<string, TopCommand>();
  for (const { nsapp, ...c } of sums.values()) {
    const t = top.get(nsapp);
    if (!t || c.failed > t.failed || (c.failed === t.failed && (c.line < t.line || (c.line === t.line && c.command < t.command)))) top.set(nsapp, c);
  }
  return top;
}

export async function queryTestingScripts(range: Range): Promise<TestingView> {
  const pb = publicClient();
  const dev = withRepo(range, "dev");
  const [officialRows, devRows, failureRows, sessionRows] = await Promise.all([
    rangeAll(pb, "stats_app", withRepo(range, "official")),
    rangeAll(pb, "stats_app", dev),
    rangeAll(pb, "stats_app_failure", dev),
    rangeDistinct(pb, "stats_app_session", range),
  ]);
  const sessions = new Map(sessionRows.map(([nsapp, n]) => [String(nsapp), Number(n)]));
  const median = officialMedianRate([...perApp(officialRows).values()]);
  const commands = topCommands(failureRows);
  const scripts = [...perApp(devRows)]
    .filter(([, c]) => c.success + c.failed > 0)
    .map(([nsapp, c]) => ({ ...judge(nsapp, c.success, c.failed, median), sessions: sessions.get(nsapp) ?? 0, topCommand: commands.get(nsapp) ?? null }))
    .sort((x, y) => ORDER[x.verdict] - ORDER[y.verdict] || y.success + y.failed - (x.success + x.failed) || x.nsapp.localeCompare(y.nsapp));
  return { officialMedian: median, scripts };
}
