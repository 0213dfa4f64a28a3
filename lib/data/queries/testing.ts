/**
 * Scripts in testing (issue 15): apps with runs from the development repository, each judged
 * by the promotion rule of lib/testing.ts against the official repository's median app in the
 * same range. Two cheap reads: every app's runs (`stats_app`) and the development and fork runs
 * (`stats_app_duration` keyed by repo_source: only those keys, a few hundred rows); an app's
 * official runs are the first minus the second — exact, and the older protocol's runs (no
 * repository) count as official, as everywhere.
 */
import "server-only";
import type { Range } from "../../range";
import { judge, officialMedianRate, type TestingScript } from "../../testing";
import { anyOf, rangeAll } from "./rollup-range";
import { publicClient } from "../pocketbase";

export interface TestingView {
  /** The official repository's median app failure rate the rule compares with (null: no app has enough runs). */
  officialMedian: number | null;
  /** Most development runs first. */
  scripts: TestingScript[];
}

const ORDER = { ready: 0, "not ready": 1, "too few runs": 2 } as const;
type Counts = Map<string, { success: number; failed: number }>;

function add(into: Counts, nsapp: string, success: number, failed: number, sign = 1) {
  const c = into.get(nsapp) ?? { success: 0, failed: 0 };
  into.set(nsapp, { success: c.success + sign * success, failed: c.failed + sign * failed });
}

export async function queryTestingScripts(range: Range): Promise<TestingView> {
  const pb = publicClient();
  const [all, apart] = await Promise.all([
    rangeAll(pb, "stats_app", range),
    rangeAll(pb, "stats_app_duration", range, { filter: anyOf("repo_source", ["ProxmoxVED", "external"]) }),
  ]);
  const dev: Counts = new Map();
  const official: Counts = new Map();
  for (const r of all) add(official, r.nsapp, r.success, r.failed);
  for (const r of apart) {
    add(official, r.nsapp, r.success, r.failed, -1);
    if (r.repo_source === "ProxmoxVED") add(dev, r.nsapp, r.success, r.failed);
  }
  const median = officialMedianRate([...official.values()]);
  const scripts = [...dev]
    .filter(([, c]) => c.success + c.failed > 0)
    .map(([nsapp, c]) => judge(nsapp, c.success, c.failed, median))
    .sort((x, y) => ORDER[x.verdict] - ORDER[y.verdict] || y.success + y.failed - (x.success + x.failed) || x.nsapp.localeCompare(y.nsapp));
  return { officialMedian: median, scripts };
}
