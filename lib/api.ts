/**
 * The one way route handlers answer: parse the view state with the shared parser, run a data
 * function, and reply JSON (or CSV with format=csv) with CDN cache headers. Bad input is a
 * 400 with a message, an unknown thing a 404; a data-layer failure a 503. Never a bare 500.
 */
import { DEFAULT_REPO } from "./repo";
import "server-only";
import type { z } from "zod";
import { readViewState } from "./data";
import { reply, respond, TYPES } from "./http/respond";
import { pageCount, type ViewState } from "./params";
import type { View } from "./views";
import { dataTime } from "./request-context";

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every column of a CSV row type, each once, in the order listed: a column missing from the
 * list, or one the rows do not have, fails to compile. Declared rather than read from the rows,
 * so an empty table still has its header row (a consumer parsing the CSV sees the same columns
 * whether or not anything matched). Row unions (the digest's) list the columns of every member.
 */
type Columns<R> = { readonly [K in R extends unknown ? keyof R : never]-?: true };

export interface CsvTable {
  columns: readonly string[];
  rows: readonly object[];
}

/** The table `format=csv` returns: flat rows and their declared columns. */
export function csvTable<R extends object>(rows: readonly R[], columns: NoInfer<Columns<R>>): CsvTable {
  return { columns: Object.keys(columns), rows };
}

export interface ApiResult<D = unknown> {
  /** The JSON body's `data`, typed by the endpoint's documented schema (lib/api-schemas.ts). */
  data: D;
  /** The table `format=csv` returns (rows of flat values), from `csvTable`. */
  table: CsvTable;
  /** Paging of `data` (or of the list inside it). */
  page?: { number: number; size: number; total: number };
  /** Extra top-level fields the endpoint's schema declares (lib/api-schemas.ts). */
  extra?: Record<string, unknown>;
}

/**
 * JSON with `<`, `>` and `&` written as \u escapes: the same values for every parser, and no
 * markup in the bytes even where a note or an error quotes a hostile parameter.
 */
function json(body: unknown, status = 200): Response {
  return reply({ body: jsonText(body), type: TYPES.json, status });
}

function jsonText(body: unknown): string {
  return JSON.stringify(body).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A path under /api/v1/ that names no endpoint: a JSON 404 pointing to the endpoint list, as
 * every other API answer is JSON (Next.js would answer with its HTML not-found page).
 */
export function unknownEndpoint(request: Request): Response {
  const path = new URL(request.url).pathname.slice(0, 120);
  return json({ error: `no endpoint ${path}: the endpoints are listed in /api/v1/openapi.json and on /api`, notes: [] }, 404);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  // Quote when needed; neutralise formula injection in spreadsheet apps.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: CsvTable): string {
  const cells = (row: object) => table.columns.map((c) => csvCell((row as Record<string, unknown>)[c]));
  const lines = [table.columns.join(","), ...table.rows.map((row) => cells(row).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

function range(state: ViewState) {
  return { preset: state.preset, from: state.range.from, to: state.range.to, grain: state.range.grain, bucket: state.range.bucket, repo: state.range.repo };
}

/** "summary-2026-10-24-2026-11-22.csv"; hours as "2026-11-22T13"; another selection than the official one named ("summary-dev-…"). */
function csvName(name: string, state: ViewState): string {
  const repo = state.range.repo === DEFAULT_REPO ? "" : `-${state.range.repo}`;
  return `${name}${repo}-${state.range.from}-${state.range.to}.csv`.replace(/ /g, "T");
}

/**
 * `schema`: the endpoint's documented answer (lib/api-schemas.ts, also its OpenAPI entry): what
 * `run` returns as `data` must be what the schema's `data` says, or the route does not compile.
 */
export async function answer<D>(
  request: Request,
  name: string,
  view: View,
  _schema: z.ZodType<{ data: D }>,
  run: (state: ViewState, url: URL) => Promise<ApiResult<NoInfer<D>>>,
): Promise<Response> {
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return json({ error: `format must be json or csv (got "${format.slice(0, 20)}")` }, 400);
  return respond(
    async () => {
      const { state, notes } = await readViewState(url.searchParams, new Date(), view);
      let result: ApiResult<D>;
      try {
        result = await run(state, url);
      } catch (err) {
        if (err instanceof ApiError) return json({ error: err.message, notes }, err.status);
        throw err;
      }
      if (format === "csv") {
        return reply({ body: toCsv(result.table), type: TYPES.csv, headers: { "content-disposition": `attachment; filename="${csvName(name, state)}"` } });
      }
      const page = result.page && { ...result.page, pages: pageCount(result.page.total, result.page.size) };
      if (page && page.number > page.pages) {
        // The paging rule (lib/params.ts): a page after the last one that can be fetched, on every paged endpoint.
        return json({ error: `page ${page.number} is past the last page (${page.pages}) of this list`, notes }, 400);
      }
      const asOf = dataTime();
      return json({ range: range(state), notes, data_as_of: asOf === null ? null : new Date(asOf).toISOString(), ...(page ? { page } : {}), ...result.extra, data: result.data });
    },
    { reply: (failure) => ({ body: jsonText({ error: failure.message }), type: TYPES.json }), retryAfter: "source" },
    () => ({ body: jsonText({ error: "internal error, logged on the server" }), type: TYPES.json }),
  );
}
