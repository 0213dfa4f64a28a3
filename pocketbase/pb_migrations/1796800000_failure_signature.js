/// <reference path="../pb_data/types.d.ts" />
// The failure signature of a run — the command that failed and its line, normalised — as two
// columns of the telemetry collection, so the rollups can group failures by it exactly:
//  - `fail_line` (0: not reported) and `fail_command` ('': none), derived from `error` by
//    pb_hooks/telemetry-signature.cjs on every write (POST /telemetry, the records API's hook,
//    the history import). Neither protocol sends them: the records API may not set them (create
//    and update rules), POST /telemetry ignores them in a payload.
//  - The rows already stored get theirs here (backfill), from the head of their error text,
//    in pages of 2,000 by id. Only failures of today's scripts carry a command ("| at line L:").
//    Rows are changed with SQL: no rollup of the previous release reads these columns, so no
//    trigger fires; the next rollup migration builds the failing-command rollups from them.
// Needs pb_hooks/telemetry-signature.cjs and telemetry-mask.cjs in the hooks directory first
// (README "Upgrade": copy the hooks' .cjs modules before the migrations of this release).

const NAME = "_dev_telemetry_data";
const NEW_FIELDS = [
  { type: "number", name: "fail_line", min: 0, max: 1000000, onlyInt: true },
  { type: "text", name: "fail_command", max: 200 },
];
// Fields a records-API PATCH may change (as pb_migrations/1795990000_telemetry_write_rules.js).
const PATCHABLE = ["status", "exit_code", "error"];
const PAGE = 2000;

function updateRule(fieldNames) {
  const frozen = ["id"].concat(fieldNames.filter((n) => n !== "id" && PATCHABLE.indexOf(n) < 0));
  return ['status = "installing"', "@request.body.status:isset = true", '@request.body.status != "installing"']
    .concat(frozen.map((n) => "@request.body." + n + ":isset = false"))
    .join(" && ");
}

function signatureModule() {
  try {
    return require(__hooks + "/telemetry-signature.cjs");
  } catch (err) {
    throw new Error(
      "1796800000_failure_signature.js needs telemetry-signature.cjs and telemetry-mask.cjs in the hooks directory (" +
        __hooks +
        "): copy pocketbase/pb_hooks/*.cjs there first, then apply the migration again (" +
        err +
        ")",
    );
  }
}

migrate(
  (app) => {
    const signature = signatureModule();
    const telemetry = app.findCollectionByNameOrId(NAME);
    for (const f of NEW_FIELDS) {
      if (telemetry.fields.getByName(f.name)) continue;
      const options = Object.assign({}, f);
      delete options.type;
      telemetry.fields.add(f.type === "text" ? new TextField(options) : new NumberField(options));
    }
    const frozen = NEW_FIELDS.map((f) => " && @request.body." + f.name + ":isset = false").join("");
    if (telemetry.createRule && telemetry.createRule.indexOf("@request.body.fail_line:isset") < 0) telemetry.createRule += frozen;
    telemetry.updateRule = updateRule(telemetry.fields.fieldNames());
    app.save(telemetry);

    // Backfill: every row whose error text names a command.
    let after = "";
    let filled = 0;
    for (;;) {
      const page = arrayOf(new DynamicModel({ id: "", head: "" }));
      app
        .db()
        .newQuery(
          "SELECT id, substr(error, 1, 2000) AS head FROM " +
            NAME +
            " WHERE id > {:after} AND error LIKE 'exit_code=%' AND (error LIKE '%| at line %' OR error LIKE '%| command: %') ORDER BY id LIMIT " +
            PAGE,
        )
        .bind({ after: after })
        .all(page);
      for (const row of page) {
        const sig = signature.signatureColumns(row.head);
        if (!sig.fail_command) continue;
        app
          .db()
          .newQuery("UPDATE " + NAME + " SET fail_line = {:line}, fail_command = {:command} WHERE id = {:id}")
          .bind({ line: sig.fail_line, command: sig.fail_command, id: row.id })
          .execute();
        filled++;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
    }
    if (filled > 0) console.log("[telemetry] failure signatures derived for " + filled + " stored runs");
  },
  (app) => {
    // The columns and what they hold go; the error texts they came from stay.
    const telemetry = app.findCollectionByNameOrId(NAME);
    for (const f of NEW_FIELDS) telemetry.fields.removeByName(f.name);
    if (telemetry.createRule) {
      telemetry.createRule = telemetry.createRule
        .split(" && ")
        .filter((part) => NEW_FIELDS.every((f) => part !== "@request.body." + f.name + ":isset = false"))
        .join(" && ");
    }
    telemetry.updateRule = updateRule(telemetry.fields.fieldNames());
    app.save(telemetry);
  },
);
