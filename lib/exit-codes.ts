/**
 * THE exit-code module: what an install's exit code means, today or on the day it happened.
 * Pure (no I/O) so client and server components share one answer. Data comes from the generated
 * modules in lib/reference (npm run import:reference), never from ../shared at runtime.
 */
import { EXIT_CODES, type ExitCodeRow } from "./reference/exit-codes";
import { EXIT_CODE_HISTORY, type ExitCodeHistoryRow } from "./reference/exit-codes-history";

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

/** Every canonical code, ascending (for pickers and legends). */
export function listedExitCodes(): readonly ExitCodeRow[] {
  return EXIT_CODES;
}
