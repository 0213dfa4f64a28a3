/**
 * Rollups equal SQL over the raw records after every way a row can arrive or change:
 * anonymous REST create and PATCH, the batch API, superuser deletes, bulk SQL inserts,
 * updates and deletes, an upstream-style cleanup job, a rebuild, and the migration's backfill
 * over rows that existed before it.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLLUPS } from "../../lib/rollups/spec";
import { rebuildSql } from "../../lib/rollups/sql";
import { migrate } from "../../scripts/lib/pocketbase-server";
import { api, startTestPocketBase, type TestPocketBase, RECORDS } from "../support/pocketbase";
import { rng } from "../support/random";
import { expectRollupsExact } from "../support/rollups";
import { runsOf } from "../support/runs-of";
import { REPOS } from "../../lib/repo";

/** Names the write rules accept (lowercase script names). */
const APPS = ["docker", "jellyfin", "pihole", "haos-vm", "netboot.xyz"];
/** Rows written by SQL may hold any name (e.g. rows older than the write rules). */
const ANY_APPS = [...APPS, "ünïcode-app"];
const STATUSES = ["installing", "sucess", "failed", "unknown", "success", "aborted"];

function randomRecord(r: ReturnType<typeof rng>, i: number, apps = APPS) {
  return {
    random_id: `rid-${i}-${r.int(1e9)}`,
    type: r.pick(["lxc", "lxc", "vm", "addon", "pve"]),
    ct_type: r.pick([0, 1, 1, 2]),
    nsapp: r.pick(apps),
    status: "installing",
    disk_size: r.pick([2, 4, 8]),
    core_count: r.pick([1, 2]),
    ram_size: r.pick([512, 1024, 2048]),
    os_type: r.pick(["debian", "ubuntu", "alpine"]),
    os_version: r.pick(["12", "13", "24.04", "3.22", ""]),
    pve_version: r.pick(["8.4.1", "9.0.3", "not found"]),
    method: r.pick(["default", "advanced"]),
  };
}

/** Independent hand-written SQL for the two headline rollups (not generated from lib/), for every repository selection. */
function expectHeadlineRollups(db: Database.Database) {
  const outcome = `CASE WHEN status IN ('sucess','success','done') THEN 'success' WHEN status = 'failed' THEN 'failed'
    WHEN status = 'aborted' THEN 'aborted' WHEN status = 'installing' THEN 'installing' ELSE 'unknown' END`;
  let hourlyRows = 0;
  for (const repo of REPOS) {
    const runs = runsOf(repo);
    const raw = db.prepare(`SELECT substr(created,1,10) AS day, nsapp, type, ${outcome} AS o, COUNT(*) AS n FROM ${runs} GROUP BY 1,2,3,4 ORDER BY 1,2,3,4`).all();
    const rolled = db
      .prepare(
        `SELECT * FROM (${["success", "failed", "aborted", "unknown", "installing"]
          .map((o) => `SELECT bucket AS day, nsapp, type, '${o}' AS o, ${o} AS n FROM stats_app WHERE repo = '${repo}' AND ${o} > 0`)
          .join(" UNION ALL ")}) ORDER BY 1,2,3,4`,
      )
      .all();
    expect(rolled, repo).toEqual(raw);
    const total = db.prepare(`SELECT COUNT(*) AS n FROM ${runs}`).get() as { n: number };
    const cum = db
      .prepare(`SELECT COALESCE(SUM(cum_success+cum_failed+cum_aborted+cum_unknown+cum_installing),0) AS n FROM stats_daily WHERE valid_until = '9999-12-31' AND repo = '${repo}'`)
      .get() as { n: number };
    expect(cum.n, repo).toBe(total.n);

    // The hourly sibling covers the last 72 hours (the current one and the 71 before it).
    const window = `strftime('%Y-%m-%d %H', 'now', '-71 hours')`;
    const rawHourly = db
      .prepare(
        `SELECT substr(created,1,13) AS hour, nsapp, type, ${outcome} AS o, COUNT(*) AS n FROM ${runs}
         WHERE substr(created,1,13) >= ${window} GROUP BY 1,2,3,4 ORDER BY 1,2,3,4`,
      )
      .all();
    const rolledHourly = db
      .prepare(
        `SELECT * FROM (${["success", "failed", "aborted", "unknown", "installing"]
          .map((o) => `SELECT bucket AS hour, nsapp, type, '${o}' AS o, ${o} AS n FROM stats_app_hourly WHERE repo = '${repo}' AND ${o} > 0 AND bucket >= ${window}`)
          .join(" UNION ALL ")}) ORDER BY 1,2,3,4`,
      )
      .all();
    expect(rolledHourly, repo).toEqual(rawHourly);
    if (repo === "all") hourlyRows = rawHourly.length;
  }
  return { hourlyRows };
}

describe("rollups stay exact", () => {
  let pb: TestPocketBase;
  const r = rng(7);
  beforeAll(async () => {
    pb = await startTestPocketBase({ batch: true });
  });
  afterAll(async () => pb?.stop());

  it("after anonymous REST creates and PATCHes, as the installer scripts send them", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await api(pb.url, RECORDS, { method: "POST", body: randomRecord(r, i) });
      expect(res.status).toBe(200);
      ids.push(res.body.id as string);
    }
    expectRollupsExact(pb.db);
    for (const [i, id] of ids.entries()) {
      if (i % 4 === 3) continue; // some runs never report back
      const status = r.pick(["sucess", "failed", "aborted", "success", "unknown"]);
      const res = await api(pb.url, `${RECORDS}/${id}`, {
        method: "PATCH",
        body: { status, exit_code: status === "failed" ? r.pick([100, 22, 255]) : 0, error: "x" },
      });
      expect(res.status).toBe(200);
    }
    expectRollupsExact(pb.db);
    expectHeadlineRollups(pb.db);
  });

  it("refuses a second PATCH of a finished run, leaving the rollups unchanged", async () => {
    const created = await api(pb.url, RECORDS, { method: "POST", body: randomRecord(r, 1000) });
    const id = created.body.id as string;
    expect((await api(pb.url, `${RECORDS}/${id}`, { method: "PATCH", body: { status: "failed", exit_code: 1 } })).status).toBe(200);
    const again = await api(pb.url, `${RECORDS}/${id}`, { method: "PATCH", body: { status: "sucess", exit_code: 0 } });
    expect(again.status).toBe(404);
    const row = pb.db.prepare("SELECT status FROM _dev_telemetry_data WHERE id = ?").get(id) as { status: string };
    expect(row.status).toBe("failed");
    expectRollupsExact(pb.db);
  });

  it("after batch API creates and superuser deletes", async () => {
    // As a superuser (an import, say): anonymous creates must start as installing.
    const requests = Array.from({ length: 25 }, (_, i) => ({
      method: "POST",
      url: RECORDS,
      body: { ...randomRecord(r, 2000 + i), status: r.pick(STATUSES) },
    }));
    const batch = await api(pb.url, "/api/batch", { method: "POST", body: { requests }, token: pb.superuserToken });
    expect(batch.status).toBe(200);
    expectRollupsExact(pb.db);
    const ids = (pb.db.prepare("SELECT id FROM _dev_telemetry_data ORDER BY id LIMIT 10").all() as { id: string }[]).map((x) => x.id);
    for (const id of ids) {
      expect((await api(pb.url, `${RECORDS}/${id}`, { method: "DELETE", token: pb.superuserToken })).status).toBe(204);
    }
    expectRollupsExact(pb.db);
    expectHeadlineRollups(pb.db);
  });

  it("after bulk SQL inserts out of order, updates of any column, deletes and a cleanup job", () => {
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, type, ct_type, nsapp, status, disk_size, core_count, ram_size, os_type,
        os_version, pve_version, method, repo_source, error, exit_code, created, updated)
       VALUES (@id, @random_id, @type, @ct_type, @nsapp, @status, @disk_size, @core_count, @ram_size, @os_type,
        @os_version, @pve_version, @method, @repo_source, '', @exit_code, @created, @created)`,
    );
    // The last 60 days up to now; every other row in the last 4 days, across the edge of the
    // hourly rollups' 72-hour window.
    const HOUR = 3_600_000;
    const day0 = Math.floor(Date.now() / HOUR) * HOUR - 60 * 24 * HOUR;
    const at = (ms: number) => new Date(ms).toISOString().replace("T", " ");
    const stamp = () => at(Date.now() - (r.int(2) ? r.int(60 * 24) * HOUR : r.int(4 * 24) * HOUR) - r.int(HOUR));
    pb.db.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const status = r.pick(STATUSES);
        insert.run({
          ...randomRecord(r, 10_000 + i, ANY_APPS),
          // Which repository (today's scripts send it through /telemetry; the records API cannot set it).
          repo_source: r.pick(["", "ProxmoxVE", "ProxmoxVE", "ProxmoxVED", "external"]),
          id: `bulk${String(i).padStart(11, "0")}`,
          status,
          exit_code: status === "failed" ? r.pick([0, 1, 100, 127, 255]) : 0,
          created: stamp(),
        });
      }
    })();
    expectRollupsExact(pb.db);

    const ids = (pb.db.prepare("SELECT id FROM _dev_telemetry_data").all() as { id: string }[]).map((x) => x.id);
    const updates = [
      pb.db.prepare("UPDATE _dev_telemetry_data SET status = ?, exit_code = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET created = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET nsapp = ?, os_type = ?, pve_version = ? WHERE id = ?"),
      // A run moved to another repository (or to a source no selection names): out of one selection, into another.
      pb.db.prepare("UPDATE _dev_telemetry_data SET repo_source = ? WHERE id = ?"),
    ];
    pb.db.transaction(() => {
      for (let i = 0; i < 600; i++) {
        const id = r.pick(ids);
        const kind = r.int(4);
        if (kind === 0) updates[0]!.run(r.pick(STATUSES), r.pick([0, 100, 130]), id);
        else if (kind === 1) updates[1]!.run(stamp(), id);
        else if (kind === 2) updates[2]!.run(r.pick(ANY_APPS), r.pick(["debian", "alpine"]), r.pick(["9.1.0", "8.2.2"]), id);
        else updates[3]!.run(r.pick(["", "ProxmoxVE", "ProxmoxVED", "external", "elsewhere"]), id);
      }
    })();
    expectRollupsExact(pb.db);

    const del = pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id = ?");
    pb.db.transaction(() => {
      for (let i = 0; i < 400; i++) del.run(r.pick(ids));
    })();
    pb.db.prepare("UPDATE _dev_telemetry_data SET status = 'unknown' WHERE status = 'installing' AND created < ?").run(at(Date.now() - 2 * 24 * HOUR));
    pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE created < ?").run(at(day0 + 4 * 24 * HOUR));
    expectRollupsExact(pb.db);
    expect(expectHeadlineRollups(pb.db).hourlyRows).toBeGreaterThan(100);
  });

  it("rebuilds idempotently to the same figures", () => {
    const snapshot = () =>
      pb.db
        .prepare(
          "SELECT bucket, nsapp, type, repo, success, failed, cum_success, cum_failed, valid_until FROM stats_app WHERE success+failed+aborted+unknown+installing > 0 ORDER BY nsapp, type, repo, bucket",
        )
        .all();
    const before = snapshot();
    for (let i = 0; i < 2; i++) pb.db.transaction(() => ROLLUPS.forEach((s) => rebuildSql(s).forEach((sql) => pb.db.exec(sql))))();
    expectRollupsExact(pb.db);
    // Rows whose counts fell to zero are dropped by a rebuild; valid_until then skips them.
    const after = snapshot() as { valid_until: string }[];
    expect(after.map(({ valid_until, ...rest }) => rest)).toEqual((before as { valid_until: string }[]).map(({ valid_until, ...rest }) => rest));
  });
});

describe("the rollup migration", () => {
  // Applies every migration twice (PocketBase saves each rollup collection and view both times):
  // over a minute on the shared 2-core machine under load, so a longer bound against a hang.
  it("backfills rows that existed before it and can be applied again", { timeout: 180_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "pb-backfill-"));
    try {
      migrate(dir);
      const db = new Database(join(dir, "data.db"));
      // Simulate a production database from before the rollups: no triggers, empty rollups.
      for (const s of ROLLUPS) {
        for (const t of ["ai", "ad", "au"]) db.exec(`DROP TRIGGER ${s.name}_${t}`);
      }
      const r = rng(11);
      const insert = db.prepare(
        `INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, os_type, exit_code, created, updated)
         VALUES (?, ?, 'lxc', ?, ?, 'debian', ?, ?, ?)`,
      );
      for (let i = 0; i < 500; i++) {
        const created = `2026-10-${String(1 + r.int(28)).padStart(2, "0")} 12:00:00.000Z`;
        insert.run(`pre${String(i).padStart(12, "0")}`, `pre-${i}`, r.pick(ANY_APPS), r.pick(STATUSES), r.pick([0, 1, 100]), created, created);
      }
      // Without triggers the rollups missed every row: they are stale until the migration backfills.
      expect((db.prepare("SELECT COUNT(*) AS n FROM stats_app WHERE success+failed+aborted+unknown+installing > 0").get() as { n: number }).n).toBe(0);
      db.exec("DELETE FROM _migrations WHERE file LIKE '%_rollups.js'");
      for (const s of ROLLUPS) db.exec(`DELETE FROM ${s.name}`);
      db.close();
      migrate(dir); // re-applies the rollup migration over existing rows
      const after = new Database(join(dir, "data.db"));
      expectRollupsExact(after);
      expectHeadlineRollups(after);
      expect((after.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger'").get() as { n: number }).n).toBe(ROLLUPS.length * 3);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
