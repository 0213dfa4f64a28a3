/**
 * `npm run changes:import -- --repo PATH [--since DATE] [--repository owner/name]`: backfills
 * `script_changes` from `git log` of a local clone of the scripts' repository, through
 * PocketBase's import route (pb_hooks/script_changes.pb.js) — the route the webhook's rows go
 * through too, so both give the same rows. Re-running stores nothing twice (docs/CHANGES.md).
 *
 * PocketBase: POCKETBASE_URL (default http://127.0.0.1:8090) and a superuser from
 * POCKETBASE_SUPERUSER_EMAIL / POCKETBASE_SUPERUSER_PASSWORD, else the demo's
 * .data/credentials.json.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gitCommits, githubRepository } from "./lib/git-changes";
import { superuserCredentials } from "./lib/superuser";

const BATCH = 200;
const USAGE = "usage: npm run changes:import -- --repo PATH [--since YYYY-MM-DD] [--repository owner/name]";

function die(message: string): never {
  console.error(`changes:import: ${message}`);
  process.exit(1);
}

function superuser(): { email: string; password: string } {
  return superuserCredentials() ?? die("set POCKETBASE_SUPERUSER_EMAIL and POCKETBASE_SUPERUSER_PASSWORD (or run the demo once for .data/credentials.json)");
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) die(`${url} answered ${res.status}: ${String(json.error ?? json.message ?? text.slice(0, 200))}`);
  return json;
}

async function main() {
  let values: { repo?: string; since?: string; repository?: string };
  try {
    ({ values } = parseArgs({ options: { repo: { type: "string" }, since: { type: "string" }, repository: { type: "string" } } }));
  } catch (err) {
    return die(`${(err as Error).message}\n${USAGE}`);
  }
  if (!values.repo) return die(USAGE);
  const repo = resolve(values.repo);
  if (!existsSync(repo)) return die(`--repo ${repo}: no such directory`);
  if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/.test(values.since)) {
    return die(`--since ${JSON.stringify(values.since)}: expected a date, YYYY-MM-DD`);
  }
  const repository = values.repository ?? githubRepository(repo);
  if (!repository || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    return die("cannot tell the GitHub repository from the clone's origin: pass --repository owner/name");
  }
  const commits = gitCommits(repo, { since: values.since });
  const base = (process.env.POCKETBASE_URL ?? "http://127.0.0.1:8090").replace(/\/+$/, "");
  const auth = await post(`${base}/api/collections/_superusers/auth-with-password`, { identity: superuser().email, password: superuser().password });
  const token = String(auth.token);
  let stored = 0;
  let existing = 0;
  for (let i = 0; i < commits.length; i += BATCH) {
    const res = await post(`${base}/api/script-changes/import`, { repository, commits: commits.slice(i, i + BATCH) }, token);
    stored += Number(res.stored);
    existing += Number(res.existing);
  }
  console.log(`${repository}: ${commits.length} commits read, ${stored} stored, ${existing} already stored`);
}

await main();
