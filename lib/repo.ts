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

export const REPO_LABEL: Readonly<Record<Repo, string>> = {
  official: "Official repository and older scripts",
  dev: "Development repository (scripts in testing)",
  fork: "Forks",
  all: "All repositories",
};
