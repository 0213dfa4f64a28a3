/// <reference path="../pb_data/types.d.ts" />
// Today's install-script protocol (POST /telemetry, pb_hooks/ingest.pb.js) on the telemetry
// collection. Safe on a production PocketBase with data: rows are not rewritten.
//  - The payload's newer fields as optional columns, with bounds (their empty value on older rows).
//  - `execution_id` unique where set: one row per install attempt. `random_id` stays unique for
//    runs of the records API (execution_id empty) only: a retry from the scripts' recovery menu
//    is a new execution under the same session.
//  - `error` up to 16,000 characters: the scripts' failure trace (up to 10 KB of output) whole.
//  - The records API keeps the older protocol exactly: a create may not set the new fields, a
//    PATCH may not change them (every field is frozen by name, so each new field needs its own
//    `:isset = false`).
//  - The "POST /telemetry" rate limit.
// SECURITY.md explains every bound and limit; tests/integration/ingest*.test.ts check them.

const NAME = "_dev_telemetry_data";
const ID_PATTERN = "^[A-Za-z0-9_-]+$";
const NEW_FIELDS = [
  { type: "text", name: "execution_id", max: 64, pattern: ID_PATTERN },
  // The last progress status of the run (installing, validation, configuring); empty before any.
  { type: "text", name: "phase", max: 16, pattern: "^(installing|validation|configuring)$" },
  { type: "text", name: "error_category", max: 32, pattern: "^[a-z_]+$" },
  { type: "number", name: "install_duration", min: 0, max: 86400, onlyInt: true },
  { type: "text", name: "cpu_vendor", max: 16, pattern: "^[a-z]+$" },
  { type: "text", name: "cpu_model", max: 64 },
  { type: "text", name: "gpu_vendor", max: 16, pattern: "^[a-z]+$" },
  { type: "text", name: "gpu_model", max: 64 },
  { type: "text", name: "gpu_passthrough", max: 16, pattern: "^[a-z]+$" },
  { type: "number", name: "ram_speed", min: 0, max: 100000, onlyInt: true },
  { type: "text", name: "arch", max: 16, pattern: "^[a-z0-9_-]+$" },
  { type: "text", name: "platform", max: 16, pattern: "^[a-z0-9_-]+$" },
  { type: "bool", name: "has_arm" },
  { type: "text", name: "repo_source", max: 16, pattern: "^(ProxmoxVE|ProxmoxVED|external)$" },
  { type: "text", name: "repo_slug", max: 128, pattern: "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$" },
];
const ERROR_MAX = { up: 16000, down: 5000 };
const EXECUTION_INDEX = "CREATE UNIQUE INDEX idx_telemetry_execution_id ON " + NAME + " (execution_id) WHERE execution_id != ''";
const RANDOM_INDEX = {
  up: "CREATE UNIQUE INDEX idx_telemetry_random_id ON " + NAME + " (random_id) WHERE execution_id = ''",
  unique: "CREATE UNIQUE INDEX idx_telemetry_random_id ON " + NAME + " (random_id)",
  plain: "CREATE INDEX idx_telemetry_random_id ON " + NAME + " (random_id)",
};
// One install sends 3–6 events; 300 a minute per address is 50–100 installs (SECURITY.md).
const RATE_LIMIT = { label: "POST /telemetry", audience: "", maxRequests: 300, duration: 60 };

// Fields a records-API PATCH may change (as pb_migrations/1795990000_telemetry_write_rules.js).
const PATCHABLE = ["status", "exit_code", "error"];
const CREATE_RULE = '@request.body.id:isset = false && @request.body.status = "installing"';

function updateRule(fieldNames) {
  const frozen = ["id"].concat(fieldNames.filter((n) => n !== "id" && PATCHABLE.indexOf(n) < 0));
  return ['status = "installing"', "@request.body.status:isset = true", '@request.body.status != "installing"']
    .concat(frozen.map((n) => "@request.body." + n + ":isset = false"))
    .join(" && ");
}

const indexName = (sql) => sql.split(" ON ")[0].split(" ").pop();
const withoutIndex = (indexes, name) => indexes.filter((ix) => indexName(ix) !== name);

function duplicateRandomIds(app) {
  const dup = new DynamicModel({ n: 0 });
  app
    .db()
    .newQuery("SELECT COUNT(*) AS n FROM (SELECT 1 FROM " + NAME + " GROUP BY random_id HAVING COUNT(*) > 1)")
    .one(dup);
  return dup.n;
}

function sameRule(a, b) {
  return a.label === b.label && (a.audience || "") === (b.audience || "");
}

migrate(
  (app) => {
    const telemetry = app.findCollectionByNameOrId(NAME);
    for (const f of NEW_FIELDS) {
      if (telemetry.fields.getByName(f.name)) continue;
      const options = Object.assign({}, f);
      delete options.type;
      telemetry.fields.add(f.type === "text" ? new TextField(options) : f.type === "number" ? new NumberField(options) : new BoolField(options));
    }
    telemetry.fields.getByName("error").max = ERROR_MAX.up;

    // random_id: unique among records-API runs if it was unique (a database that already held
    // duplicates keeps its plain index, see 1763800000_telemetry.js).
    const randomIndex = telemetry.indexes.find((ix) => indexName(ix) === "idx_telemetry_random_id");
    let indexes = withoutIndex(telemetry.indexes, "idx_telemetry_execution_id");
    if (!randomIndex || /UNIQUE/i.test(randomIndex)) indexes = withoutIndex(indexes, "idx_telemetry_random_id").concat([RANDOM_INDEX.up]);
    telemetry.indexes = indexes.concat([EXECUTION_INDEX]);

    telemetry.createRule = CREATE_RULE + NEW_FIELDS.map((f) => " && @request.body." + f.name + ":isset = false").join("");
    telemetry.updateRule = updateRule(telemetry.fields.fieldNames());
    app.save(telemetry);

    const settings = app.settings();
    settings.rateLimits.rules = settings.rateLimits.rules.filter((r) => !sameRule(r, RATE_LIMIT)).concat([RATE_LIMIT]);
    settings.rateLimits.enabled = true;
    app.save(settings);
  },
  (app) => {
    // Back to the write rules' state. The new columns and what they hold are dropped (the rows
    // stay); runs of today's protocol then look like records-API runs.
    const telemetry = app.findCollectionByNameOrId(NAME);
    for (const f of NEW_FIELDS) telemetry.fields.removeByName(f.name);
    telemetry.fields.getByName("error").max = ERROR_MAX.down;
    const dup = duplicateRandomIds(app);
    if (dup > 0) console.log("[telemetry] " + dup + " random_id values have several runs (retries): random_id index created non-unique");
    telemetry.indexes = withoutIndex(withoutIndex(telemetry.indexes, "idx_telemetry_execution_id"), "idx_telemetry_random_id").concat([
      dup > 0 ? RANDOM_INDEX.plain : RANDOM_INDEX.unique,
    ]);
    telemetry.createRule = CREATE_RULE;
    telemetry.updateRule = updateRule(telemetry.fields.fieldNames());
    app.save(telemetry);

    const settings = app.settings();
    settings.rateLimits.rules = settings.rateLimits.rules.filter((r) => !sameRule(r, RATE_LIMIT));
    app.save(settings);
  },
);
