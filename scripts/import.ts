/**
 * `npm run import -- --dir <pocketbase data dir> FILE…`: loads history exports into
 * `_dev_telemetry_data` (formats: README "Import history"; conversion: scripts/lib/import-records.ts).
 * Idempotent — a run already stored (same execution, or same session for a records-API run, or
 * same record id) is skipped, so a second import adds nothing; every skip is counted with its
 * reason. A record refused for what it holds (not JSON, a field the collection's rules refuse, no
 * time) is not lost: it goes to the rejects file with its reason and place, as a one-record page
 * of its kind, so the fixed file imports like any other. Rows go in through the rollup triggers, 1,000 per transaction, so the rollups stay
 * exact and PocketBase may keep serving meanwhile (not during a backup: it copies the files).
 * Exit codes: 0 done (skips and rejects included: the summary names them), 1 a file could not
 * be read or written, 2 bad arguments.
 */
import type Database from "better-sqlite3";
import { accessSync, closeSync, constants, createReadStream, existsSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { inTransaction, openTelemetryDb, rowInserter } from "./lib/bulk-insert";
import { type Converted, type FieldSchema, fromPocketBase, fromUpstream, isPocketBaseRecord, newRecordId } from "./lib/import-records";
import { createProgress, formatCount } from "./lib/progress";
import type { TelemetryRow } from "./lib/telemetry-row";

const HELP = `Import install-telemetry history into a PocketBase data dir.

Usage: npm run import -- --dir <pocketbase data dir> [--dry-run] [--rejects FILE] FILE…

  FILE       JSON or NDJSON: PocketBase record pages of _dev_telemetry_data (a superuser's
             GET /api/collections/_dev_telemetry_data/records answers, {"items": […]}), the
             upstream telemetry service's GET /api/records pages ({"records": […]}), an
             array of either kind of record, or one record or page per line
  --dir      the PocketBase data dir (its data.db; migrations applied). PocketBase may run.
  --dry-run  read and check everything, store nothing
  --rejects  where refused records go, each with its reason and place, re-importable once
             fixed (default: import-rejects-<time>.ndjson here; written only if any)
  -h, --help this help`;

/** Files up to this size are parsed whole (a JSON document); larger ones are read as NDJSON. */
const WHOLE_FILE_BYTES = 256 * 1024 * 1024;
const BATCH = 1000;

type Json = Record<string, unknown>;
interface Item {
  where: string;
  rec: unknown;
  /** A line that is not JSON, as it was. */
  text?: string;
  /** The page said which kind its records are. */
  kind?: "pocketbase" | "upstream";
}

/** A JSON value's records: pages ({items}, {records}), arrays, or one record. */
function* recordsOf(value: unknown, where: string): Generator<Item> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* recordsOf(value[i], `${where}[${i}]`);
    return;
  }
  const page = value as Json;
  if (page && typeof page === "object" && Array.isArray(page.items)) {
    for (let i = 0; i < page.items.length; i++) yield { where: `${where}.items[${i}]`, rec: page.items[i], kind: "pocketbase" };
  } else if (page && typeof page === "object" && Array.isArray(page.records)) {
    for (let i = 0; i < page.records.length; i++) yield { where: `${where}.records[${i}]`, rec: page.records[i], kind: "upstream" };
  } else yield { where, rec: value };
}

/** Every record of one file (a whole JSON document, or NDJSON line by line). */
async function* readFile(file: string): AsyncGenerator<Item> {
  if (statSync(file).size <= WHOLE_FILE_BYTES) {
    const text = readFileSync(file, "utf8");
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined; // not one document: NDJSON
    }
    if (whole !== undefined) {
      yield* recordsOf(whole, file);
      return;
    }
  }
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { where: `${file}:${n}`, rec: NOT_JSON, text: line };
      continue;
    }
    yield* recordsOf(value, `${file}:${n}`);
  }
}

/** Counts the records first, for the progress bar (NDJSON is read twice; that is cheap next to the inserts). */
async function countRecords(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) for await (const _ of readFile(f)) n++;
  return n;
}

const NOT_JSON = Symbol("not JSON");

/** A refused record as one line of the rejects file: a page of its kind, with why and where. */
function rejectLine(item: Item, reason: string): string {
  const why = { refused: reason, from: item.where };
  if (item.rec === NOT_JSON) return JSON.stringify({ ...why, line: item.text, records: [] });
  const pocketbase = item.kind ? item.kind === "pocketbase" : !!item.rec && typeof item.rec === "object" && isPocketBaseRecord(item.rec as Json);
  return JSON.stringify(pocketbase ? { ...why, items: [item.rec] } : { ...why, records: [item.rec] });
}

function convert(item: Item, fields: readonly FieldSchema[]): Converted {
  if (item.rec === NOT_JSON) return { skip: "not JSON" };
  if (!item.rec || typeof item.rec !== "object" || Array.isArray(item.rec)) return { skip: "not a record" };
  const rec = item.rec as Json;
  const pocketbase = item.kind ? item.kind === "pocketbase" : isPocketBaseRecord(rec);
  return pocketbase ? fromPocketBase(rec, fields) : fromUpstream(rec, fields);
}

/** What is already stored: by execution, by a records-API run's session, by record id. */
function storedCheck(db: Database.Database) {
  // The execution index is partial (execution_id != ''): the condition must be in the query to use it.
  const byExecution = db.prepare("SELECT 1 FROM _dev_telemetry_data WHERE execution_id = ? AND execution_id != ''").pluck();
  const bySession = db.prepare("SELECT 1 FROM _dev_telemetry_data WHERE random_id = ? AND execution_id = ''").pluck();
  const byId = db.prepare("SELECT 1 FROM _dev_telemetry_data WHERE id = ?").pluck();
  return {
    has: (row: TelemetryRow) => !!(row.execution_id ? byExecution.get(row.execution_id) : bySession.get(row.random_id)),
    idTaken: (id: string) => !!byId.get(id),
  };
}

async function main(): Promise<number> {
  let values: { dir?: string; "dry-run"?: boolean; rejects?: string; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      allowPositionals: true,
      options: {
        dir: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        rejects: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    values = parsed.values;
    files = parsed.positionals.map((f) => resolve(f));
  } catch (err) {
    console.error(`import: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.dir || files.length === 0) {
    console.error(`import: --dir and at least one FILE are required\n\n${HELP}`);
    return 2;
  }
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(`import: no such file: ${missing.join(", ")}`);
    return 1;
  }
  const rejectsFile = resolve(values.rejects ?? `import-rejects-${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}.ndjson`);
  try {
    accessSync(dirname(rejectsFile), constants.W_OK); // before anything is stored, not at the first refusal
  } catch {
    console.error(`import: cannot write the rejects file ${rejectsFile}`);
    return 1;
  }
  const db = openTelemetryDb(join(values.dir, "data.db"));
  let rejects: number | undefined;
  try {
    const fields = JSON.parse((db.prepare("SELECT fields FROM _collections WHERE name = '_dev_telemetry_data'").pluck().get() as string) ?? "[]") as FieldSchema[];
    const stored = storedCheck(db);
    const insert = rowInserter(db);
    const total = await countRecords(files);
    process.stderr.write(`importing ${formatCount(total)} records from ${files.length} file(s)${values["dry-run"] ? " (dry run: nothing is stored)" : ""}\n`);
    const progress = createProgress(total);
    const skipped = new Map<string, { n: number; first: string }>();
    const skip = (reason: string, where: string) => {
      const s = skipped.get(reason) ?? { n: 0, first: where };
      s.n++;
      skipped.set(reason, s);
    };
    let rejected = 0;
    const reject = (item: Item, reason: string) => {
      skip(reason, item.where);
      rejects ??= openSync(rejectsFile, "w"); // created only when something is refused
      writeSync(rejects, `${rejectLine(item, reason)}\n`);
      rejected++;
    };
    const seen = new Set<string>();
    let batch: TelemetryRow[] = [];
    const batchIds = new Set<string>();
    let done = 0;
    let imported = 0;
    const flush = () => {
      if (!values["dry-run"] && batch.length) inTransaction(db, () => batch.forEach((r) => insert(r)));
      imported += batch.length;
      batch = [];
      batchIds.clear();
      progress.update(done);
    };
    for (const file of files) {
      for await (const item of readFile(file)) {
        done++;
        const c = convert(item, fields);
        if ("skip" in c) reject(item, c.skip);
        else if (seen.has(c.key)) skip("the same run appears earlier in the input", item.where);
        else if (stored.has(c.row)) skip("already stored", item.where);
        else {
          seen.add(c.key);
          if (stored.idTaken(c.row.id) || batchIds.has(c.row.id)) c.row.id = newRecordId();
          batchIds.add(c.row.id);
          batch.push(c.row);
          if (batch.length >= BATCH) flush();
        }
      }
    }
    flush();
    progress.finish();
    console.log(`${values["dry-run"] ? "would import" : "imported"} ${formatCount(imported)} of ${formatCount(done)} records; skipped ${formatCount(done - imported)}`);
    for (const [reason, s] of [...skipped].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${formatCount(s.n)} × ${reason} (first: ${s.first})`);
    if (rejected) console.log(`${formatCount(rejected)} refused record(s), each with its reason, are in ${rejectsFile}: fix them there and import that file`);
    return 0;
  } finally {
    db.close();
    if (rejects !== undefined) closeSync(rejects);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`import: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
