/**
 * `npm run import` (scripts/import.ts) into a real PocketBase: record pages exported from one
 * PocketBase arrive whole in another, the upstream service's /api/records pages arrive as runs,
 * a second import adds nothing, every skip has its reason, and the rollups stay exact — with
 * the target PocketBase serving meanwhile.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import type { TelemetryRow } from "../../scripts/lib/telemetry-row";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const ROOT = join(import.meta.dirname, "..", "..");
const now = new Date();

/** Runs the CLI from `cwd`, where its default rejects file goes. */
function runImport(dataDir: string, files: string[], cwd = tmpdir()) {
  const res = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "import.ts"), "--dir", dataDir, ...files], { encoding: "utf8", cwd });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** How the upstream service answers /api/records for a stored run (TelemetryOut, omitempty). */
function upstreamRecord(r: TelemetryRow): Record<string, unknown> {
  const ch = (pb: string) => pb.replace("Z", ""); // ClickHouse's toString(DateTime64(3)), UTC
  const steps = r.phase ? [{ s: "installing", t: ch(r.created) }, ...(r.phase !== "installing" ? [{ s: r.phase, t: ch(r.created) }] : [])] : [];
  if (r.status !== "installing") steps.push({ s: r.status, t: ch(r.updated) });
  // A run still going shows its latest progress status (upstream ranks configuring above installing).
  const status = r.status === "installing" ? r.phase || "installing" : r.status;
  const full: Record<string, unknown> = { ...r, status, ram_speed: r.ram_speed ? String(r.ram_speed) : "", pipeline: JSON.stringify(steps), created: ch(r.updated) };
  delete full.id;
  delete full.updated;
  delete full.phase;
  return Object.fromEntries(Object.entries(full).filter(([, v]) => v !== "" && v !== 0 && v !== false));
}

describe("npm run import", () => {
  let source: TestPocketBase;
  let target: TestPocketBase;
  const scratch = mkdtempSync(join(tmpdir(), "import-"));
  beforeAll(async () => {
    // 30 days: records-API runs and runs of today's protocol.
    source = await startTestPocketBase({
      seed: (dir) => void insertRows(join(dir, "data.db"), generateRows({ seed: 21, days: 30, runsPerDay: 80, end: now }), { maintainRollups: false }),
    });
    target = await startTestPocketBase();
  });
  afterAll(async () => {
    await source?.stop();
    await target?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const all = (pb: TestPocketBase) => pb.db.prepare("SELECT * FROM _dev_telemetry_data ORDER BY id").all();

  it("loads PocketBase record pages exported by a superuser, every column as it was, and adds nothing the second time", async () => {
    const files: string[] = [];
    for (let page = 1; ; page++) {
      const res = await api(source.url, `${RECORDS}?perPage=500&page=${page}&sort=created`, { token: source.superuserToken });
      const file = join(scratch, `pocketbase-${page}.json`);
      writeFileSync(file, JSON.stringify(res.body));
      files.push(file);
      if (page >= Number(res.body.totalPages)) break;
    }
    const first = runImport(target.dataDir, files);
    expect(first.code, first.err).toBe(0);
    const total = (source.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n;
    expect(first.out).toContain(`imported ${total.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} records`);
    expect(first.err).toMatch(/100\.0%/); // progress
    expect(all(target)).toEqual(all(source));
    expectRollupsExact(target.db);
    const again = runImport(target.dataDir, files);
    expect(again.out).toContain(`imported 0 of ${total.toLocaleString("en-US")} records`);
    expect(again.out).toMatch(/already stored/);
    expect(again.out).not.toMatch(/refused record/); // duplicates are not rejects
    expect(all(target)).toEqual(all(source));
  });

  it("loads the upstream service's /api/records pages as runs, NDJSON too, skipping with reasons", async () => {
    const rows = [...generateRows({ seed: 22, days: 3, runsPerDay: 60, end: now })];
    const records = rows.map(upstreamRecord);
    const odd = [
      { ...records[0], nsapp: "Bad Name" }, // refused as POST /telemetry refuses it
      { ...records[1] }, // the same execution twice
      { random_id: "x", nsapp: "docker", type: "lxc", status: "failed" }, // no created
      { ...records[2], execution_id: "odd-1", random_id: "odd-1", status: "failed", exit_code: undefined, error: "from 172.16.0.9" }, // failed with 0
    ];
    const pages = [records.slice(0, 100), records.slice(100), odd].map((page, i) => ({ records: page, page: i + 1, limit: 100, total: records.length, total_pages: 3 }));
    const json = join(scratch, "upstream-1.json");
    writeFileSync(json, JSON.stringify(pages[0]));
    const ndjson = join(scratch, "upstream-rest.ndjson");
    writeFileSync(ndjson, `${JSON.stringify(pages[1])}\n${JSON.stringify(pages[2])}\nnot json\n`);
    const before = (target.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n;
    const here = mkdtempSync(join(scratch, "cwd-"));
    const res = runImport(target.dataDir, [json, ndjson], here);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(new RegExp(`imported ${rows.length + 1} of ${rows.length + odd.length + 1} records`));
    expect(res.out).toMatch(/1 × nsapp must be a script name/);
    expect(res.out).toMatch(/1 × the same run appears earlier in the input/);
    expect(res.out).toMatch(/1 × created is missing/);
    expect(res.out).toMatch(/1 × not JSON \(first: .*upstream-rest\.ndjson:3\)/);
    expect((target.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n).toBe(before + rows.length + 1);
    // Each run as its events would have stored it: dated at its first step, its last phase.
    const stored = (id: string) => target.db.prepare("SELECT * FROM _dev_telemetry_data WHERE execution_id = ? AND execution_id != ''").get(id) as Record<string, unknown>;
    // A run without progress steps (host tools) is dated by its whole seconds of duration.
    const ms = (t: unknown) => Date.parse(String(t).replace(" ", "T"));
    const differences = rows.flatMap((r) => {
      const got = stored(r.execution_id);
      const { id: _id, created, ...want } = r;
      const keys = Object.entries(want).filter(([k, v]) => got[k] !== (typeof v === "boolean" ? Number(v) : v));
      if (Math.abs(ms(got.created) - ms(created)) >= 1000) keys.push(["created", created]);
      return keys.map(([k, v]) => ({ run: r.execution_id, column: k, want: v, got: got[k] }));
    });
    expect(differences.slice(0, 5)).toEqual([]);
    expect(stored("odd-1")).toMatchObject({ status: "unknown", error: "from x.x.x.x" });
    expectRollupsExact(target.db);

    // Nothing refused is lost: each refused record is in the rejects file with its reason and
    // place, as a page of its kind; fixed there, the file imports like any other.
    const [rejectsName, ...others] = readdirSync(here);
    expect(others).toEqual([]);
    expect(res.out).toContain(`3 refused record(s), each with its reason, are in ${join(here, rejectsName!)}`);
    const rejects = readFileSync(join(here, rejectsName!), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown> & { records: Record<string, unknown>[] });
    expect(rejects.map((r) => [r.refused, r.from, r.records.length, r.line])).toEqual([
      [expect.stringMatching(/^nsapp must be a script name/), `${ndjson}:2.records[0]`, 1, undefined],
      ["created is missing or not a time", `${ndjson}:2.records[2]`, 1, undefined],
      ["not JSON", `${ndjson}:3`, 0, "not json"],
    ]);
    expect(rejects[0]!.records[0]).toEqual(odd[0]);
    rejects[0]!.records[0]!.nsapp = "jellyfin";
    rejects[1]!.records[0]!.created = "2026-11-30 10:00:00.000";
    const fixed = join(scratch, "fixed.ndjson");
    writeFileSync(fixed, `${rejects.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const refix = runImport(target.dataDir, [fixed], here);
    expect(refix.out).toContain("imported 1 of 2 records");
    expect(refix.out).toMatch(/1 × already stored/); // the first was the same execution as records[0]
    // Without an execution id the run is keyed by its random_id, as POST /telemetry keys it.
    expect(target.db.prepare("SELECT nsapp, status, created FROM _dev_telemetry_data WHERE random_id = 'x'").all()).toEqual([
      { nsapp: "docker", status: "unknown", created: "2026-11-30 10:00:00.000Z" }, // failed with no exit code: 0, no verdict
    ]);
    expectRollupsExact(target.db);
    // The target served all along: its figures come from the rollups the triggers kept.
    expect((await api(target.url, "/api/health")).status).toBe(200);
  });

  it("explains bad arguments and unreadable input", () => {
    expect(runImport(target.dataDir, []).code).toBe(2);
    expect(runImport(target.dataDir, [join(scratch, "nope.json")]).code).toBe(1);
    const out = join(scratch, "no-such-dir", "rejects.ndjson");
    const bad = join(scratch, "bad.ndjson");
    writeFileSync(bad, "{oops\n");
    const unwritable = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "import.ts"), "--dir", target.dataDir, "--rejects", out, bad], {
      encoding: "utf8",
    });
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toMatch(/import: .*no-such-dir/);
    expect(existsSync(out)).toBe(false);
  });
});
