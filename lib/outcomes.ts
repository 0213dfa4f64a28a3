/**
 * The one place that maps raw telemetry statuses to outcomes.
 *
 * Stored outcomes are what the rollups count: they depend on the record alone.
 * `installing` splits into `running` / `unfinished` only at read time, because the split
 * depends on the clock (a run is unfinished once it has been installing longer than the
 * threshold; upstream uses one hour).
 */
export const STORED_OUTCOMES = ["success", "failed", "aborted", "unknown", "installing"] as const;
export type StoredOutcome = (typeof STORED_OUTCOMES)[number];

export const OUTCOMES = ["success", "failed", "aborted", "unknown", "unfinished", "running"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Raw status → stored outcome. `sucess` (sic) is what the scripts send; newer ones send `success`. */
export const STATUS_OUTCOME: Readonly<Record<string, StoredOutcome>> = {
  sucess: "success",
  success: "success",
  done: "success",
  failed: "failed",
  aborted: "aborted",
  unknown: "unknown",
  installing: "installing",
};

/** Statuses the collection accepts (select values), in the order of the real schema. */
export const ACCEPTED_STATUSES = ["installing", "sucess", "failed", "unknown", "success", "aborted"] as const;

export function storedOutcome(status: string | null | undefined): StoredOutcome {
  return STATUS_OUTCOME[status ?? ""] ?? "unknown";
}

export const DEFAULT_UNFINISHED_AFTER_MS = 60 * 60 * 1000;

/** Outcome of one record at `now`. `created` is PocketBase's "YYYY-MM-DD HH:MM:SS.sssZ" or ISO. */
export function outcomeOf(status: string | null | undefined, created: string, now: Date, unfinishedAfterMs = DEFAULT_UNFINISHED_AFTER_MS): Outcome {
  const stored = storedOutcome(status);
  if (stored !== "installing") return stored;
  const started = Date.parse(created.replace(" ", "T"));
  return now.getTime() - started > unfinishedAfterMs ? "unfinished" : "running";
}

/** The raw statuses stored as `outcome`. */
const statusesOf = (outcome: StoredOutcome) => Object.keys(STATUS_OUTCOME).filter((s) => STATUS_OUTCOME[s] === outcome);
/** Every status with a meaning of its own (anything else counts as `unknown`). */
const KNOWN_STATUSES = Object.keys(STATUS_OUTCOME).filter((s) => STATUS_OUTCOME[s] !== "unknown");

/**
 * SQL test (0/1) that a telemetry row (alias `row`) has the given stored outcome, generated
 * from STATUS_OUTCOME so the rollup triggers and this module can never disagree. Statuses not
 * in the mapping (and NULL) count as `unknown`.
 */
export function outcomeTestSql(row: string, outcome: StoredOutcome): string {
  const list = (statuses: string[]) => statuses.map((s) => `'${s}'`).join(", ");
  if (outcome !== "unknown") return `(${row}.status IN (${list(statusesOf(outcome))}))`;
  return `(${row}.status IS NULL OR ${row}.status NOT IN (${list(KNOWN_STATUSES)}))`;
}

/**
 * PocketBase filter for the raw records of one outcome (generated from STATUS_OUTCOME, like the
 * SQL above). `cutoff` is a PocketBase timestamp: runs installing since before it are
 * unfinished, later ones running. Status values are placeholders, for pb.filter().
 */
export function outcomeFilter(outcome: Outcome, cutoff: string): { expr: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const placeholders = (statuses: string[]) =>
    statuses.map((s, i) => {
      params[`status${i}`] = s;
      return `{:status${i}}`;
    });
  if (outcome === "unfinished" || outcome === "running") {
    params.cutoff = cutoff;
    return { expr: `status = ${placeholders(statusesOf("installing"))[0]} && created ${outcome === "unfinished" ? "<" : ">="} {:cutoff}`, params };
  }
  if (outcome === "unknown") {
    return {
      expr: placeholders(KNOWN_STATUSES)
        .map((p) => `status != ${p}`)
        .join(" && "),
      params,
    };
  }
  return {
    expr: `(${placeholders(statusesOf(outcome))
      .map((p) => `status = ${p}`)
      .join(" || ")})`,
    params,
  };
}
