/**
 * The benchmark's insights section (called by scripts/bench.ts):
 *  1. each insight query's time through the data layer against the benchmark's PocketBase
 *     (first call, then p50/p95) — the queries read only rollups;
 *  2. detection quality over several generator seeds: every seeded event (demo-events.ts)
 *     found with start/end within one bucket and its cause named, and false alarms, at the
 *     benchmark's volume and at the end-to-end data's (3,000 runs a day). The finders run on
 *     in-memory rollups of the generated rows (memory-source.ts; the integration test checks
 *     that it answers as PocketBase does), so many seeds cost seconds, not a PocketBase each.
 */
import Database from "better-sqlite3";
import { findIncidents } from "../../lib/insights/find-incidents";
import { findInsights } from "../../lib/insights/find-insights";
import { publicClient } from "../../lib/data/pocketbase";
import { pocketbaseSource } from "../../lib/data/queries/insights-source";
import { queryAppInsights, queryFailureOverview, queryIncidents, queryRateChanges, queryRegressions, queryRegressionsAndIncidents } from "../../lib/data/queries/insights";
import { customRange, presetRange, type Range } from "../../lib/range";
import { addDays, utcDay } from "../../lib/time";
import { scoreLikelyCauses } from "./changes-score";
import { demoChanges } from "./demo-changes";
import { eventTruth } from "./demo-events";
import { generateRows } from "./generate";
import { eventOk, scoreInsights } from "./insights-score";
import { memorySource } from "./memory-source";
import { percentile } from "./page-bench";

export const label = (range: Range) => (range.grain === "hour" ? `${range.length}h` : `${range.length}d`);

/** Timing table of every insight query at `end` (the PocketBase the data layer points at). */
export async function insightQueryLines(end: Date, iterations: number, log: (msg: string) => void): Promise<string[]> {
  const ranges = [presetRange("30d", end), presetRange("90d", end), presetRange("24h", end)];
  const cases: [string, () => Promise<unknown>][] = ranges.flatMap((r): [string, () => Promise<unknown>][] => [
    [`regressions ${label(r)} (with incidents, as /api/v1/regressions)`, () => queryRegressions(r, end)],
    [`incidents ${label(r)}`, () => queryIncidents(r, end)],
    [`regressions + incidents ${label(r)} (one scan, for a page; series store after the first call)`, () => queryRegressionsAndIncidents(r, end)],
    [
      `regressions + incidents ${label(r)}, full scan (series views, as before change numbers)`,
      () => findInsights(pocketbaseSource(publicClient(), r.repo, { store: false }), r, end),
    ],
    [`app insights ${label(r)} (nginxproxymanager: rate series, categories, traits)`, () => queryAppInsights("nginxproxymanager", r)],
    [`failure overview ${label(r)} (all runs: rate series, actionable rate, categories)`, () => queryFailureOverview(r)],
    [`rate change vs previous period ${label(r)} (every app)`, () => queryRateChanges(r)],
  ]);
  return queryTimingLines("insight query", cases, iterations, log);
}

/** A table of queries' times: the first call, then p50 and p95 over `iterations` calls (benchmark tables). */
export async function queryTimingLines(what: string, cases: readonly [string, () => Promise<unknown>][], iterations: number, log: (msg: string) => void): Promise<string[]> {
  const lines = [`| ${what} | first call ms | p50 ms | p95 ms |`, "|---|---:|---:|---:|"];
  for (const [name, run] of cases) {
    let t = performance.now();
    await run();
    const first = performance.now() - t;
    const ms: number[] = [];
    for (let i = 0; i < iterations; i++) {
      t = performance.now();
      await run();
      ms.push(performance.now() - t);
    }
    lines.push(`| ${name} | ${first.toFixed(0)} | ${percentile(ms, 0.5).toFixed(1)} | ${percentile(ms, 0.95).toFixed(1)} |`);
    log(`  measured ${name}`);
  }
  return lines;
}

/**
 * Regressions + incidents for a page while runs arrive, as they do in production: at 20,000 runs
 * a day a cached scan refreshed every 30 s meets ~7 new runs. `perScan` runs of popular apps in
 * the hour before `end` (15 % failed) are written through the rollup triggers before each scan
 * (a second connection to PocketBase's database, as the tests write), and deleted afterwards.
 */
export async function arrivingRunsLines(dbPath: string, end: Date, iterations: number, perScan: number, log: (msg: string) => void): Promise<string[]> {
  const db = new Database(dbPath);
  const apps = ["docker", "jellyfin", "homeassistant", "pihole", "nginxproxymanager", "immich", "vaultwarden", "adguard", "plex", "ollama"];
  const insert = db.prepare("INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, exit_code, created, updated) VALUES (?, ?, 'lxc', ?, ?, ?, ?, ?)");
  let n = 0;
  const arrive = db.transaction(() => {
    for (let i = 0; i < perScan; i++) {
      n++;
      const created = new Date(end.getTime() - ((n * 7919) % 3_600_000)).toISOString().replace("T", " ");
      const failed = n % 7 === 0;
      insert.run(
        `bencharr${String(n).padStart(7, "0")}`,
        `bench-arriving-${n}`,
        apps[n % apps.length],
        failed ? "failed" : "success",
        failed ? [1, 100, 255][n % 3] : 0,
        created,
        created,
      );
    }
  });
  try {
    const ranges = [presetRange("30d", end), presetRange("90d", end), presetRange("24h", end)];
    const lines = [`| regressions + incidents for a page, ${perScan} runs arriving before each scan | p50 ms | p95 ms |`, "|---|---:|---:|"];
    for (const r of ranges) {
      for (let i = 0; i < 3; i++) await queryRegressionsAndIncidents(r, end);
      const ms: number[] = [];
      for (let i = 0; i < iterations; i++) {
        arrive();
        const t = performance.now();
        await queryRegressionsAndIncidents(r, end);
        ms.push(performance.now() - t);
      }
      lines.push(`| ${label(r)} | ${percentile(ms, 0.5).toFixed(1)} | ${percentile(ms, 0.95).toFixed(1)} |`);
      log(`  measured regressions + incidents ${label(r)} with runs arriving`);
    }
    return lines;
  } finally {
    db.prepare("DELETE FROM _dev_telemetry_data WHERE id LIKE 'bencharr%'").run();
    db.close();
  }
}

interface Tally {
  events: number;
  found: number;
  ok: number;
  falseRegressions: number;
  falseIncidents: number;
  /** Likely cause (lib/changes/likely-cause.ts) against the seeded changes: regressions naming the seeded change first, naming another, events named. */
  causeTp: number;
  causeFp: number;
  causeEvents: number;
  causeNamed: number;
  unrelatedBlamed: number;
  misses: string[];
}

/** Scores the finders over `seeds` generated datasets of `days` days at `runsPerDay`, ending at `end`. */
async function recall(days: number, runsPerDay: number, seeds: number, end: Date, log: (msg: string) => void): Promise<Tally> {
  const range = days === 90 ? presetRange("90d", end) : customRange(addDays(utcDay(end), -(days - 1)), utcDay(end));
  const tally: Tally = {
    events: 0,
    found: 0,
    ok: 0,
    falseRegressions: 0,
    falseIncidents: 0,
    causeTp: 0,
    causeFp: 0,
    causeEvents: 0,
    causeNamed: 0,
    unrelatedBlamed: 0,
    misses: [],
  };
  const changes = demoChanges(end);
  for (let seed = 1; seed <= seeds; seed++) {
    const source = memorySource(generateRows({ seed, days, runsPerDay, end }), end);
    const { regressions } = await findInsights(source, range, end);
    const incidents = await findIncidents(source, range, end);
    const score = scoreInsights(eventTruth(end), regressions, incidents);
    tally.events += score.events.length;
    tally.found += score.events.filter((e) => e.found).length;
    tally.ok += score.events.filter(eventOk).length;
    tally.falseRegressions += score.falseRegressions.length;
    tally.falseIncidents += score.falseIncidents.length;
    const causes = scoreLikelyCauses(eventTruth(end), regressions, changes);
    tally.causeTp += causes.truePositives;
    tally.causeFp += causes.falsePositives;
    tally.causeEvents += causes.events;
    tally.causeNamed += causes.eventsNamed;
    tally.unrelatedBlamed += causes.unrelatedBlamed.length;
    for (const m of [...causes.misses, ...causes.unrelatedBlamed.map((u) => `unrelated change a suspect: ${u}`)]) tally.misses.push(`seed ${seed} likely cause: ${m}`);
    for (const e of score.events.filter((x) => !eventOk(x))) tally.misses.push(`seed ${seed} ${e.id}: ${e.detail}`);
    for (const r of score.falseRegressions) tally.misses.push(`seed ${seed} false regression: ${r.nsapp} ${r.start} … ${r.end ?? "open"}`);
    for (const i of score.falseIncidents) tally.misses.push(`seed ${seed} false incident: ${i.exit_code ?? i.category} ${i.start}`);
    log(`  seed ${seed}: ${days} days × ${Math.round(runsPerDay).toLocaleString("en-US")} runs/day scored`);
  }
  return tally;
}

/** Recall and false alarms at the benchmark's volume and at the end-to-end volume. */
export async function insightRecallLines(opts: { days: number; runsPerDay: number; seeds: number; end: Date; log: (msg: string) => void }): Promise<string[]> {
  const volumes = [
    { days: opts.days, runsPerDay: opts.runsPerDay, seeds: opts.seeds },
    { days: 30, runsPerDay: 3000, seeds: opts.seeds * 4 },
  ];
  const lines = [
    "| data | seeds | events found | found with start/end ±1 bucket, code, trait | false regressions per 90 days | false incidents per 90 days | likely cause: precision | recall | unrelated changes suspected |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const misses: string[] = [];
  for (const v of volumes) {
    const t = await recall(v.days, v.runsPerDay, v.seeds, opts.end, opts.log);
    const per90 = (n: number) => ((n / v.seeds) * (90 / v.days)).toFixed(2);
    const pct = (n: number) => `${((100 * n) / t.events).toFixed(1)} % (${n}/${t.events})`;
    const ratio = (n: number, of: number) => (of ? `${(n / of).toFixed(3)} (${n}/${of})` : "–");
    lines.push(
      `| ${v.days} days × ${Math.round(v.runsPerDay).toLocaleString("en-US")} runs/day | ${v.seeds} | ${pct(t.found)} | ${pct(t.ok)} | ${per90(t.falseRegressions)} | ${per90(t.falseIncidents)} | ${ratio(t.causeTp, t.causeTp + t.causeFp)} | ${ratio(t.causeNamed, t.causeEvents)} | ${t.unrelatedBlamed} |`,
    );
    misses.push(...t.misses.map((m) => `- ${v.days}d × ${Math.round(v.runsPerDay)}/day, ${m}`));
  }
  return misses.length ? [...lines, "", "Misses and false alarms:", ...misses] : lines;
}
