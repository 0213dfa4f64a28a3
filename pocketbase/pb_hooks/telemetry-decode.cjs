/**
 * Reading one POST /telemetry body as the scripts' bash writes it (telemetry-ingest.cjs uses
 * it): valid JSON as it is; otherwise repaired (raw control characters and invalid escapes
 * inside strings, `\\xNN`, unit suffixes on numbers, empty values) and, failing that, its known
 * fields rescued one by one. CommonJS and ES2015, for PocketBase's JS engine (goja).
 */
"use strict";

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

module.exports = { KNOWN: KNOWN, decode: decode };
