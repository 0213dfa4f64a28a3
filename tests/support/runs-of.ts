/**
 * The raw runs a repository selection counts (lib/repo.ts), as an SQL table expression for the
 * exactness tests: `FROM ${runsOf()}` is what an official figure (the default) must equal. The
 * seeded data holds development and fork runs, so a figure or a test that forgets the
 * selection fails.
 */
import { DEFAULT_REPO, type Repo, repoSources } from "../../lib/repo";

export function runsOf(repo: Repo = DEFAULT_REPO): string {
  const sources = repoSources(repo);
  if (sources === null) return "_dev_telemetry_data";
  return `(SELECT * FROM _dev_telemetry_data WHERE COALESCE(repo_source, '') IN (${sources.map((s) => `'${s}'`).join(", ")}))`;
}
