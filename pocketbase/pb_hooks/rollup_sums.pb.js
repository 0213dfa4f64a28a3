/// <reference path="../pb_data/types.d.ts" />
// GET /api/rollups/{rollup}/sums?from=…&to=…[&repo=…][&nsapp=…]: every key's counts over [from, to] from a rollup
// (those of its `<rollup>_range` view without filter), as one JSON array of arrays built by
// SQLite: `[[key…, success, failed, aborted, unknown, installing], …]`, in no particular order
// (keys without runs in the range included). The records API spends ~40 µs on every record it
// returns; this answers ~650 apps in one text (docs/ROLLUPS.md, "Range sums"). Public, like the rollups and their views. Days are
// YYYY-MM-DD, hours (hourly rollups) YYYY-MM-DD HH. A rollup with a fan-out key (the repository
// selection, `repo`) is read for one value of it: official, dev, fork or all, required. With
// `nsapp`, only that app's keys (rollups keyed by the app first; an app page's sections).
// The SQL is generated: rollup-sums.cjs.
//
// GET /api/rollups/{rollup}/rows?from=…&to=…[&repo=…]&nsapp=…: one app's own rows with a bucket in
// [from, to], `[[bucket, key…, success, failed, aborted, unknown, installing], …]` in no order
// (rollups keyed by the app first; an app page's series).
//
// GET /api/rollups/{rollup}/steps?days=d0,d1,…&nsapp=…[&repo=…]: one app's running totals at the end
// of each day named, `[[key…, [[i, success, failed, aborted, unknown, installing], …]], …]` (daily
// rollups keyed by the app first; counts between two days are the difference: an install-time trend).
//
// GET /api/rollups/{rollup}/distinct?from=…&to=…: a private rollup's only public answer (one keyed
// by an identifier, a session's random_id): `[[other keys…, n], …]`, the number of distinct
// identifiers per the other key columns among keys with a decided run in the range. Its range
// sums, range view and records are not public.
// Install: copy this file and rollup-sums.cjs into pb_hooks, restart PocketBase.

// One route for every answer: handlers run in pooled VMs and share no function but what they require.
routerAdd("GET", "/api/rollups/{rollup}/{answer}", (e) => {
  // Handlers run in a pooled VM of their own: everything they use is required or defined here.
  const { QUERIES, DISTINCT } = require(`${__hooks}/rollup-sums.cjs`);
  const query = e.request.url.query();
  const bad = (message) => e.json(400, { status: 400, message: message });
  const answer = e.request.pathValue("answer");
  const queries = answer === "sums" || answer === "rows" || answer === "steps" ? QUERIES : answer === "distinct" ? DISTINCT : null;
  const name = e.request.pathValue("rollup");
  const q = queries && Object.hasOwn(queries, name) ? queries[name] : null;
  if (!q) return e.json(404, { status: 404, message: answer === "distinct" ? "no such private rollup" : "no such rollup" });
  // The SQL of the answer asked: `rows` and `steps` are of one app; `sums` of one app when nsapp is given.
  const perApp = answer === "rows" || answer === "steps" || query.has("nsapp");
  const sql = answer === "rows" ? q.rows : answer === "steps" ? q.steps : perApp ? q.app : q.sql;
  if (!sql && (answer === "sums" || answer === "distinct")) return bad(`${name} is not kept per app: nsapp cannot be asked`);
  if (!sql) return e.json(404, { status: 404, message: `${name} is not kept per app${answer === "steps" ? " and day" : ""}: it has no ${answer} of one app` });
  const params = {};
  if (answer === "steps") {
    const days = String(query.get("days")).split(",");
    if (days.length > 64 || !days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) return bad("days must be 1 to 64 days (YYYY-MM-DD), comma-separated");
    params.days = JSON.stringify(days);
  } else {
    const shape = q.grain === "day" ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2} \d{2}$/;
    params.from = query.get("from");
    params.to = query.get("to");
    if (!shape.test(params.from) || !shape.test(params.to) || params.from > params.to) {
      return bad(`from and to must be ${q.grain === "day" ? "days (YYYY-MM-DD)" : "hours (YYYY-MM-DD HH)"}, from not after to`);
    }
  }
  if (q.fanout) {
    params[q.fanout] = query.get(q.fanout);
    if (!/^[a-z]{1,16}$/.test(params[q.fanout])) return bad(`${q.fanout} is required: official, dev, fork or all`);
  }
  if (perApp) {
    if (!query.has("nsapp")) return bad(`nsapp is required: the app whose ${answer} are asked`);
    params.nsapp = query.get("nsapp");
    if (params.nsapp.length > 200) return bad("nsapp is longer than 200 characters");
  }
  const row = new DynamicModel({ rows: "" });
  $app.db().newQuery(sql).bind(params).one(row);
  return e.blob(200, "application/json", row.rows);
});

// Empty lists of the range views, answered without PocketBase's timing-attack throttle. Once a
// client has had three empty filtered lists of a collection with a list rule within three
// seconds, PocketBase sleeps a random 0–500 ms before each further empty answer (a precaution
// for rules that hide records: apis/record_crud.go, randomizedThrottle). A range view's rule hides
// nothing — it only requires the range the client names (@request.query.from and .to) — while
// the dashboard, one client, asks many filtered lists that are rightly empty (an app with no
// failure in the range, a week before install times were reported): each waited up to 500 ms,
// and an app page's install-time trend took 0.2–0.5 s instead of 40 ms (docs/ROLLUPS.md).
// Only rules that read nothing but the request's query are skipped; every other collection
// (the raw runs, whose rule does hide records) keeps the throttle.
onRecordsListRequest((e) => {
  const rule = e.collection.listRule; // a Go *string: null when superusers only
  const refs = rule === null || rule === undefined ? null : String(rule).match(/@[A-Za-z_.]+/g) || [];
  if (e.records.length > 0 || !refs || refs.length === 0 || !refs.every((r) => r.startsWith("@request.query."))) return e.next();
  return e.json(200, e.result);
});
