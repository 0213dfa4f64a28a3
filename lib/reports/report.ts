/**
 * A report declares each of its columns once: the field's JSON name and zod schema (the API's
 * answer and its OpenAPI entry), the CSV columns it becomes, and its column in the page's table.
 * The page, the API route, CSV and OpenAPI are adapters over that one list (docs/ARCHITECTURE.md,
 * "Adding a column").
 *
 * Orders: JSON keys and table columns follow the list. CSV columns follow it too (or v1's own
 * order where it differed, `csvOrder`), except those marked `added` — columns added after v1
 * shipped go last, by the release they came in, so a consumer reading columns by position keeps working
 * (docs/API-CHANGELOG.md).
 */
import { z } from "zod";
import type { CsvTable } from "../api";
import type { ViewState } from "../params";
import type { Cell, Column } from "../table";

/** The context of a table with share bars: the request's view state and the largest share (the bars' full width). */
export interface ShareContext {
  state: ViewState;
  maxShare: number;
}

export function shareContext(state: ViewState, rows: readonly { share: number }[]): ShareContext {
  return { state, maxShare: Math.max(0, ...rows.map((r) => r.share)) };
}

/** A CSV cell's value. */
export type Scalar = string | number | boolean | null;

/**
 * A CSV column read from the field's JSON value, or one added after v1.0 (`added`: N of the API
 * version 1.N.0 it shipped in — lib/api-changelog.ts counts the releases).
 */
export type CsvColumn<V> = ((value: V) => Scalar) | { value: (value: V) => Scalar; added: number };

/** A column of the page's table: the DataTable column without its key (the field's, unless given). */
export interface TableColumn<R, C> {
  key?: string;
  label: string | ((ctx: C) => string);
  cell: (row: R, ctx: C) => Cell;
  priority?: 1 | 2 | 3;
  sortable?: boolean;
  firstDescending?: boolean;
  testId?: string;
  align?: "left" | "right";
  /** Shown only when this holds (e.g. a column that a parameter adds). */
  when?: (ctx: C) => boolean;
}

/** One declared column of report rows R (read in context C). */
export interface Field<R, C, V = unknown> {
  /** The JSON field's name (snake_case: the API's), and the table column's key. */
  name: string;
  /** The JSON value's schema (with its description: OpenAPI's). Absent: a table-only column. */
  schema?: z.ZodType<V>;
  value?: (row: R, ctx: C) => V;
  /** The CSV columns it becomes, by name; by default one named like the field, the value itself; `false`: none. */
  csv?: Readonly<Record<string, CsvColumn<V>>> | false;
  table?: TableColumn<R, C>;
}

/** A field whose JSON value is typed by its schema (`z.infer`), so a row cannot drift from its documentation. */
export function field<R, C, V>(name: string, schema: z.ZodType<V>, value: (row: R, ctx: C) => V, more: Pick<Field<R, C, V>, "csv" | "table"> = {}): Field<R, C> {
  return { name, schema, value, ...more } as Field<R, C>;
}

/** A column shown in the page's table only (computed for reading, not an API field). */
export function tableOnly<R, C>(name: string, table: TableColumn<R, C>): Field<R, C> {
  return { name, table, csv: false };
}

type JsonField<R, C> = Field<R, C> & Required<Pick<Field<R, C>, "schema" | "value">>;

const isJson = <R, C>(f: Field<R, C>): f is JsonField<R, C> => f.schema !== undefined && f.value !== undefined;

export interface Report<R, C> {
  /** The API row's schema: a strict object of the JSON fields, in order. */
  rowSchema: z.ZodObject;
  /** A row as the API answers it. */
  json(row: R, ctx: C): Record<string, unknown>;
  /** Rows as the CSV answer's table: its header even without rows. */
  csv(rows: readonly R[], ctx: C): CsvTable;
  /** The page's table columns. */
  table(ctx: C): Column<R>[];
}

/** `csvOrder`: v1's CSV columns in the order v1 shipped them, where that was not the fields' order. */
export function report<R, C>(fields: readonly Field<R, C>[], options: { csvOrder?: readonly string[] } = {}): Report<R, C> {
  const json = fields.filter(isJson);
  const csvColumns = json.flatMap((f) => {
    if (f.csv === false) return [];
    const columns: Record<string, CsvColumn<unknown>> = f.csv ?? { [f.name]: (v: unknown) => v as Scalar };
    return Object.entries(columns).map(([name, c]) => ({
      name,
      field: f,
      read: typeof c === "function" ? c : c.value,
      added: typeof c === "function" ? 0 : c.added,
    }));
  });
  // Stable: v1.0's columns in the list's order (or csvOrder's), then later ones by the release they came in.
  const v1 = (name: string) => options.csvOrder?.indexOf(name) ?? 0;
  csvColumns.sort((a, b) => a.added - b.added || (a.added === 0 ? v1(a.name) - v1(b.name) : 0));
  return {
    rowSchema: z.strictObject(Object.fromEntries(json.map((f) => [f.name, f.schema]))),
    json: (row, ctx) => Object.fromEntries(json.map((f) => [f.name, f.value(row, ctx)])),
    csv: (rows, ctx) => ({
      columns: csvColumns.map((c) => c.name),
      rows: rows.map((row) => {
        const values = new Map(json.map((f) => [f, f.value(row, ctx)]));
        return Object.fromEntries(csvColumns.map((c) => [c.name, c.read(values.get(c.field))]));
      }),
    }),
    table: (ctx) =>
      fields.flatMap((f) => {
        const t = f.table;
        if (!t || (t.when && !t.when(ctx))) return [];
        const column: Column<R> = { key: t.key ?? f.name, label: typeof t.label === "function" ? t.label(ctx) : t.label, cell: (row) => t.cell(row, ctx) };
        if (t.priority !== undefined) column.priority = t.priority;
        if (t.sortable !== undefined) column.sortable = t.sortable;
        if (t.firstDescending !== undefined) column.firstDescending = t.firstDescending;
        if (t.testId !== undefined) column.testId = t.testId;
        if (t.align !== undefined) column.align = t.align;
        return [column];
      }),
  };
}
