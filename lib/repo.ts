/**
 * Which repository a run's script came from (`repo_source`, sent by today's scripts): the
 * official one (ProxmoxVE), the development one (ProxmoxVED, scripts in testing) or a fork
 * (external). Runs of the older protocol carry no repository ('' stored); they predate the
 * development repository's reporting and count as official. Pure; the domain's, not the URL
 * parser's.
 */

/** The selections a figure can be read for (`repo=` in URLs). */
export const REPOS = ["official", "dev", "fork", "all"] as const;
export type Repo = (typeof REPOS)[number];
export const DEFAULT_REPO: Repo = "official";

/** Stored `repo_source` values a selection counts; null: every run. */
export function repoSources(repo: Repo): readonly string[] | null {
  if (repo === "official") return ["ProxmoxVE", ""];
  if (repo === "dev") return ["ProxmoxVED"];
  if (repo === "fork") return ["external"];
  return null;
}

/**
 * The selection a stored `repo_source` counts under besides "all": official, dev, fork, or
 * "other" for a value no selection names (ingest stores only the four above; a value written
 * some other way is then counted in "all" alone, as the raw filters of repoSources count it).
 */
export function repoOf(source: unknown): Repo | "other" {
  const s = typeof source === "string" ? source : "";
  for (const repo of REPOS) if (repoSources(repo)?.includes(s)) return repo;
  return "other";
}

/** The same in SQL over a telemetry row (the rollups' `repo` key, lib/rollups/spec.ts). */
export function repoOfSql(row: string): string {
  const source = `COALESCE(${row}.repo_source, '')`;
  const whens = REPOS.flatMap((repo) => {
    const sources = repoSources(repo);
    return sources ? [`WHEN ${source} IN (${sources.map((v) => `'${v}'`).join(", ")}) THEN '${repo}'`] : [];
  });
  return `CASE ${whens.join(" ")} ELSE 'other' END`;
}

/** The selection's name on a filter link. */
export const REPO_SHORT_LABEL: Readonly<Record<Repo, string>> = { official: "Official", dev: "Development", fork: "Forks", all: "All" };

/** The selection in running text, as link-preview descriptions name it: "in 30 days (development repository)". */
export const REPO_PHRASE: Readonly<Record<Repo, string>> = { official: "official repository", dev: "development repository", fork: "forks", all: "all repositories" };

export const REPO_LABEL: Readonly<Record<Repo, string>> = {
  official: "Official repository and older scripts",
  dev: "Development repository (scripts in testing)",
  fork: "Forks",
  all: "All repositories",
};
