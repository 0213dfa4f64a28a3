/// <reference path="../pb_data/types.d.ts" />
// Three things the collection's rules and field options cannot express (SECURITY.md):
//  1. `random_id` (a session id) and `error` (free text) never leave PocketBase through the
//     API, except to a superuser — also not in the answer to a create or update, which
//     PocketBase sends whatever the view rule. (The `hidden` field option would do this, but
//     PocketBase also ignores hidden fields in a non-superuser's request body: the scripts
//     could no longer send them.)
//  2. The installers' fallback lookup. A script that lost its run's record id (its POST timed
//     out but was stored) asks, without credentials, exactly
//       GET /api/collections/_dev_telemetry_data/records?filter=(random_id='<id>')&fields=id&perPage=1
//     and PATCHes the id it gets back. Anonymous lists return nothing (list rule); this one
//     request, in this form only, answers that one run's id and nothing else. It answers for
//     any random_id a create accepts (not only UUIDs: the seed documentation's own example is
//     `test-<timestamp>`), among runs of the records API (POST /telemetry keys its runs itself).
//  3. IP and MAC addresses in `error` are masked before a records-API write is stored, as
//     POST /telemetry does (telemetry-mask.cjs), and the failure signature (`fail_line`,
//     `fail_command`) is derived from it (telemetry-signature.cjs) — for every writer, the
//     superuser's too: the signature is public and must follow the stored error.
// Install: copy this file, telemetry-mask.cjs and telemetry-signature.cjs into the pb_hooks
// directory next to pb_data, restart PocketBase.

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
    // The values a create accepts for random_id (pb_migrations/1795990000_telemetry_write_rules.js).
    filter: /^\(random_id='([A-Za-z0-9_-]{1,64})'\)$/,
    fields: /^id$/,
    perPage: /^1$/,
  };
  const seen = {};
  let randomId = null;
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
    if (key === "filter") randomId = match[1];
  }
  if (!seen.filter || !seen.fields || !seen.perPage) return e.next();
  // random_id is unique among records-API runs (execution_id empty; the partial unique index
  // answers this query); on a database that predates the unique index, the newest run that can
  // still be finished wins.
  const found = arrayOf(new DynamicModel({ id: "", status: "" }));
  e.app
    .db()
    .newQuery("SELECT id, status FROM _dev_telemetry_data WHERE random_id = {:rid} AND execution_id = '' ORDER BY created DESC LIMIT 10")
    .bind({ rid: randomId })
    .all(found);
  const pick = found.find((r) => r.status === "installing") || found[0];
  if (!pick) return e.next();
  const run = e.app.findRecordById("_dev_telemetry_data", pick.id);
  // PocketBase answers as for any list: enriched (random_id and error hidden, above) and cut
  // to the requested `fields=id`.
  e.records = [run];
  e.result.items = e.records;
  e.result.totalItems = 1;
  e.result.totalPages = 1;
  return e.next();
}, "_dev_telemetry_data");

// Addresses in the error text of records-API writes (superusers' imports mask their own), and
// the failure signature of every write's error text. Each handler runs in a VM of its own, so
// neither can call a function declared out here.
onRecordCreateRequest((e) => {
  if (!e.hasSuperuserAuth()) e.record.set("error", require(`${__hooks}/telemetry-mask.cjs`).maskAddresses(e.record.getString("error")));
  const sig = require(`${__hooks}/telemetry-signature.cjs`).signatureColumns(e.record.getString("error"));
  for (const c in sig) e.record.set(c, sig[c]);
  return e.next();
}, "_dev_telemetry_data");
onRecordUpdateRequest((e) => {
  if (!e.hasSuperuserAuth()) e.record.set("error", require(`${__hooks}/telemetry-mask.cjs`).maskAddresses(e.record.getString("error")));
  const sig = require(`${__hooks}/telemetry-signature.cjs`).signatureColumns(e.record.getString("error"));
  for (const c in sig) e.record.set(c, sig[c]);
  return e.next();
}, "_dev_telemetry_data");
