/**
 * `npm run api:diff [-- --base REV]`: are this checkout's public answers byte-identical to
 * REV's (default: main)? For refactors that promise unchanged behaviour (issue 16: "API answers
 * are byte-identical on the seeded e2e database before and after").
 *
 * Builds this checkout (reused when current) and REV (in a temporary git worktree), seeds one
 * PocketBase as the end-to-end tests do (tests/e2e/global-setup.ts: seed 2026, 30 days × 3,000
 * runs plus the contract rows), serves both builds against it, and fetches every URL of
 * scripts/lib/answer-urls.ts from both: status, Content-Type, Cache-Control and body must agree.
 * The one field allowed to differ is `data_as_of` (when each server read PocketBase). A pair that
 * differs is fetched again once (a clock hour can turn between the two requests). Prints the
 * differences and exits 1 when there are any; `--out FILE` writes them all as JSON.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { insertE2eRows } from "../tests/support/e2e-seed";
import { apiUrls, embedUrls } from "./lib/answer-urls";
import { prepareBuild, ROOT, removeOnExit, startDashboard, type RunningDashboard } from "./lib/dashboard-server";
import { freePort, migrate, servePocketBase, upsertReader, upsertSuperuser } from "./lib/pocketbase-server";

const SU = { email: "diff-admin@example.com", password: "diff-admin-password" };
const READER = { email: "diff-reader@example.com", password: "diff-reader-password" };
const COMPARED_HEADERS = ["content-type", "cache-control"] as const;

const log = (msg: string) => console.error(`[api:diff] ${msg}`);

/** REV's build in a temporary worktree: dependencies hard-linked from this checkout when the lockfiles agree, else installed. */
function buildRevision(rev: string): string {
  const sha = execFileSync("git", ["rev-parse", "--verify", `${rev}^{commit}`], { cwd: ROOT, encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), `api-diff-${sha.slice(0, 8)}-`));
  const removeDir = removeOnExit(dir);
  process.once("exit", () => spawnSync("git", ["worktree", "prune"], { cwd: ROOT }));
  execFileSync("git", ["worktree", "add", "--detach", "--force", dir, sha], { cwd: ROOT, stdio: "ignore" });
  const lock = execFileSync("git", ["show", `${sha}:package-lock.json`], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (lock === readFileSync(join(ROOT, "package-lock.json"), "utf8") && existsSync(join(ROOT, "node_modules"))) {
    log(`${rev} (${sha.slice(0, 8)}): linking this checkout's node_modules (same lockfile)…`);
    execFileSync("cp", ["-al", join(ROOT, "node_modules"), join(dir, "node_modules")]);
  } else {
    log(`${rev} (${sha.slice(0, 8)}): another lockfile, npm ci…`);
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", process.stderr, process.stderr] });
  }
  log(`${rev}: next build…`);
  const built = spawnSync("npm", ["run", "build"], { cwd: dir, stdio: ["ignore", process.stderr, process.stderr] });
  if (built.status !== 0) {
    removeDir();
    throw new Error(`the build of ${rev} failed`);
  }
  return dir;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function answer(base: string, url: string): Promise<Answer> {
  const res = await fetch(`${base}${url}`, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers.get(h) ?? ""]));
  // Binary answers compare as base64; text ones with the read time left out.
  const text = /^(image\/png|application\/octet-stream)/.test(res.headers.get("content-type") ?? "") ? bytes.toString("base64") : bytes.toString("utf8");
  return { status: res.status, headers, body: text.replace(/"data_as_of":("[^"]*"|null)/g, '"data_as_of":"…"') };
}

interface Difference {
  url: string;
  what: string;
  base: string;
  head: string;
}

function compare(url: string, a: Answer, b: Answer): Difference | null {
  if (a.status !== b.status) return { url, what: "status", base: String(a.status), head: String(b.status) };
  for (const h of COMPARED_HEADERS) {
    const [x = "", y = ""] = [a.headers[h], b.headers[h]];
    if (x !== y) return { url, what: h, base: x, head: y };
  }
  if (a.body === b.body) return null;
  let i = 0;
  while (a.body[i] === b.body[i]) i++;
  const around = (s: string) => s.slice(Math.max(0, i - 60), i + 100);
  return { url, what: `body from character ${i}`, base: around(a.body), head: around(b.body) };
}

/** Answers per status code (of this checkout), so a run where everything failed alike cannot pass unnoticed. */
const statuses = new Map<number, number>();

async function diffAll(urls: string[], base: RunningDashboard, head: RunningDashboard): Promise<Difference[]> {
  const differences: Difference[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++] ?? "";
      const here = await answer(head.url, url);
      let d = compare(url, await answer(base.url, url), here);
      statuses.set(here.status, (statuses.get(here.status) ?? 0) + 1);
      if (d) {
        await new Promise((r) => setTimeout(r, 1000));
        d = compare(url, await answer(base.url, url), await answer(head.url, url));
      }
      if (d) differences.push(d);
      if (++done % 200 === 0) log(`${done} / ${urls.length} compared, ${differences.length} differ`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return differences.sort((x, y) => x.url.localeCompare(y.url));
}

async function main() {
  const { values } = parseArgs({ options: { base: { type: "string", default: "main" }, out: { type: "string" } } });
  const rev = values.base ?? "main";
  const headBuild = await prepareBuild(log);
  const baseDir = buildRevision(rev);

  const dataDir = mkdtempSync(join(tmpdir(), "pb-api-diff-"));
  removeOnExit(dataDir);
  migrate(dataDir);
  upsertSuperuser(dataDir, SU.email, SU.password);
  log("seeding PocketBase as the end-to-end tests do…");
  insertE2eRows(join(dataDir, "data.db"));
  const pb = await servePocketBase(dataDir, await freePort(), { quiet: true });
  await upsertReader(pb.url, SU, READER);
  const env = {
    POCKETBASE_URL: pb.url,
    POCKETBASE_READER_EMAIL: READER.email,
    POCKETBASE_READER_PASSWORD: READER.password,
    RATE_LIMIT_PER_MINUTE: "0",
    PUBLIC_URL: "https://stats.example.org",
  };
  const [base, head] = await Promise.all([startDashboard(baseDir, env), startDashboard(headBuild.dir, env)]);
  try {
    const urls = [...apiUrls(), ...embedUrls()];
    log(`comparing ${urls.length} URLs: ${rev} vs this checkout…`);
    const differences = await diffAll(urls, base, head);
    if (values.out) writeFileSync(values.out, `${JSON.stringify(differences, null, 2)}\n`);
    for (const d of differences.slice(0, 20)) console.log(`✗ ${d.url} — ${d.what}\n    ${rev}: ${JSON.stringify(d.base)}\n    here: ${JSON.stringify(d.head)}`);
    if (differences.length > 20) console.log(`… and ${differences.length - 20} more${values.out ? ` (all in ${values.out})` : " (--out FILE lists them all)"}`);
    const tally = [...statuses].sort(([a], [b]) => a - b);
    console.log(`${urls.length - differences.length} of ${urls.length} answers identical to ${rev}; ${differences.length} differ`);
    console.log(`statuses: ${tally.map(([s, n]) => `${s} × ${n}`).join(", ")}`);
    // Two builds failing alike would agree on every answer: most of these URLs are valid and must answer 200.
    const ok = statuses.get(200) ?? 0;
    if (ok < urls.length / 2) console.log(`only ${ok} answers were 200: is PocketBase reachable with the reader's credentials?`);
    process.exitCode = differences.length > 0 || ok < urls.length / 2 ? 1 : 0;
  } finally {
    await Promise.all([base.stop(), head.stop()]);
    await pb.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
