/**
 * Script changes into a real PocketBase (pb_hooks/script_changes.pb.js, docs/CHANGES.md):
 * GitHub push deliveries of a fixture repository made with `git`, signed as GitHub signs them,
 * are stored once and mapped to apps; unsigned, forged and replayed deliveries are refused;
 * `npm run changes:import` of the same repository gives the same rows, and again nothing new.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { demoChanges, insertDemoChanges } from "../../scripts/lib/demo-changes";
import { deliveryHeaders, FixtureRepo } from "../support/github-push";
import { api, startTestPocketBase, SUPERUSER, type TestPocketBase } from "../support/pocketbase";

const SECRET = `test-secret-${randomUUID()}`;
const HOOK = "/api/script-changes/github";
const IMPORT_SCRIPT = fileURLToPath(new URL("../../scripts/changes-import.ts", import.meta.url));
const PUSHED_AT = 1_796_000_000;

interface Row {
  repository: string;
  sha: string;
  committed: string;
  pushed: string;
  message: string;
  url: string;
  paths: string;
  apps: string;
  shared: string;
}

describe("script changes", () => {
  let hookPb: TestPocketBase;
  let importPb: TestPocketBase;
  const repo = new FixtureRepo("community-scripts/ProxmoxVE");
  const shas: string[] = [];
  let branchSha = "";

  beforeAll(async () => {
    process.env.GITHUB_WEBHOOK_SECRET = SECRET; // PocketBase inherits the environment
    [hookPb, importPb] = await Promise.all([startTestPocketBase(), startTestPocketBase()]);
    shas.push(
      repo.commit({
        message: "Docker: pin the compose plugin (#101)",
        date: "2026-11-01T08:00:00+02:00",
        write: { "ct/docker.sh": "#!/usr/bin/env bash\n", "install/docker-install.sh": "apt-get install docker\n", "ct/headers/docker": "DOCKER\n" },
      }),
      repo.commit({
        message: "build.func: check the storage before creating the container",
        date: "2026-11-01T09:30:00Z",
        write: { "misc/build.func": "build() { :; }\n", "misc/core.func": "core() { :; }\n" },
      }),
      repo.commit({
        message: "Jellyfin: Übersetzung für die Metadaten ✓ (#102)\n\nA body that is not stored.",
        date: "2026-11-02T10:15:30-05:00",
        write: {
          "frontend/public/json/jellyfin.json": '{"name":"Jellyfin"}\n',
          "ct/jellyfin.sh": "#!/usr/bin/env bash\n",
          "install/jellyfin-install.sh": "apt-get install jellyfin\n",
        },
      }),
    );
    shas.push(
      repo.commit({ message: "Update CHANGELOG.md", date: "2026-11-02T11:00:00Z", write: { "CHANGELOG.md": "# Changelog\n" } }),
      repo.commit({ message: "HAOS VM: new image URL", date: "2026-11-03T07:45:00Z", write: { "vm/haos-vm.sh": "#!/usr/bin/env bash\n", "misc/vm-core.func": "vm() { :; }\n" } }),
      repo.commit({ message: "Rename docker to dockge", date: "2026-11-03T08:00:00Z", move: ["ct/docker.sh", "ct/dockge.sh"] }),
    );
    repo.git("checkout", "-q", "-b", "feature");
    branchSha = repo.commit({ message: "WIP: immich", date: "2026-11-04T08:00:00Z", write: { "ct/immich.sh": "#!/usr/bin/env bash\n" } });
    repo.git("checkout", "-q", "main");
  });
  afterAll(async () => {
    await Promise.all([hookPb?.stop(), importPb?.stop()]);
    repo.remove();
  });

  const deliver = (body: string, headers: Record<string, string>) => fetch(`${hookPb.url}${HOOK}`, { method: "POST", headers, body });
  const rows = (pb: TestPocketBase) =>
    pb.db.prepare("SELECT repository, sha, committed, pushed, message, url, paths, apps, shared FROM script_changes ORDER BY committed, sha").all() as Row[];
  const count = (pb: TestPocketBase) => rows(pb).length;
  const importRepo = () =>
    spawnSync(process.execPath, ["--import", "tsx", IMPORT_SCRIPT, "--repo", repo.dir], {
      encoding: "utf8",
      env: { ...process.env, POCKETBASE_URL: importPb.url, POCKETBASE_SUPERUSER_EMAIL: SUPERUSER.email, POCKETBASE_SUPERUSER_PASSWORD: SUPERUSER.password },
    });

  it("refuses an unsigned delivery, a forged signature and a tampered body, storing nothing", async () => {
    const body = JSON.stringify(repo.pushPayload(shas.slice(0, 3)));
    const unsigned = await deliver(body, deliveryHeaders(body, null));
    expect(unsigned.status).toBe(401);
    const forged = await deliver(body, deliveryHeaders(body, "not-the-secret"));
    expect(forged.status).toBe(401);
    const signed = deliveryHeaders(body, SECRET);
    const tampered = await deliver(body.replace("Docker: pin", "Docker: pwn"), signed);
    expect(tampered.status).toBe(401);
    const malformed = await deliver(body, { ...signed, "x-hub-signature-256": "sha1=0123" });
    expect(malformed.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: "missing or malformed X-Hub-Signature-256" });
    expect(count(hookPb)).toBe(0);
  });

  it("answers GitHub's ping once signed", async () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const res = await deliver(body, deliveryHeaders(body, SECRET, "ping"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, event: "ping" });
  });

  it("stores a signed push's commits once each, mapped to apps, with only public facts", async () => {
    const body = JSON.stringify(repo.pushPayload(shas.slice(0, 3), { pushedAt: PUSHED_AT }));
    const res = await deliver(body, deliveryHeaders(body, SECRET));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 3, existing: 0 });
    const stored = rows(hookPb);
    expect(stored.map((r) => r.sha)).toEqual(shas.slice(0, 3));
    expect(stored[0]).toEqual({
      repository: "community-scripts/ProxmoxVE",
      sha: shas[0],
      committed: "2026-11-01 06:00:00.000Z",
      pushed: "2026-11-30 00:53:20.000Z",
      message: "Docker: pin the compose plugin (#101)",
      url: `https://github.com/community-scripts/ProxmoxVE/commit/${shas[0]}`,
      paths: JSON.stringify(["ct/docker.sh", "ct/headers/docker", "install/docker-install.sh"]),
      apps: JSON.stringify(["docker"]),
      shared: "[]",
    });
    expect(stored[1]).toMatchObject({ apps: "[]", shared: JSON.stringify(["all", "lxc"]) });
    expect(stored[2]).toMatchObject({ message: "Jellyfin: Übersetzung für die Metadaten ✓ (#102)", apps: JSON.stringify(["jellyfin"]), committed: "2026-11-02 15:15:30.000Z" });
    // Nothing else about the push or its people is kept.
    const columns = (hookPb.db.prepare("SELECT name FROM pragma_table_info('script_changes')").all() as { name: string }[]).map((c) => c.name).sort();
    expect(columns).toEqual(["apps", "committed", "created", "id", "message", "paths", "pushed", "repository", "sha", "shared", "updated", "url"]);
  });

  it("refuses a replayed delivery: the same delivery id, or the same body under a new id", async () => {
    const body = JSON.stringify(repo.pushPayload(shas.slice(3), { pushedAt: PUSHED_AT + 60 }));
    const headers = deliveryHeaders(body, SECRET);
    expect((await deliver(body, headers)).status).toBe(200);
    const again = await deliver(body, headers);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/^replayed delivery/);
    expect((await deliver(body, deliveryHeaders(body, SECRET))).status).toBe(409);
    expect(count(hookPb)).toBe(6);
    const rename = rows(hookPb).find((r) => r.sha === shas[5])!;
    expect(JSON.parse(rename.apps)).toEqual(["docker", "dockge"]);
    expect(JSON.parse(rows(hookPb).find((r) => r.sha === shas[4])!.shared)).toEqual(["vm"]);
  });

  it("a push of commits already stored stores nothing again (idempotent by sha)", async () => {
    const body = JSON.stringify({ ...repo.pushPayload(shas.slice(0, 3)), forced: true });
    const res = await deliver(body, deliveryHeaders(body, SECRET));
    expect(await res.json()).toMatchObject({ stored: 0, existing: 3 });
    expect(count(hookPb)).toBe(6);
  });

  it("ignores pushes to other branches and other events, signed or not", async () => {
    const body = JSON.stringify(repo.pushPayload([branchSha], { branch: "feature" }));
    const res = await deliver(body, deliveryHeaders(body, SECRET));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ignored: "not a push to refs/heads/main" });
    const issue = JSON.stringify({ action: "opened", issue: { number: 1 } });
    expect(await (await deliver(issue, deliveryHeaders(issue, SECRET, "issues"))).json()).toMatchObject({ ignored: "event issues" });
    expect(count(hookPb)).toBe(6);
  });

  it("refuses a signed body that is not a push GitHub would send, storing nothing", async () => {
    const payload = repo.pushPayload([shas[0]!]) as { commits: Record<string, unknown>[] };
    for (const bad of [{ id: "not-a-sha" }, { timestamp: "yesterday" }, { added: ["ct/\u0000.sh"] }]) {
      const body = JSON.stringify({ ...payload, commits: [{ ...payload.commits[0], id: randomUUID().replace(/-/g, "").padEnd(40, "0"), ...bad }] });
      const res = await deliver(body, deliveryHeaders(body, SECRET));
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const notJson = "payload=%7B%7D";
    expect((await deliver(notJson, deliveryHeaders(notJson, SECRET))).status).toBe(400);
    expect(count(hookPb)).toBe(6);
  });

  it("lets anyone read the changes, and nobody but a superuser write them or see the deliveries", async () => {
    const list = await api(hookPb.url, "/api/collections/script_changes/records?sort=committed&perPage=1");
    expect(list.status).toBe(200);
    expect(list.body.totalItems).toBe(6);
    const create = await api(hookPb.url, "/api/collections/script_changes/records", { method: "POST", body: { repository: "a/b", sha: "a".repeat(40) } });
    expect(create.status).toBe(403);
    const id = (list.body.items as { id: string }[])[0]!.id;
    expect((await api(hookPb.url, `/api/collections/script_changes/records/${id}`, { method: "PATCH", body: { message: "x" } })).status).toBe(403);
    expect((await api(hookPb.url, `/api/collections/script_changes/records/${id}`, { method: "DELETE" })).status).toBe(403);
    expect((await api(hookPb.url, "/api/collections/script_change_deliveries/records")).status).toBe(403);
    const anonymousImport = await api(hookPb.url, "/api/script-changes/import", { method: "POST", body: { repository: "a/b", commits: [] } });
    expect(anonymousImport.status).toBe(401);
  });

  it("the backfill of the same repository gives the same rows, and again nothing new", () => {
    const first = importRepo();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("community-scripts/ProxmoxVE: 6 commits read, 6 stored, 0 already stored");
    const strip = (r: Row) => ({ ...r, pushed: "" });
    expect(rows(importPb).map((r) => r.pushed)).toEqual(Array(6).fill(""));
    expect(rows(importPb)).toEqual(rows(hookPb).map(strip));
    const second = importRepo();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain("6 commits read, 0 stored, 6 already stored");
    expect(count(importPb)).toBe(6);
  });

  it("the backfill takes --since and refuses bad arguments with a clear message", () => {
    const since = spawnSync(process.execPath, ["--import", "tsx", IMPORT_SCRIPT, "--repo", repo.dir, "--since", "2026-11-03"], {
      encoding: "utf8",
      env: { ...process.env, POCKETBASE_URL: importPb.url, POCKETBASE_SUPERUSER_EMAIL: SUPERUSER.email, POCKETBASE_SUPERUSER_PASSWORD: SUPERUSER.password },
    });
    expect(since.stdout).toContain("2 commits read, 0 stored, 2 already stored");
    for (const [args, message] of [
      [["--since", "last tuesday; rm -rf /"], "expected a date"],
      [[], "usage: npm run changes:import"],
      [["--bogus"], "Unknown option"],
    ] as const) {
      const res = spawnSync(process.execPath, ["--import", "tsx", IMPORT_SCRIPT, ...(args.length && args[0] !== "--bogus" ? ["--repo", repo.dir] : []), ...args], {
        encoding: "utf8",
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(message);
    }
  });

  it("the demo's seeded changes are rows PocketBase serves as the hook stores them", async () => {
    const end = new Date();
    const want = demoChanges(end);
    expect(insertDemoChanges(join(importPb.dataDir, "data.db"), end)).toBe(want.length);
    expect(insertDemoChanges(join(importPb.dataDir, "data.db"), end)).toBe(0);
    const res = await api(importPb.url, "/api/collections/script_changes/records?perPage=100");
    expect(res.status).toBe(200);
    const items = res.body.items as Record<string, unknown>[];
    const byId = new Map(items.map((i) => [i.sha, i]));
    for (const c of want) {
      expect(byId.get(c.sha), c.message).toMatchObject({
        sha: c.sha,
        committed: c.committed,
        pushed: c.pushed,
        message: c.message,
        url: c.url,
        paths: c.paths,
        apps: c.apps,
        shared: c.shared,
      });
    }
  });

  it("refuses every delivery while PocketBase has no GITHUB_WEBHOOK_SECRET", async () => {
    delete process.env.GITHUB_WEBHOOK_SECRET;
    await hookPb.kill();
    await hookPb.start();
    const body = JSON.stringify(repo.pushPayload([shas[0]!]));
    for (const headers of [deliveryHeaders(body, SECRET), deliveryHeaders(body, ""), deliveryHeaders(body, null)]) {
      const res = await deliver(body, headers);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: "GITHUB_WEBHOOK_SECRET is not set: deliveries are refused" });
    }
  });
});
