/**
 * Script changes and likely causes as the public answers carry them — the API
 * (`/api/v1/apps/{nsapp}/changes`, `likely_causes` of `/api/v1/regressions`) and the alerts:
 * snake_case, `pushed` null when only the backfill saw the commit. Pure.
 */
import type { ScriptChange, Suspect } from "./likely-cause";

export function publicChange(c: ScriptChange) {
  return { repository: c.repository, sha: c.sha, url: c.url, message: c.message, committed: c.committed, pushed: c.pushed || null, paths: [...c.paths] };
}

export type PublicLikelyCause = ReturnType<typeof publicChange> & { kind: Suspect["kind"]; matched_paths: string[]; hours_before: number; score: number };

export function publicSuspect(s: Suspect): PublicLikelyCause {
  return {
    ...publicChange(s.change),
    kind: s.kind,
    matched_paths: [...s.paths],
    hours_before: Math.round(s.hoursBefore * 100) / 100,
    score: Math.round(s.score * 10_000) / 10_000,
  };
}
