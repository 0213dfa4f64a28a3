/**
 * PocketBase's built-in rate limits as the write-rules migration configures them, per client
 * IP and collection: each limit lets its full allowance through and refuses the next request with 429. The
 * bursts are sent at once, well inside each one-minute window.
 */
import Database from "better-sqlite3";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, POCKETBASE_DIRS } from "../../scripts/lib/pocketbase-server";
import { api, READER, startTestPocketBase, type TestPocketBase, RECORDS } from "../support/pocketbase";

const PER_MINUTE = { create: 300, update: 300, guestList: 300, auth: 20, ingest: 300 };

/** Sends `n` requests, 25 at a time; returns their statuses. */
async function burst(n: number, send: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, j) => send(i + j)))));
  return out;
}

describe("rate limits", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
  });
  afterAll(async () => pb?.stop());

  it("are on, with the documented rules", async () => {
    const settings = await api(pb.url, "/api/settings", { token: pb.superuserToken });
    const limits = settings.body.rateLimits as { enabled: boolean; rules: object[] };
    expect(limits.enabled).toBe(true);
    expect(limits.rules).toEqual([
      { label: "_dev_telemetry_data:create", audience: "", maxRequests: PER_MINUTE.create, duration: 60 },
      { label: "_dev_telemetry_data:update", audience: "", maxRequests: PER_MINUTE.update, duration: 60 },
      { label: "_dev_telemetry_data:list", audience: "@guest", maxRequests: PER_MINUTE.guestList, duration: 60 },
      { label: "*:auth", audience: "", maxRequests: PER_MINUTE.auth, duration: 60 },
      { label: "POST /telemetry", audience: "", maxRequests: PER_MINUTE.ingest, duration: 60 },
    ]);
  });

  it("let one host send its allowance of events to POST /telemetry, then answer 429", async () => {
    const sent = await burst(PER_MINUTE.ingest + 1, (i) =>
      fetch(`${pb.url}/telemetry`, {
        method: "POST",
        body: JSON.stringify({ random_id: `ingest-burst-${i}`, type: "lxc", nsapp: "docker", status: "installing" }),
      }).then((r) => r.status),
    );
    expect(sent.filter((s) => s === 201)).toHaveLength(PER_MINUTE.ingest);
    expect(sent.filter((s) => s === 429)).toHaveLength(1);
  });

  it("let one host start and finish its allowance of installs, then answer 429", async () => {
    const ids: string[] = [];
    const created = await burst(PER_MINUTE.create + 1, async (i) => {
      const res = await api(pb.url, RECORDS, {
        method: "POST",
        body: { random_id: `burst-${i}`, type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" },
      });
      if (res.status === 200) ids.push(res.body.id as string);
      return res.status;
    });
    expect(created.filter((s) => s === 200)).toHaveLength(PER_MINUTE.create);
    expect(created.filter((s) => s === 429)).toHaveLength(1);

    const finished = await burst(PER_MINUTE.update + 1, (i) =>
      api(pb.url, `${RECORDS}/${ids[i % ids.length]}`, { method: "PATCH", body: { status: "sucess", exit_code: 0 } }).then((r) => r.status),
    );
    expect(finished.filter((s) => s === 200)).toHaveLength(PER_MINUTE.update);
    expect(finished.filter((s) => s === 429)).toHaveLength(1);
  });

  it("limit anonymous lists (the fallback lookup) but not the dashboard's reader", async () => {
    const lookups = await burst(PER_MINUTE.guestList + 1, (i) =>
      api(pb.url, `${RECORDS}?filter=${encodeURIComponent(`(random_id='burst-${i}')`)}&fields=id&perPage=1`).then((r) => r.status),
    );
    expect(lookups.filter((s) => s === 200)).toHaveLength(PER_MINUTE.guestList);
    expect(lookups.filter((s) => s === 429)).toHaveLength(1);
    const auth = await api(pb.url, "/api/collections/telemetry_readers/auth-with-password", {
      method: "POST",
      body: { identity: READER.email, password: READER.password },
    });
    expect(auth.status).toBe(200);
    expect((await api(pb.url, `${RECORDS}?perPage=1`, { token: auth.body.token as string })).status).toBe(200);
  });

  it("slow password guessing down", async () => {
    // PocketBase counts per collection: the reader's login above is the only one spent.
    const left = PER_MINUTE.auth - 1;
    const logins = await burst(left + 1, () =>
      api(pb.url, "/api/collections/telemetry_readers/auth-with-password", {
        method: "POST",
        body: { identity: READER.email, password: "guess" },
      }).then((r) => r.status),
    );
    expect(logins.filter((s) => s === 400)).toHaveLength(left);
    expect(logins.filter((s) => s === 429)).toHaveLength(1);
  });
});

describe("rate limits on a PocketBase that already had some", () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-limits-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("keep the operator's rules in force and add (or replace same-label) ours", () => {
    const migrations = join(scratch, "migrations");
    mkdirSync(migrations);
    const files = readdirSync(POCKETBASE_DIRS.migrations).filter((f) => f.endsWith(".js"));
    for (const f of files) copyFileSync(join(POCKETBASE_DIRS.migrations, f), join(migrations, f));
    // An operator's settings, in force before the write rules arrive.
    const rulesFile = files.find((f) => f.endsWith("_telemetry_write_rules.js"))!;
    writeFileSync(
      join(migrations, `${Number(rulesFile.split("_")[0]) - 1}_operator_limits.js`),
      `migrate((app) => {
        const s = app.settings();
        s.rateLimits.enabled = true;
        s.rateLimits.rules = [{ label: "/api/", maxRequests: 1000, duration: 10 }, { label: "_dev_telemetry_data:create", maxRequests: 5, duration: 1 }];
        app.save(s);
      });`,
    );
    const dataDir = join(scratch, "data");
    migrate(dataDir, { migrations, hooks: POCKETBASE_DIRS.hooks });
    const db = new Database(join(dataDir, "data.db"), { readonly: true });
    const { value } = db.prepare("SELECT value FROM _params WHERE id = 'settings'").get() as { value: string };
    db.close();
    const limits = (JSON.parse(value) as { rateLimits: { enabled: boolean; rules: { label: string; maxRequests: number }[] } }).rateLimits;
    expect(limits.enabled).toBe(true);
    expect(limits.rules.map((r) => [r.label, r.maxRequests])).toEqual([
      ["/api/", 1000],
      ["_dev_telemetry_data:create", PER_MINUTE.create],
      ["_dev_telemetry_data:update", PER_MINUTE.update],
      ["_dev_telemetry_data:list", PER_MINUTE.guestList],
      ["*:auth", PER_MINUTE.auth],
      ["POST /telemetry", PER_MINUTE.ingest],
    ]);
  });
});
