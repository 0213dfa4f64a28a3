/**
 * Scripts in testing (issue 15): apps with runs from the development repository, each judged
 * by the promotion rule of lib/testing.ts against the official repository's median app in the
 * same range. One read: every app's runs per repository (`stats_app_repo`, a row per app and
 * repository over the range: ~700 rows), summed into official (the official repository and the
 * older protocol's runs, which name none: lib/repo.ts) and development.
 */
import "server-only";
import type { Range } from "../../range";
import { judge, officialMedianRate, type TestingScript } from "../../testing";
import { rangeAll } from "./rollup-range";
import { repoSources } from "../../repo";
import { publicClient } from "../pocketbase";

export interface TestingView {
  /** The official repository's median app failure rate the rule compares with (null: no app has enough runs). */
  officialMedian: number | null;
  /** Most development runs first. */
  scripts: TestingScript[];
}

const ORDER = { ready: 0, "not ready": 1, "too few runs": 2 } as const;
type Counts = Map<string, { success: number; failed: number }>;

function add(into: Counts, nsapp: string, success: number, failed: number) {
  const c = into.get(nsapp) ?? { success: 0, failed: 0 };
  into.set(nsapp, { success: c.success + success, failed: c.failed + failed });
}

export async function queryTestingScripts(range: Range): Promise<TestingView> {
  const rows = await rangeAll(publicClient(), "stats_app_repo", range);
  const official: Counts = new Map();
  const dev: Counts = new Map();
  const officialSources = repoSources("official")!;
  const devSources = repoSources("dev")!;
  for (const r of rows) {
    if (officialSources.includes(r.repo_source)) add(official, r.nsapp, r.success, r.failed);
    else if (devSources.includes(r.repo_source)) add(dev, r.nsapp, r.success, r.failed);
  }
  const median = officialMedianRate([...official.values()]);
  const scripts = [...dev]
    .filter(([, c]) => c.success + c.failed > 0)
    .map(([nsapp, c]) => judge(nsapp, c.success, c.failed, median))
    .sort((x, y) => ORDER[x.verdict] - ORDER[y.verdict] || y.success + y.failed - (x.success + x.failed) || x.nsapp.localeCompare(y.nsapp));
  return { officialMedian: median, scripts };
}
