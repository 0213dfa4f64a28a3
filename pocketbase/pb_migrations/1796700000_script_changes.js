/// <reference path="../pb_data/types.d.ts" />
// Script changes: the commits of the scripts' repository, with the apps their paths map to
// (docs/CHANGES.md). Filled by pb_hooks/script_changes.pb.js — GitHub's signed push webhook
// and the backfill (`npm run changes:import`) — never by a public write.
//  - script_changes: public facts only (sha, repository, times, the message's first line, the
//    commit's URL, changed paths, mapped apps), so anyone may read them; nobody but a superuser
//    or the hook writes. One row per repository and commit.
//  - script_change_deliveries: the webhook deliveries already accepted (GitHub's delivery id
//    and the body's SHA-256), so a replay is refused. Superuser only.

const CHANGES = "script_changes";
const DELIVERIES = "script_change_deliveries";
const SHA_PATTERN = "^[0-9a-f]{40}([0-9a-f]{24})?$"; // SHA-1, or SHA-256 repositories
const REPOSITORY_PATTERN = "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$";

function findOrNull(app, name) {
  try {
    return app.findCollectionByNameOrId(name);
  } catch (_) {
    return null;
  }
}

migrate(
  (app) => {
    if (!findOrNull(app, CHANGES)) {
      app.save(
        new Collection({
          type: "base",
          name: CHANGES,
          listRule: "",
          viewRule: "",
          createRule: null,
          updateRule: null,
          deleteRule: null,
          fields: [
            { name: "repository", type: "text", required: true, max: 140, pattern: REPOSITORY_PATTERN },
            { name: "sha", type: "text", required: true, max: 64, pattern: SHA_PATTERN },
            // The commit's own time (GitHub's `timestamp`, git's committer date) …
            { name: "committed", type: "date", required: true },
            // … and when it reached the default branch (the push), known only from the webhook.
            { name: "pushed", type: "date" },
            { name: "message", type: "text", max: 200 },
            { name: "url", type: "url", required: true, onlyDomains: ["github.com"] },
            { name: "paths", type: "json", maxSize: 1000000 },
            { name: "apps", type: "json", maxSize: 100000 },
            { name: "shared", type: "json", maxSize: 100 },
            { name: "created", type: "autodate", onCreate: true, onUpdate: false },
            { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
          ],
          indexes: [
            "CREATE UNIQUE INDEX idx_script_changes_repo_sha ON " + CHANGES + " (repository, sha)",
            "CREATE INDEX idx_script_changes_committed ON " + CHANGES + " (committed)",
            "CREATE INDEX idx_script_changes_pushed ON " + CHANGES + " (pushed)",
          ],
        }),
      );
    }
    if (!findOrNull(app, DELIVERIES)) {
      app.save(
        new Collection({
          type: "base",
          name: DELIVERIES,
          listRule: null,
          viewRule: null,
          createRule: null,
          updateRule: null,
          deleteRule: null,
          fields: [
            { name: "delivery", type: "text", required: true, max: 64 },
            { name: "body_sha256", type: "text", required: true, max: 64 },
            { name: "event", type: "text", max: 64 },
            { name: "created", type: "autodate", onCreate: true, onUpdate: false },
          ],
          indexes: [
            "CREATE UNIQUE INDEX idx_script_change_deliveries_delivery ON " + DELIVERIES + " (delivery)",
            "CREATE UNIQUE INDEX idx_script_change_deliveries_body ON " + DELIVERIES + " (body_sha256)",
          ],
        }),
      );
    }
  },
  (app) => {
    for (const name of [DELIVERIES, CHANGES]) {
      const c = findOrNull(app, name);
      if (c) app.delete(c);
    }
  },
);
