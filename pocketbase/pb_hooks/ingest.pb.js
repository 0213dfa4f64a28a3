/// <reference path="../pb_data/types.d.ts" />
// POST /telemetry: the ingest URL of today's install scripts (misc/api.func "v3 single
// reporter"; point them here with TELEMETRY_URL=https://<this PocketBase>/telemetry). Every
// event is one JSON body; it changes the one run of its execution_id in _dev_telemetry_data
// (telemetry-ingest.cjs decides how) inside one transaction, and is answered only once stored:
// a 2xx means the run is on disk. PocketBase serves it, so ingest works while the dashboard is
// down. Rate limit: the "POST /telemetry" rule (pb_migrations/1796540000_telemetry_ingest.js,
// SECURITY.md). Answers never contain random_id, execution_id or error.
// Install: copy this file and telemetry-ingest.cjs, telemetry-decode.cjs, telemetry-mask.cjs,
// telemetry-signature.cjs into pb_hooks, restart PocketBase.

routerAdd(
  "POST",
  "/telemetry",
  (e) => {
    // Handlers run in a pooled VM of their own: everything they use is required here.
    const ingest = require(`${__hooks}/telemetry-ingest.cjs`);
    const NAME = "_dev_telemetry_data";
    const COLUMNS = ingest.KNOWN.concat(["phase", "fail_line", "fail_command"]);
    const answer = (status, body) => e.json(status, Object.assign({ status: status }, body));

    let body;
    try {
      body = toString(e.request.body, ingest.BODY_LIMIT + 1);
    } catch (_) {
      return answer(413, { message: `the body is larger than ${ingest.BODY_LIMIT} bytes` });
    }
    if (body.length > ingest.BODY_LIMIT) return answer(413, { message: `the body is larger than ${ingest.BODY_LIMIT} bytes` });
    const decoded = ingest.decode(body);
    if (decoded.error) return answer(400, { message: decoded.error });
    const checked = ingest.normalize(decoded.fields);
    if (checked.error) return answer(400, { message: checked.error });
    const event = checked.event;

    let plan;
    try {
      e.app.runInTransaction((tx) => {
        // The unique index on execution_id is partial (WHERE execution_id != ''): SQLite uses it
        // only when the query repeats that condition, else it scans every run.
        const found = arrayOf(new DynamicModel({ id: "" }));
        tx.db().newQuery(`SELECT id FROM ${NAME} WHERE execution_id = {:key} AND execution_id != '' LIMIT 1`).bind({ key: event.key }).all(found);
        let record = found.length ? tx.findRecordById(NAME, found[0].id) : null;
        let stored = null;
        if (record) {
          stored = {};
          for (const c of COLUMNS) stored[c] = record.get(c);
          stored.status = record.getString("status");
        }
        plan = ingest.merge(stored, event, Date.now());
        if (plan.action === "none") return;
        if (!record) record = new Record(tx.findCollectionByNameOrId(NAME));
        for (const c in plan.values) record.set(c, plan.values[c]);
        // When the install started (the event says how long ago), not when this event arrived.
        if (plan.action === "create") record.setRaw("created", new DateTime(new Date(plan.created).toISOString()));
        tx.save(record);
      });
    } catch (err) {
      const message = String(err?.message ? err.message : err);
      // A value the collection refuses (its field options) is the client's: 400 with the reason.
      if (/validation|invalid|must be|cannot be/i.test(message)) return answer(400, { message: `refused by the collection: ${message}` });
      console.log(`[telemetry] could not store an event: ${message}`);
      e.response.header().set("Retry-After", "5");
      return answer(503, { message: "the event could not be stored now: send it again" });
    }

    if (decoded.how !== "json") plan.notes.unshift(`the body was not valid JSON: its fields were ${decoded.how}`);
    return answer(plan.action === "create" ? 201 : 200, {
      stored: plan.action === "create" ? "created" : plan.action === "update" ? "updated" : "unchanged",
      outcome: plan.status,
      notes: plan.notes,
    });
  },
  $apis.bodyLimit(131072),
);

// The URL takes POST only; say so rather than PocketBase's 404.
for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
  routerAdd(method, "/telemetry", (e) => {
    e.response.header().set("Allow", "POST");
    return e.json(405, { status: 405, message: "POST one JSON event per request (see the install scripts' misc/api.func)" });
  });
}
