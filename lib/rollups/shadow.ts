/**
 * Prepared ("shadow") rollups: the SQL of the online upgrade path (docs/ROLLUPS.md, "Upgrading
 * without downtime"). While the previous PocketBase serves, `npm run rollups -- prepare`
 *  1. logs every change of the telemetry table (light triggers into SHADOW_NAMES.log),
 *  2. aggregates the raw rows of each rollup the next migration rebuilds, in one read snapshot
 *     that also reads the log's newest sequence number (WAL readers never block writers),
 *  3. copies the aggregate into a shadow table in small write transactions,
 *  4. replays the changes logged after the snapshot through the rollup's own trigger SQL, and in
 *     the same write transaction installs that trigger SQL on the shadow: from then on the
 *     shadow is kept exact like the live rollup.
 * The generated migration (lib/rollups/migration-source.ts) then switches a shadow in instead
 * of rebuilding: rename, metadata, triggers — milliseconds. Everything here is derived from a
 * RollupEntry (the state a migration embeds), so it works for any migration's state.
 */
import type { RollupEntry } from "./state";
import { TELEMETRY } from "./spec";

/** Names the prepare tool and the generated migrations share. SWITCH_VERSION changes with them. */
export const SHADOW_NAMES = {
  /** One row per prepared rollup: name, shadow table, definition, index SQL, live flag. */
  bookkeeping: "_rollup_shadows",
  /** Changes of the telemetry table since prepare started (op 'i' insert / 'd' delete). */
  log: "_rollup_log",
  /** Scratch table: inserting a logged change here fires the shadows' replay triggers. */
  replay: "_rollup_replay",
  /** Shadow of rollup `stats_x`: table `_shadow_stats_x`, triggers `_shadow_stats_x_ai|ad|au`. */
  prefix: "_shadow_",
};
/** Version of the prepare/switch contract a generated migration implements. */
export const SWITCH_VERSION = 1;

export const shadowTable = (name: string) => `${SHADOW_NAMES.prefix}${name}`;
const TRIGGER_SUFFIXES = ["_ai", "_ad", "_au"] as const;
export const logTriggerNames = () => TRIGGER_SUFFIXES.map((s) => `${SHADOW_NAMES.log}${s}`);
export const shadowTriggerNames = (table: string) => TRIGGER_SUFFIXES.map((s) => `${table}${s}`);

/** Replaces a table name as a whole word (`stats_app` but not `stats_app_code`). */
function retarget(sql: string, from: string, to: string): string {
  return sql.replace(new RegExp(`\\b${from}\\b`, "g"), to);
}

interface ParsedTrigger {
  name: string;
  event: "INSERT" | "DELETE" | "UPDATE";
  when: string | null;
  body: string;
}

function parseTrigger(sql: string): ParsedTrigger {
  const m = /^CREATE TRIGGER IF NOT EXISTS (\w+) AFTER (INSERT|DELETE|UPDATE) ON (\w+)(?: WHEN ([\s\S]*?))? BEGIN\n([\s\S]*)\nEND$/.exec(sql);
  if (!m || m[3] !== TELEMETRY) throw new Error(`unexpected rollup trigger SQL: ${sql.slice(0, 80)}…`);
  return { name: m[1]!, event: m[2] as ParsedTrigger["event"], when: m[4] ?? null, body: m[5]! };
}

/** Telemetry columns the rollups' triggers read (NEW.x / OLD.x): what the log must keep. */
export function loggedColumns(entries: readonly RollupEntry[]): string[] {
  const cols = new Set<string>();
  for (const r of entries) for (const sql of r.triggers) for (const m of sql.matchAll(/\b(?:NEW|OLD)\.(\w+)/g)) cols.add(m[1]!);
  return [...cols].sort();
}

/** The change log and its triggers. An update is logged as the old row removed and the new one added. */
export function logSql(cols: readonly string[]): string[] {
  const { log, replay } = SHADOW_NAMES;
  const list = cols.join(", ");
  const values = (row: "NEW" | "OLD") => cols.map((c) => `${row}.${c}`).join(", ");
  const insert = (op: "i" | "d", row: "NEW" | "OLD") => `INSERT INTO ${log} (op, ${list}) VALUES ('${op}', ${values(row)});`;
  const [ai, ad, au] = logTriggerNames();
  const changed = cols.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR ");
  // Columns without a type keep values exactly as the telemetry row held them (no affinity:
  // "3.20" must not become 3.2).
  return [
    `CREATE TABLE IF NOT EXISTS ${log} (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, ${list})`,
    `CREATE TABLE IF NOT EXISTS ${replay} (op TEXT NOT NULL, ${list})`,
    `CREATE TRIGGER IF NOT EXISTS ${ai} AFTER INSERT ON ${TELEMETRY} BEGIN ${insert("i", "NEW")} END`,
    `CREATE TRIGGER IF NOT EXISTS ${ad} AFTER DELETE ON ${TELEMETRY} BEGIN ${insert("d", "OLD")} END`,
    `CREATE TRIGGER IF NOT EXISTS ${au} AFTER UPDATE ON ${TELEMETRY} WHEN ${changed} BEGIN ${insert("d", "OLD")} ${insert("i", "NEW")} END`,
  ];
}

/** Removes the log (its triggers first). */
export function dropLogSql(): string[] {
  return [...logTriggerNames().map((t) => `DROP TRIGGER IF EXISTS ${t}`), `DROP TABLE IF EXISTS ${SHADOW_NAMES.log}`, `DROP TABLE IF EXISTS ${SHADOW_NAMES.replay}`];
}

/** Removes a shadow: its live triggers, its replay triggers, its table. */
export function dropShadowSql(table: string): string[] {
  return [...shadowTriggerNames(table), `${table}_ri`, `${table}_rd`].map((t) => `DROP TRIGGER IF EXISTS ${t}`).concat(`DROP TABLE IF EXISTS ${table}`);
}

/** The column type PocketBase gives a field (core/field_*.go ColumnType), so a renamed shadow is what PocketBase would have created. */
function columnSql(field: { name: string; type: string }): string {
  if (field.type === "number") return `\`${field.name}\` NUMERIC DEFAULT 0 NOT NULL`;
  if (field.type === "text") return `\`${field.name}\` TEXT DEFAULT '' NOT NULL`;
  throw new Error(`no shadow column type for a ${field.type} field (${field.name})`);
}

export function shadowTableSql(r: RollupEntry, table: string): string {
  const fields = r.fields as { name: string; type: string }[];
  const cols = ["`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL", ...fields.map(columnSql)];
  return `CREATE TABLE ${table} (${cols.join(", ")})`;
}

/**
 * The shadow's indexes. Index names are global in SQLite and the live rollup still has its own
 * while the shadow is built, so a name the database already uses gets the suffix `_s` (the
 * next shadow of that rollup alternates back). `create` builds them on the shadow; `final` is
 * what the collection records after the switch.
 */
export function shadowIndexSql(r: RollupEntry, table: string, usedNames: ReadonlySet<string>): { create: string[]; final: string[] } {
  const create: string[] = [];
  const final: string[] = [];
  for (const sql of r.indexes) {
    const m = /^CREATE (UNIQUE )?INDEX (\w+) ON (\w+) (\(.*\))$/.exec(sql);
    if (!m || m[3] !== r.name) throw new Error(`unexpected rollup index SQL: ${sql}`);
    const name = usedNames.has(m[2]!) ? `${m[2]}_s` : m[2]!;
    create.push(`CREATE ${m[1] ?? ""}INDEX ${name} ON ${table} ${m[4]}`);
    final.push(`CREATE ${m[1] ?? ""}INDEX ${name} ON ${r.name} ${m[4]}`);
  }
  return { create, final };
}

/**
 * Replay triggers: a logged change inserted into the replay table applies the rollup's own
 * insert (op 'i') or delete (op 'd') statements to the shadow — the same SQL as live traffic.
 */
export function replayTriggersSql(r: RollupEntry, table: string): string[] {
  const [ai, ad] = r.triggers.map(parseTrigger);
  if (ai?.event !== "INSERT" || ad?.event !== "DELETE") throw new Error(`unexpected trigger order for ${r.name}`);
  const on = (op: string, body: string, suffix: string) =>
    `CREATE TRIGGER IF NOT EXISTS ${table}${suffix} AFTER INSERT ON ${SHADOW_NAMES.replay} WHEN NEW.op = '${op}' BEGIN\n${retarget(body, r.name, table)}\nEND`;
  return [on("i", ai.body, "_ri"), on("d", ad.body.replace(/\bOLD\./g, "NEW."), "_rd")];
}

/** The rollup's triggers, writing to the shadow: installed once the shadow has caught up. */
export function liveTriggersSql(r: RollupEntry, table: string): string[] {
  return r.triggers.map((sql) => {
    const t = parseTrigger(sql);
    const suffix = t.name.slice(r.name.length);
    return `CREATE TRIGGER IF NOT EXISTS ${table}${suffix} AFTER ${t.event} ON ${TELEMETRY}${t.when ? ` WHEN ${t.when}` : ""} BEGIN\n${retarget(t.body, r.name, table)}\nEND`;
  });
}
