/**
 * The failure signature of a run: the command that failed and its line, read from the head of
 * the scripts' error trace and normalised, so that failures of one cause group together and
 * nothing that names a host, a person or a secret is left. The trace itself stays private
 * (telemetry.pb.js hides `error`); the signature is public — the rollups group by it.
 *
 * The head, as upstream's build_error_string() writes it (misc/api.func):
 *   exit_code=N | <explanation> | at line L: <command>[\n---\n<output>]
 *   exit_code=N | <explanation> | command: <command>        (no line known)
 *   exit_code=N | <explanation> | at line ?: <command>      (the shortened retry, no line)
 *   exit_code=N | <explanation>                             (aborts, or nothing captured)
 *
 * Stored as two columns by every write path (POST /telemetry, the records API's hook, the
 * history import) and by the migration that added them (1796800000_failure_signature.js, for
 * the rows before it): `fail_line` (0: not known) and `fail_command` ('' : none).
 * What is masked, and why, is on /methodology ("The command that failed").
 * CommonJS and ES2015 (no lookbehind), for PocketBase's JS engine (goja).
 */
"use strict";

const masking = require("./telemetry-mask.cjs");

/** Characters of a stored signature command (the client sends at most 300). */
const COMMAND_MAX = 200;
/** Characters of the head read at most: the command is flattened to ≤ 300 by the client. */
const HEAD_MAX = 2000;
const LINE_MAX = 1000000;

const HEAD = /^exit_code=\d{1,3} \| .*? \| (?:at line (\d{1,7}|\?): |command: )(.*)$/;

/** {line, command} of an error text; {line: 0, command: ""} when it names no command. */
function signatureOf(error) {
  if (!error) return { line: 0, command: "" };
  let head = String(error).slice(0, HEAD_MAX);
  const sep = head.indexOf("\n---\n");
  if (sep >= 0) head = head.slice(0, sep);
  head = oneLine(head);
  const m = HEAD.exec(head);
  if (!m) return { line: 0, command: "" };
  const command = normaliseCommand(m[2]);
  if (!command) return { line: 0, command: "" };
  const line = m[1] && m[1] !== "?" ? Math.min(Number(m[1]), LINE_MAX) : 0;
  return { line: line, command: command };
}

/** Control characters (newlines, tabs, escapes) as spaces. */
function oneLine(s) {
  let out = "";
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f ? " " : s[i];
  return out.trim();
}

// Word characters for "is this a separate token" checks.
const WORDISH = /[0-9A-Za-z_]/;

/** Replaces each match of `re` (no capture groups) for which keep(match, at, str) is false. */
function maskWhere(s, re, replacement, keep) {
  return s.replace(re, (m, at, str) => {
    if (keep?.(m, at, str)) return m;
    return typeof replacement === "function" ? replacement(m) : replacement;
  });
}

const TLDS =
  "com|net|org|io|dev|app|de|uk|fr|nl|ch|at|eu|be|se|no|dk|fi|cz|it|es|pt|ru|cn|jp|us|ca|au|nz|info|biz|xyz|tech|online|site|cloud|tv|ai|gg|lan|local|localdomain|home|internal|intranet|arpa|corp|lab|test|invalid|example";
const HOSTNAME = new RegExp(`[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\\.)+(?:${TLDS})(?![A-Za-z0-9-])`, "gi");

/**
 * The command as it is public: one line, at most COMMAND_MAX characters, with every value that
 * varies between hosts or releases replaced by a placeholder (order matters: URLs first — their
 * query strings go whole —, then secrets, addresses and names, hashes and tokens before numbers).
 */
function normaliseCommand(raw) {
  let s = String(raw).replace(/\s+/g, " ").trim();
  if (!s) return "";
  s = s.slice(0, 400);
  // URLs: the scheme and the last two path segments but the first; host, user info, query and fragment go.
  s = s.replace(/\b[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s'"<>|;`)]+/g, (url) => {
    const scheme = url.slice(0, url.indexOf("://"));
    const rest = url.slice(scheme.length + 3).replace(/[?#].*$/, "");
    const slash = rest.indexOf("/");
    const segments =
      slash < 0
        ? []
        : rest
            .slice(slash + 1)
            .split("/")
            .filter(Boolean);
    // Never the first segment: on code hosts it is the owner, elsewhere often a user's name.
    const tail = segments.slice(Math.max(1, segments.length - 2)).join("/");
    return `${scheme}://…${tail ? `/${tail}` : ""}`;
  });
  // Secrets first: a value after a name that says it is one (a variable or a flag), HTTP credentials.
  const value = "(\"[^\"]*\"|'[^']*'|[^\\s'\"]+)";
  const unlessVariable = (m, name, v) => (/^["']?\$/.test(v) ? m : `${name}<secret>`);
  s = s.replace(/\b(authorization:\s*)(?:bearer|basic|token)?\s*[^\s'"]+/gi, "$1<secret>");
  s = s.replace(new RegExp(`\\b([A-Za-z0-9_]*(?:pass(?:word|wd)?|pwd|token|secret|key|auth)[A-Za-z0-9_]*(?:=|:\\s*))${value}`, "gi"), unlessVariable);
  s = s.replace(new RegExp(`((?:^|\\s)--?[A-Za-z-]*(?:pass(?:word|wd)?|token|secret|api-?key|auth)[A-Za-z-]*(?:=|\\s+))${value}`, "gi"), unlessVariable);
  // A user given to a command (curl -u user:password, sudo -u name, --user=name).
  s = s.replace(/((?:^|\s)(?:-u|--user|--username)(?:=|\s+))("[^"]*"|'[^']*'|[^\s'"]+)/g, (m, flag, v) =>
    /^["']?\$/.test(v) || v === "root" ? m : `${flag}${/:/.test(v) ? "<secret>" : "<user>"}`,
  );
  s = s.replace(/\b(mysql|mariadb|mysqladmin)\b([^|;&]*?\s)-p(?!\s)(\S+)/gi, "$1$2-p<secret>");
  // Addresses: the ingest's masks (IPv4, IPv6, MAC), then their placeholders made one.
  s = masking.maskAddresses(s);
  s = s
    .replace(/x:x::x/g, "<ip>")
    .replace(/xx:xx:xx:xx:xx:xx/g, "<mac>")
    .replace(/x\.x\.x\.x/g, "<ip>");
  s = maskWhere(s, /\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?/g, "<ip>", (m, at, str) => /[0-9.]/.test(str.charAt(at - 1)) || /^\.?\d/.test(str.slice(at + m.length)));
  // People: e-mail addresses, user@host, home directories.
  s = s.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, "<email>");
  s = s.replace(/\b[A-Za-z0-9._-]+@[A-Za-z0-9._-]+/g, "<user>@<host>");
  s = s.replace(/(^|[\s"'=:])(\/(?:var\/)?home|\/Users)\/[^\s/'"]+/g, "$1$2/<user>");
  s = s.replace(/(^|[\s"'=:])~[A-Za-z0-9._-]+/g, "$1~<user>");
  // Temporary paths: random names (mktemp) that differ every run.
  s = s.replace(/(^|[\s"'=:])\/(tmp|var\/tmp|dev\/shm|run\/user\/\d+)\/[^\s'"]*/g, "$1/$2/<tmp>");
  s = s.replace(/\btmp\.[A-Za-z0-9]{6,}\b/g, "<tmp>");
  // Host names (a dotted name with a known top-level domain, not inside a path).
  s = maskWhere(s, HOSTNAME, "<host>", (m, at, str) => /[/.\w-]/.test(str.charAt(at - 1)) || /^\.[A-Za-z]/.test(str.slice(at + m.length)));
  // Identifiers that differ every run: UUIDs, hashes, tokens.
  s = s.replace(/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, "<uuid>");
  s = s.replace(/\b(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|sk-)[A-Za-z0-9_-]{8,}/g, "<token>");
  s = maskWhere(
    s,
    /[0-9a-fA-F]{7,}/g,
    "<hash>",
    (m, at, str) => WORDISH.test(str.charAt(at - 1)) || WORDISH.test(str.charAt(at + m.length)) || !/\d/.test(m) || (!/[a-fA-F]/.test(m) && m.length < 12),
  );
  s = maskWhere(s, /[A-Za-z0-9+/_-]{24,}={0,2}/g, "<token>", (m) => !(/\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m)) && !/^[A-Za-z0-9]{32,}$/.test(m));
  // Versions, then any other number standing alone (ids, ports, sizes) — not a redirection (2>&1).
  s = maskWhere(
    s,
    /v?\d+(?:\.\d+)+(?:[-~+](?:rc|beta|alpha|dev|pre)\d*)?/gi,
    (m) => (m.charAt(0) === "v" || m.charAt(0) === "V" ? "v<ver>" : "<ver>"),
    (_m, at, str) => /[0-9.]/.test(str.charAt(at - 1)),
  );
  s = maskWhere(
    s,
    /\d+/g,
    "<n>",
    (m, at, str) => WORDISH.test(str.charAt(at - 1)) || WORDISH.test(str.charAt(at + m.length)) || /[<>&]/.test(str.charAt(at + m.length)) || /[&>]/.test(str.charAt(at - 1)),
  );
  s = s.replace(/\s+/g, " ").trim();
  return s.length > COMMAND_MAX ? `${s.slice(0, COMMAND_MAX - 1)}…` : s;
}

/** The signature columns for a stored error text. */
function signatureColumns(error) {
  const sig = signatureOf(error);
  return { fail_line: sig.line, fail_command: sig.command };
}

module.exports = { COMMAND_MAX: COMMAND_MAX, signatureOf: signatureOf, signatureColumns: signatureColumns, normaliseCommand: normaliseCommand };
