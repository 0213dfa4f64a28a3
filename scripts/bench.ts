/**
 * `npm run bench`: seeds a throwaway PocketBase and prints a table comparing each overview
 * query through the data layer (rollups, no Next.js cache) with the same answer computed the
 * naive way (view collections grouping raw rows), in the same run on the same machine, plus
 * the seeding rate with and without rollup maintenance. Answers are checked to agree.
 * Then, against the same PocketBase, the production dashboard (`next build` unless .next is
 * newer than the sources, then its server, dist/server.mjs): a table of every page's server response time,
 * cold, render, warm and new app pages in a running server (defined in scripts/lib/page-bench.ts), the embeds' JavaScript weight and badge
 * response times (scripts/lib/embed-bench.ts), and the Lighthouse performance scores of / and
 * /apps (scripts/lib/lighthouse.ts).
 *
 *   npm run bench -- [--records 1000000] [--days 90] [--iterations 40] [--naive-iterations 5]
 *                    [--page-iterations 20] [--lighthouse-runs 3] [--lighthouse-preset mobile|desktop]
 *                    [--skip-pages] [--insight-seeds 5]
 * Rollup maintenance is timed by appending 50,000 records through the triggers to a copy.
 * Then the insights (scripts/lib/insights-bench.ts): each insight query's time on the same
 * PocketBase; then the views of today's runs (scripts/lib/views-bench.ts: install time, testing,
 * hardware, failing commands), timed the same way; then ingest (scripts/lib/ingest-bench.ts):
 * --ingest-runs runs (default 1000) reported through POST /telemetry as today's scripts do and
 * as many through the records API, one client and --ingest-clients (default 8) at once: latency
 * per request and throughput, on the full database; then recall and false alarms of the
 * regression and incident detection over --insight-seeds generator seeds (default 5; four times
 * as many at the e2e volume).
 * --page-iterations N: N cold rounds (a fresh server each), N render and round(1.5 N) warm
 * samples per page. --skip-pages: no dashboard, no Lighthouse.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { formatInt } from "../lib/format";
import { publicClient } from "../lib/data/pocketbase";
import { queryExitCodeRanking } from "../lib/data/queries/exit-codes";
import { queryOverview } from "../lib/data/queries/overview";
import { rangeAll, rangeAllFromSums, rangeAllFromView, rangePage } from "../lib/data/queries/rollup-range";
import { presetRange } from "../lib/range";
import { insertRows } from "./lib/bulk-insert";
import { countRows, generateRows, type GenerateOptions } from "./lib/generate";
import { lighthouseLines, runLighthouse, type LighthousePreset } from "./lib/lighthouse";
import { embedTableLines, measureEmbeds } from "./lib/embed-bench";
import { backupBenchLine, ingestBenchLines } from "./lib/ingest-bench";
import { arrivingRunsLines, insightQueryLines, insightRecallLines } from "./lib/insights-bench";
import { viewQueryLines } from "./lib/views-bench";
import { createNaiveViews, dayFromHour, lastDays, naiveMostFailing, naiveTotals } from "./lib/naive-views";
import { killOnExit, prepareBuild, removeOnExit, startDashboard } from "./lib/dashboard-server";
import { measureNewAppPages, measurePages, newAppTableLines, pageTableLines, percentile, PAGES, QUIET_MS } from "./lib/page-bench";
import { freePort, migrate, servePocketBase, setRateLimit, upsertReader, upsertSuperuser } from "./lib/pocketbase-server";
import { createProgress, formatCount } from "./lib/progress";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    days: { type: "string", default: "90" },
    iterations: { type: "string", default: "40" },
    "naive-iterations": { type: "string", default: "5" },
    "page-iterations": { type: "string", default: "20" },
    "lighthouse-runs": { type: "string", default: "3" },
    "lighthouse-preset": { type: "string", default: "mobile" },
    "skip-pages": { type: "boolean", default: false },
    "insight-seeds": { type: "string", default: "5" },
    "ingest-runs": { type: "string", default: "1000" },
    "ingest-clients": { type: "string", default: "8" },
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
const PAGE_COLD = num("page-iterations", values["page-iterations"]);
const PAGE_WARM = Math.round(PAGE_COLD * 1.5);
/** App pages per view in the new-app-page rows (issue 18's cold app page), and pages after a quiet minute (QUIET_MS each). */
const NEW_APPS = 30;
const QUIET_APPS = 3;
/** The busiest apps whose pages warm the server first, and how long it is then left alone. */
const WARM_APPS = 8;
const SETTLE_MS = 15_000;
const LH_RUNS = num("lighthouse-runs", values["lighthouse-runs"]);
const INSIGHT_SEEDS = num("insight-seeds", values["insight-seeds"]);
const INGEST_RUNS = num("ingest-runs", values["ingest-runs"]);
/** Runs written before each scan of the "while runs arrive" rows: ~30 s of production traffic (20,000 runs a day). */
const ARRIVING_PER_SCAN = 7;
const INGEST_CLIENTS = num("ingest-clients", values["ingest-clients"]);
const LH_PRESET = values["lighthouse-preset"] as LighthousePreset;
if (LH_PRESET !== "mobile" && LH_PRESET !== "desktop") {
  console.error(`--lighthouse-preset must be mobile or desktop (got "${LH_PRESET}")`);
  process.exit(2);
}
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

async function time(fn: () => Promise<unknown>, iterations: number, warmup: number) {
  return (await timeAlternating([fn], iterations, warmup))[0]!;
}

/**
 * Several ways to one answer, timed in turns — blocks of up to 10 calls of each, so a change in
 * the machine's load hits them alike. A full collection runs (untimed) before each block: one
 * path's garbage (the range view parses ~240 KB of JSON a call) is otherwise collected during
 * the next path's calls and lands in its p95. Each block still pays its own garbage's
 * collections, as a server would.
 */
async function timeAlternating(fns: (() => Promise<unknown>)[], iterations: number, warmup: number) {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const ms: number[][] = fns.map(() => []);
  for (let done = 0; done < iterations; done += BLOCK) {
    for (const [j, fn] of fns.entries()) {
      collectGarbage();
      for (let i = done; i < Math.min(iterations, done + BLOCK); i++) {
        const t = performance.now();
        await fn();
        ms[j]!.push(performance.now() - t);
      }
    }
  }
  return ms.map((m) => ({ p50: percentile(m, 0.5), p95: percentile(m, 0.95) }));
}
const BLOCK = 10;
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** The load average over the last minute, as printed beside every table (the machine may be shared). */
const loadNote = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

type Totals = Map<string, Record<string, number>>;
function assertSame(name: string, rollup: Totals, naiveAnswer: Totals) {
  const norm = (m: Totals) => JSON.stringify([...m].filter(([, v]) => Object.values(v).some((n) => n !== 0)).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (norm(rollup) !== norm(naiveAnswer)) throw new Error(`${name}: the rollup answer differs from the naive view's`);
}

const COLS = ["success", "failed", "aborted", "unknown", "installing"] as const;
const pick = <T extends object>(r: T, cols: readonly (keyof T & string)[]) => Object.fromEntries(cols.map((c) => [c, Number(r[c])]));

/** The `n` apps with the most runs in the last 30 days (badges of apps that have data). */
async function busiestApps(n: number): Promise<string[]> {
  const res = await rangePage(publicClient(), "stats_app", presetRange("30d", new Date()), 1, n, { sort: "-runs,nsapp" });
  return res.items.map((a) => String(a.nsapp));
}

/** The production dashboard against the same PocketBase: page response times, embeds, then Lighthouse. */
async function benchPages(pbUrl: string) {
  const log = (msg: string) => console.error(msg);
  const build = await prepareBuild(log);
  try {
    const env = { POCKETBASE_URL: pbUrl, POCKETBASE_READER_EMAIL: READER.email, POCKETBASE_READER_PASSWORD: READER.password, RATE_LIMIT_PER_MINUTE: "0" };
    const start = (o: { responseCache: boolean } = { responseCache: true }) => startDashboard(build.dir, o.responseCache ? env : { ...env, RESPONSE_CACHE: "0" });
    log(`measuring ${PAGES.length} pages: ${PAGE_COLD} cold rounds (a fresh server each), then ${PAGE_COLD} render + ${PAGE_WARM} warm requests each…`);
    const t = (await queryOverview(presetRange("30d", new Date()))).totals;
    const expect = { "/": { "stat-runs": formatInt(t.runs), "stat-failed": formatInt(t.failed), "stat-aborted": formatInt(t.aborted) } };
    const pages = await measurePages(start, { cold: PAGE_COLD, warm: PAGE_WARM, expect, log });
    log(`new app pages in a running server: ${NEW_APPS} apps at 30 days, ${NEW_APPS} others at 90 days, ${QUIET_APPS} after a quiet minute each…`);
    const busiest = await busiestApps(WARM_APPS + 2 * NEW_APPS + QUIET_APPS);
    const newApps = await measureNewAppPages(start, {
      warm: busiest.slice(0, WARM_APPS),
      apps: busiest.slice(WARM_APPS, WARM_APPS + 2 * NEW_APPS),
      queries: ["", "?range=90d"],
      quiet: busiest.slice(WARM_APPS + 2 * NEW_APPS),
      settleMs: SETTLE_MS,
      log,
    });
    const next = await start();
    let embeds: Awaited<ReturnType<typeof measureEmbeds>>;
    let lh: Awaited<ReturnType<typeof runLighthouse>>;
    try {
      log(`embeds: widget weights, badge response times (${PAGE_WARM} requests each)…`);
      embeds = await measureEmbeds(next.url, await busiestApps(PAGE_WARM + 1), PAGE_WARM);
      log(`Lighthouse (${LH_PRESET}, ${LH_RUNS} runs per page) on / and /apps…`);
      lh = await runLighthouse(next.url, ["/", "/apps"], { runs: LH_RUNS, preset: LH_PRESET, log });
    } finally {
      await next.stop();
    }

    console.log(
      `\nPages: the production server (dist/server.mjs) of build ${build.id} (${build.how === "built" ? "built by this run" : "reused: newer than the sources"}) ` +
        `on 127.0.0.1, reading the same ${formatCount(RECORDS)}-record PocketBase; time until the body is fully read, sequential requests; ` +
        `every response checked (HTTP 200, no error, the same text each time, / = data layer)`,
    );
    console.log(
      `cold = fresh data cache: the view's first request in a newly started server (${PAGE_COLD} rounds; each route first warmed with a different view); ` +
        `render = response cache off, data cached: React renders the page each time (${PAGE_COLD} per page); ` +
        `warm = the same URL repeated: a response-cache hit (${PAGE_WARM} per page).\n`,
    );
    for (const line of pageTableLines(pages)) console.log(line);
    console.log(
      `\nnew app page = an app page not asked for before, in a server warmed with / and the ${WARM_APPS} busiest apps' pages at each view and then left ${SETTLE_MS / 1000} s ` +
        `(its background store loads done); the next ${NEW_APPS} busiest apps once each at 30 days, the ${NEW_APPS} after them at 90 days, ` +
        `then ${QUIET_APPS} more, each after ${QUIET_MS / 1000} s without a request (the shared figures then over a minute old: the page waits for new ones).\n`,
    );
    for (const line of newAppTableLines(newApps)) console.log(line);
    console.log("");
    for (const line of lighthouseLines(lh)) console.log(line);
    console.log("");
    for (const line of embedTableLines(embeds)) console.log(line);
    if (pages.some((p) => p.error) || newApps.some((r) => r.error)) process.exitCode = 1;
  } finally {
    build.remove();
  }
}

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
    // From here on Ctrl-C stops the servers and removes the temp dirs (seeding is synchronous:
    // a signal handler installed earlier would only run once it is done).
    removeOnExit(dir);
    const pb = await servePocketBase(dir, await freePort(), { quiet: true });
    killOnExit(pb.process);
    try {
      const token = await upsertReader(pb.url, SU, READER);
      await setRateLimit(pb.url, token, "*:auth", 1000);
      Object.assign(process.env, { POCKETBASE_URL: pb.url, POCKETBASE_READER_EMAIL: READER.email, POCKETBASE_READER_PASSWORD: READER.password });
      const r30 = presetRange("30d", end);
      const r90 = presetRange("90d", end);
      const r24h = presetRange("24h", end);
      await createNaiveViews(pb.url, token, [lastDays(30, end), lastDays(90, end), dayFromHour(r24h.from)]);
      const bucketTotals = async (range: typeof r30) => {
        const o = await queryOverview(range, end);
        return new Map(o.series.map((d) => [d.bucket, { ...pick(d, ["success", "failed", "aborted", "unknown"]), installing: d.unfinished + d.running }]));
      };
      const cases = [
        {
          name: "overview 30d: totals + daily series",
          rollup: () => bucketTotals(r30),
          naive: () => naiveTotals(pb.url, "daily", "30d"),
        },
        {
          name: "overview 24h: totals + hourly series (hourly rollups)",
          rollup: () => bucketTotals(r24h),
          naive: () => naiveTotals(pb.url, "hourly", "24h"),
        },
        // The overview page's query: every app in range, most runs first.
        ...[r30, r90, r24h].map((range) => ({
          name: `apps ${range.grain === "hour" ? `${range.length}h` : `${range.length}d`}: runs and outcomes per app`,
          rollup: async () => new Map((await rangeAll(publicClient(), "stats_app", range, { sort: "-runs,nsapp" })).map((a) => [`${a.nsapp}/${a.type}`, pick(a, COLS)])),
          sums: async () => new Map((await rangeAllFromSums(publicClient(), "stats_app", range, "-runs,nsapp")).map((a) => [`${a.nsapp}/${a.type}`, pick(a, COLS)])),
          view: async () => new Map((await rangeAllFromView(publicClient(), "stats_app", range, { sort: "-runs,nsapp" })).map((a) => [`${a.nsapp}/${a.type}`, pick(a, COLS)])),
          naive: () => naiveTotals(pb.url, "apps", range.grain === "hour" ? "24h" : `${range.length}d`),
        })),
        {
          name: "most failing apps 30d: top 10 with total count",
          rollup: async () => {
            const res = await rangePage(publicClient(), "stats_app", r30, 1, 10, {
              filter: { expr: "failed > 0", params: {} },
              sort: "-failed,nsapp",
            });
            return new Map(res.items.map((a) => [`${a.nsapp}/${a.type}`, { failed: a.failed, runs: a.runs }]));
          },
          naive: () => naiveMostFailing(pb.url, "30d", 10),
        },
        {
          name: "exit codes 30d: failed + aborted per code",
          rollup: async () => new Map((await queryExitCodeRanking(r30, true)).codes.map((c) => [String(c.exitCode), { failed: c.failed, aborted: c.aborted }])),
          naive: () => naiveTotals(pb.url, "codes", "30d"),
        },
        {
          name: "OS versions 30d: outcomes per type/os/version",
          rollup: async () => new Map((await rangeAll(publicClient(), "stats_os", r30)).map((o) => [`${o.type}/${o.os_type}/${o.os_version}`, pick(o, COLS)])),
          view: async () => new Map((await rangeAllFromView(publicClient(), "stats_os", r30)).map((o) => [`${o.type}/${o.os_type}/${o.os_version}`, pick(o, COLS)])),
          naive: () => naiveTotals(pb.url, "os", "30d"),
        },
      ];
      const rows: string[] = [];
      const loads: string[] = [];
      const naiveFailures = new Map<string, string>();
      for (const c of cases as { name: string; rollup: () => Promise<Totals>; sums?: () => Promise<Totals>; view?: () => Promise<Totals>; naive: () => Promise<Totals> }[]) {
        // The naive view can be refused at 10 M (PocketBase ends a query that runs too long): the
        // row then compares the rollup paths with each other and says so.
        const truth = await c.naive().catch((err: unknown) => {
          naiveFailures.set(c.name, err instanceof Error ? err.message : String(err));
          return null;
        });
        const expected = truth ?? (await c.rollup());
        assertSame(c.name, await c.rollup(), expected);
        if (c.sums) assertSame(`${c.name} (range sums)`, await c.sums(), expected);
        if (c.view) assertSame(`${c.name} (range view)`, await c.view(), expected);
        // What the data layer reads and the paths it replaced for reads without a filter, in turns.
        const timed = await timeAlternating([c.rollup, ...(c.sums ? [c.sums] : []), ...(c.view ? [c.view] : [])], ITER, 3);
        const a = timed[0]!;
        const sums = c.sums ? timed[1] : undefined;
        const v = c.view ? timed[c.sums ? 2 : 1] : undefined;
        const b = naiveFailures.has(c.name) ? { p50: Number.NaN, p95: Number.NaN } : await time(c.naive, NAIVE_ITER, 1);
        const cell = (t: typeof a | undefined) => (t ? `${t.p50.toFixed(1)} | ${t.p95.toFixed(1)}` : "– | –");
        const view = v ? `${cell(v)} | ${(v.p95 / a.p95).toFixed(1)}×` : "– | – | –";
        const naive = Number.isNaN(b.p95) ? "refused | refused | –" : `${b.p50.toFixed(0)} | ${b.p95.toFixed(0)} | ${(b.p95 / a.p95).toFixed(0)}×`;
        rows.push(`| ${c.name} | ${cell(a)} | ${cell(sums)} | ${view} | ${naive} |`);
        loads.push(loadavg()[0]!.toFixed(1));
        console.error(`  measured ${c.name}`);
      }
      const rate = (rowsN: number, s: number) => `${formatCount(rowsN / s)} records/s`;
      console.log(
        `\nBenchmark: ${formatCount(fast.rows)} records over ${DAYS} days, PocketBase 0.40.4, ${ITER} runs per rollup query, ${NAIVE_ITER} per naive view query (answers checked equal)\n`,
      );
      console.log(
        "Rollups = what the data layer reads: for every key of a series rollup (apps, overview, exit codes) over recent days or hours the series store " +
          '(docs/ROLLUPS.md "Change numbers and the series store"; no writes between calls here, so one index read per call — live traffic adds one read of the changed rows), ' +
          "else the range sums for every key of a range, else the range view; range sums = the route the store replaced for those reads; " +
          "range view = the same answer from the range view through the records API (the path before the range sums), all timed in turns. " +
          `Load average (1 min) after each row: ${loads.join(", ")}; ${loadNote()}.\n`,
      );
      console.log(
        "| query | rollups p50 ms | rollups p95 ms | range sums p50 ms | range sums p95 ms | range view p50 ms | range view p95 ms | view ÷ rollups p95 | naive view p50 ms | naive view p95 ms | p95 speed-up |",
      );
      console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const r of rows) console.log(r);
      for (const [name, message] of naiveFailures)
        console.log(`\n${name}: the naive view was refused by PocketBase (${message}); its row compares the rollup paths with each other.`);
      console.log(
        `\nSeeding without rollup maintenance: ${rate(fast.rows, fast.insertSeconds)} ` +
          `(then one full rebuild of all rollups: ${(fast.seconds - fast.insertSeconds).toFixed(1)} s; ${rate(fast.rows, fast.seconds)} overall)`,
      );
      console.log(
        `Seeding with rollup maintenance (triggers, appending ${formatCount(withTriggers.rows)} to the ${formatCount(fast.rows)}-record database): ` +
          rate(withTriggers.rows, withTriggers.seconds),
      );
      console.error("measuring the insight queries…");
      const insightQueries = await insightQueryLines(end, ITER, (m) => console.error(m));
      console.log(`\nInsights: each query through the data layer (rollups only, no Next.js cache), ${ITER} runs after the first\n`);
      for (const line of insightQueries) console.log(line);
      console.error("measuring the views of today's runs…");
      const viewQueries = await viewQueryLines(end, ITER, (m) => console.error(m));
      console.log(`\nViews of today's runs (issue 15): each query through the data layer (rollups only, no Next.js cache), ${ITER} runs after the first\n`);
      for (const line of viewQueries) console.log(line);
      console.error("measuring the scans while runs arrive…");
      const arriving = await arrivingRunsLines(join(dir, "data.db"), end, ITER, ARRIVING_PER_SCAN, (m) => console.error(m));
      console.log(`\nScans while runs arrive: ${ITER} scans after three, each after ${ARRIVING_PER_SCAN} new runs (deleted afterwards)\n`);
      for (const line of arriving) console.log(line);
      // Ingest adds ~0.3 % to the database the page benchmark reads after it; it runs here,
      // while PocketBase is in use, not after the long in-memory detection scoring.
      const ingest = await ingestBenchLines(pb.url, token, { runs: INGEST_RUNS, concurrency: INGEST_CLIENTS, log: (m) => console.error(m) });
      console.log(
        `\nIngest: runs reported to the ${formatCount(fast.rows)}-record PocketBase as the install scripts report them (every write through the rollup triggers); ` +
          `latency per request with one client sending one at a time, and with ${INGEST_CLIENTS} clients at once\n`,
      );
      for (const line of ingest) console.log(line);
      console.error("backup: PocketBase's own backup of the whole pb_data, one client sending events meanwhile…");
      console.log(`\n${await backupBenchLine(pb.url, token)}`);
      console.error(`scoring regression and incident detection over ${INSIGHT_SEEDS} seeds (in-memory rollups)…`);
      const recallLines = await insightRecallLines({ days: DAYS, runsPerDay: RECORDS / DAYS, seeds: INSIGHT_SEEDS, end, log: (m) => console.error(m) });
      console.log(`\nDetection of the seeded events (scripts/lib/demo-events.ts) over generator seeds 1…n, range = the data's days\n`);
      for (const line of recallLines) console.log(line);
      if (!values["skip-pages"]) await benchPages(pb.url);
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
