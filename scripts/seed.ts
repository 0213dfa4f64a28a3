/**
 * Seeds a PocketBase data dir with deterministic demo telemetry (scripts/lib/generate.ts).
 * Run `npm run seed -- --help` for usage. Exit codes: 0 ok, 1 failure, 2 bad arguments.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { insertRows } from "./lib/bulk-insert";
import { insertDemoChanges } from "./lib/demo-changes";
import { countRows, generateRows, type GenerateOptions } from "./lib/generate";
import { migrate } from "./lib/pocketbase-server";
import { createProgress, formatCount } from "./lib/progress";

const HELP = `Seed a PocketBase data dir with deterministic demo install telemetry.

Usage: npm run seed -- --dir <pocketbase data dir> [options]

  --dir <path>          PocketBase data dir (created if missing). Migrations are applied first.
                        PocketBase must NOT be serving this dir while seeding: stop it first.
  --days <n>            UTC days to cover, ending with --end's day (default 90)
  --per-day <n>         average install runs per day (default 20000)
  --records <n>         total rows instead of --per-day (runs per day = n / days)
  --seed <n>            PRNG seed; the same options give the same rows (default 42)
  --end <ISO time>      newest instant (default now); no row is created after it
  --maintain-rollups    insert through the rollup triggers (slow, like live traffic) instead of
                        the default fast path (drop triggers, insert, rebuild rollups, recreate)
  -h, --help            this help

Example: npm run seed -- --dir .data/pb --days 30 --records 1000000`;

class UsageError extends Error {}

interface SeedArgs {
  dir: string;
  generate: GenerateOptions;
  maintainRollups: boolean;
}

const MAX_DAYS = 3650;
const MAX_ROWS = 500_000_000;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return Number(value);
}

function parseEnd(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const end = new Date(value);
  if (Number.isNaN(end.getTime())) throw new UsageError(`--end must be an ISO date/time, e.g. 2026-02-01T12:00:00Z (got "${value}")`);
  if (end.getTime() > Date.now() + 60_000) throw new UsageError(`--end ${end.toISOString()} is in the future: demo rows must not be`);
  return end;
}

function parseSeedArgs(argv: string[]): SeedArgs | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      dir: { type: "string" },
      days: { type: "string" },
      "per-day": { type: "string" },
      records: { type: "string" },
      seed: { type: "string" },
      end: { type: "string" },
      "maintain-rollups": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  if (!values.dir) throw new UsageError("--dir <pocketbase data dir> is required");
  if (values["per-day"] !== undefined && values.records !== undefined) throw new UsageError("give --per-day or --records, not both");
  const days = positiveInt("days", values.days, 90);
  if (days > MAX_DAYS) throw new UsageError(`--days must be at most ${MAX_DAYS}`);
  const records = values.records === undefined ? undefined : positiveInt("records", values.records, 0);
  const runsPerDay = records === undefined ? positiveInt("per-day", values["per-day"], 20_000) : records / days;
  if (runsPerDay * days > MAX_ROWS) throw new UsageError(`at most ${formatCount(MAX_ROWS)} rows per run`);
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed must be an integer (got "${values.seed}")`);
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  return {
    dir: resolve(values.dir),
    generate: { seed, days, runsPerDay, end: parseEnd(values.end) },
    maintainRollups: values["maintain-rollups"],
  };
}

/** SQLite's message for a duplicate random_id means this seed was already loaded here. */
function explainFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/UNIQUE constraint failed/.test(message)) {
    return `${message}\nThe data dir already holds rows with these ids (same --seed seeded before?): use another --seed or a fresh --dir.`;
  }
  return message;
}

function seed(args: SeedArgs): void {
  migrate(args.dir);
  const dbPath = join(args.dir, "data.db");
  if (!existsSync(dbPath)) throw new Error(`migrations ran but ${dbPath} does not exist`);
  const total = countRows(args.generate);
  const mode = args.maintainRollups ? "through the rollup triggers" : "fast path: rebuild rollups after insert";
  const g = args.generate;
  process.stderr.write(`seeding ${formatCount(total)} rows, ${g.days} days to ${g.end.toISOString()}, seed ${g.seed} (${mode})\n`);
  const progress = createProgress(total);
  const result = insertRows(dbPath, generateRows(args.generate), {
    maintainRollups: args.maintainRollups,
    onProgress: (done) => progress.update(done),
    onPhase: (phase) => {
      if (phase === "rebuild") progress.note("rebuilding rollups…");
    },
  });
  progress.finish();
  const rate = formatCount(result.rows / Math.max(result.seconds, 1e-9));
  const rollups = args.maintainRollups ? "rollups kept by triggers" : "rollups rebuilt";
  console.log(`seeded ${formatCount(result.rows)} rows into ${dbPath} in ${result.seconds.toFixed(1)} s (${rate} rows/s, ${rollups})`);
  console.log(`seeded ${insertDemoChanges(dbPath, g.end)} script changes (scripts/lib/demo-changes.ts)`);
}

function main(): void {
  let args: SeedArgs | "help";
  try {
    args = parseSeedArgs(process.argv.slice(2));
  } catch (err) {
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for unknown or malformed options.
    console.error(`seed: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    process.exit(2);
  }
  if (args === "help") {
    console.log(HELP);
    return;
  }
  try {
    seed(args);
  } catch (err) {
    console.error(`seed: ${explainFailure(err)}`);
    process.exit(1);
  }
}

main();
