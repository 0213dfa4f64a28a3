/**
 * The production dashboard for the benchmarks: `npm run build` when the build is missing or
 * older than the sources, then the production server (dist/server.mjs, as `npm start`) on a
 * free port. The build is served from a private copy (a temp project dir: .next without caches,
 * dist, package.json, node_modules and public linked), so a build started in the checkout
 * meanwhile (tests, other work) cannot swap files under the running server. Every child runs in
 * its own process group and is killed with it when the benchmark ends, also on failure or Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./pocketbase-server";

export const ROOT = resolve(import.meta.dirname, "..", "..");
const DIST = join(ROOT, ".next");
/** What a build is made from (besides dependencies). */
const SOURCES = ["app", "components", "lib", "server", "next.config.ts"];
const BUILD_WAIT_MS = 15 * 60_000;

const groups = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // not a group leader (spawned without `detached`), or the group is gone
  }
}

/** Kills the child's process group (else the child) when this process exits, also on Ctrl-C / SIGTERM. */
export function killOnExit(child: ChildProcess): void {
  groups.add(child);
  child.once("exit", () => groups.delete(child));
  installHandlers();
}

/** Removes the directory when this process exits (after the children are killed), unless done before. */
export function removeOnExit(dir: string): () => void {
  tempDirs.add(dir);
  installHandlers();
  return () => {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once("exit", () => {
    for (const c of groups) killGroup(c, "SIGKILL");
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping the servers the benchmark started…`);
      process.exit(130);
    });
  }
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows as a newer directory
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

/** Whether a `next build` runs in this checkout (Linux /proc; .next/lock can outlive a killed build). */
function buildRunning(): boolean {
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const isBuild = argv.includes("build") && argv.some((a) => /(^|[/ ])next$/.test(a) || a === "next build");
      if (isBuild && readlinkSync(`/proc/${pid}/cwd`) === ROOT) return true;
    } catch {
      // the process ended, or is not ours to inspect
    }
  }
  return false;
}

/** The checkout's build: id and time, or null while there is none or a build is running. */
function finishedBuild(): { id: string; at: number } | null {
  const file = join(DIST, "BUILD_ID");
  if (!existsSync(file) || buildRunning()) return null;
  return { id: readFileSync(file, "utf8").trim(), at: statSync(file).mtimeMs };
}

async function waitForOtherBuild(log: (msg: string) => void) {
  if (!buildRunning()) return;
  log("another next build is running in this checkout: waiting for it…");
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (buildRunning()) {
    if (Date.now() > deadline) throw new Error(`another next build still runs after ${BUILD_WAIT_MS / 60_000} min`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function runBuild(): Promise<number | string> {
  const child = spawn("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr], detached: true });
  killOnExit(child);
  return new Promise((res, rej) => {
    child.once("error", rej);
    child.once("exit", (c, s) => res(s ?? c ?? 1));
  });
}

export interface Build {
  id: string;
  /** "reused" when .next was newer than the sources. */
  how: "reused" | "built";
  /** Private project dir to serve the build from. */
  dir: string;
  remove(): void;
}

/** Builds unless `.next/BUILD_ID` is newer than every source file, then copies the build. */
export async function prepareBuild(log: (msg: string) => void): Promise<Build> {
  let how: Build["how"] = "reused";
  for (let attempt = 0; ; attempt++) {
    await waitForOtherBuild(log);
    const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
    const before = finishedBuild();
    if (before && before.at > sourcesAt) {
      const dir = mkdtempSync(join(tmpdir(), "bench-next-"));
      cpSync(DIST, join(dir, ".next"), { recursive: true, filter: (src) => !/[/\\]\.next[/\\](cache|dev|trace|diagnostics|lock)([/\\]|$)/.test(src) });
      const after = finishedBuild();
      if (after && after.id === before.id && after.at === before.at) {
        for (const f of ["package.json", "next.config.ts"]) copyFileSync(join(ROOT, f), join(dir, f));
        cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
        symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
        if (existsSync(join(ROOT, "public"))) symlinkSync(join(ROOT, "public"), join(dir, "public"), "dir");
        log(how === "built" ? `built ${before.id}` : `reusing the production build in .next (BUILD_ID ${before.id}, newer than ${SOURCES.join(", ")})`);
        return { id: before.id, how, dir, remove: removeOnExit(dir) };
      }
      rmSync(dir, { recursive: true, force: true }); // a build started while copying: try again
    } else {
      if (attempt >= 3) throw new Error("no usable build after 3 attempts (builds keep changing under the benchmark)");
      log(before ? "the build in .next is older than the sources: running next build…" : "no finished build in .next: running next build…");
      const code = await runBuild();
      if (code !== 0 && !buildRunning()) throw new Error(`next build failed (${typeof code === "string" ? code : `exit ${code}`})`);
      how = "built"; // or, when another build held the lock, that build: either way fresh
    }
  }
}

export interface RunningDashboard {
  url: string;
  stop(): Promise<void>;
}

/** The production server of the build in `dir` on 127.0.0.1 and a free port; resolves once it answers. */
export async function startDashboard(dir: string, env: Record<string, string>, timeoutMs = 60_000): Promise<RunningDashboard> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(dir, "dist", "server.mjs")], {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  killOnExit(child);
  let exited: string | null = null;
  child.once("exit", (c, s) => (exited = s ?? `exit ${c}`));
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once("exit", () => res());
      killGroup(child, "SIGTERM");
      setTimeout(() => killGroup(child, "SIGKILL"), 5000).unref();
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`the dashboard exited during start (${exited})`);
    try {
      // The app icon: answers once the server listens, without rendering a page.
      if ((await fetch(`${url}/icon.svg`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the dashboard did not answer on ${url} within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}
