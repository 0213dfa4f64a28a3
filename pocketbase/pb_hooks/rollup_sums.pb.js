/// <reference path="../pb_data/types.d.ts" />
// GET /api/rollups/{rollup}/sums?from=…&to=…[&repo=…]: every key's counts over [from, to] from a rollup
// (those of its `<rollup>_range` view without filter), as one JSON array of arrays built by
// SQLite: `[[key…, success, failed, aborted, unknown, installing], …]`, in no particular order
// (keys without runs in the range included). The records API spends ~40 µs on every record it
// returns; this answers ~650 apps in one text (docs/ROLLUPS.md, "Range sums"). Public, like the rollups and their views. Days are
// YYYY-MM-DD, hours (hourly rollups) YYYY-MM-DD HH. A rollup with a fan-out key (the repository
// selection, `repo`) is read for one value of it: official, dev, fork or all, required.
// The SQL is generated: rollup-sums.cjs.
//
// GET /api/rollups/{rollup}/distinct?from=…&to=…: a private rollup's only public answer (one keyed
// by an identifier, a session's random_id): `[[other keys…, n], …]`, the number of distinct
// identifiers per the other key columns among keys with a decided run in the range. Its range
// sums, range view and records are not public.
// Install: copy this file and rollup-sums.cjs into pb_hooks, restart PocketBase.

// One route for both answers: handlers run in pooled VMs and share no function but what they require.
routerAdd("GET", "/api/rollups/{rollup}/{answer}", (e) => {
  // Handlers run in a pooled VM of their own: everything they use is required here.
  const { QUERIES, DISTINCT } = require(`${__hooks}/rollup-sums.cjs`);
  const answer = e.request.pathValue("answer");
  const queries = answer === "sums" ? QUERIES : answer === "distinct" ? DISTINCT : null;
  const name = e.request.pathValue("rollup");
  const q = queries && Object.hasOwn(queries, name) ? queries[name] : null;
  if (!q) return e.json(404, { status: 404, message: answer === "distinct" ? "no such private rollup" : "no such rollup" });
  const shape = q.grain === "day" ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2} \d{2}$/;
  const from = e.request.url.query().get("from");
  const to = e.request.url.query().get("to");
  if (!shape.test(from) || !shape.test(to) || from > to) {
    return e.json(400, { status: 400, message: `from and to must be ${q.grain === "day" ? "days (YYYY-MM-DD)" : "hours (YYYY-MM-DD HH)"}, from not after to` });
  }
  const params = { from: from, to: to };
  if (q.fanout) {
    const value = e.request.url.query().get(q.fanout);
    if (!/^[a-z]{1,16}$/.test(value)) return e.json(400, { status: 400, message: `${q.fanout} is required: official, dev, fork or all` });
    params[q.fanout] = value;
  }
  const row = new DynamicModel({ rows: "" });
  $app.db().newQuery(q.sql).bind(params).one(row);
  return e.blob(200, "application/json", row.rows);
});
