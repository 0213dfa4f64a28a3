/**
 * THE exit-code module: what an install's exit code means, today or on the day it happened.
 * Pure (no I/O) so client and server components share one answer. Data comes from the generated
 * modules in lib/reference (npm run import:reference), never from the TSVs in reference/ at runtime.
 */
import { EXIT_CODES, type ExitCodeRow } from "./reference/exit-codes";
import { EXIT_CODE_HISTORY, type ExitCodeHistoryRow } from "./reference/exit-codes-history";
import { addDays } from "./time";

export type { ExitCodeRow };

/** What the scripts' explain_exit_code() says for any code it does not list (0 included). */
export const UNKNOWN_ERROR = "Unknown error";
export const UNKNOWN_SECTION = "Unknown";
export const UNKNOWN_CATEGORY = "unknown";

const CANONICAL: ReadonlyMap<number, ExitCodeRow> = new Map(EXIT_CODES.map((r) => [r.code, r]));

/** History rows per code, oldest first, so a date lookup scans a handful of rows. */
const HISTORY: ReadonlyMap<number, readonly ExitCodeHistoryRow[]> = (() => {
  const byCode = new Map<number, ExitCodeHistoryRow[]>();
  for (const row of EXIT_CODE_HISTORY) {
    const rows = byCode.get(row.code) ?? [];
    rows.push(row);
    byCode.set(row.code, rows);
  }
  for (const rows of byCode.values()) rows.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  return byCode;
})();

/**
 * Section headings of misc/api.func by code range, for codes the table does not list. Labels are
 * spelled as in exit-codes.tsv. Ranges overlap (BSD sysexits 64–78 sit inside curl 4–95): the
 * first match wins, so narrower ranges come first. Listed codes always use the table's own
 * section (the table files 75 and 78 under curl, not BSD).
 */
const SECTION_RANGES: readonly { from: number; to: number; section: string }[] = [
  { from: 1, to: 3, section: "Generic / Shell" },
  { from: 10, to: 10, section: "Generic / Shell" },
  { from: 64, to: 78, section: "BSD sysexits.h (64-78)" },
  { from: 4, to: 95, section: "curl / wget errors" },
  { from: 100, to: 102, section: "Package manager / APT / DPKG" },
  { from: 103, to: 123, section: "Script Validation & Setup (103-123)" },
  { from: 124, to: 146, section: "Common shell/system errors" },
  { from: 150, to: 154, section: "Systemd / Service errors (150-154)" },
  { from: 160, to: 162, section: "Python / pip / uv (160-162)" },
  { from: 170, to: 173, section: "PostgreSQL (170-173)" },
  { from: 180, to: 183, section: "MySQL / MariaDB (180-183)" },
  { from: 190, to: 193, section: "MongoDB (190-193)" },
  { from: 200, to: 231, section: "Proxmox Custom Codes (200-231)" },
  { from: 232, to: 238, section: "Tools & Addon Scripts (232-238)" },
  { from: 239, to: 249, section: "Node.js / npm / pnpm / yarn (239-249)" },
  { from: 250, to: 254, section: "Application Install/Update Errors (250-254)" },
  { from: 255, to: 255, section: "DPKG" },
];

/** The documented section range a code falls in, or "Unknown" outside every range (0, 96–99, …). */
export function sectionForCode(code: number): string {
  return SECTION_RANGES.find((r) => code >= r.from && code <= r.to)?.section ?? UNKNOWN_SECTION;
}

/**
 * UTC day ("YYYY-MM-DD") of a Date, ISO string or PocketBase "YYYY-MM-DD HH:MM:SS.sssZ";
 * null when unparseable, so a bad date degrades to the canonical message instead of throwing.
 */
function utcDayOf(at: Date | string): string | null {
  // Date-only ISO strings parse as UTC; PocketBase's space separator needs the ISO "T".
  const ms = typeof at === "string" ? Date.parse(at.replace(" ", "T")) : at.getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/**
 * Message a code had on `day`, per the history: a row covers the days from its first_seen to
 * its last_seen snapshot, inclusive. Days outside every row (before the first snapshot, in the
 * gaps between snapshots, after the last one) return null: the caller falls back to the
 * canonical message, which is what the current rows say anyway.
 */
function historicalMessage(code: number, day: string): string | null {
  for (const row of HISTORY.get(code) ?? []) {
    if (row.firstSeen <= day && day <= row.lastSeen) return row.message;
  }
  return null;
}

/**
 * The explanation text of an exit code: exactly explain_exit_code()'s message for listed codes,
 * "Unknown error" for any other. With `at` (the record's date), a code reused since then is
 * explained by the message it had that day (e.g. 243 meant a MySQL error in Dec 2025).
 */
export function explainExitCode(code: number, at?: Date | string): string {
  if (at !== undefined) {
    const day = utcDayOf(at);
    const then = day === null ? null : historicalMessage(code, day);
    if (then !== null) return then;
  }
  return CANONICAL.get(code)?.message ?? UNKNOWN_ERROR;
}

/** Canonical row of a code; unlisted codes get "Unknown error", their range's section, "unknown". */
export function exitCodeInfo(code: number): ExitCodeRow {
  const row = CANONICAL.get(code);
  if (row) return row;
  return { code, message: UNKNOWN_ERROR, section: sectionForCode(code), category: UNKNOWN_CATEGORY };
}

/**
 * Categories (the scripts' error_category) whose failures lie outside a script's control: the
 * user stopped the run, or the host, its network, storage, memory or Proxmox itself failed.
 * Failures in every other category count against the script ("actionable"). Judged by the
 * category's typical cause, not code by code: a few codes sit on the wrong side (22 "HTTP
 * error" can be a script's stale URL; 102 "APT lock held" is the host's), and that is accepted
 * for one mapping everyone can check. docs/INSIGHTS.md explains each choice.
 */
export const OUTSIDE_SCRIPT_CONTROL: ReadonlySet<string> = new Set(["user_aborted", "network", "timeout", "storage", "resource", "proxmox"]);

export function isOutsideScriptControl(category: string): boolean {
  return OUTSIDE_SCRIPT_CONTROL.has(category);
}

/** Readable names of the categories ("user_aborted" → "user abort"). */
const CATEGORY_LABELS: Readonly<Record<string, string>> = { user_aborted: "user abort", proxmox: "Proxmox", unknown: "unknown" };

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category] ?? category;
}

/** Text before the first ": " of a message ("PostgreSQL", "curl"), "" without one. */
function messagePrefix(message: string): string {
  const i = message.indexOf(": ");
  return i > 0 ? message.slice(0, i) : "";
}

/**
 * The category a historical message had. The history lists messages, not categories, so a
 * message takes the category of the canonical code that says the same today ("PostgreSQL: Fatal
 * error in query / syntax" was 234 in Dec 2025, is 173 now: database); else, when its prefix
 * differs from the code's current one, the category most canonical codes with that prefix have
 * ("Node.js: Inspector error" → runtime); else the code's own canonical category (a reworded
 * message, e.g. "Custom: …" that became "Proxmox: …").
 */
function historicalCategory(row: ExitCodeHistoryRow): string {
  const same = EXIT_CODES.find((r) => r.message === row.message);
  if (same) return same.category;
  const prefix = messagePrefix(row.message);
  const current = exitCodeInfo(row.code);
  if (prefix !== "" && prefix !== messagePrefix(current.message)) {
    const votes = new Map<string, number>();
    for (const r of EXIT_CODES) if (messagePrefix(r.message) === prefix) votes.set(r.category, (votes.get(r.category) ?? 0) + 1);
    const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (best) return best[0];
  }
  return current.category;
}

/** Periods in which a code's category differed from its canonical one, per code. */
const CATEGORY_HISTORY: ReadonlyMap<number, readonly { firstSeen: string; lastSeen: string; category: string }[]> = (() => {
  const byCode = new Map<number, { firstSeen: string; lastSeen: string; category: string }[]>();
  for (const row of EXIT_CODE_HISTORY) {
    const category = historicalCategory(row);
    if (category === exitCodeInfo(row.code).category) continue;
    byCode.set(row.code, [...(byCode.get(row.code) ?? []), { firstSeen: row.firstSeen, lastSeen: row.lastSeen, category }]);
  }
  return byCode;
})();

/**
 * The error_category of a failure: by the meaning its code had on the record's date (`at`:
 * Date, ISO or PocketBase time, or a "YYYY-MM-DD" day), the canonical category otherwise.
 * Unlisted codes (0 included) are "unknown".
 */
export function errorCategory(code: number, at?: Date | string): string {
  const periods = CATEGORY_HISTORY.get(code);
  // Most codes never changed category: no date to parse (scans call this per code and bucket).
  const day = periods === undefined || at === undefined ? null : utcDayOf(at);
  if (day !== null) {
    for (const p of periods!) if (p.firstSeen <= day && day <= p.lastSeen) return p.category;
  }
  return exitCodeInfo(code).category;
}

/**
 * Splits the days [from, to] into periods in which every code keeps one category, so totals
 * summed over a period (rollup range views) can be categorised exactly. Usually one period:
 * codes changed category only in the history's older snapshots.
 */
export function categoryPeriods(from: string, to: string): { from: string; to: string }[] {
  const cuts = new Set<string>();
  for (const periods of CATEGORY_HISTORY.values()) {
    for (const p of periods) {
      cuts.add(p.firstSeen);
      cuts.add(addDays(p.lastSeen, 1));
    }
  }
  const starts = [from, ...[...cuts].filter((d) => d > from && d <= to).sort()];
  return starts.map((start, i) => ({ from: start, to: i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to }));
}

/** "0".."255" written plainly (no sign, no leading zeros). */
export function isExitCodeParam(raw: string): boolean {
  return /^(0|[1-9]\d{0,2})$/.test(raw) && Number(raw) <= 255;
}
