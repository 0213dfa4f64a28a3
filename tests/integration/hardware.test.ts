/**
 * Hardware and platform (issue 15): per app and over all apps, every value's runs, share,
 * outcomes, failure rate, interval and n equal SQL over the raw records (the normalisation
 * written out here by hand: lower case, blanks trimmed, empty = not reported) — on generated
 * data, and still after new runs through POST /telemetry, an older-protocol run through the
 * records API, SQL updates that write odd case and blanks, superuser deletes and re-dating.
 * The seeded GPU-only failure is found as a trait ("with a discrete GPU passed through") and no
 * hardware trait is found for any other app of the seeded data.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HardwareBreakdown, queryAppHardware, queryHardware } from "../../lib/data/queries/hardware";
import { queryAppInsights } from "../../lib/data/queries/insights";
import { HARDWARE_DIMENSIONS } from "../../lib/hardware";
import { findAppInsights } from "../../lib/insights/find-rates";
import type { InsightsSource, KeyedTotals, KeyFilter, Span } from "../../lib/insights/source";
import type { DailyRollup } from "../../lib/rollups/spec";
import { customRange, presetRange, type Range } from "../../lib/range";
import type { RunType } from "../../lib/run-type";
import { wilson } from "../../lib/stats";
import { addDays, utcDay } from "../../lib/time";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { GPU_FAILURE_APP } from "../../scripts/lib/demo-model";
import { generateRows } from "../../scripts/lib/generate";
import { memorySource } from "../../scripts/lib/memory-source";
import { postEvent } from "../support/ingest";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const T = "_dev_telemetry_data";
/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();
const OUTCOMES = `SUM(status IN ('sucess', 'success', 'done')) AS success, SUM(status = 'failed') AS failed, SUM(status = 'aborted') AS aborted,
  SUM(status = 'installing') AS installing, COUNT(*) AS runs`;
const HARDWARE_TRAITS = new Set<string>(HARDWARE_DIMENSIONS);

/** A source whose totals and bucket rows are computed once per rollup and span, then filtered by key. */
function onceEach(source: InsightsSource): InsightsSource {
  const memo = new Map<string, Promise<KeyedTotals[]>>();
  const matches = (r: KeyedTotals, filter?: KeyFilter) => Object.entries(filter ?? {}).every(([k, vs]) => (vs as readonly (string | number)[]).includes(r[k] as string | number));
  const all = <R extends KeyedTotals>(kind: string, rollup: DailyRollup, span: Span, read: () => Promise<R[]>) => {
    const id = `${kind} ${rollup} ${span.from} ${span.to}`;
    if (!memo.has(id)) memo.set(id, read());
    return memo.get(id) as Promise<R[]>;
  };
  return {
    series: (rollup, span, minFailed, filter) => source.series(rollup, span, minFailed, filter),
    totals: async (rollup, span, filter) => (await all("t", rollup, span, () => source.totals(rollup, span))).filter((r) => matches(r, filter)),
    bucketRows: async (rollup, span, filter) => (await all("b", rollup, span, () => source.bucketRows(rollup, span, {}))).filter((r) => matches(r, filter)),
  };
}

describe("hardware and platform", () => {
  let pb: TestPocketBase;
  // A fixed end: the same runs every time (the seeded truth is about this data, not a lucky draw).
  const now = new Date("2026-11-30T12:00:00Z");
  const today = utcDay(now);
  const gen = { seed: 15, days: 30, runsPerDay: 2500, end: now };
  // The hourly rollups keep the last 72 hours of the clock: the 24-hour range is today's (the
  // runs this test sends), the others the fixed data's; "7d" today's also holds the new runs.
  const ranges: Range[] = [presetRange("30d", now), customRange(addDays(today, -20), addDays(today, -14)), presetRange("24h", new Date()), presetRange("7d", new Date())];
  const apps = [GPU_FAILURE_APP.nsapp, "jellyfin", "docker", "post-pve-install", "haos-vm"];

  beforeAll(async () => {
    pb = await startTestPocketBase({ seed: (dir) => insertRows(join(dir, "data.db"), generateRows(gen), { maintainRollups: false }) });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  /** The same figures by SQL over the raw rows only. */
  function sqlHardware(r: Range, where: { nsapp?: string; type?: RunType | null }): HardwareBreakdown {
    const len = r.grain === "hour" ? 13 : 10;
    const cond = [`substr(created, 1, ${len}) BETWEEN @from AND @to`, ...(where.nsapp ? ["nsapp = @nsapp"] : []), ...(where.type ? ["type = @type"] : [])].join(" AND ");
    const args = { from: r.from, to: r.to, nsapp: where.nsapp ?? "", type: where.type ?? "" };
    const total = (pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${cond}`).get(args) as { n: number }).n;
    const values = HARDWARE_DIMENSIONS.flatMap((dimension) =>
      (
        pb.db.prepare(`SELECT LOWER(TRIM(COALESCE(${dimension}, ''))) AS value, ${OUTCOMES} FROM ${RUNS} WHERE ${cond} GROUP BY 1`).all(args) as {
          value: string;
          success: number;
          failed: number;
          aborted: number;
          installing: number;
          runs: number;
        }[]
      ).map((v) => {
        const decided = v.success + v.failed;
        const w = wilson(v.failed, decided);
        return {
          dimension,
          ...v,
          unknown: v.runs - v.success - v.failed - v.aborted - v.installing,
          share: v.runs / total,
          decided,
          failure_rate: w?.rate ?? null,
          failure_low: w?.low ?? null,
          failure_high: w?.high ?? null,
        };
      }),
    );
    return { nsapp: where.nsapp ?? null, runs: total, values };
  }

  const byKey = (b: HardwareBreakdown) => new Map(b.values.map((v) => [`${v.dimension}=${v.value}`, v]));

  async function expectEqualSql(label: string) {
    for (const r of ranges) {
      const checks: [string, HardwareBreakdown, HardwareBreakdown][] = [
        ...(await Promise.all(apps.map(async (nsapp) => [nsapp, await queryAppHardware(nsapp, r), sqlHardware(r, { nsapp })] as [string, HardwareBreakdown, HardwareBreakdown]))),
        ["all", await queryHardware(r, null), sqlHardware(r, {})],
        ["all lxc", await queryHardware(r, "lxc"), sqlHardware(r, { type: "lxc" })],
      ];
      for (const [what, got, want] of checks) {
        const g = byKey(got);
        const w = byKey(want);
        expect(got.runs, `${label} ${what} ${r.from}…${r.to}`).toBe(want.runs);
        expect([...g.keys()].sort(), `${label} ${what} ${r.from}…${r.to}`).toEqual([...w.keys()].sort());
        for (const [k, v] of w) {
          const o = g.get(k)!;
          expect({ ...o, share: 0, failure_low: 0, failure_high: 0 }, `${label} ${what} ${k}`).toEqual({ ...v, share: 0, failure_low: 0, failure_high: 0 });
          for (const f of ["share", "failure_low", "failure_high"] as const) expect(o[f] ?? -1, `${label} ${what} ${k} ${f}`).toBeCloseTo(v[f] ?? -1, 12);
        }
        // Each dimension's values partition the runs: the older protocol's are "not reported", never dropped.
        for (const d of HARDWARE_DIMENSIONS) expect(got.values.filter((v) => v.dimension === d).reduce((n, v) => n + v.runs, 0)).toBe(got.runs);
      }
    }
  }

  it("equals SQL over the raw records per app and over all apps, the older protocol counted as not reported", async () => {
    const all = await queryHardware(ranges[0]!, null);
    expect(all.values.find((v) => v.dimension === "gpu_passthrough" && v.value === "")!.runs).toBeGreaterThan(1000);
    expect(all.values.find((v) => v.dimension === "gpu_passthrough" && v.value === "dgpu")!.runs).toBeGreaterThan(100);
    await expectEqualSql("seeded");
  });

  it("finds the seeded GPU-only failure, and no hardware trait for any other app", async () => {
    const range = presetRange("30d", now);
    const found = await queryAppInsights(GPU_FAILURE_APP.nsapp, range);
    const dgpu = found.unusual.find((c) => c.dimension === "gpu_passthrough");
    expect(dgpu?.key ?? dgpu).toBe(GPU_FAILURE_APP.passthrough);
    expect(dgpu?.sentence).toMatch(/^Fails [\d.]+× more often with a discrete GPU passed through: /);
    // Every app of the same data: the in-memory rollups (exact like the stored ones: insights.test.ts),
    // each rollup's totals read once and narrowed to the app here (per app they would be re-summed).
    const source = onceEach(memorySource(generateRows(gen), now));
    const names = (pb.db.prepare(`SELECT DISTINCT nsapp FROM ${RUNS} ORDER BY 1`).all() as { nsapp: string }[]).map((r) => r.nsapp);
    const withTrait: string[] = [];
    for (const nsapp of names) {
      const insights = await findAppInsights(source, nsapp, range, now);
      for (const c of insights.unusual) if (HARDWARE_TRAITS.has(c.dimension)) withTrait.push(`${nsapp}: ${c.sentence}`);
    }
    expect(names.length).toBeGreaterThan(200);
    // The GPU app's traits are its GPU: passthrough, and the GPU vendor that comes with it.
    expect(withTrait.filter((t) => !t.startsWith(`${GPU_FAILURE_APP.nsapp}:`))).toEqual([]);
    expect(withTrait).toContain(`${GPU_FAILURE_APP.nsapp}: ${dgpu?.sentence}`);
  });

  it("follows new runs, an older-protocol run, odd case and blanks, deletes and re-dated runs", async () => {
    for (let i = 0; i < 3; i++) {
      const base = { random_id: `hw-${i}`, execution_id: `hw-${i}`, nsapp: "docker", type: "lxc", install_duration: 30 };
      const hw = { gpu_passthrough: "vgpu", gpu_vendor: "nvidia", cpu_vendor: "amd", arch: "arm64", platform: "pimox" };
      expect((await postEvent(pb.url, JSON.stringify({ ...base, ...hw, status: i ? "failed" : "success", exit_code: i ? 1 : 0 }))).status).toBe(201);
    }
    // An older-protocol run: POST, then PATCH its outcome; it reports no hardware.
    const created = await api(pb.url, RECORDS, { method: "POST", body: { random_id: "hw-records", type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" } });
    expect(created.status).toBe(200);
    expect((await api(pb.url, `${RECORDS}/${created.body.id}`, { method: "PATCH", body: { status: "failed", exit_code: 1 } })).status).toBe(200);
    // Rows written by SQL (an import): odd case and blanks are one value with the reported ones.
    const some = (where: string, n: number) => (pb.db.prepare(`SELECT id FROM ${RUNS} WHERE ${where} ORDER BY id LIMIT ${n}`).all() as { id: string }[]).map((r) => r.id);
    for (const id of some("nsapp = 'jellyfin' AND gpu_vendor = 'intel'", 3)) pb.db.prepare(`UPDATE ${T} SET gpu_vendor = ' Intel ', arch = 'AMD64' WHERE id = ?`).run(id);
    for (const id of some("nsapp = 'jellyfin' AND gpu_vendor != ''", 2)) pb.db.prepare(`UPDATE ${T} SET gpu_passthrough = '   ' WHERE id = ?`).run(id);
    // Superuser deletes and re-dated runs.
    const victims = some(`nsapp = '${GPU_FAILURE_APP.nsapp}' AND gpu_passthrough = 'dgpu'`, 4);
    for (const id of victims.slice(0, 2)) expect((await api(pb.url, `${RECORDS}/${id}`, { method: "DELETE", token: pb.superuserToken })).status).toBe(204);
    for (const id of victims.slice(2)) pb.db.prepare(`UPDATE ${T} SET created = ? WHERE id = ?`).run(`${addDays(today, -15)} 09:00:00.000Z`, id);

    const docker = byKey(await queryAppHardware("docker", presetRange("24h", new Date())));
    expect(docker.get("platform=pimox")).toMatchObject({ runs: 3, success: 1, failed: 2, decided: 3 });
    await expectEqualSql("after writes");
    expectRollupsExact(pb.db);
  });
});
