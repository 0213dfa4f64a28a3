/**
 * Scripts in testing (issue 15): apps with runs from the development repository, each judged
 * by the promotion rule of lib/testing.ts against the official repository's median app in the
 * same range. Two reads of the percentile view (development, official): one record per app.
 */
import "server-only";
import type { Range } from "../../range";
import { judge, officialMedianRate, type TestingScript } from "../../testing";
import { queryRepoOutcomes } from "./durations";

export interface TestingView {
  /** The official repository's median app failure rate the rule compares with (null: no app has enough runs). */
  officialMedian: number | null;
  /** Most development runs first. */
  scripts: TestingScript[];
}

const ORDER = { ready: 0, "not ready": 1, "too few runs": 2 } as const;

export async function queryTestingScripts(range: Range): Promise<TestingView> {
  const [dev, official] = await Promise.all([queryRepoOutcomes(range, "dev"), queryRepoOutcomes(range, "official")]);
  const median = officialMedianRate(official);
  const scripts = dev
    .map((a) => judge(a.nsapp, a.success, a.failed, median))
    .sort((x, y) => ORDER[x.verdict] - ORDER[y.verdict] || y.success + y.failed - (x.success + x.failed) || x.nsapp.localeCompare(y.nsapp));
  return { officialMedian: median, scripts };
}
