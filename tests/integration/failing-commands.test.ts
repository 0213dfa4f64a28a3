/**
 * An app's failing commands (lib/data/queries/failing-commands.ts, from the stats_app_failure
 * rollup) equal SQL over the raw records — failures per signature, share, first and last seen,
 * exit codes — for several apps and ranges, and still after the writes that change them: new
 * failures through POST /telemetry, a records-API PATCH of a run's error (the hook derives the
 * signature again), superuser deletes and SQL re-dating. Every stored signature is the one the
 * normaliser gives for the stored error text.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryFailingCommands, type FailingCommands } from "../../lib/data/queries/failing-commands";
import { customRange, presetRange, type Range } from "../../lib/range";
import { addDays, utcDay } from "../../lib/time";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { postEvent } from "../support/ingest";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const T = "_dev_telemetry_data";
/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

describe("failing commands", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const today = utcDay(now);
  const ranges: Range[] = [presetRange("30d", now), presetRange("24h", now), customRange(addDays(today, -20), addDays(today, -14)), presetRange("7d", now)];
  const apps = ["jellyfin", "vaultwarden", "immich", "docker", "homeassistant"];

  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 15, days: 30, runsPerDay: 2500, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  /** The same figures, by SQL over the raw rows only. */
  function sqlFailingCommands(nsapp: string, r: Range): FailingCommands {
    const len = r.grain === "hour" ? 13 : 10;
    const where = `nsapp = @nsapp AND status = 'failed' AND substr(created, 1, ${len}) BETWEEN @from AND @to`;
    const args = { nsapp, from: r.from, to: r.to };
    const failed = (pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${where}`).get(args) as { n: number }).n;
    const groups = pb.db
      .prepare(
        `SELECT fail_line AS line, fail_command AS command, COUNT(*) AS n, MIN(substr(created, 1, ${len})) AS first, MAX(substr(created, 1, ${len})) AS last
         FROM ${RUNS} WHERE ${where} AND fail_command != '' GROUP BY 1, 2 ORDER BY n DESC, line, command`,
      )
      .all(args) as { line: number; command: string; n: number; first: string; last: string }[];
    const codes = pb.db
      .prepare(
        `SELECT fail_line AS line, fail_command AS command, exit_code, COUNT(*) AS n FROM ${RUNS} WHERE ${where} AND fail_command != '' GROUP BY 1, 2, 3 ORDER BY n DESC, exit_code`,
      )
      .all(args) as { line: number; command: string; exit_code: number; n: number }[];
    const commands = groups.map((g) => ({
      line: g.line,
      command: g.command,
      failed: g.n,
      share: g.n / failed,
      first_seen: r.grain === "hour" ? g.first.replace("T", " ") : g.first,
      last_seen: r.grain === "hour" ? g.last.replace("T", " ") : g.last,
      exit_codes: codes.filter((c) => c.line === g.line && c.command === g.command).map((c) => ({ exit_code: c.exit_code, failed: c.n })),
    }));
    return { nsapp, failed, with_command: commands.reduce((s, c) => s + c.failed, 0), commands };
  }

  async function expectEqualSql(label: string) {
    for (const nsapp of apps)
      for (const r of ranges) {
        const got = await queryFailingCommands(nsapp, r);
        const want = sqlFailingCommands(nsapp, r);
        // Ties in failures may come in either order: compare as sets, then the order of counts.
        expect(new Set(got.commands.map((c) => JSON.stringify(c))), `${label} ${nsapp} ${r.from}…${r.to}`).toEqual(new Set(want.commands.map((c) => JSON.stringify(c))));
        expect(got.commands.map((c) => c.failed)).toEqual(want.commands.map((c) => c.failed));
        expect([got.failed, got.with_command]).toEqual([want.failed, want.with_command]);
      }
  }

  it("stores, for every run, the signature its error text gives", () => {
    const rows = pb.db.prepare(`SELECT error, fail_line, fail_command FROM ${RUNS} WHERE error != ''`).all() as { error: string; fail_line: number; fail_command: string }[];
    expect(
      rows.filter((r) => JSON.stringify(signature.signatureColumns(r.error)) !== JSON.stringify({ fail_line: r.fail_line, fail_command: r.fail_command })).slice(0, 3),
    ).toEqual([]);
    expect(rows.filter((r) => r.fail_command).length).toBeGreaterThan(500);
  });

  it("equals SQL over the raw records for several apps and ranges", async () => {
    const jellyfin = await queryFailingCommands("jellyfin", ranges[0]!);
    expect(jellyfin.commands.length).toBeGreaterThan(1);
    expect(jellyfin.with_command).toBeGreaterThan(0);
    await expectEqualSql("seeded");
  });

  it("follows new failures, a PATCHed error, deletes and re-dated runs", async () => {
    // New failures through today's ingest, one with a command not seen before.
    for (let i = 0; i < 3; i++) {
      const answer = await postEvent(
        pb.url,
        JSON.stringify({
          random_id: `fc-${i}`,
          execution_id: `fc-${i}`,
          nsapp: "docker",
          type: "lxc",
          status: "failed",
          exit_code: 100,
          install_duration: 30,
          error: `exit_code=100 | APT: package manager error | at line 77: $STD apt-get install -y docker-ce=5:27.${i}.1 --host 10.0.0.${i}\n---\nE: broken`,
        }),
      );
      expect(answer.status).toBe(201);
    }
    // A records-API run ended by its PATCH, then its error corrected by a superuser.
    const created = await api(pb.url, RECORDS, {
      method: "POST",
      body: { random_id: "fc-records", type: "lxc", ct_type: 1, nsapp: "jellyfin", status: "installing", os_type: "debian", os_version: "13" },
    });
    expect(created.status).toBe(200);
    const id = String(created.body.id);
    expect(
      (
        await api(pb.url, `${RECORDS}/${id}`, {
          method: "PATCH",
          body: { status: "failed", exit_code: 22, error: "exit_code=22 | curl | at line 12: curl -fsSL https://x.org/a/b" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(pb.url, `${RECORDS}/${id}`, {
          method: "PATCH",
          token: pb.superuserToken,
          body: { error: "exit_code=22 | curl | at line 13: wget -q https://x.org/c/d" },
        })
      ).status,
    ).toBe(200);
    expect(pb.db.prepare(`SELECT fail_line, fail_command FROM ${RUNS} WHERE id = ?`).get(id)).toEqual({ fail_line: 13, fail_command: "wget -q https://…/d" });
    // Superuser deletes of some failures with a command, and SQL re-dating of others.
    const victims = pb.db.prepare(`SELECT id FROM ${RUNS} WHERE nsapp = 'jellyfin' AND status = 'failed' AND fail_command != '' ORDER BY id LIMIT 4`).all() as { id: string }[];
    for (const v of victims.slice(0, 2)) expect((await api(pb.url, `${RECORDS}/${v.id}`, { method: "DELETE", token: pb.superuserToken })).status).toBe(204);
    for (const v of victims.slice(2)) pb.db.prepare(`UPDATE ${T} SET created = ? WHERE id = ?`).run(`${addDays(today, -15)} 09:00:00.000Z`, v.id);
    pb.db
      .prepare(`UPDATE ${T} SET fail_command = 'rm -rf <tmp>', fail_line = 5 WHERE id = (SELECT id FROM ${RUNS} WHERE nsapp = 'immich' AND status = 'failed' ORDER BY id LIMIT 1)`)
      .run();
    const docker = await queryFailingCommands("docker", ranges[1]!);
    expect(docker.commands.find((c) => c.line === 77)).toMatchObject({ command: "$STD apt-get install -y docker-ce=<n>:<ver> --host <ip>", failed: 3 });
    await expectEqualSql("after writes");
    expectRollupsExact(pb.db);
  });
});
