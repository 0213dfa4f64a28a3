/**
 * `npm run bench`: seeds a throwaway PocketBase and prints one table comparing each overview
 * query through the data layer (rollups, no Next.js cache) with the same answer computed the
 * naive way (view collections grouping raw rows), in the same run on the same machine, plus
 * the seeding rate with and without rollup maintenance. Answers are checked to agree.
 *
 *   npm run bench -- [--records 1000000] [--days 90] [--iterations 40] [--naive-iterations 5]
 * Rollup maintenance is timed by appending 50,000 records through the triggers to a copy.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fetchAppTotals, fetchMostFailingApps, fetchOsTotals, fetchTopExitCodes } from "../lib/queries/breakdowns";
import { fetchOverview } from "../lib/queries/overview";
import { presetRange } from "../lib/range";
import { insertRows } from "./lib/bulk-insert";
import { countRows, generateRows, type GenerateOptions } from "./lib/generate";
import { createNaiveViews, naiveMostFailing, naiveTotals } from "./lib/naive-views";
import { freePort, migrate, servePocketBase, upsertReader, upsertSuperuser } from "./lib/pocketbase-server";
import { createProgress, formatCount } from "./lib/progress";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    days: { type: "string", default: "90" },
    iterations: { type: "string", default: "40" },
    "naive-iterations": { type: "string", default: "5" },
  },
});
const num = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive whole number (got "${v}")`);
    process.exit(2);
  }
  return n;
};
const RECORDS = num("records", values.records);
const DAYS = num("days", values.days);
const ITER = num("iterations", values.iterations);
const NAIVE_ITER = num("naive-iterations", values["naive-iterations"]);
const APPEND = 50_000;
const SU = { email: "bench@example.com", password: "bench-password-123" };
const READER = { email: "bench-reader@example.com", password: "bench-reader-123" };

function seed(dbPath: string, opts: GenerateOptions, maintainRollups: boolean) {
  const progress = createProgress(countRows(opts));
  const phases: Record<string, number> = {};
  const result = insertRows(dbPath, generateRows(opts), {
    maintainRollups,
    onProgress: (n) => progress.update(n),
    onPhase: (p) => {
      phases[p] = performance.now();
      if (p === "rebuild") progress.note("rebuilding rollups…");
    },
  });
  progress.finish();
  const insertSeconds = phases.rebuild && phases.insert ? (phases.rebuild - phases.insert) / 1000 : result.seconds;
  return { rows: result.rows, seconds: result.seconds, insertSeconds };
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
}

async function time(fn: () => Promise<unknown>, iterations: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
}

type Totals = Map<string, Record<string, number>>;
function assertSame(name: string, rollup: Totals, naiveAnswer: Totals) {
  const norm = (m: Totals) =>
    JSON.stringify([...m].filter(([, v]) => Object.values(v).some((n) => n !== 0)).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (norm(rollup) !== norm(naiveAnswer)) throw new Error(`${name}: the rollup answer differs from the naive view's`);
}

const COLS = ["success", "failed", "aborted", "unknown", "installing"] as const;
const pick = <T extends object>(r: T, cols: readonly (keyof T & string)[]) => Object.fromEntries(cols.map((c) => [c, Number(r[c])]));

async function main() {
  const end = new Date();
  const dirs = [mkdtempSync(join(tmpdir(), "bench-")), mkdtempSync(join(tmpdir(), "bench-append-"))];
  const [dir, appendDir] = dirs as [string, string];
  try {
    console.error(`seeding ${formatCount(RECORDS)} records over ${DAYS} days (triggers off, then one rollup rebuild)…`);
    migrate(dir);
    const fast = seed(join(dir, "data.db"), { seed: 42, days: DAYS, runsPerDay: RECORDS / DAYS, end }, false);
    // Rollup maintenance is measured as live traffic meets it: appending through the triggers
    // to a copy of the full database.
    const appendRows = Math.min(APPEND, RECORDS);
    console.error(`appending ${formatCount(appendRows)} records through the rollup triggers to a copy…`);
    copyFileSync(join(dir, "data.db"), join(appendDir, "data.db"));
    const withTriggers = seed(join(appendDir, "data.db"), { seed: 4242, days: 1, runsPerDay: appendRows, end }, true);
    rmSync(appendDir, { recursive: true, force: true });

    upsertSuperuser(dir, SU.email, SU.password);
    const pb = await servePocketBase(dir, await freePort(), { quiet: true });
    try {
      const token = await upsertReader(pb.url, SU, READER);
      Object.assign(process.env, { POCKETBASE_URL: pb.url, POCKETBASE_READER_EMAIL: READER.email, POCKETBASE_READER_PASSWORD: READER.password });
      await createNaiveViews(pb.url, token, [30, 90]);
      const r30 = presetRange("30d", end);
      const r90 = presetRange("90d", end);
      const cases = [
        {
          name: "overview 30d: totals + daily series",
          rollup: async () => {
            const o = await fetchOverview(r30, end);
            return new Map(o.daily.map((d) => [d.day, { ...pick(d, ["success", "failed", "aborted", "unknown"]), installing: d.unfinished + d.running }]));
          },
          naive: () => naiveTotals(pb.url, "daily", 30),
        },
        ...[r30, r90].map((range) => ({
          name: `apps ${range.days}d: runs and outcomes per app`,
          rollup: async () => new Map((await fetchAppTotals(range)).map((a) => [`${a.nsapp}/${a.type}`, pick(a, COLS)])),
          naive: () => naiveTotals(pb.url, "apps", range.days),
        })),
        {
          name: "most failing apps 30d: top 10 with total count",
          rollup: async () =>
            new Map((await fetchMostFailingApps(r30, 10)).apps.map((a) => [`${a.nsapp}/${a.type}`, { failed: a.failed, runs: a.runs }])),
          naive: () => naiveMostFailing(pb.url, 30, 10),
        },
        {
          name: "exit codes 30d: failed + aborted per code",
          rollup: async () => new Map((await fetchTopExitCodes(r30, 1000)).map((c) => [String(c.exitCode), { failed: c.failed, aborted: c.aborted }])),
          naive: () => naiveTotals(pb.url, "codes", 30),
        },
        {
          name: "OS versions 30d: outcomes per type/os/version",
          rollup: async () => new Map((await fetchOsTotals(r30)).map((o) => [`${o.type}/${o.os_type}/${o.os_version}`, pick(o, COLS)])),
          naive: () => naiveTotals(pb.url, "os", 30),
        },
      ];
      const rows: string[] = [];
      for (const c of cases) {
        assertSame(c.name, await c.rollup(), await c.naive());
        const a = await time(c.rollup, ITER, 3);
        const b = await time(c.naive, NAIVE_ITER, 1);
        rows.push(`| ${c.name} | ${a.p50.toFixed(1)} | ${a.p95.toFixed(1)} | ${b.p50.toFixed(0)} | ${b.p95.toFixed(0)} | ${(b.p95 / a.p95).toFixed(0)}× |`);
        console.error(`  measured ${c.name}`);
      }
      const rate = (rowsN: number, s: number) => `${formatCount(rowsN / s)} records/s`;
      console.log(`\nBenchmark: ${formatCount(fast.rows)} records over ${DAYS} days, PocketBase 0.40.4, ${ITER} runs per rollup query, ${NAIVE_ITER} per naive view query (answers checked equal)\n`);
      console.log("| query | rollups p50 ms | rollups p95 ms | naive view p50 ms | naive view p95 ms | p95 speed-up |");
      console.log("|---|---:|---:|---:|---:|---:|");
      for (const r of rows) console.log(r);
      console.log(`\nSeeding without rollup maintenance: ${rate(fast.rows, fast.insertSeconds)} ` +
        `(then one full rebuild of all rollups: ${(fast.seconds - fast.insertSeconds).toFixed(1)} s; ${rate(fast.rows, fast.seconds)} overall)`);
      console.log(`Seeding with rollup maintenance (triggers, appending ${formatCount(withTriggers.rows)} to the ${formatCount(fast.rows)}-record database): ` +
        rate(withTriggers.rows, withTriggers.seconds));
    } finally {
      await pb.stop();
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
