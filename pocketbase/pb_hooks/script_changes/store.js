/// <reference path="../../pb_data/types.d.ts" />
// Script changes: the two ways in (GitHub's push webhook, the superuser's backfill) and the one
// way to store a commit. Required by ../script_changes.pb.js inside each handler (PocketBase
// runs every handler in its own JS context: module-level state is never shared). Method and
// decisions: docs/CHANGES.md.

const CHANGES = "script_changes";
const DELIVERIES = "script_change_deliveries";
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const DELIVERY = /^[A-Za-z0-9-]{1,64}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
/** GitHub caps a delivery at 25 MB. */
const MAX_BODY = 25 * 1024 * 1024;
const MAX_PATHS = 5000;
const MAX_PATH_LENGTH = 1024;
const MAX_IMPORT_COMMITS = 500;

function paths() {
  return require(`${__hooks}/script_changes/paths.js`);
}

function fail(status, message) {
  const err = new Error(message);
  err.status = status;
  return err;
}

function firstLine(message) {
  const line = String(message || "")
    .split("\n")[0]
    .trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function hasControl(text) {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 32) return true;
  return false;
}

function isoTime(value, what) {
  const ms = typeof value === "number" ? value * 1000 : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw fail(400, `${what}: not a time`);
  return new Date(ms).toISOString();
}

/** One commit as stored, from what either source says about it; throws 400 on anything odd. */
function normalize(repository, c) {
  const sha = String((c && (c.sha || c.id)) || "");
  if (!SHA.test(sha)) throw fail(400, `commit ${sha.slice(0, 64)}: not a commit sha`);
  const changed = Array.isArray(c.paths) ? c.paths : [];
  if (changed.length > MAX_PATHS) throw fail(400, `commit ${sha}: more than ${MAX_PATHS} paths`);
  for (const p of changed) {
    if (typeof p !== "string" || !p || p.length > MAX_PATH_LENGTH || hasControl(p)) throw fail(400, `commit ${sha}: a path is not a file path`);
  }
  const unique = changed.filter((p, i) => changed.indexOf(p) === i).sort();
  const mapped = paths().mapPaths(unique);
  return {
    repository,
    sha,
    committed: isoTime(c.committed || c.timestamp, `commit ${sha}`),
    message: firstLine(c.message),
    url: `https://github.com/${repository}/commit/${sha}`,
    paths: unique,
    apps: mapped.apps,
    shared: mapped.shared,
  };
}

function findChange(app, repository, sha) {
  try {
    return app.findFirstRecordByFilter(CHANGES, "repository = {:repository} && sha = {:sha}", { repository, sha });
  } catch (_) {
    return null;
  }
}

/**
 * Stores each commit once per repository (idempotent by sha). A commit already stored is left
 * as it is, except that the push time the backfill could not know is filled in.
 */
function storeCommits(app, repository, commits, pushed) {
  if (!REPOSITORY.test(repository)) throw fail(400, "repository: expected owner/name");
  const rows = commits.map((c) => normalize(repository, c));
  const collection = app.findCollectionByNameOrId(CHANGES);
  let stored = 0;
  let existing = 0;
  for (const row of rows) {
    const found = findChange(app, repository, row.sha);
    if (found) {
      existing++;
      if (pushed && !found.getString("pushed")) {
        found.set("pushed", pushed);
        app.save(found);
      }
      continue;
    }
    const record = new Record(collection);
    for (const key in row) record.set(key, row[key]);
    if (pushed) record.set("pushed", pushed);
    app.save(record);
    stored++;
  }
  return { stored, existing };
}

function answer(e, fn) {
  try {
    return e.json(200, fn());
  } catch (err) {
    if (err?.status) return e.json(err.status, { error: err.message });
    throw err;
  }
}

/** Remembers a delivery; a delivery id or body seen before is a replay. */
function remember(app, delivery, bodyHash, event) {
  const seen = app.findRecordsByFilter(DELIVERIES, "delivery = {:delivery} || body_sha256 = {:body}", "", 1, 0, { delivery, body: bodyHash });
  if (seen.length) throw fail(409, "replayed delivery: this delivery (or its body) was accepted before");
  const record = new Record(app.findCollectionByNameOrId(DELIVERIES));
  record.set("delivery", delivery);
  record.set("body_sha256", bodyHash);
  record.set("event", event);
  try {
    app.save(record);
  } catch (_) {
    throw fail(409, "replayed delivery: this delivery (or its body) was accepted before");
  }
}

function pushCommits(payload) {
  const list = Array.isArray(payload.commits) && payload.commits.length ? payload.commits : payload.head_commit ? [payload.head_commit] : [];
  return list.map((c) => ({
    id: c.id,
    timestamp: c.timestamp,
    message: c.message,
    paths: [].concat(c.added || [], c.modified || [], c.removed || []),
  }));
}

/** What a remembered delivery does: a ping is answered, a push to the default branch stored, the rest ignored. */
function pushResult(tx, event, payload, delivery) {
  if (event === "ping") return { ok: true, event, delivery };
  if (event !== "push") return { ignored: `event ${event}`, delivery };
  const repo = payload.repository || {};
  const branch = `refs/heads/${repo.default_branch || "main"}`;
  if (payload.ref !== branch || payload.deleted) return { ignored: `not a push to ${branch}`, delivery };
  const pushed = repo.pushed_at ? isoTime(repo.pushed_at, "repository.pushed_at") : new Date().toISOString();
  return Object.assign({ delivery }, storeCommits(tx, String(repo.full_name || ""), pushCommits(payload), pushed));
}

/** POST /api/script-changes/github: a GitHub webhook delivery (content type application/json). */
function handleGithub(e) {
  return answer(e, () => {
    const secret = $os.getenv("GITHUB_WEBHOOK_SECRET");
    if (!secret) throw fail(503, "GITHUB_WEBHOOK_SECRET is not set: deliveries are refused");
    const body = toString(e.request.body, MAX_BODY + 1);
    if (body.length > MAX_BODY) throw fail(413, "body larger than 25 MB");
    const signature = e.request.header.get("X-Hub-Signature-256");
    if (!SIGNATURE.test(signature)) throw fail(401, "missing or malformed X-Hub-Signature-256");
    if (!$security.equal(`sha256=${$security.hs256(body, secret)}`, signature)) throw fail(401, "signature does not match");
    // Signed by GitHub from here on.
    const delivery = e.request.header.get("X-GitHub-Delivery");
    if (!DELIVERY.test(delivery)) throw fail(400, "missing or malformed X-GitHub-Delivery");
    const event = e.request.header.get("X-GitHub-Event");
    let payload;
    try {
      payload = JSON.parse(body);
    } catch (_) {
      throw fail(400, "body is not JSON: set the webhook's content type to application/json");
    }
    let result = null;
    // The callback's return value is PocketBase's error: it must return nothing.
    e.app.runInTransaction((tx) => {
      remember(tx, delivery, $security.sha256(body), event);
      result = pushResult(tx, event, payload, delivery);
    });
    return result;
  });
}

/** POST /api/script-changes/import (superuser): {repository, commits: [{sha, committed, message, paths}]} from `npm run changes:import`. */
function handleImport(e) {
  return answer(e, () => {
    const body = e.requestInfo().body || {};
    const commits = body.commits;
    if (!Array.isArray(commits) || commits.length > MAX_IMPORT_COMMITS) throw fail(400, `commits: expected a list of at most ${MAX_IMPORT_COMMITS}`);
    let result = null;
    e.app.runInTransaction((tx) => {
      result = storeCommits(tx, String(body.repository || ""), commits, null);
    });
    return result;
  });
}

module.exports = { handleGithub, handleImport };
