/**
 * The insights on a real PocketBase seeded with the generator: every seeded event is found with
 * start and end within one bucket and its cause named, healthy apps raise (almost) no alarms,
 * and every figure the functions return equals SQL over the raw records.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCategory, isOutsideScriptControl } from "../../lib/exit-codes";
import { findInsights } from "../../lib/insights/find-insights";
import { findAppInsights } from "../../lib/insights/find-rates";
import { failingCommandSentence } from "../../lib/insights/find-regressions";
import { windowSpan } from "../../lib/insights/scan-series";
import { publicClient } from "../../lib/data/pocketbase";
import { pocketbaseSource } from "../../lib/data/queries/insights-source";
import { queryAppInsights, queryFailureOverview, queryIncidents, queryRateChanges, queryRegressionsAndIncidents, type Insights } from "../../lib/data/queries/insights";
import { previousRange, presetRange, rangeBounds } from "../../lib/range";
import { bucketStart, nextBucket } from "../../lib/time";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { DEMO_EVENTS, eventTruth } from "../../scripts/lib/demo-events";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { generateRows, type GenerateOptions } from "../../scripts/lib/generate";
import { eventOk, scoreInsights } from "../../scripts/lib/insights-score";
import { memorySource } from "../../scripts/lib/memory-source";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { METHOD_LABEL_SQL, OS_FULL_LABEL_SQL, PVE_LABEL_SQL } from "../support/labels";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const SUCCESS = "status IN ('sucess','success','done')";
const now = new Date();
/** 30 days at 6,000 runs a day: twice the end-to-end volume, so detection is not left to luck. */
const GEN: GenerateOptions = { seed: 2026, days: 30, runsPerDay: 6000, end: now };
const range = presetRange("30d", now);

describe("insights", () => {
  let pb: TestPocketBase;
  let insights: Insights;
  beforeAll(async () => {
    pb = await startTestPocketBase({ seed: (dir) => insertRows(join(dir, "data.db"), generateRows(GEN), { maintainRollups: false }) });
    pb.useForDataLayer();
    insights = await queryRegressionsAndIncidents(range, now);
  });
  afterAll(async () => pb?.stop());

  let memory: ReturnType<typeof memorySource> | undefined;
  /** The same rows in the in-memory rollups the benchmark uses (built once). */
  const inMemory = () => (memory ??= memorySource(generateRows(GEN), now));

  /** [start, end) of buckets first…last as PocketBase timestamps. */
  const between = (first: string, last: string) => ({ start: bucketStart(first), end: bucketStart(nextBucket(last)) });
  const count = (where: string, args: Record<string, string | number>) =>
    pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE created >= @start AND created < @end AND ${where}`).get(args) as { n: number };
  const outcomes = (where: string, args: Record<string, string | number>) =>
    pb.db
      .prepare(
        `SELECT COALESCE(SUM(status = 'failed'), 0) AS failed, COALESCE(SUM(${SUCCESS} OR status = 'failed'), 0) AS decided FROM ${RUNS} WHERE created >= @start AND created < @end AND ${where}`,
      )
      .get(args) as { failed: number; decided: number };

  it("finds every seeded event, with start and end within one bucket and its code and trait named", () => {
    const score = scoreInsights(eventTruth(now), insights.regressions, insights.incidents);
    expect(score.events.filter((e) => !eventOk(e))).toEqual([]);
    expect(score.events).toHaveLength(DEMO_EVENTS.length);
  });

  it("raises no alarm about healthy apps", () => {
    const score = scoreInsights(eventTruth(now), insights.regressions, insights.incidents);
    expect(score.falseRegressions.map((r) => `${r.nsapp} ${r.start}`)).toEqual([]);
    expect(score.falseIncidents).toEqual([]);
  });

  it("the incident alone (queryIncidents) is the same incident", async () => {
    expect(await queryIncidents(range, now)).toEqual(insights.incidents);
  });

  it("counts each regression's window, exit codes and environment as SQL does", () => {
    const described = insights.regressions.filter((r) => r.described);
    expect(described.length).toBeGreaterThanOrEqual(6);
    for (const r of described) {
      const window = { ...between(r.start, r.last), app: r.nsapp };
      expect([r.failed, r.decided], r.nsapp).toEqual(Object.values(outcomes("nsapp = @app", window)));
      expect(r.rate).toBeCloseTo(r.failed / r.decided, 12);
      if (r.incident) continue; // codes come from the incident, checked below
      const span = windowSpan(r);
      const details = { ...between(span.from, span.to), app: r.nsapp };
      for (const c of r.exit_codes)
        expect(count("nsapp = @app AND status = 'failed' AND exit_code = @code", { ...details, code: c.exit_code }).n, `${r.nsapp} ${c.exit_code}`).toBe(c.failed);
      for (const e of r.environment) {
        const where =
          e.dimension === "os"
            ? `nsapp = @app AND ${OS_FULL_LABEL_SQL} = @v`
            : e.dimension === "pve"
              ? `nsapp = @app AND (${PVE_LABEL_SQL} = @v OR ${PVE_LABEL_SQL} LIKE @v || '.%')`
              : `nsapp = @app AND ${METHOD_LABEL_SQL} = @v`;
        expect(Object.values(outcomes(where, { ...details, v: e.value })), `${r.nsapp} ${e.dimension} ${e.value}`).toEqual([e.failed, e.decided]);
      }
    }
  });

  it("names the command most of a regression's failures failed at, as SQL counts it — the seeded ones' own commands", () => {
    const described = insights.regressions.filter((r) => r.described && !r.incident);
    for (const r of described) {
      const span = windowSpan(r);
      const window = { ...between(span.from, span.to), app: r.nsapp };
      const rows = pb.db
        .prepare(
          `SELECT fail_line AS line, fail_command AS command, COUNT(*) AS n FROM ${RUNS} WHERE created >= @start AND created < @end AND nsapp = @app AND status = 'failed' GROUP BY 1, 2 ORDER BY n DESC, line`,
        )
        .all(window) as { line: number; command: string; n: number }[];
      const total = rows.reduce((s, x) => s + x.n, 0);
      const top = rows.find((x) => x.command !== "");
      const want = top && top.n * 2 > total ? { line: top.line, command: top.command, failed: top.n, share: top.n / total } : null;
      expect(r.failing_command, r.nsapp).toEqual(want);
    }
    for (const e of DEMO_EVENTS) {
      if (e.kind !== "regression" || !e.command) continue;
      const found = insights.regressions.find((r) => r.nsapp === e.nsapp && r.described);
      expect(found?.failing_command, e.id).toMatchObject({ line: e.command.line, command: signature.normaliseCommand(e.command.command) });
      expect(failingCommandSentence(found!)).toMatch(/^Since \d{4}-\d{2}-\d{2} mostly `/);
    }
  });

  it("counts the incident's failures per app as SQL does", () => {
    const [i] = insights.incidents;
    expect(i).toBeDefined();
    const window = { ...between(i!.start, i!.last), code: i!.exit_code! };
    expect(count("status = 'failed' AND exit_code = @code", window).n).toBe(i!.failed);
    for (const a of i!.apps) expect(count("nsapp = @app AND status = 'failed' AND exit_code = @code", { ...window, app: a.nsapp }).n, a.nsapp).toBe(a.failed);
    // Its apps' regressions name it instead of reading their own windows.
    const members = insights.regressions.filter((r) => r.incident);
    expect(members.length).toBeGreaterThanOrEqual(5);
    expect(members.every((r) => r.incident!.exit_code === i!.exit_code && i!.apps.some((a) => a.nsapp === r.nsapp))).toBe(true);
  });

  it("reads hundreds of apps at once in chunks (PocketBase caps a filter's length)", async () => {
    const apps = (pb.db.prepare(`SELECT DISTINCT nsapp FROM ${RUNS} ORDER BY nsapp`).all() as { nsapp: string }[]).map((r) => r.nsapp);
    expect(apps.length).toBeGreaterThan(300);
    const rows = await pocketbaseSource(publicClient(), "official").totals("stats_app", range, { nsapp: [...apps, "no-such-app"] });
    const { start, end } = rangeBounds(range);
    expect(rows.reduce((s, r) => s + r.failed, 0)).toBe(count("status = 'failed'", { start, end }).n);
  });

  it("finds the same with the in-memory rollups the benchmark uses", async () => {
    expect(await findInsights(inMemory(), range, now)).toEqual(insights);
  });

  /** Failures and decided runs per bucket, and failures outside the script's control, by SQL. */
  function sqlRates(where: string, args: Record<string, string | number>) {
    const { start, end } = rangeBounds(range);
    const rows = pb.db
      .prepare(
        `SELECT substr(created, 1, 10) AS day, exit_code, COUNT(*) AS runs, SUM(status = 'failed') AS failed, SUM(${SUCCESS} OR status = 'failed') AS decided
         FROM ${RUNS} WHERE created >= @start AND created < @end AND ${where} GROUP BY 1, 2`,
      )
      .all({ ...args, start, end }) as { day: string; exit_code: number; runs: number; failed: number; decided: number }[];
    const perDay = new Map<string, { runs: number; failed: number; decided: number; outside: number }>();
    for (const r of rows) {
      const d = perDay.get(r.day) ?? { runs: 0, failed: 0, decided: 0, outside: 0 };
      d.runs += r.runs;
      d.failed += r.failed;
      d.decided += r.decided;
      if (isOutsideScriptControl(errorCategory(r.exit_code, r.day))) d.outside += r.failed;
      perDay.set(r.day, d);
    }
    return perDay;
  }

  for (const nsapp of [null, "nginxproxymanager", "alpine", "homeassistant"]) {
    it(`gives ${nsapp ?? "all runs"}' failure rate over time, actionable rate and categories as SQL does`, async () => {
      const o = nsapp ? await queryAppInsights(nsapp, range) : await queryFailureOverview(range);
      const sql = nsapp ? sqlRates("nsapp = @app", { app: nsapp }) : sqlRates("1", {});
      expect(o.series).toHaveLength(30);
      for (const p of o.series) {
        const d = sql.get(p.bucket) ?? { runs: 0, failed: 0, decided: 0, outside: 0 };
        expect([p.runs, p.failed, p.decided, p.outside_failed, p.actionable_failed, p.actionable_decided], p.bucket).toEqual([
          d.runs,
          d.failed,
          d.decided,
          d.outside,
          d.failed - d.outside,
          d.decided - d.outside,
        ]);
        expect(p.rate === null).toBe(d.decided < 10);
      }
      const total = [...sql.values()].reduce((a, d) => ({ failed: a.failed + d.failed, outside: a.outside + d.outside }), { failed: 0, outside: 0 });
      expect([o.totals.failed, o.totals.outside_failed]).toEqual([total.failed, total.outside]);
      expect(o.categories.reduce((s, c) => s + c.failed, 0)).toBe(total.failed);
      expect(o.categories.filter((c) => c.outside_script_control).reduce((s, c) => s + c.failed, 0)).toBe(total.outside);
    });
  }

  it("names what is unusual about the environment-specific regressions' apps, with SQL's counts", async () => {
    const { start, end } = rangeBounds(range);
    const nginx = (await queryAppInsights("nginxproxymanager", range)).unusual;
    const pve = nginx.find((c) => c.dimension === "pve" && c.key === "9.2");
    expect(pve?.sentence).toMatch(/more often on PVE 9\.2: /);
    expect(pve!.failed).toBe(count("nsapp = 'nginxproxymanager' AND status = 'failed' AND pve_version LIKE '9.2.%'", { start, end }).n);
    const alpine = (await queryAppInsights("alpine", range)).unusual;
    expect(alpine.find((c) => c.dimension === "os_version" && c.key === "alpine 3.24")?.sentence).toMatch(/on Alpine 3\.24/);
  });

  // Whether healthy apps raise no alarm is a property of the method, tested on fixed draws
  // (tests/unit/insights-traits-healthy.test.ts): these rows are drawn anew with every run
  // (their end is now), so a bound on spurious sentences here would fail at its false-alarm rate.
  it("names each app's unusual traits as the in-memory rollups do, for healthy and regressing apps", async () => {
    const apps = ["homeassistant", "pihole", "debian", "ubuntu", "wireguard", "mqtt", "esphome", "technitiumdns", "n8n", "openwebui", "nginxproxymanager", "alpine", "ollama"];
    for (const nsapp of apps) {
      expect((await queryAppInsights(nsapp, range)).unusual, nsapp).toEqual((await findAppInsights(inMemory(), nsapp, range)).unusual);
    }
  });

  it("tests each app's and type's failure-rate change against the previous period on SQL's counts", async () => {
    const changes = await queryRateChanges(range);
    const prev = previousRange(range);
    const sql = (r: typeof range) =>
      new Map(
        (
          pb.db
            .prepare(
              `SELECT nsapp || '/' || type AS k, SUM(status = 'failed') AS failed, SUM(${SUCCESS} OR status = 'failed') AS decided FROM ${RUNS} WHERE substr(created, 1, 10) BETWEEN ? AND ? GROUP BY 1`,
            )
            .all(r.from, r.to) as { k: string; failed: number; decided: number }[]
        ).map((x) => [x.k, x]),
      );
    const cur = sql(range);
    const before = sql(prev);
    expect(changes.length).toBe(cur.size);
    for (const c of changes) {
      const k = `${c.nsapp}/${c.type}`;
      expect([c.failed, c.decided, c.previous_failed, c.previous_decided], k).toEqual([
        cur.get(k)!.failed,
        cur.get(k)!.decided,
        before.get(k)?.failed ?? 0,
        before.get(k)?.decided ?? 0,
      ]);
    }
    // The open regression's app fails far more than in the 30 days before, where no data was generated.
    expect(changes.find((c) => c.nsapp === "immich")).toMatchObject({ previous_decided: 0, q_value: null });
  });
});
