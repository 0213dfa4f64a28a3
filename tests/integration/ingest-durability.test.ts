/**
 * Nothing acknowledged is lost. Hosts stream their runs' events to POST /telemetry while
 * PocketBase is killed with SIGKILL; after a restart every event that got a 2xx is stored,
 * and once the hosts' retries are through (as curl retries) every run is there once and the
 * rollups equal SQL. Then PocketBase's own backup and restore (README "Backups"): figures read
 * before a backup are the figures after restoring it, whatever was written in between; the
 * same for the online snapshot the README offers beside it (VACUUM INTO, put back as data.db).
 */
import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { queryAppList } from "../../lib/data/queries/apps";
import { queryOverview } from "../../lib/data/queries/overview";
import { parseViewState } from "../../lib/params";
import { presetRange, withRepo } from "../../lib/range";
import { VIEWS } from "../../lib/views";
import { generateRows } from "../../scripts/lib/generate";
import { eventsOf, type InstallerEvent } from "../../scripts/lib/installer-events";
import { setRateLimit } from "../../scripts/lib/pocketbase-server";
import type { TelemetryRow } from "../../scripts/lib/telemetry-row";
import { postEvent, runOf } from "../support/ingest";
import { api, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilHealthy(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // down
    }
    if (Date.now() > deadline) throw new Error(`PocketBase at ${url} did not come back`);
    await sleep(100);
  }
}

describe("nothing acknowledged is lost", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    await setRateLimit(pb.url, pb.superuserToken, "POST /telemetry", 100_000);
  });
  afterAll(async () => pb?.stop());

  it("keeps every event answered 2xx across a SIGKILL, and every run once after the retries", async () => {
    const rows = [...generateRows({ seed: 31, days: 1, runsPerDay: 240, end: new Date() })];
    const byExecution = new Map(rows.map((r) => [r.execution_id, r]));
    const hosts = rows.map((r) => eventsOf(r));
    const total = hosts.reduce((n, h) => n + h.length, 0);
    const acked: { event: InstallerEvent; row: TelemetryRow }[] = [];
    let down = false;
    let killedAt = -1;
    // Hosts side by side, each sending its run's events in order and retrying what got no answer.
    const send = async (row: TelemetryRow, event: InstallerEvent) => {
      for (;;) {
        try {
          const res = await postEvent(pb.url, event.body);
          expect(res.status, res.text).toBeLessThan(300);
          acked.push({ event, row });
          return;
        } catch (err) {
          if (!(err instanceof TypeError)) throw err; // fetch failed: PocketBase is down
          await sleep(200);
        }
      }
    };
    const workers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = w; i < hosts.length; i += 6) for (const e of hosts[i]!) await send(rows[i]!, e);
    });
    const killer = (async () => {
      while (acked.length < total / 3) await sleep(20);
      killedAt = acked.length;
      down = true;
      process.kill(pb.pid(), "SIGKILL");
      await pb.kill();
      // Everything acknowledged before the kill is on disk: read it before anything else is sent.
      const db = new Database(join(pb.dataDir, "data.db"), { readonly: true });
      try {
        const before = acked.slice(0, killedAt);
        const missing = before.filter(({ event, row }) => {
          const got = db.prepare("SELECT status FROM _dev_telemetry_data WHERE execution_id = ? AND execution_id != ''").get(row.execution_id) as { status: string } | undefined;
          const final = !["installing", "validation", "configuring"].includes(event.status);
          return !got || (final && got.status !== row.status);
        });
        expect(missing.map((m) => m.event.body.slice(0, 200))).toEqual([]);
      } finally {
        db.close();
      }
      await pb.start();
      down = false;
    })();
    await Promise.all([...workers, killer]);
    expect(down).toBe(false);
    expect(killedAt).toBeGreaterThan(0);
    expect(acked.length).toBe(total);
    const stored = pb.db.prepare("SELECT execution_id, COUNT(*) AS n FROM _dev_telemetry_data GROUP BY execution_id").all() as { execution_id: string; n: number }[];
    expect(stored.length).toBe(rows.length);
    expect(stored.filter((s) => s.n !== 1 || !byExecution.has(s.execution_id))).toEqual([]);
    const wrong = rows.filter((r) => runOf(pb.db, r.execution_id)?.status !== r.status);
    expect(wrong.map((r) => r.execution_id)).toEqual([]);
    expectRollupsExact(pb.db);
  }, 180_000); // a hang guard: it asserts that nothing acknowledged is lost, not how fast (~650 events, a SIGKILL and a restart took over a minute at load 10)
});

describe("PocketBase's backup and restore", () => {
  let pb: TestPocketBase;
  const now = new Date();
  beforeAll(async () => {
    pb = await startTestPocketBase();
    pb.useForDataLayer();
    await setRateLimit(pb.url, pb.superuserToken, "POST /telemetry", 100_000);
    for (const row of generateRows({ seed: 41, days: 1, runsPerDay: 80, end: now })) for (const e of eventsOf(row)) await postEvent(pb.url, e.body);
  });
  afterAll(async () => pb?.stop());

  /** Runs in pb_data/data.db as a new reader sees it; undefined while the file is being swapped. */
  function restoredRuns(dir: string): number | undefined {
    try {
      const db = new Database(join(dir, "data.db"), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return undefined;
    }
  }

  /** The figures of the overview and the apps table, as the dashboard reads them. */
  async function figures() {
    // Every repository's runs: the restored file's row count is what the totals must equal.
    const { state } = parseViewState({ range: "7d", min: "0", size: "100", repo: "all" }, now, VIEWS.apps);
    const overview = await queryOverview(withRepo(presetRange("7d", now), "all"), now);
    const apps = await queryAppList(state);
    return { totals: overview.totals, series: overview.series, apps: apps.rows.map((a) => [a.nsapp, a.runs, a.success, a.failed]) };
  }

  it("gives back the same figures after restoring a backup, whatever was written in between", async () => {
    const before = await figures();
    expect(before.totals.runs).toBeGreaterThan(50);
    const made = await api(pb.url, "/api/backups", { method: "POST", body: { name: "telemetry.zip" }, token: pb.superuserToken });
    expect(made.status).toBe(204);
    // Written after the backup: new runs, an old one finished, one deleted.
    for (const row of generateRows({ seed: 42, days: 1, runsPerDay: 40, end: now })) for (const e of eventsOf(row)) await postEvent(pb.url, e.body);
    const victim = pb.db.prepare("SELECT id FROM _dev_telemetry_data LIMIT 1").pluck().get() as string;
    expect((await api(pb.url, `/api/collections/_dev_telemetry_data/records/${victim}`, { method: "DELETE", token: pb.superuserToken })).status).toBe(204);
    expect(await figures()).not.toEqual(before);

    const restore = await api(pb.url, "/api/backups/telemetry.zip/restore", { method: "POST", token: pb.superuserToken });
    expect(restore.status).toBe(204);
    // PocketBase replaces pb_data and restarts itself (same process, execve) after answering:
    // wait until the restored file is in place and the server answers again.
    const deadline = Date.now() + 30_000;
    while (restoredRuns(pb.dataDir) !== before.totals.runs) {
      if (Date.now() > deadline) throw new Error("the backup was not restored in 30 s");
      await sleep(100);
    }
    await untilHealthy(pb.url);
    expect(await figures()).toEqual(before);
    const db = new Database(join(pb.dataDir, "data.db"), { readonly: true });
    try {
      expectRollupsExact(db);
      expect((db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n).toBe(before.totals.runs);
    } finally {
      db.close();
    }
  });

  it("gives back the same figures from an online snapshot (VACUUM INTO) put back as data.db", async () => {
    const before = await figures();
    const dir = mkdtempSync(join(tmpdir(), "snapshot-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const snapshot = join(dir, "data.db");
    // README: sqlite3 pb_data/data.db "VACUUM INTO '…'" while PocketBase serves (the same statement here).
    const live = new Database(join(pb.dataDir, "data.db"));
    live.prepare("VACUUM INTO ?").run(snapshot);
    live.close();
    for (const row of generateRows({ seed: 43, days: 1, runsPerDay: 30, end: now })) for (const e of eventsOf(row)) await postEvent(pb.url, e.body);
    expect(await figures()).not.toEqual(before);
    // Restore: a PocketBase whose data.db is the snapshot (as after stopping it and putting the file back).
    const restored = await startTestPocketBase({
      seed: (dataDir) => {
        for (const f of ["data.db-wal", "data.db-shm"]) rmSync(join(dataDir, f), { force: true });
        copyFileSync(snapshot, join(dataDir, "data.db"));
      },
    });
    onTestFinished(() => restored.stop());
    restored.useForDataLayer(); // the last test of the file: nothing reads pb's figures after it
    expect(await figures()).toEqual(before);
    expectRollupsExact(restored.db);
  });
});
