/// <reference path="../pb_data/types.d.ts" />
// Write rules for the telemetry collection: what an anonymous installer may create and finish,
// with which values, how often — so nobody can fake the public figures cheaply. Safe on an
// existing production PocketBase: rows are not touched, only rules, field options and
// settings. The threat model behind every rule is in SECURITY.md; tests/integration/
// write-rules.test.ts checks each one against a real PocketBase.

const NAME = "_dev_telemetry_data";
// The collection's fields an installer's PATCH may change; every other field is identity.
const PATCHABLE = ["status", "exit_code", "error"];

// Lowercase script names as the scripts send them (`NSAPP`: the app name lowercased, spaces
// removed). The catalogue (apps.tsv) uses a-z, 0-9, "-" and "." (netboot.xyz) and starts
// with a letter or digit. Names outside the catalogue are accepted: new scripts report
// before the dashboard's catalogue is updated (SECURITY.md, "App names").
const NSAPP_PATTERN = "^[a-z0-9][a-z0-9.-]*$";
// Session UUIDs (/proc/sys/kernel/random/uuid); letters, digits, "-" and "_" leave room for
// other generators without allowing free text in a private field.
const RANDOM_ID_PATTERN = "^[A-Za-z0-9_-]+$";

// Field bounds. Numbers: zero is what the scripts send for an unset value.
//  - core_count ≤ 8192: Proxmox VE's own maximum for a container's `cores`, above any VM's vCPUs.
//  - ram_size ≤ 16,777,216 MB (16 TiB): more memory than any single PVE host holds.
//  - disk_size ≤ 1,048,576 GB (1 PiB): larger than any guest volume PVE creates.
//  - exit_code 0–255 and ct_type 0–2 (1 unprivileged, 0 privileged LXC, 2 VM) are set by the
//    first migration already and restated here.
// Texts: nsapp ≤ 64 (the longest catalogue name has 33 characters); os_type, pve_version and
// method ≤ 32 (the longest value the scripts send is `mydefaults-global`, 17); os_version ≤ 64
// (VMs report free-form versions); random_id ≤ 64 (a UUID has 36); error ≤ 5000 (the exit
// code's explanation, plus the last log lines newer scripts attach).
const FIELDS = {
  random_id: { type: "text", max: 64, pattern: RANDOM_ID_PATTERN },
  nsapp: { type: "text", max: 64, pattern: NSAPP_PATTERN },
  ct_type: { type: "number", min: 0, max: 2, onlyInt: true },
  core_count: { type: "number", min: 0, max: 8192, onlyInt: true },
  ram_size: { type: "number", min: 0, max: 16777216 },
  disk_size: { type: "number", min: 0, max: 1048576 },
  exit_code: { type: "number", min: 0, max: 255, onlyInt: true },
  os_type: { type: "text", max: 32 },
  os_version: { type: "text", max: 64 },
  pve_version: { type: "text", max: 32 },
  method: { type: "text", max: 32 },
  // Not `hidden`: PocketBase drops hidden fields from a non-superuser's request body, so the
  // scripts could no longer send random_id (required) or error. pb_hooks/telemetry.pb.js keeps
  // both out of every API response instead.
  error: { type: "text", max: 5000 },
};
// What the first migration set, for the down migration.
const BEFORE = {
  random_id: { max: 64, pattern: "" },
  nsapp: { max: 128, pattern: "" },
  core_count: { min: null, max: null, onlyInt: false },
  ram_size: { min: null, max: null },
  disk_size: { min: null, max: null },
  os_type: { max: 64 },
  os_version: { max: 64 },
  pve_version: { max: 64 },
  method: { max: 64 },
};

// Per client IP, fixed windows (PocketBase's limiter). One host installing many containers at
// once sends one create and one update per container; 300 a minute also covers hosts behind
// one NAT address, our tests and the demo's live traffic (SECURITY.md, "Rate limits").
const RATE_LIMITS = [
  { label: NAME + ":create", maxRequests: 300, duration: 60 },
  { label: NAME + ":update", maxRequests: 300, duration: 60 },
  // Anonymous lists: the installers' fallback lookup (pb_hooks/telemetry.pb.js).
  { label: NAME + ":list", audience: "@guest", maxRequests: 300, duration: 60 },
  // Password logins of any account (readers, superusers): slow guessing down.
  { label: "*:auth", maxRequests: 20, duration: 60 },
];

function createRule() {
  // Every run starts as `installing`; its outcome arrives by PATCH. The record id is PocketBase's.
  return '@request.body.id:isset = false && @request.body.status = "installing"';
}

function updateRule(fieldNames) {
  // Only a run still installing, only to a final status, only the outcome fields. Every field
  // the collection has now is frozen; a field added later needs its own `:isset = false`.
  const frozen = ["id"].concat(fieldNames.filter((n) => n !== "id" && PATCHABLE.indexOf(n) < 0));
  return ['status = "installing"', "@request.body.status:isset = true", '@request.body.status != "installing"']
    .concat(frozen.map((n) => "@request.body." + n + ":isset = false"))
    .join(" && ");
}

function setOptions(collection, options) {
  for (const name in options) {
    const field = collection.fields.getByName(name);
    if (!field) continue;
    const o = options[name];
    for (const key in o) if (key !== "type") field[key] = o[key];
  }
}

function sameRule(a, b) {
  return a.label === b.label && (a.audience || "") === (b.audience || "");
}

migrate(
  (app) => {
    const telemetry = app.findCollectionByNameOrId(NAME);
    setOptions(telemetry, FIELDS);
    telemetry.createRule = createRule();
    telemetry.updateRule = updateRule(telemetry.fields.fieldNames());
    app.save(telemetry);

    try {
      const users = app.findCollectionByNameOrId("users");
      users.createRule = null; // PocketBase's default `users` collection: no public sign-up
      app.save(users);
    } catch (_) {
      // no `users` collection on this PocketBase
    }

    const settings = app.settings();
    const limits = settings.rateLimits;
    // Switching limits on: the rules configured while they were off never applied, so only
    // ours take effect. Already on: ours are added to (or replace same-label) rules in force.
    let rules = limits.enabled ? limits.rules.filter((r) => !RATE_LIMITS.some((o) => sameRule(o, r))) : [];
    rules = rules.concat(RATE_LIMITS.map((r) => Object.assign({ audience: "" }, r)));
    limits.rules = rules;
    limits.enabled = true;
    if (settings.batch.enabled) {
      console.log("[telemetry] the batch API is enabled; SECURITY.md recommends turning it off");
    }
    app.save(settings);
  },
  (app) => {
    const telemetry = app.findCollectionByNameOrId(NAME);
    setOptions(telemetry, BEFORE);
    telemetry.createRule = "";
    telemetry.updateRule = 'status = "installing"';
    app.save(telemetry);
    try {
      const users = app.findCollectionByNameOrId("users");
      users.createRule = "";
      app.save(users);
    } catch (_) {
      // no `users` collection
    }
    const settings = app.settings();
    settings.rateLimits.rules = settings.rateLimits.rules.filter((r) => !RATE_LIMITS.some((o) => sameRule(o, r)));
    if (!settings.rateLimits.rules.length) settings.rateLimits.enabled = false;
    app.save(settings);
  },
);
