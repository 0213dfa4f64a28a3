/**
 * `npm run demo`: the dashboard on a local PocketBase with demo data, from a fresh clone.
 *
 * 1. PocketBase data lives in .data/pocketbase (git-ignored); migrations are applied.
 * 2. A superuser and a dashboard reader are created with random passwords kept in
 *    .data/credentials.json.
 * 3. First start only (empty telemetry table): 90 days of generated runs are seeded — while
 *    `next build` runs alongside. Later starts reuse the data and add the runs of the time the
 *    demo was stopped (scripts/lib/live-traffic.ts), so recent views are never empty.
 * 4. PocketBase serves on 127.0.0.1:$PB_PORT (8090), the dashboard on http://localhost:$PORT (3000).
 * 5. Live traffic: new runs report to PocketBase's POST /telemetry as today's installer scripts
 *    send them (installing, progress pings, the outcome), at the demo's daily volume (DEMO_LIVE=0: off).
 * Ctrl-C stops everything. With POCKETBASE_URL set, nothing local is started: the dashboard is built
 * and served against that PocketBase (POCKETBASE_READER_EMAIL/PASSWORD required).
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fillGap, startLiveTraffic } from "./lib/live-traffic";
import { findPocketBaseBinary, migrate, servePocketBase, upsertReader, upsertSuperuser, type RunningPocketBase } from "./lib/pocketbase-server";

const ROOT = resolve(import.meta.dirname, "..");
const DATA = join(ROOT, ".data");
const PB_DIR = join(DATA, "pocketbase");
const CREDENTIALS = join(DATA, "credentials.json");
const DEMO_DAYS = 90;
const DEMO_RUNS_PER_DAY = Number(process.env.DEMO_RUNS_PER_DAY) || 20_000;

interface Credentials {
  superuser: { email: string; password: string };
  reader: { email: string; password: string };
}

const children: ChildProcess[] = [];
let pocketbase: RunningPocketBase | null = null;
let stopTraffic: (() => void) | null = null;
/** Set on Ctrl-C: children killed by the shutdown are not failures. */
let stopping = false;

function log(msg: string) {
  console.log(`[demo] ${msg}`);
}

function credentials(): Credentials {
  if (existsSync(CREDENTIALS)) return JSON.parse(readFileSync(CREDENTIALS, "utf8")) as Credentials;
  const creds = {
    superuser: { email: "admin@demo.local", password: randomBytes(12).toString("hex") },
    reader: { email: "dashboard@demo.local", password: randomBytes(12).toString("hex") },
  };
  writeFileSync(CREDENTIALS, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/** Runs a command to completion; rejects with its exit code. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit", env, cwd: ROOT, detached: true });
    children.push(child);
    child.on("exit", (code, signal) => (code === 0 || stopping ? resolvePromise() : reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`))));
  });
}

function telemetryStats(): { rows: number; newest: string | null } {
  const db = new Database(join(PB_DIR, "data.db"), { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) AS rows, MAX(created) AS newest FROM _dev_telemetry_data").get() as { rows: number; newest: string | null };
  } finally {
    db.close();
  }
}

async function shutdown(code: number): Promise<never> {
  stopping = true;
  stopTraffic?.();
  for (const child of children) {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  await pocketbase?.stop();
  process.exit(code);
}

async function main() {
  process.on("SIGINT", () => {
    log("stopping…");
    void shutdown(0);
  });
  process.on("SIGTERM", () => void shutdown(0));
  const port = process.env.PORT || "3000";
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  let env: NodeJS.ProcessEnv;

  if (process.env.POCKETBASE_URL) {
    if (!process.env.POCKETBASE_READER_EMAIL || !process.env.POCKETBASE_READER_PASSWORD) {
      throw new Error("POCKETBASE_URL is set: also set POCKETBASE_READER_EMAIL and POCKETBASE_READER_PASSWORD (see README).");
    }
    log(`using the PocketBase at ${process.env.POCKETBASE_URL}; starting nothing else`);
    env = process.env;
    await run(npm, ["run", "build"]);
  } else {
    findPocketBaseBinary(); // fail early with a clear message
    mkdirSync(PB_DIR, { recursive: true });
    const creds = credentials();
    migrate(PB_DIR);
    upsertSuperuser(PB_DIR, creds.superuser.email, creds.superuser.password);
    const build = run(npm, ["run", "build"]);
    const before = telemetryStats();
    if (before.rows === 0) {
      log(`first start: seeding ${DEMO_DAYS} days × ~${DEMO_RUNS_PER_DAY.toLocaleString("en-US")} runs while the dashboard builds`);
      const tsx = join(ROOT, "node_modules", ".bin", "tsx");
      await run(tsx, ["scripts/seed.ts", "--dir", PB_DIR, "--days", String(DEMO_DAYS), "--per-day", String(DEMO_RUNS_PER_DAY)]);
    } else {
      log(`reusing ${before.rows.toLocaleString("en-US")} records in ${PB_DIR} (delete .data/ to start over)`);
    }
    const newest = telemetryStats().newest;
    const added = newest ? fillGap(join(PB_DIR, "data.db"), newest, DEMO_RUNS_PER_DAY) : 0;
    if (added) log(`added ${added.toLocaleString("en-US")} runs for the time since ${newest}`);
    await build;
    const pbPort = Number(process.env.PB_PORT) || 8090;
    pocketbase = await servePocketBase(PB_DIR, pbPort, { quiet: true });
    await upsertReader(pocketbase.url, creds.superuser, creds.reader);
    log(`PocketBase on ${pocketbase.url} (admin UI ${pocketbase.url}/_/, logins in .data/credentials.json)`);
    if (process.env.DEMO_LIVE !== "0") stopTraffic = startLiveTraffic(pocketbase.url, DEMO_RUNS_PER_DAY, log);
    env = {
      ...process.env,
      POCKETBASE_URL: pocketbase.url,
      POCKETBASE_READER_EMAIL: creds.reader.email,
      POCKETBASE_READER_PASSWORD: creds.reader.password,
    };
  }

  log(`dashboard on http://localhost:${port} — Ctrl-C stops everything`);
  await run(process.execPath, [join(ROOT, "dist", "server.mjs")], { ...env, PORT: port });
}

main().catch((err: unknown) => {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
