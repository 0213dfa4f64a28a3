/**
 * "Report on GitHub" (lib/changes/issue-url.ts): the URL opens the scripts repository's issue
 * form with the regression's figures — asserted on the URL as GitHub will read it.
 */
import { describe, expect, it } from "vitest";
import { ISSUE_TARGET, type IssueReport, MAX_URL_LENGTH, newIssueUrl } from "../../lib/changes/issue-url";
import type { Suspect } from "../../lib/changes/likely-cause";

const SHA = "3f2a9c1e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a";
const suspect: Suspect = {
  change: {
    repository: "community-scripts/ProxmoxVE",
    sha: SHA,
    committed: "2026-11-09 23:18:00.000Z",
    pushed: "2026-11-09 23:18:00.000Z",
    message: "Docker: switch the APT source to deb822 (#9101)",
    url: `https://github.com/community-scripts/ProxmoxVE/commit/${SHA}`,
    paths: ["install/docker-install.sh"],
    apps: ["docker"],
    shared: [],
  },
  score: 0.98,
  kind: "app",
  paths: ["install/docker-install.sh"],
  hoursBefore: 0.7,
};

const report: IssueReport = {
  nsapp: "docker",
  start: "2026-11-10",
  end: "2026-11-13",
  before: { failed: 147, decided: 12_034 },
  during: { failed: 82, decided: 1_311 },
  exitCodes: [
    { exit_code: 101, category: "apt", failed: 61, expected: 3.2, excess: 57.8 },
    { exit_code: 100, category: "apt", failed: 9, expected: 4.1, excess: 4.9 },
  ],
  environment: [
    { dimension: "os", value: "Debian 13", failed: 60, decided: 900, rate: 60 / 900 },
    { dimension: "pve", value: "PVE 9.1", failed: 22, decided: 411, rate: 22 / 411 },
  ],
  likelyCause: suspect,
  link: "https://stats.example.org/apps/docker?from=2026-11-03&to=2026-11-16",
  methodology: "https://stats.example.org/methodology",
};

const parse = (url: string) => new URL(url);

describe("new issue URL", () => {
  it("opens the ProxmoxVE bug form with the figures in its fields", () => {
    const url = parse(newIssueUrl(report));
    expect(`${url.origin}${url.pathname}`).toBe("https://github.com/community-scripts/ProxmoxVE/issues/new");
    expect(url.searchParams.get("template")).toBe("bug_report.yml");
    expect(url.searchParams.get("script_name")).toBe("docker");
    expect(url.searchParams.get("title")).toBe("docker: failure rate up from 1.2 % to 6.3 % since 2026-11-10 (exit code 101)");
    expect(url.searchParams.has("body")).toBe(false);
    const body = url.searchParams.get("issue_description")!;
    expect(body).toContain("- **Window:** 2026-11-10 – 2026-11-13 (UTC)");
    expect(body).toContain("- **Failure rate before:** 1.2 % (147 of 12,034 finished runs)");
    expect(body).toContain("- **Failure rate since:** 6.3 % (82 of 1,311 finished runs)");
    expect(body).toContain("  - 101 APT: Configuration error (bad sources.list, malformed config): 61 failures, 3 expected");
    expect(body).toContain("- **Environment:** Debian 13 6.7 % (n 900); PVE 9.1 5.4 % (n 411)");
    expect(body).toContain(
      `- **Likely change:** [Docker: switch the APT source to deb822 (\\#9101)](https://github.com/community-scripts/ProxmoxVE/commit/${SHA}) (3f2a9c1, 0.7 h before it began; install/docker-install.sh)`,
    );
    expect(body).toContain("- **Dashboard:** https://stats.example.org/apps/docker?from=2026-11-03&to=2026-11-16");
    expect(body).toContain("Figures and method: https://stats.example.org/methodology");
  });

  it("takes another repository, and one with blank issues gets title and body", () => {
    const url = parse(newIssueUrl({ ...report, end: null, likelyCause: null, exitCodes: [] }, { repository: "someone/fork", template: null, fields: { report: "x", app: null } }));
    expect(`${url.origin}${url.pathname}`).toBe("https://github.com/someone/fork/issues/new");
    expect([...url.searchParams.keys()]).toEqual(["title", "body"]);
    expect(url.searchParams.get("title")).toBe("docker: failure rate up from 1.2 % to 6.3 % since 2026-11-10");
    const body = url.searchParams.get("body")!;
    expect(body).toContain("2026-11-10 – still going on (UTC)");
    expect(body).toContain("- **Likely change:** none found in the 72 hours before it began");
    expect(body).not.toContain("Exit codes");
  });

  it("keeps commit messages and labels from adding links, mentions or markup", () => {
    const hostile = { ...suspect, change: { ...suspect.change, message: "Fix [click](https://evil.example) @everyone <img src=x> `x`" } };
    const body = parse(newIssueUrl({ ...report, likelyCause: hostile })).searchParams.get("issue_description")!;
    expect(body).toContain("Fix \\[click\\](https://evil.example) \\@everyone \\<img src=x\\> \\`x\\`");
  });

  it("stays within GitHub's URL limit whatever the labels, keeping the figures", () => {
    const long = "x".repeat(5000);
    const env = Array.from({ length: 50 }, (_, i) => ({ dimension: "os" as const, value: `${long}${i}`, failed: 1, decided: 10, rate: 0.1 }));
    const url = newIssueUrl({ ...report, environment: env });
    expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    expect(parse(url).searchParams.get("issue_description")).toContain("1.2 % (147 of 12,034 finished runs)");
    const hugeLink = newIssueUrl({ ...report, link: `https://stats.example.org/apps/docker?q=${long}${long}` });
    expect(hugeLink.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    expect(ISSUE_TARGET.repository).toBe("community-scripts/ProxmoxVE");
  });
});
