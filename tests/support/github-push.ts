/**
 * A scripts repository made with `git` for a test, and GitHub's push deliveries of its commits:
 * the payload as GitHub's docs show a push event (repository, pusher, sender, commits with
 * added/modified/removed, head_commit), signed as GitHub signs it — X-Hub-Signature-256 =
 * "sha256=" + hex HMAC-SHA256 of the exact body bytes with the webhook's secret.
 */
import { spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FixtureCommit {
  message: string;
  /** ISO 8601 with offset; author and committer date alike. */
  date: string;
  write?: Record<string, string>;
  remove?: string[];
  /** [from, to]: a rename (git mv). */
  move?: [string, string];
}

export class FixtureRepo {
  readonly dir = mkdtempSync(join(tmpdir(), "scripts-repo-"));

  constructor(readonly repository: string) {
    this.git("init", "-q", "-b", "main");
    this.git("config", "user.name", "Fixture Maintainer");
    this.git("config", "user.email", "maintainer@example.invalid");
    this.git("remote", "add", "origin", `https://github.com/${repository}.git`);
  }

  git(...args: string[]): string {
    const c = this.current;
    const env = c ? { ...process.env, GIT_AUTHOR_DATE: c.date, GIT_COMMITTER_DATE: c.date } : process.env;
    const res = spawnSync("git", ["-C", this.dir, ...args], { encoding: "utf8", env });
    if (res.status !== 0) throw new Error(`git ${args.join(" ")}: ${res.stderr}`);
    return res.stdout;
  }

  private current: FixtureCommit | null = null;

  /** Makes the commit on the current branch; returns its sha. */
  commit(c: FixtureCommit): string {
    for (const [path, text] of Object.entries(c.write ?? {})) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), text);
    }
    this.current = c;
    try {
      if (c.move) this.git("mv", c.move[0], c.move[1]);
      for (const path of c.remove ?? []) this.git("rm", "-q", path);
      this.git("add", "-A");
      this.git("commit", "-q", "-m", c.message);
    } finally {
      this.current = null;
    }
    return this.git("rev-parse", "HEAD").trim();
  }

  /** A push of `shas` (oldest first) to `branch`, as GitHub's push event payload. */
  pushPayload(shas: readonly string[], opts: { branch?: string; pushedAt?: number } = {}): Record<string, unknown> {
    const [owner, name] = this.repository.split("/") as [string, string];
    const user = { name: "Fixture Maintainer", email: "maintainer@example.invalid", username: "fixture-maintainer" };
    const commits = shas.map((sha) => {
      const [tree, timestamp, ...message] = this.git("show", "-s", "--format=%T%n%cI%n%B", sha).split("\n");
      const changes = this.git("diff-tree", "-r", "--root", "--no-commit-id", "--name-status", "--no-renames", sha).trim().split("\n").filter(Boolean);
      const files = (status: string) => changes.filter((l) => l.startsWith(status)).map((l) => l.split("\t")[1]!);
      return {
        id: sha,
        tree_id: tree,
        distinct: true,
        message: message.join("\n").replace(/\n+$/, ""),
        timestamp,
        url: `https://github.com/${this.repository}/commit/${sha}`,
        author: user,
        committer: user,
        added: files("A"),
        removed: files("D"),
        modified: files("M"),
      };
    });
    const first = shas[0]!;
    const parent = spawnSync("git", ["-C", this.dir, "rev-parse", `${first}^`], { encoding: "utf8" });
    const before = parent.status === 0 ? parent.stdout.trim() : "0".repeat(40);
    const after = shas.at(-1)!;
    const branch = opts.branch ?? "main";
    const account = { login: "fixture-maintainer", id: 1, type: "User", site_admin: false };
    return {
      ref: `refs/heads/${branch}`,
      before,
      after,
      repository: {
        id: 1,
        node_id: "R_fixture",
        name,
        full_name: this.repository,
        private: false,
        owner: { name: owner, login: owner, id: 2, type: "Organization" },
        html_url: `https://github.com/${this.repository}`,
        fork: false,
        url: `https://github.com/${this.repository}`,
        created_at: 1_700_000_000,
        updated_at: "2026-11-01T00:00:00Z",
        pushed_at: opts.pushedAt ?? Math.floor(Date.now() / 1000),
        default_branch: "main",
        master_branch: "main",
      },
      pusher: { name: user.username, email: user.email },
      sender: account,
      created: before === "0".repeat(40),
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${this.repository}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits,
      head_commit: commits.at(-1) ?? null,
    };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Headers of a delivery as GitHub sends them; `secret` null leaves the signature out. */
export function deliveryHeaders(body: string, secret: string | null, event = "push", delivery: string = randomUUID()): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/fixture",
    "x-github-event": event,
    "x-github-delivery": delivery,
    "x-github-hook-id": "1",
  };
  if (secret !== null) headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
  return headers;
}
