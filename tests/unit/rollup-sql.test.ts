import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { hasRev, ROLLUPS, rollupSpec } from "../../lib/rollups/spec";
import { createTriggersSql, driftSql, rebuildSql } from "../../lib/rollups/sql";

describe("rollup SQL", () => {
  it("rollup names and dimensions are unique and valid identifiers", () => {
    const names = ROLLUPS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of ROLLUPS) for (const d of r.dims) expect(d.column).toMatch(/^[a-z_]+$/);
  });

  it("compiles in SQLite and detects a tampered count", () => {
    const db = new Database(":memory:");
    db.exec(`CREATE TABLE _dev_telemetry_data (id TEXT PRIMARY KEY, nsapp TEXT, type TEXT, status TEXT, exit_code NUMERIC,
      os_type TEXT, os_version TEXT, pve_version TEXT, method TEXT, ct_type NUMERIC, core_count NUMERIC, ram_size NUMERIC, disk_size NUMERIC, fail_line NUMERIC NOT NULL DEFAULT 0, fail_command TEXT NOT NULL DEFAULT '', created TEXT,
      execution_id TEXT, random_id TEXT, install_duration NUMERIC, repo_source TEXT, gpu_passthrough TEXT, gpu_vendor TEXT, cpu_vendor TEXT, arch TEXT, platform TEXT)`);
    for (const r of ROLLUPS) {
      const daily = r.grain === "day";
      const dims = r.dims.map((d) => `${d.column} ${d.kind === "text" ? "TEXT" : "NUMERIC"} NOT NULL`).join(", ");
      const counts = ["success", "failed", "aborted", "unknown", "installing"].flatMap((c) => [
        `${c} INTEGER NOT NULL DEFAULT 0`,
        ...(daily ? [`cum_${c} INTEGER NOT NULL DEFAULT 0`] : []),
      ]);
      if (hasRev(r)) counts.push("rev INTEGER NOT NULL DEFAULT 0");
      db.exec(`CREATE TABLE ${r.name} (id TEXT PRIMARY KEY, bucket TEXT NOT NULL, ${daily ? "valid_until TEXT NOT NULL, " : ""}${dims}, ${counts.join(", ")})`);
      db.exec(`CREATE UNIQUE INDEX ${r.name}_key ON ${r.name} (${[...r.dims.map((d) => d.column), "bucket"].join(", ")})`);
      createTriggersSql(r).forEach((s) => db.exec(s));
    }
    const ins = db.prepare("INSERT INTO _dev_telemetry_data (id, nsapp, type, status, exit_code, created) VALUES (?, ?, 'lxc', ?, ?, ?)");
    ins.run("a", "docker", "sucess", 0, "2026-11-01 10:00:00.000Z");
    ins.run("b", "docker", "failed", 100, "2026-11-03 10:00:00.000Z");
    ins.run("c", "docker", "installing", 0, "2026-11-02 10:00:00.000Z");
    for (const r of ROLLUPS) expect(db.prepare(driftSql(r)).all()).toEqual([]);
    const app = db
      .prepare("SELECT bucket, valid_until, success, failed, installing, cum_success, cum_failed, cum_installing FROM stats_app WHERE repo = 'official' ORDER BY bucket")
      .all();
    expect(app).toEqual([
      { bucket: "2026-11-01", valid_until: "2026-11-02", success: 1, failed: 0, installing: 0, cum_success: 1, cum_failed: 0, cum_installing: 0 },
      { bucket: "2026-11-02", valid_until: "2026-11-03", success: 0, failed: 0, installing: 1, cum_success: 1, cum_failed: 0, cum_installing: 1 },
      { bucket: "2026-11-03", valid_until: "9999-12-31", success: 0, failed: 1, installing: 0, cum_success: 1, cum_failed: 1, cum_installing: 1 },
    ]);
    // The repository selection fans out: every run is counted under its own selection and under "all".
    const perRepo = () => db.prepare("SELECT repo, SUM(success + failed + installing) AS n FROM stats_app GROUP BY repo ORDER BY repo").all();
    expect(perRepo()).toEqual([
      { repo: "all", n: 3 },
      { repo: "official", n: 3 },
    ]);
    // Change numbers: each write numbers the rows whose own counts it changed (its selection's, then "all"'s), not the later ones.
    expect(db.prepare("SELECT bucket, repo, rev FROM stats_app ORDER BY bucket, repo").all()).toEqual([
      { bucket: "2026-11-01", repo: "all", rev: 2 },
      { bucket: "2026-11-01", repo: "official", rev: 1 },
      { bucket: "2026-11-02", repo: "all", rev: 6 },
      { bucket: "2026-11-02", repo: "official", rev: 5 },
      { bucket: "2026-11-03", repo: "all", rev: 4 },
      { bucket: "2026-11-03", repo: "official", rev: 3 },
    ]);
    // A development run, a fork's and one of a source no selection names; then one moves to another repository.
    const src = db.prepare(
      "INSERT INTO _dev_telemetry_data (id, nsapp, type, status, exit_code, created, repo_source) VALUES (?, 'docker', 'lxc', 'failed', 1, '2026-11-02 11:00:00.000Z', ?)",
    );
    src.run("d", "ProxmoxVED");
    src.run("e", "external");
    src.run("f", "somewhere");
    db.exec("UPDATE _dev_telemetry_data SET repo_source = 'ProxmoxVE' WHERE id = 'e'");
    expect(perRepo()).toEqual([
      { repo: "all", n: 6 },
      { repo: "dev", n: 1 },
      { repo: "fork", n: 0 },
      { repo: "official", n: 4 },
      { repo: "other", n: 1 },
    ]);
    for (const r of ROLLUPS) expect(db.prepare(driftSql(r)).all(), r.name).toEqual([]);
    db.exec("UPDATE stats_app SET cum_failed = 5 WHERE bucket = '2026-11-03' AND repo = 'official'");
    expect(db.prepare(driftSql(ROLLUPS.find((r) => r.name === "stats_app")!)).all()).toHaveLength(1);
    db.exec("UPDATE stats_daily SET failed = 0");
    expect(db.prepare(driftSql(ROLLUPS[0]!)).all().length).toBeGreaterThan(0);
    const before = Date.now();
    rebuildSql(ROLLUPS[0]!).forEach((s) => db.exec(s));
    expect(db.prepare(driftSql(ROLLUPS[0]!)).all()).toEqual([]);
    // A rebuild numbers every row with its time in ms: above anything the triggers counted.
    const revs = db.prepare("SELECT MIN(rev) AS lo, MAX(rev) AS hi FROM stats_daily").get() as { lo: number; hi: number };
    expect(revs.lo).toBeGreaterThanOrEqual(before - 1);
    expect(revs.hi).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("keeps hourly counts for the last 72 hours only, and prunes older hours", () => {
    const db = new Database(":memory:");
    // stats_app's update trigger also watches the columns the window rollups read (WINDOW_ROLLUPS).
    db.exec(`CREATE TABLE _dev_telemetry_data (id TEXT PRIMARY KEY, nsapp TEXT, type TEXT, status TEXT, exit_code NUMERIC, created TEXT,
      os_type TEXT, os_version TEXT, pve_version TEXT, method TEXT, ct_type NUMERIC, fail_line NUMERIC, fail_command TEXT, repo_source TEXT)`);
    const spec = rollupSpec("stats_app_hourly");
    db.exec(`CREATE TABLE stats_app_hourly (id TEXT PRIMARY KEY, bucket TEXT NOT NULL, nsapp TEXT NOT NULL, type TEXT NOT NULL, repo TEXT NOT NULL,
      success INTEGER NOT NULL, failed INTEGER NOT NULL, aborted INTEGER NOT NULL, unknown INTEGER NOT NULL, installing INTEGER NOT NULL)`);
    db.exec("CREATE UNIQUE INDEX k ON stats_app_hourly (nsapp, type, repo, bucket)");
    createTriggersSql(spec).forEach((s) => db.exec(s));
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString().replace("T", " ");
    const ins = db.prepare("INSERT INTO _dev_telemetry_data (id, nsapp, type, status, exit_code, created) VALUES (?, 'docker', 'lxc', ?, 0, ?)");
    const rows = () => db.prepare("SELECT bucket, success, failed, installing FROM stats_app_hourly WHERE repo = 'all' ORDER BY bucket").all();
    ins.run("old", "failed", hoursAgo(80)); // outside the window: not counted
    ins.run("a", "installing", hoursAgo(1));
    ins.run("b", "sucess", hoursAgo(1));
    expect(rows()).toEqual([{ bucket: hoursAgo(1).slice(0, 13), success: 1, failed: 0, installing: 1 }]);
    db.prepare("UPDATE _dev_telemetry_data SET status = 'failed' WHERE id = 'a'").run();
    expect(rows()).toEqual([{ bucket: hoursAgo(1).slice(0, 13), success: 1, failed: 1, installing: 0 }]);
    // stats_app's update trigger fires on a change of the OS alone (a regression window's version): the counts stay.
    db.prepare("UPDATE _dev_telemetry_data SET os_version = '13' WHERE id = 'a'").run();
    expect(rows()).toEqual([{ bucket: hoursAgo(1).slice(0, 13), success: 1, failed: 1, installing: 0 }]);
    expect(db.prepare(driftSql(spec)).all()).toEqual([]);
    // An hour that has left the window goes at the next insert.
    db.exec(`INSERT INTO stats_app_hourly VALUES ('x', '${hoursAgo(100).slice(0, 13)}', 'docker', 'lxc', 'all', 5, 0, 0, 0, 0)`);
    ins.run("c", "failed", hoursAgo(0));
    expect(rows()).toHaveLength(2);
    expect(db.prepare(driftSql(spec)).all()).toEqual([]);
    db.prepare("DELETE FROM _dev_telemetry_data WHERE id = 'b'").run();
    expect(db.prepare(driftSql(spec)).all()).toEqual([]);
    db.exec("UPDATE stats_app_hourly SET failed = 3");
    expect(db.prepare(driftSql(spec)).all().length).toBeGreaterThan(0);
  });
});
