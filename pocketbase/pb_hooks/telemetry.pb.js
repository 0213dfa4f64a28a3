/// <reference path="../pb_data/types.d.ts" />
// Two things the collection's rules and field options cannot express (SECURITY.md):
//  1. `random_id` (a session id) and `error` (free text) never leave PocketBase through the
//     API, except to a superuser — also not in the answer to a create or update, which
//     PocketBase sends whatever the view rule. (The `hidden` field option would do this, but
//     PocketBase also ignores hidden fields in a non-superuser's request body: the scripts
//     could no longer send them.)
//  2. The installers' fallback lookup. A script that lost its run's record id (its POST timed
//     out but was stored) asks, without credentials, exactly
//       GET /api/collections/_dev_telemetry_data/records?filter=(random_id='<uuid>')&fields=id&perPage=1
//     and PATCHes the id it gets back. Anonymous lists return nothing (list rule); this one
//     request, in this form only, answers that one run's id and nothing else.
// Install: copy this file into the pb_hooks directory next to pb_data, restart PocketBase.

onRecordEnrich((e) => {
  if (!e.requestInfo.hasSuperuserAuth()) e.record.hide("random_id", "error");
  return e.next();
}, "_dev_telemetry_data");

// Runs after PocketBase applied its list rate limit and list rule (which found nothing for an
// anonymous request), and before it answers.
onRecordsListRequest((e) => {
  const req = e.requestEvent; // the embedded request event (its fields are not promoted here)
  if (req.auth) return e.next();
  // The form the scripts send, and nothing else: three parameters, each exactly once.
  const want = {
    filter: /^\(random_id='([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'\)$/,
    fields: /^id$/,
    perPage: /^1$/,
  };
  const seen = {};
  let uuid = null;
  for (const part of req.request.url.rawQuery.split("&")) {
    const eq = part.indexOf("=");
    let key, value;
    try {
      key = decodeURIComponent(part.slice(0, eq < 0 ? part.length : eq).replace(/\+/g, " "));
      value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
    } catch (_) {
      return e.next(); // malformed %-encoding: not the scripts' request
    }
    const match = Object.hasOwn(want, key) && !seen[key] ? want[key].exec(value) : null;
    if (!match) return e.next();
    seen[key] = true;
    if (key === "filter") uuid = match[1];
  }
  if (!seen.filter || !seen.fields || !seen.perPage) return e.next();
  // random_id is unique; on a database that predates the unique index, the newest run that
  // can still be finished wins.
  const runs = e.app.findRecordsByFilter("_dev_telemetry_data", "random_id = {:uuid}", "-created", 10, 0, { uuid: uuid });
  const run = runs.find((r) => r.get("status") === "installing") || runs[0];
  if (!run) return e.next();
  // PocketBase answers as for any list: enriched (random_id and error hidden, above) and cut
  // to the requested `fields=id`.
  e.records = [run];
  e.result.items = e.records;
  e.result.totalItems = 1;
  e.result.totalPages = 1;
  return e.next();
}, "_dev_telemetry_data");
