/// <reference path="../pb_data/types.d.ts" />
// One run, one row: refuses a second record with a random_id already stored, on databases
// whose random_id index is not unique. 1763800000_telemetry.js makes that index unique — unless
// the collection already held duplicate random_ids, when it could only make a plain index and
// new duplicates (an installer's repeated POST) were accepted and counted twice. Here two
// triggers refuse them as a unique index would (PocketBase answers 400; the installer's PATCH
// then finds the first record by its random_id). Existing duplicates stay until an operator
// merges them: `npm run rollups -- duplicates --merge` keeps the most complete row of each,
// makes the index unique and drops these triggers (README, "Duplicate runs").
// On a database whose index is unique this migration does nothing.
// Only records-API runs (execution_id empty) count: a run of today's protocol (POST /telemetry,
// 1796540000_telemetry_ingest.js, applied before this) has an execution_id, and a retry from the
// scripts' recovery menu is a new run under the same random_id.

const NAME = "_dev_telemetry_data";
const INDEX = "idx_telemetry_random_id";
const EXISTS = "NEW.execution_id = '' AND EXISTS (SELECT 1 FROM " + NAME + " WHERE random_id = NEW.random_id AND execution_id = '')";
const RAISE = "SELECT RAISE(ABORT, 'random_id must be unique: this run is stored already');";
const TRIGGERS = {
  telemetry_random_id_unique: "BEFORE INSERT ON " + NAME + " WHEN " + EXISTS,
  telemetry_random_id_unique_update: "BEFORE UPDATE OF random_id, execution_id ON " + NAME + " WHEN NEW.random_id IS NOT OLD.random_id AND " + EXISTS,
};

function exec(app, sql) {
  app.db().newQuery(sql).execute();
}

migrate(
  (app) => {
    const index = new DynamicModel({ unique: 0, n: 0 });
    app
      .db()
      .newQuery("SELECT COUNT(*) AS n, COALESCE(MAX(\"unique\"), 0) AS \"unique\" FROM pragma_index_list('" + NAME + "') WHERE name = '" + INDEX + "'")
      .one(index);
    if (index.n === 0 || index.unique === 1) return;
    for (const name in TRIGGERS) exec(app, "CREATE TRIGGER IF NOT EXISTS " + name + " " + TRIGGERS[name] + " BEGIN " + RAISE + " END");
    console.log("[telemetry] random_id index not unique: new duplicates are refused; merge the old ones with `npm run rollups -- duplicates --merge`");
  },
  (app) => {
    for (const name in TRIGGERS) exec(app, "DROP TRIGGER IF EXISTS " + name);
  },
);
