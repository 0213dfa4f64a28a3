/**
 * Today's install-script protocol (community-scripts misc/api.func, "v3 single reporter"): every
 * event is one JSON POST of the full payload, keyed by execution_id. This module turns one such
 * body into a change of one stored run — pure functions, no PocketBase API:
 *
 *   decode(body)            → the payload's fields, rescuing bodies broken the way bash heredocs
 *                             break them (unescaped quotes or control characters in `error`)
 *   normalize(fields)       → a checked event: statuses mapped, bounds enforced, addresses masked
 *   merge(stored, event, t) → what to write: create the run, update it, or nothing
 *
 * Used by pb_hooks/ingest.pb.js (POST /telemetry), pb_hooks/telemetry.pb.js (address masking on
 * the records API) and scripts/import.ts (history import); tests/unit/ingest-event.test.ts tests
 * it directly. CommonJS and ES2015 because PocketBase's JS engine (goja) loads it with require().
 * The decisions (status mapping, which final status wins) are in README "Today's scripts".
 */
"use strict";

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
const KNOWN = [
  "random_id",
  "execution_id",
  "type",
  "nsapp",
  "status",
  "ct_type",
  "disk_size",
  "core_count",
  "ram_size",
  "os_type",
  "os_version",
  "pve_version",
  "method",
  "exit_code",
  "error",
  "error_category",
  "install_duration",
  "cpu_vendor",
  "cpu_model",
  "gpu_vendor",
  "gpu_model",
  "gpu_passthrough",
  "ram_speed",
  "arch",
  "platform",
  "has_arm",
  "repo_source",
  "repo_slug",
];
/** Columns that name the run: set when it is created, never changed by a later event. */
const KEYS = ["random_id", "execution_id", "type", "nsapp"];

// ---------------------------------------------------------------------------------------------
// decode

/**
 * The body's fields. Valid JSON is taken as is; otherwise the body is repaired (raw control
 * characters and invalid escapes inside strings, `\xNN`, unit suffixes on numbers, empty
 * values) and, failing that, rescued field by field. Returns {fields, how} or {error}.
 */
function decode(body) {
  const text = String(body === undefined || body === null ? "" : body).replace(/^\uFEFF/, "");
  if (!text.trim()) return { error: "empty body: send one JSON object" };
  const direct = parseObject(text);
  if (direct.fields) return { fields: direct.fields, how: "json" };
  if (direct.notObject) return { error: "the body must be one JSON object" };
  const repaired = parseObject(repair(text));
  if (repaired.fields) return { fields: repaired.fields, how: "repaired" };
  const rescued = rescue(text);
  if (rescued) return { fields: rescued, how: "rescued" };
  return { error: "the body is not JSON and no payload fields could be read from it" };
}

function parseObject(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (_) {
    return {};
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { notObject: true };
  return { fields: value };
}

/**
 * Fixes what bash heredocs get wrong inside strings; leaves the structure alone. A string with
 * raw control characters (a pasted multi-line log) was never escaped: its backslashes are text
 * ("C:\\repo"), not escapes. Otherwise only backslashes before a letter JSON does not know are.
 */
function repair(text) {
  let s = text.replace(/\\x([0-9A-Fa-f]{2})/g, "\\u00$1");
  // "disk_size": 32G → 32; "core_count": , → null
  s = s.replace(/("(?:disk_size|core_count|ram_size|ct_type|exit_code|install_duration|ram_speed)"\s*:\s*)(-?\d+(?:\.\d+)?)[A-Za-z]+/g, "$1$2");
  s = s.replace(/(:\s*)(?=[,}])/g, "$1null");
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '"') {
      out += s[i];
      continue;
    }
    // A string: up to the next quote that no backslash escapes.
    let end = i + 1;
    while (end < s.length && s[end] !== '"') end += s[end] === "\\" ? 2 : 1;
    out += `"${repairString(s.slice(i + 1, end))}"`;
    i = end;
  }
  return out;
}

/** The inside of one string literal, escaped for JSON. */
function repairString(raw) {
  const verbatim = hasControl(raw);
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\") {
      const next = raw[i + 1];
      if (next === '"' || (!verbatim && next !== undefined && "\\/bfnrtu".indexOf(next) >= 0)) {
        out += c + next;
        i++;
      } else out += "\\\\";
      continue;
    }
    out += escapeControl(c);
  }
  return out;
}

function hasControl(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}

function escapeControl(c) {
  const code = c.charCodeAt(0);
  if (code >= 0x20) return c;
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  return " ";
}

/**
 * Last resort for bodies whose strings hold unescaped quotes: split the body at its keys
 * (`"name":` after `{` or `,`) and read each known field's value up to the next key. Inside
 * `error` — the field that breaks — only a known field not seen yet ends the value: a key seen
 * before or an unknown one is text of the error (a log line quoting JSON). Needs the fields
 * that identify a run, else gives up (null).
 */
function rescue(text) {
  const keyRe = /[{,]\s*"([A-Za-z0-9_]+)"\s*:/g;
  const starts = [];
  const seen = {};
  let inError = false;
  for (let m = keyRe.exec(text); m !== null; m = keyRe.exec(text)) {
    const key = m[1];
    const fresh = KNOWN.indexOf(key) >= 0 && !seen[key];
    if (!fresh && inError) continue;
    if (fresh) seen[key] = true;
    inError = key === "error" && fresh;
    starts.push({ key: fresh ? key : null, start: m.index, valueStart: m.index + m[0].length });
  }
  const fields = {};
  const close = text.lastIndexOf("}");
  for (let i = 0; i < starts.length; i++) {
    if (!starts[i].key) continue;
    const end = i + 1 < starts.length ? starts[i + 1].start : close;
    const value = rescueValue(text.slice(starts[i].valueStart, end > starts[i].valueStart ? end : text.length));
    if (value !== undefined) fields[starts[i].key] = value;
  }
  if (!fields.nsapp || !fields.status || !(fields.random_id || fields.execution_id)) return null;
  return fields;
}

function rescueValue(raw) {
  const v = raw.trim().replace(/,$/, "").trim();
  if (v.charAt(0) === '"') {
    let inner = v.slice(1);
    if (inner.charAt(inner.length - 1) === '"') inner = inner.slice(0, -1);
    const fixed = `"${repairString(inner.replace(/(^|[^\\])((?:\\\\)*)"/g, '$1$2\\"'))}"`;
    try {
      return JSON.parse(fixed);
    } catch (_) {
      return inner;
    }
  }
  if (v === "true" || v === "false") return v === "true";
  const n = /^-?\d+(\.\d+)?/.exec(v);
  return n ? Number(n[0]) : undefined;
}

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
// masking

/** IPv4 and IPv6 addresses (and MAC addresses) in free text, replaced before anything is stored. */
function maskAddresses(s) {
  if (!s) return s;
  const alnum = /[0-9A-Za-z]/;
  const apart = (str, at, len) => !alnum.test(str.charAt(at - 1)) && !alnum.test(str.charAt(at + len));
  let out = s.replace(/(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}/g, (m, at, str) => (apart(str, at, m.length) ? "xx:xx:xx:xx:xx:xx" : m));
  out = out.replace(/[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g, (m, at, str) => {
    if (!apart(str, at, m.length)) return m;
    // A sentence may end right after an address: "… to fe80::1." or "addr 2001:db8::1:".
    const core = /\.$/.test(m) || (/:$/.test(m) && !/::$/.test(m)) ? m.slice(0, -1) : m;
    return isIpv6(core) ? `x:x::x${m.slice(core.length)}` : m;
  });
  // The scripts' own log filter masks the middle two (192.x.x.20): the rest goes too.
  out = out.replace(/\d{1,3}\.x\.x\.\d{1,3}/g, (m, at, str) => (/[0-9.]/.test(str.charAt(at - 1)) || /\d/.test(str.charAt(at + m.length)) ? m : "x.x.x.x"));
  return out.replace(/\d{1,3}(?:\.\d{1,3}){3}/g, (m, at, str) => {
    const before = str.charAt(at - 1);
    const after = str.slice(at + m.length, at + m.length + 2);
    if (/[0-9.]/.test(before) || /^(\d|\.\d)/.test(after)) return m; // part of a longer number or version
    return m.split(".").every((o) => Number(o) <= 255) ? "x.x.x.x" : m;
  });
}

/** Full, compressed ("fe80::1") and IPv4-tailed ("::ffff:192.0.2.1") IPv6 addresses. */
function isIpv6(s) {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (!halves[h]) continue;
    const parts = halves[h].split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (h === halves.length - 1 && i === parts.length - 1 && p.indexOf(".") >= 0) {
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(p)) return false;
        groups += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) groups += 1;
      else return false;
    }
  }
  // Compressed forms need two groups, so "::" and "a::" in prose (C++'s "std::") are not addresses.
  return halves.length === 2 ? groups >= 2 && groups <= 7 : groups === 8;
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
  if (want.error === undefined) want.error = "";
  if (want.error_category === undefined) want.error_category = "";
  if (ended && stored.status === want.status && Number(stored.exit_code) === want.exit_code) {
    if (want.error.length > String(stored.error || "").length) {
      notes.push("the same final status again: its longer error text is kept");
      return changes(stored, { error: want.error, error_category: want.error_category }, notes);
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
  decode: decode,
  normalize: normalize,
  merge: merge,
  maskAddresses: maskAddresses,
};
