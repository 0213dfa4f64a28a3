/**
 * Commits of a local clone as the backfill sends them to PocketBase's import route
 * (pb_hooks/script_changes/store.js): sha, committer date, message, changed paths — the same
 * facts GitHub's push webhook carries, so both give the same rows (docs/CHANGES.md).
 */
import { spawnSync } from "node:child_process";

export interface GitCommit {
  sha: string;
  /** Committer date, ISO 8601 with the commit's offset (as GitHub's `timestamp`). */
  committed: string;
  message: string;
  paths: string[];
}

const RECORD = "\x1e";
const FIELD = "\x1f";

function git(repo: string, args: string[]): string {
  const res = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (res.error) throw new Error(`git: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`git ${args[0]} in ${repo} failed: ${res.stderr.trim()}`);
  return res.stdout;
}

/**
 * Every commit reachable from `rev` (newest first), optionally committed since a date (YYYY-MM-DD: that UTC day's start).
 * Paths are old and new names of a rename (`--no-renames`, as GitHub lists removed and added);
 * a merge lists what it changed against its first parent.
 */
export function gitCommits(repo: string, opts: { since?: string; rev?: string } = {}): GitCommit[] {
  const args = ["log", "-z", "--name-only", "--no-renames", "--diff-merges=first-parent", `--format=${RECORD}%H${FIELD}%cI${FIELD}%B${FIELD}`];
  // A bare date is that UTC day's start (git would take the current time of day on it).
  if (opts.since) args.push(`--since=${/^\d{4}-\d{2}-\d{2}$/.test(opts.since) ? `${opts.since}T00:00:00Z` : opts.since}`);
  args.push(opts.rev ?? "HEAD", "--");
  const out = git(repo, args);
  return out
    .split(RECORD)
    .filter(Boolean)
    .map((chunk) => {
      const fields = chunk.split(FIELD);
      const rest = fields.pop() ?? "";
      const [sha = "", committed = "", ...message] = fields;
      return {
        sha,
        committed,
        message: message.join(FIELD),
        paths: rest
          .split("\0")
          .map((p) => p.replace(/^\n/, ""))
          .filter(Boolean),
      };
    });
}

/** owner/name of the clone's `origin` on GitHub, or null. */
export function githubRepository(repo: string): string | null {
  let url: string;
  try {
    url = git(repo, ["remote", "get-url", "origin"]).trim();
  } catch {
    return null;
  }
  const m = /github\.com[:/]([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return m ? m[1]! : null;
}
