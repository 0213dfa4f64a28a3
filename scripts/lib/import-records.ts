/**
 * Records of a history export, as rows of `_dev_telemetry_data` (scripts/import.ts). Two kinds:
 *
 *  - PocketBase records of the collection (a superuser's `GET …/records` pages, or the records
 *    alone): stored runs, taken as they are — columns of today's protocol when present, empty
 *    otherwise; their id is kept.
 *  - The upstream telemetry service's records (`GET /api/records` of community-scripts/
 *    telemetry-service: one record per execution, its latest event's fields, `created` the
 *    time of that event, `pipeline` the execution's steps): read as the event payloads they
 *    are, through the same logic as POST /telemetry (telemetry-ingest.cjs: status mapping,
 *    bounds, address masking); dated at the execution's first step.
 *
 * Every row is checked against the collection's own field options (read from the database it
 * goes to), so an import stores nothing a write through PocketBase would refuse. Pure: no I/O.
 */
import { randomBytes } from "node:crypto";
import ingest from "../../pocketbase/pb_hooks/telemetry-ingest.cjs";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { INGEST_COLUMNS_EMPTY, TELEMETRY_COLUMNS, type TelemetryRow } from "./telemetry-row";

/** A field of the collection as PocketBase stores its definition (`_collections.fields`). */
export interface FieldSchema {
  name: string;
  type: string;
  required?: boolean;
  min?: number | null;
  max?: number | null;
  pattern?: string;
  onlyInt?: boolean;
  values?: string[];
}

export type Converted = { row: TelemetryRow; key: string } | { skip: string };

type Json = Record<string, unknown>;

const EMPTY: Omit<TelemetryRow, "id" | "random_id" | "type" | "nsapp" | "status" | "created" | "updated"> = {
  ct_type: 0,
  disk_size: 0,
  core_count: 0,
  ram_size: 0,
  os_type: "",
  os_version: "",
  pve_version: "",
  method: "",
  error: "",
  exit_code: 0,
  ...INGEST_COLUMNS_EMPTY,
};

const PB_ID = /^[a-z0-9]{15}$/;
const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A fresh PocketBase-style record id (15 of [a-z0-9]). */
export function newRecordId(): string {
  return [...randomBytes(15)].map((b) => ID_CHARS[b % 36]).join("");
}

/**
 * PocketBase's "YYYY-MM-DD HH:MM:SS.sssZ" from PocketBase's own text, ISO 8601, or ClickHouse's
 * "YYYY-MM-DD HH:MM:SS[.fff]" (taken as UTC, as the upstream service writes it); null if none.
 */
export function pbTimeOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? "").slice(0, 4)}${m[4] ?? "Z"}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace("T", " ");
}

/** Which kind of record this is: PocketBase's carry collection fields or `updated`; upstream's neither. */
export function isPocketBaseRecord(rec: Json): boolean {
  return "collectionName" in rec || "collectionId" in rec || ("id" in rec && "updated" in rec);
}

/** The reason a row breaks the collection's field options, or null. */
export function schemaProblem(row: TelemetryRow, fields: readonly FieldSchema[]): string | null {
  for (const f of fields) {
    if (f.type === "autodate" || f.name === "id") continue;
    const v = (row as unknown as Json)[f.name];
    if (v === undefined) continue;
    if (f.type === "text") {
      const s = String(v);
      if (f.required && !s) return `${f.name} is empty`;
      if (f.max && [...s].length > f.max) return `${f.name} is longer than ${f.max} characters`;
      if (s && f.pattern && !new RegExp(f.pattern).test(s)) return `${f.name} does not match ${f.pattern}`;
    } else if (f.type === "number") {
      const n = Number(v);
      if (!Number.isFinite(n) || (f.min != null && n < f.min) || (f.max != null && n > f.max) || (f.onlyInt && !Number.isInteger(n))) {
        return `${f.name} ${JSON.stringify(v)} is outside ${f.min ?? "-∞"}…${f.max ?? "∞"}${f.onlyInt ? " (whole numbers)" : ""}`;
      }
    } else if (f.type === "select" && !(f.values ?? []).includes(String(v))) {
      return `${f.name} ${JSON.stringify(v)} is not one of ${(f.values ?? []).join(", ")}`;
    }
  }
  return null;
}

/** The row's key for deduplication: its execution, or the session of a records-API run. */
export const rowKey = (row: TelemetryRow) => (row.execution_id ? `execution ${row.execution_id}` : `session ${row.random_id}`);

function finish(row: TelemetryRow, fields: readonly FieldSchema[]): Converted {
  const problem = schemaProblem(row, fields);
  return problem ? { skip: problem } : { row, key: rowKey(row) };
}

/** A PocketBase record of `_dev_telemetry_data`. */
export function fromPocketBase(rec: Json, fields: readonly FieldSchema[]): Converted {
  const created = pbTimeOf(rec.created);
  if (!created) return { skip: "created is missing or not a time" };
  const updated = pbTimeOf(rec.updated) ?? created;
  const row = { ...EMPTY, id: typeof rec.id === "string" && PB_ID.test(rec.id) ? rec.id : newRecordId(), created, updated } as TelemetryRow;
  const out = row as unknown as Json;
  for (const c of TELEMETRY_COLUMNS) {
    if (c === "id" || c === "created" || c === "updated" || rec[c] === undefined || rec[c] === null) continue;
    const empty = out[c];
    out[c] = typeof empty === "number" ? Number(rec[c]) : typeof empty === "boolean" ? rec[c] === true || rec[c] === 1 : String(rec[c]);
  }
  if (!row.random_id) return { skip: "random_id is missing" };
  row.error = ingest.maskAddresses(row.error);
  // The signature follows the stored error text, whatever the export said.
  Object.assign(row, signature.signatureColumns(row.error));
  return finish(row, fields);
}

/** The steps of an upstream record's pipeline (`[{"s":"installing","t":"…"},…]`), oldest first. */
function pipelineOf(rec: Json): { s: string; t: string }[] {
  if (typeof rec.pipeline !== "string" || !rec.pipeline) return [];
  try {
    const steps = JSON.parse(rec.pipeline) as unknown;
    return Array.isArray(steps) ? steps.filter((x): x is { s: string; t: string } => typeof x?.s === "string" && typeof x?.t === "string") : [];
  } catch {
    return [];
  }
}

/** A record of the upstream service's `/api/records` (one execution, its latest event). */
export function fromUpstream(rec: Json, fields: readonly FieldSchema[]): Converted {
  const last = pbTimeOf(rec.created);
  if (!last) return { skip: "created is missing or not a time" };
  // The service leaves out zero values (Go's omitempty): a missing number is 0 (ct_type 0 is a privileged LXC).
  const checked = ingest.normalize({ ct_type: 0, disk_size: 0, core_count: 0, ram_size: 0, exit_code: 0, install_duration: 0, ...rec });
  if (checked.error !== undefined) return { skip: checked.error };
  const event = checked.event;
  const steps = pipelineOf(rec);
  const lastMs = Date.parse(last.replace(" ", "T"));
  const plan = ingest.merge(null, event, lastMs);
  // When it started: its first progress step, else its duration back from its last event
  // (what POST /telemetry does for a run whose first event is its end: host tools).
  const progressSteps = steps.filter((s) => s.s === "installing" || s.s === "validation" || s.s === "configuring");
  const firstStep = progressSteps.length ? pbTimeOf(progressSteps[0]!.t) : null;
  const created = firstStep && firstStep <= last ? firstStep : new Date(plan.created ?? lastMs).toISOString().replace("T", " ");
  const progress = progressSteps.at(-1);
  const values = { ...plan.values, phase: progress?.s ?? (event.kind === "progress" ? event.phase : "") };
  const row = { ...EMPTY, ...values, id: newRecordId(), created, updated: last } as TelemetryRow;
  return finish(row, fields);
}
