/**
 * Today's install-script protocol (community-scripts misc/api.func, "v3 single reporter"): every
 * event is one JSON POST of the full payload, keyed by execution_id. This module turns one such
 * body into a change of one stored run — pure functions, no PocketBase API:
 *
 *   decode(body)            → the payload's fields, rescuing bodies broken the way bash heredocs
 *                             break them (unescaped quotes or control characters in `error`;
 *                             telemetry-decode.cjs)
 *   normalize(fields)       → a checked event: statuses mapped, bounds enforced, addresses
 *                             masked (telemetry-mask.cjs), the failure signature derived from
 *                             the error text (telemetry-signature.cjs: fail_line, fail_command)
 *   merge(stored, event, t) → what to write: create the run, update it, or nothing
 *
 * Used by pb_hooks/ingest.pb.js (POST /telemetry), pb_hooks/telemetry.pb.js (address masking on
 * the records API) and scripts/import.ts (history import); tests/unit/ingest-event.test.ts tests
 * it directly. CommonJS and ES2015 because PocketBase's JS engine (goja) loads it with require().
 * The decisions (status mapping, which final status wins) are in README "Today's install
 * scripts report here".
 */
"use strict";

const decoding = require("./telemetry-decode.cjs");
const masking = require("./telemetry-mask.cjs");
const signature = require("./telemetry-signature.cjs");
const KNOWN = decoding.KNOWN;
const maskAddresses = masking.maskAddresses;

/** Bytes of one event body: the client sends at most ~10 KB of error output plus ~1 KB of fields. */
const BODY_LIMIT = 131072;
/** Characters of `error` kept (the collection's limit): the client's 10 KB trace fits whole. */
const ERROR_MAX = 16000;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NSAPP_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;
const SLUG_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** `type` as sent → as stored (the collection knows lxc, vm, addon, pve; upstream also turnkey, tool). */
const TYPES = { lxc: "lxc", vm: "vm", addon: "addon", pve: "pve", turnkey: "lxc", tool: "pve" };
/** Statuses that report progress: the run has not ended. */
const PROGRESS = ["installing", "validation", "configuring"];
/** Exit codes of user interrupts (SIGHUP, SIGINT, SIGTERM): aborts, not failures. */
const ABORT_CODES = [129, 130, 143];

/** Number fields: [min, max, integer only] — the collection's bounds (as for the records API). */
const NUMBERS = {
  ct_type: [0, 2, true],
  disk_size: [0, 1048576, false],
  core_count: [0, 8192, true],
  ram_size: [0, 16777216, false],
  exit_code: [0, 255, true],
  install_duration: [0, 86400, true],
};
/** Identity texts and their longest values (as for the records API): longer is refused. */
const TEXTS = { os_type: 32, os_version: 64, pve_version: 32, method: 32 };
/** Descriptive texts: longer ones are cut (upstream cuts them too). */
const MODELS = { cpu_model: 64, gpu_model: 64 };
/** Closed sets: a value outside becomes "unknown" (upstream does the same) rather than losing the run. */
const ENUMS = {
  cpu_vendor: ["intel", "amd", "arm", "apple", "qualcomm", "unknown"],
  gpu_vendor: ["intel", "amd", "nvidia", "unknown"],
  gpu_passthrough: ["igpu", "dgpu", "vgpu", "none", "unknown"],
  error_category: [
    "network",
    "timeout",
    "storage",
    "dependency",
    "permission",
    "config",
    "proxmox",
    "service",
    "database",
    "runtime",
    "user_aborted",
    "resource",
    "signal",
    "shell",
    "unknown",
    "apt",
    "command_not_found",
    "build",
    "preflight",
  ],
};
const REPO_SOURCES = ["ProxmoxVE", "ProxmoxVED", "external"];

/** Every field the payload may carry; anything else is ignored (new clients add fields first). */

/** Columns that name the run: set when it is created, never changed by a later event. */
const KEYS = ["random_id", "execution_id", "type", "nsapp"];

// ---------------------------------------------------------------------------------------------
// normalize

function text(v) {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** A number from a JSON number or a numeric string ("32", "32G"); undefined when absent or empty. */
function numberOf(v) {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v === "string") {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*[A-Za-z]*\s*$/.exec(v);
    return m ? Number(m[1]) : NaN;
  }
  return NaN;
}

/**
 * A checked event or {error: reason}. `values` holds the columns the payload carried (absent
 * fields are absent, so a later event does not blank what an earlier one stored); `kind` is
 * "progress" or "final"; `status` the stored status; `notes` what was changed on the way.
 */
function normalize(fields) {
  const notes = [];
  const values = {};
  let randomId = text(fields.random_id);
  let executionId = text(fields.execution_id);
  if (!randomId && !executionId) return { error: "random_id is missing" };
  if (!randomId) randomId = executionId;
  if (!executionId) executionId = randomId;
  if (!ID_PATTERN.test(randomId)) return { error: "random_id must be 1–64 letters, digits, '-' or '_'" };
  if (!ID_PATTERN.test(executionId)) return { error: "execution_id must be 1–64 letters, digits, '-' or '_'" };
  values.random_id = randomId;
  values.execution_id = executionId;

  const nsapp = text(fields.nsapp);
  if (!nsapp) return { error: "nsapp is missing" };
  if (nsapp.length > 64 || !NSAPP_PATTERN.test(nsapp)) {
    return { error: "nsapp must be a script name: at most 64 of a-z, 0-9, '.' and '-', starting with a letter or digit" };
  }
  values.nsapp = nsapp;
  const rawType = text(fields.type).toLowerCase();
  if (!rawType) return { error: "type is missing" };
  if (!Object.hasOwn(TYPES, rawType)) return { error: "type must be one of lxc, vm, addon, pve (or turnkey, tool)" };
  values.type = TYPES[rawType];
  if (rawType !== values.type) notes.push(`type ${rawType} is stored as ${values.type}`);

  for (const name in NUMBERS) {
    const n = numberOf(fields[name]);
    if (n === undefined) continue;
    const b = NUMBERS[name];
    if (Number.isNaN(n) || n < b[0] || n > b[1] || (b[2] && Math.floor(n) !== n)) {
      return { error: `${name} must be ${b[2] ? "a whole number" : "a number"} from ${b[0]} to ${b[1]}` };
    }
    values[name] = n;
  }
  for (const name in TEXTS) {
    if (fields[name] === undefined || fields[name] === null) continue;
    const t = text(fields[name]);
    if (t.length > TEXTS[name]) return { error: `${name} must be at most ${TEXTS[name]} characters` };
    values[name] = t;
  }
  if (values.os_type === "-" || values.os_type === "none") values.os_type = "";
  for (const name in MODELS) {
    if (fields[name] === undefined || fields[name] === null) continue;
    values[name] = oneLine(text(fields[name])).slice(0, MODELS[name]);
  }
  for (const name in ENUMS) {
    if (fields[name] === undefined || fields[name] === null) continue;
    const t = text(fields[name]).toLowerCase();
    values[name] = !t || ENUMS[name].indexOf(t) >= 0 ? t : "unknown";
    if (values[name] !== t) notes.push(`${name} is not one of the known values: stored as unknown`);
  }
  normalizeHost(fields, values, notes);

  const status = text(fields.status).toLowerCase();
  if (!status) return { error: "status is missing" };
  if (fields.error !== undefined && fields.error !== null) {
    const error = cut(maskAddresses(text(fields.error)));
    if (error.cut) notes.push(`error was longer than ${ERROR_MAX} characters: its middle was cut`);
    values.error = error.text;
    Object.assign(values, signature.signatureColumns(values.error));
  }
  if (PROGRESS.indexOf(status) >= 0) return { event: { key: executionId, kind: "progress", status: "installing", phase: status, values: values, notes: notes } };
  const final = finalStatus(status, values.exit_code === undefined ? 0 : values.exit_code, notes);
  return { event: { key: executionId, kind: "final", status: final, phase: "", values: values, notes: notes } };
}

/** Hardware, platform and repository fields. */
function normalizeHost(fields, values, notes) {
  const speed = numberOf(fields.ram_speed);
  if (speed !== undefined) {
    const ok = !Number.isNaN(speed) && speed >= 0 && speed <= 100000;
    values.ram_speed = ok ? Math.round(speed) : 0;
    if (!ok) notes.push("ram_speed is not a speed in MT/s: stored as 0");
  }
  for (const name of ["arch", "platform"]) {
    if (fields[name] === undefined || fields[name] === null) continue;
    const t = text(fields[name]).toLowerCase();
    values[name] = /^[a-z0-9_-]{0,16}$/.test(t) ? t : "";
    if (values[name] !== t) notes.push(`${name} is not a short name: left empty`);
  }
  if (fields.has_arm !== undefined && fields.has_arm !== null) values.has_arm = fields.has_arm === true || fields.has_arm === 1 || text(fields.has_arm).toLowerCase() === "true";
  if (fields.repo_slug !== undefined && fields.repo_slug !== null) {
    const slug = text(fields.repo_slug);
    values.repo_slug = slug.length <= 128 && SLUG_PATTERN.test(slug) ? slug : "";
    if (values.repo_slug !== slug) notes.push("repo_slug is not owner/repo: left empty");
  }
  if (fields.repo_source !== undefined && fields.repo_source !== null) {
    const source = text(fields.repo_source);
    values.repo_source = REPO_SOURCES.indexOf(source) >= 0 ? source : "";
    if (values.repo_source !== source) notes.push("repo_source is not ProxmoxVE, ProxmoxVED or external");
  }
  // As upstream: a missing source follows from the slug.
  if (!values.repo_source && values.repo_slug) {
    const repo = values.repo_slug.split("/")[1];
    values.repo_source = values.repo_slug === "community-scripts/ProxmoxVE" || values.repo_slug === "community-scripts/ProxmoxVED" ? repo : "external";
  }
}

/**
 * The stored final status: success/sucess/done are one outcome; a failure with a user
 * interrupt's exit code is an abort; a failure with exit code 0 is no verdict (unknown); any
 * status the scripts do not send is unknown.
 */
function finalStatus(status, exitCode, notes) {
  if (status === "success" || status === "sucess" || status === "done") return "success";
  if (status === "aborted" || status === "unknown") return status;
  if (status === "failed") {
    if (ABORT_CODES.indexOf(exitCode) >= 0) {
      notes.push(`failed with exit code ${exitCode} (a user interrupt) is stored as aborted`);
      return "aborted";
    }
    if (exitCode === 0) {
      notes.push("failed with exit code 0 contradicts itself: stored as unknown");
      return "unknown";
    }
    return "failed";
  }
  notes.push("status is not one the scripts send: stored as unknown");
  return "unknown";
}

function oneLine(s) {
  let out = "";
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f ? " " : s[i];
  return out.replace(/ {2,}/g, " ").trim();
}

/** Keeps the head (exit code, explanation, command) and the tail (the last output lines). */
function cut(s) {
  if (s.length <= ERROR_MAX) return { text: s, cut: false };
  const marker = "\n[… cut by the server …]\n";
  const head = 2000;
  return { text: s.slice(0, head) + marker + s.slice(s.length - (ERROR_MAX - head - marker.length)), cut: true };
}

// ---------------------------------------------------------------------------------------------
// merge

/**
 * What one event does to the stored run of its execution (`stored`: the run's columns, or null
 * when there is none yet). Returns {action: "create"|"update"|"none", values, created?, status, notes}:
 *  - no run yet: the event creates it (a progress event as `installing`, a final event as a
 *    complete run), dated `install_duration` seconds before `nowMs` (when the install started);
 *  - a run still installing: a progress event updates its phase and the fields it carries; a
 *    final event ends it;
 *  - an ended run: progress events change nothing; a final event with the same status and exit
 *    code keeps the longer error text; a different final status replaces the earlier one (the
 *    client re-sends a final status only with `force`, when it knows more).
 * `nsapp`, `type` and the ids never change after creation.
 */
function merge(stored, event, nowMs) {
  const notes = event.notes.slice();
  if (!stored) {
    const values = Object.assign({}, event.values, { status: event.status, phase: event.phase });
    if (values.ct_type === undefined) values.ct_type = values.type === "vm" ? 2 : values.type === "lxc" ? 1 : 0;
    if (event.kind === "final" && values.exit_code === undefined) values.exit_code = 0;
    const created = nowMs - (values.install_duration || 0) * 1000;
    return { action: "create", values: values, created: created, status: event.status, notes: notes };
  }
  const ended = stored.status !== "installing";
  if (event.kind === "progress") {
    if (ended) {
      notes.push("the run has already ended: a progress event does not reopen it");
      return { action: "none", values: {}, status: stored.status, notes: notes };
    }
    return changes(stored, Object.assign(carried(event.values), { phase: event.phase }), notes);
  }
  const want = Object.assign(carried(event.values), { status: event.status, exit_code: event.values.exit_code || 0 });
  if (want.error === undefined) Object.assign(want, { error: "" }, signature.signatureColumns(""));
  if (want.error_category === undefined) want.error_category = "";
  if (ended && stored.status === want.status && Number(stored.exit_code) === want.exit_code) {
    if (want.error.length > String(stored.error || "").length) {
      notes.push("the same final status again: its longer error text is kept");
      return changes(stored, { error: want.error, error_category: want.error_category, fail_line: want.fail_line, fail_command: want.fail_command }, notes);
    }
    notes.push("the same final status again: nothing changed");
    return { action: "none", values: {}, status: stored.status, notes: notes };
  }
  if (ended) notes.push(`replaces the earlier final status ${stored.status}`);
  return changes(stored, want, notes);
}

/** The event's columns a later event may change (all but the run's keys). */
function carried(values) {
  const out = {};
  for (const k in values) if (KEYS.indexOf(k) < 0) out[k] = values[k];
  return out;
}

function changes(stored, want, notes) {
  const values = {};
  for (const k in want) if (!same(stored[k], want[k])) values[k] = want[k];
  const status = want.status || stored.status;
  return { action: Object.keys(values).length ? "update" : "none", values: values, status: status, notes: notes };
}

function same(a, b) {
  if (typeof b === "boolean") return Boolean(a) === b;
  if (typeof b === "number") return Number(a) === b;
  return String(a === undefined || a === null ? "" : a) === b;
}

module.exports = {
  BODY_LIMIT: BODY_LIMIT,
  ERROR_MAX: ERROR_MAX,
  KNOWN: KNOWN,
  decode: decoding.decode,
  normalize: normalize,
  merge: merge,
  maskAddresses: maskAddresses,
};
