/**
 * The "Report on GitHub" link of one regression (issue-url.ts) from what the scan reports: the
 * figures before and during with n, the exit codes that rose, the environment split, the likely
 * change, and a link back to the app's page over the regression's days. Shared by the
 * regressions page and the alerts. Pure.
 */
import { issueRepository } from "../config";
import type { Regression } from "../insights/find-regressions";
import { type IssueTarget, ISSUE_TARGET, newIssueUrl } from "./issue-url";
import type { Suspect } from "./likely-cause";

/** The app's page over the regression's days (UTC), absolute. */
export function regressionViewUrl(origin: string, r: Pick<Regression, "nsapp" | "start" | "last">): string {
  return `${origin}/apps/${encodeURIComponent(r.nsapp)}?from=${r.start.slice(0, 10)}&to=${r.last.slice(0, 10)}`;
}

/** The configured target: ISSUE_REPOSITORY (blank issues: title and body), else ISSUE_TARGET's form. */
export function configuredIssueTarget(): IssueTarget {
  const repository = issueRepository();
  return repository ? { repository, template: null, fields: { report: "body", app: null } } : ISSUE_TARGET;
}

export function regressionIssueUrl(origin: string, r: Regression, likelyCause: Suspect | null, target: IssueTarget = configuredIssueTarget()): string {
  return newIssueUrl(
    {
      nsapp: r.nsapp,
      start: r.start,
      end: r.end,
      before: { failed: r.baseline_failed, decided: r.baseline_decided },
      during: { failed: r.failed, decided: r.decided },
      exitCodes: r.exit_codes,
      environment: r.environment,
      likelyCause,
      link: regressionViewUrl(origin, r),
      methodology: `${origin}/methodology#changes`,
    },
    target,
  );
}
