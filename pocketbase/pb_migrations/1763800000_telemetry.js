/// <reference path="../pb_data/types.d.ts" />
// The telemetry collection the install scripts write to, and the reader accounts the
// dashboard's server uses to list raw records. Safe on an existing production PocketBase:
// an existing `_dev_telemetry_data` keeps its data; missing statuses, indexes and the
// rules below are added. See README "Install on a production PocketBase" and SECURITY.md.

const NAME = "_dev_telemetry_data";
const READERS = "telemetry_readers";
const STATUSES = ["installing", "sucess", "failed", "unknown", "success", "aborted"];
const READER_RULE = '@request.auth.collectionName = "' + READERS + '"';

const RULES = {
  listRule: READER_RULE,
  viewRule: READER_RULE,
  createRule: "",
  // Installers PATCH their run once, while it is still installing (see SECURITY.md).
  updateRule: 'status = "installing"',
  deleteRule: null,
};

function indexes(unique) {
  return [
    "CREATE " + (unique ? "UNIQUE " : "") + "INDEX idx_telemetry_random_id ON " + NAME + " (random_id)",
    "CREATE INDEX idx_telemetry_app_created ON " + NAME + " (nsapp, created)",
    "CREATE INDEX idx_telemetry_status_created ON " + NAME + " (status, created)",
    "CREATE INDEX idx_telemetry_created ON " + NAME + " (created)",
  ];
}

function findOrNull(app, name) {
  try {
    return app.findCollectionByNameOrId(name);
  } catch (_) {
    return null;
  }
}

migrate(
  (app) => {
    let readers = findOrNull(app, READERS);
    if (!readers) {
      readers = new Collection({
        type: "auth",
        name: READERS,
        // Accounts are made by a superuser (the demo makes one); nobody signs up.
        listRule: "id = @request.auth.id",
        viewRule: "id = @request.auth.id",
        createRule: null,
        updateRule: null,
        deleteRule: null,
        passwordAuth: { enabled: true, identityFields: ["email"] },
      });
      app.save(readers);
    }

    let telemetry = findOrNull(app, NAME);
    if (!telemetry) {
      telemetry = new Collection(
        Object.assign({ type: "base", name: NAME }, RULES, {
          fields: [
            { name: "random_id", type: "text", required: true, max: 64 },
            { name: "type", type: "select", required: true, maxSelect: 1, values: ["lxc", "vm", "addon", "pve"] },
            // Not `required`: PocketBase's required number means non-zero, and 0 = privileged LXC.
            { name: "ct_type", type: "number", onlyInt: true, min: 0, max: 2 },
            { name: "nsapp", type: "text", required: true, max: 128 },
            { name: "status", type: "select", required: true, maxSelect: 1, values: STATUSES },
            { name: "disk_size", type: "number" },
            { name: "core_count", type: "number" },
            { name: "ram_size", type: "number" },
            { name: "os_type", type: "text", max: 64 },
            { name: "os_version", type: "text", max: 64 },
            { name: "pve_version", type: "text", max: 64 },
            { name: "method", type: "text", max: 64 },
            { name: "error", type: "text", max: 5000 },
            { name: "exit_code", type: "number", onlyInt: true, min: 0, max: 255 },
            { name: "created", type: "autodate", onCreate: true, onUpdate: false },
            { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
          ],
          indexes: indexes(true),
        }),
      );
      app.save(telemetry);
      return;
    }

    // Existing production collection: widen the status select, add indexes, set the rules.
    const status = telemetry.fields.getByName("status");
    if (status) {
      const values = status.values.slice();
      for (const s of STATUSES) if (values.indexOf(s) < 0) values.push(s);
      status.values = values;
    }
    const dup = new DynamicModel({ n: 0 });
    app
      .db()
      .newQuery("SELECT COUNT(*) AS n FROM (SELECT 1 FROM " + NAME + " GROUP BY random_id HAVING COUNT(*) > 1)")
      .one(dup);
    if (dup.n > 0) {
      console.log("[telemetry] " + dup.n + " duplicate random_id values: random_id index created non-unique");
    }
    const wanted = indexes(dup.n === 0);
    const have = telemetry.indexes.map((ix) => ix.split(" ON ")[0].split(" ").pop());
    for (const ix of wanted) {
      const name = ix.split(" ON ")[0].split(" ").pop();
      if (have.indexOf(name) < 0) telemetry.indexes.push(ix);
    }
    Object.assign(telemetry, RULES);
    app.save(telemetry);
  },
  (app) => {
    // The telemetry collection holds production data: it is never dropped by a down migration,
    // nor are its statuses (rows may hold them) or indexes. Its rules from before the up are not
    // recorded, so none is restored: list and view become superuser-only (they named the reader
    // accounts, which go); create stays open and update stays "only while installing" — the
    // narrowest rules under which the installers' POST and PATCH still work.
    const telemetry = findOrNull(app, NAME);
    if (telemetry) {
      telemetry.listRule = null;
      telemetry.viewRule = null;
      app.save(telemetry);
    }
    const readers = findOrNull(app, READERS);
    if (readers) app.delete(readers);
  },
);
