/**
 * Install time by factor (issue 15): every figure of an app's breakdown by cores, RAM, method and
 * OS version equals SQL over the raw rows — n, nearest-rank p50 and p90 bucketed by a rule
 * written here, the rest's, and the rank-sum test recomputed from explicit mid-ranks of the raw
 * runs (not from the histograms) — for every repository selection, days and the 24-hour view
 * (its two calendar days), after inserts, updates of every column it reads and deletes. And the
 * demo's seeded truth is found: the core-bound app differs under Cores, one core slower.
 * Value labels come from lib/labels.ts and lib/duration-factors.ts (presentation, not figures).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factorDays, queryAppDurationFactors } from "../../lib/data/queries/duration-factors";
import { coresValue, type DurationFactor, FACTOR_FDR, methodValue, osValue, ramValue } from "../../lib/duration-factors";
import { benjaminiHochberg, normalSf } from "../../lib/insights/significance";
import { presetRange, type Range, withRepo } from "../../lib/range";
import { REPOS, type Repo } from "../../lib/repo";
import { CORE_BOUND_APP } from "../../scripts/lib/demo-model";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { rng } from "../support/random";
import { expectRollupsExact } from "../support/rollups";

const SOURCES: Record<Repo, string> = {
  official: "repo_source IN ('ProxmoxVE', '')",
  dev: "repo_source = 'ProxmoxVED'",
  fork: "repo_source = 'external'",
  all: "1 = 1",
};
const bucketOf = (s: number) => {
  const step = s < 120 ? 5 : s < 300 ? 10 : s < 600 ? 20 : s < 1200 ? 30 : s < 1800 ? 60 : s < 3600 ? 120 : s < 7200 ? 300 : 900;
  return Math.floor(s / step) * step;
};
const rank = (sorted: number[], p: number) => (sorted.length ? bucketOf(sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!) : null);
const side = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: rank(s, 50), p90: rank(s, 90) };
};

/** Two-sided rank-sum p from explicit mid-ranks of the bucketed runs (ties: a bucket). */
function rankSum(a: number[], b: number[]): number {
  const all = [...a.map((d) => ({ d: bucketOf(d), a: true })), ...b.map((d) => ({ d: bucketOf(d), a: false }))].sort((x, y) => x.d - y.d);
  const n = all.length;
  let ra = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && all[j]!.d === all[i]!.d) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]!.a) ra += mid;
    const t = j - i;
    ties += t ** 3 - t;
    i = j;
  }
  const u = ra - (a.length * (a.length + 1)) / 2;
  const variance = ((a.length * b.length) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return 1;
  return Math.min(1, 2 * normalSf(Math.max(0, Math.abs(u - (a.length * b.length) / 2) - 0.5) / Math.sqrt(variance)));
}

describe("install time by factor", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const r = rng(1515);
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 1515, days: 30, runsPerDay: 1500, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  }, 180_000);
  afterAll(async () => pb?.stop());

  /** Per factor and value: the raw durations of the app's timed successful runs. */
  function truth(nsapp: string, range: Range, repo: Repo) {
    const days = factorDays(range);
    const rows = pb.db
      .prepare(
        `SELECT core_count, ram_size, method, os_type, os_version, install_duration AS d FROM _dev_telemetry_data
         WHERE nsapp = ? AND execution_id != '' AND status IN ('sucess','success','done') AND substr(created, 1, 10) BETWEEN ? AND ? AND ${SOURCES[repo]}`,
      )
      .all(nsapp, days.from, days.to) as { core_count: number; ram_size: number; method: string; os_type: string; os_version: string; d: number }[];
    const by = new Map<DurationFactor, Map<string, number[]>>();
    const put = (f: DurationFactor, v: string, d: number) => {
      const m = by.get(f) ?? new Map<string, number[]>();
      m.set(v, [...(m.get(v) ?? []), d]);
      by.set(f, m);
    };
    for (const x of rows) {
      put("cores", coresValue(x.core_count), x.d);
      put("ram", ramValue(x.ram_size), x.d);
      put("method", methodValue(x.method), x.d);
      put("os", osValue(x.os_type, x.os_version), x.d);
    }
    return { all: rows.map((x) => x.d), by };
  }

  async function expectExact(nsapp: string, range: Range, repo: Repo) {
    const want = truth(nsapp, range, repo);
    const got = await queryAppDurationFactors(nsapp, withRepo(range, repo));
    const label = `${nsapp} ${repo} ${range.from}…${range.to}`;
    expect(got.overall, label).toEqual(side(want.all));
    const tested: { factor: string; value: string; p: number }[] = [];
    for (const f of got.factors) {
      const values = want.by.get(f.factor) ?? new Map<string, number[]>();
      expect(f.values.map((v) => v.value).sort(), label).toEqual([...values.keys()].sort());
      for (const v of f.values) {
        const mine = values.get(v.value)!;
        const rest = [...values].filter(([k]) => k !== v.value).flatMap(([, xs]) => xs);
        expect(v.success, `${label} ${f.factor} ${v.value}`).toEqual(side(mine));
        expect(v.rest, `${label} ${f.factor} ${v.value} rest`).toEqual(side(rest));
        if (mine.length >= 10 && rest.length >= 10) tested.push({ factor: f.factor, value: v.value, p: rankSum(mine, rest) });
        else expect(v.p_adjusted).toBeNull();
      }
    }
    expect(got.tested, label).toBe(tested.length);
    const q = benjaminiHochberg(tested.map((t) => t.p));
    for (const [i, t] of tested.entries()) {
      const v = got.factors.find((f) => f.factor === t.factor)!.values.find((x) => x.value === t.value)!;
      expect(v.p_adjusted, `${label} ${t.factor} ${t.value}`).toBeCloseTo(q[i]!, 9);
      if (q[i]! > FACTOR_FDR) expect(v.differs).toBe(false);
    }
    return { got, want };
  }

  function busiest(count: number): string[] {
    const rows = pb.db.prepare("SELECT nsapp FROM _dev_telemetry_data WHERE execution_id != '' GROUP BY nsapp ORDER BY COUNT(*) DESC, nsapp LIMIT ?").all(count) as {
      nsapp: string;
    }[];
    return rows.map((x) => x.nsapp);
  }

  const ranges = () => [presetRange("30d", now), presetRange("7d", now), presetRange("24h", now)];

  it("equals SQL over the raw rows for every repository, over days and the 24-hour view's two days", async () => {
    const apps = [...new Set([CORE_BOUND_APP.nsapp, ...busiest(4), "no-such-app"])];
    let values = 0;
    for (const range of ranges())
      for (const repo of REPOS) for (const nsapp of apps) values += (await expectExact(nsapp, range, repo)).got.factors.reduce((s, f) => s + f.values.length, 0);
    expect(values).toBeGreaterThan(200);
  });

  it("finds the seeded core-bound app: Cores differs, one core over twice as slow as the rest", async () => {
    const { got } = await expectExact(CORE_BOUND_APP.nsapp, presetRange("30d", now), "official");
    const cores = got.factors.find((f) => f.factor === "cores")!;
    expect(cores.differs).toBe(true);
    const one = cores.values.find((v) => v.value === coresValue(CORE_BOUND_APP.cores))!;
    expect(one.differs).toBe(true);
    expect(one.ratio!).toBeGreaterThan(2);
    expect(one.success.n).toBeGreaterThan(100);
    // An app without the seeded effect has cores only mildly faster ((2/c)^0.35): never a difference of this size.
    expect(one.p_adjusted!).toBeLessThan(1e-6);
  });

  it("stays exact after inserts, updates of every column it reads, and deletes", async () => {
    const apps = [CORE_BOUND_APP.nsapp, ...busiest(2)];
    const ids = (pb.db.prepare("SELECT id FROM _dev_telemetry_data WHERE created >= ? AND nsapp IN (?, ?, ?)").all(presetRange("7d", now).from, ...apps) as { id: string }[]).map(
      (x) => x.id,
    );
    const at = (ms: number) => new Date(ms).toISOString().replace("T", " ");
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, execution_id, type, nsapp, status, install_duration, repo_source, core_count, ram_size, method, os_type, os_version, created, updated)
       VALUES (?, ?, ?, 'lxc', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const cols: [string, () => unknown][] = [
      ["install_duration", () => r.pick([0, 59, 120, 600, 1800, r.int(3600)])],
      ["repo_source", () => r.pick(["ProxmoxVE", "ProxmoxVED", "external", ""])],
      ["status", () => r.pick(["success", "failed", "aborted"])],
      ["execution_id", () => r.pick(["", `re-${r.int(1e6)}`])],
      ["created", () => at(Date.now() - r.int(40 * 24) * 3_600_000)],
      ["nsapp", () => r.pick([...apps, "x-moved"])],
      ["core_count", () => r.pick([0, 1, 2, 4, 8])],
      ["ram_size", () => r.pick([0, 512, 1024, 2048, 3000])],
      ["method", () => r.pick(["", "default", "advanced", "n.d."])],
      ["os_type", () => r.pick(["", "debian", "ubuntu", "alpine"])],
      ["os_version", () => r.pick(["", "12", "13", "2404", "24.04"])],
    ];
    pb.db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        const created = at(Date.now() - r.int(6 * 24) * 3_600_000);
        const exec = `fx-${i}`;
        insert.run(
          `fct${String(i).padStart(12, "0")}`,
          exec,
          exec,
          r.pick(apps),
          r.pick(["success", "sucess", "failed", "installing"]),
          r.pick([30, 300, 900, 2400, r.int(4000)]),
          r.pick(["ProxmoxVE", "ProxmoxVED", "external", ""]),
          r.pick([1, 2, 4]),
          r.pick([512, 2048]),
          r.pick(["default", "advanced"]),
          r.pick(["debian", "ubuntu"]),
          r.pick(["13", "2404"]),
          created,
          created,
        );
      }
      for (let i = 0; i < 500; i++) {
        const [col, value] = r.pick(cols);
        pb.db.prepare(`UPDATE _dev_telemetry_data SET ${col} = ? WHERE id = ?`).run(value(), r.pick(ids));
      }
      const del = pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id = ?");
      for (let i = 0; i < 200; i++) del.run(r.pick(ids));
    })();
    expectRollupsExact(pb.db);
    for (const range of ranges()) for (const repo of REPOS) for (const nsapp of [...apps, "x-moved"]) await expectExact(nsapp, range, repo);
  });
});
