/**
 * Percentile views: for a rollup keyed by a duration bucket (lib/durations.ts), one row per
 * app, repository selection and [range_from, range_to] with the nearest-rank p50 and p90 of
 * successful runs' and failures' durations and their n. The sums, the running totals over the
 * buckets and the pick all happen in SQLite: a reader gets one record per app, so ranking
 * 650 apps by install time costs what ranking them by runs does (docs/ROLLUPS.md).
 *
 * The list rule's equality on range_from, range_to (and a filter on repo) is pushed through
 * the outer GROUP BY, the window (its columns are in every PARTITION BY) and the inner GROUP BY
 * down to the calendar seeks, as for the hourly range views.
 */
import { NO_DURATION } from "../durations";
import { REPOS, repoSources } from "../repo";
import { CALENDAR, HOUR_CALENDAR, type RollupSpec } from "./spec";

/** The percentile view of a rollup (only specs with `percentiles`). */
export function percentileViewName(spec: RollupSpec): string {
  return `${spec.name}_pct`;
}

/** Percentiles each row carries: column suffix and p. */
export const PERCENTILES = [
  ["p50", 50],
  ["p90", 90],
] as const;

/** Repository selections as rows (repo, source): NULL source = every run ("all"). */
function selections(): string {
  return REPOS.flatMap((repo) => {
    const sources = repoSources(repo);
    return sources === null ? [`SELECT '${repo}' AS repo, NULL AS source`] : sources.map((s) => `SELECT '${repo}' AS repo, '${s}' AS source`);
  }).join(" UNION ALL ");
}

export function percentileViewSql(spec: RollupSpec): string {
  const keys = spec.dims.map((d) => d.column).filter((c) => c !== "duration" && c !== "repo_source");
  if (keys.length === spec.dims.length) throw new Error(`${spec.name} has no duration and repo_source dimensions`);
  const daily = spec.grain === "day";
  const cal = daily ? CALENDAR : HOUR_CALENDAR;
  const sel = `JOIN (${selections()}) sel ON (sel.source IS NULL OR sel.source = e.repo_source)`;
  // Per bucket of each key, summed over the sources a selection counts.
  const perBucket = daily
    ? `SELECT MIN(e.id) AS id, f.day AS range_from, t.day AS range_to, sel.repo AS repo, ${keys.map((k) => `e.${k} AS ${k}`).join(", ")}, e.duration AS duration, ` +
      `SUM(e.cum_success - COALESCE(s.cum_success, 0)) AS success, SUM(e.cum_failed - COALESCE(s.cum_failed, 0)) AS failed ` +
      `FROM ${cal} t JOIN ${spec.name} e ON +e.bucket <= t.day AND e.valid_until > t.day ` +
      `JOIN ${cal} f ON f.day <= t.day ` +
      `LEFT JOIN ${spec.name} s ON ${spec.dims.map((d) => `s.${d.column} = e.${d.column}`).join(" AND ")} AND s.bucket < f.day AND s.valid_until >= f.day ` +
      `${sel} WHERE e.duration > ${NO_DURATION} ` +
      `GROUP BY f.day, t.day, sel.repo, ${keys.map((k) => `e.${k}`).join(", ")}, e.duration`
    : `SELECT MIN(e.id) AS id, f.hour AS range_from, t.hour AS range_to, sel.repo AS repo, ${keys.map((k) => `e.${k} AS ${k}`).join(", ")}, e.duration AS duration, ` +
      `SUM(e.success) AS success, SUM(e.failed) AS failed ` +
      `FROM ${cal} f JOIN ${cal} t ON t.hour >= f.hour ` +
      `JOIN ${spec.name} e ON e.bucket >= f.hour AND e.bucket <= t.hour ` +
      `${sel} WHERE e.duration > ${NO_DURATION} ` +
      `GROUP BY f.hour, t.hour, sel.repo, ${keys.map((k) => `e.${k}`).join(", ")}, e.duration`;
  const part = `PARTITION BY range_from, range_to, repo, ${keys.join(", ")}`;
  const running = (c: string) => `SUM(${c}) OVER (${part} ORDER BY duration ROWS UNBOUNDED PRECEDING) AS cum_${c}, SUM(${c}) OVER (${part}) AS n_${c}`;
  const withRunning = `SELECT b.*, ${running("success")}, ${running("failed")} FROM (${perBucket}) b`;
  // Nearest rank: the first bucket whose running count reaches p % of n (counts are integers).
  // Windows, not an outer GROUP BY: SQLite pushes the filter through windows on their
  // partition columns, not through an aggregate over them.
  const pick = (c: string) =>
    PERCENTILES.map(([name, p]) => `MIN(CASE WHEN n_${c} > 0 AND cum_${c} * 100 >= ${p} * n_${c} THEN duration END) OVER (${part}) AS ${c}_${name}`).join(", ");
  const picked = `SELECT w.*, MIN(id) OVER (${part}) AS first_id, ROW_NUMBER() OVER (${part}) AS rn, ${pick("success")}, ${pick("failed")} FROM (${withRunning}) w`;
  const ints = (c: string) => [`CAST(p.n_${c} AS INTEGER) AS ${c}_n`, ...PERCENTILES.map(([name]) => `CAST(p.${c}_${name} AS INTEGER) AS ${c}_${name}`)].join(", ");
  // The ends come from the calendar again, the keys from the rollup, the repo is CAST:
  // PocketBase types a view's fields from their source columns (a subquery's are untyped JSON,
  // which its filters do not compare as text); SQLite propagates the equalities into the subquery.
  const col = daily ? "day" : "hour";
  return (
    `SELECT (p.first_id || p.repo || f.${col} || t.${col}) AS id, f.${col} AS range_from, t.${col} AS range_to, CAST(p.repo AS TEXT) AS repo, ` +
    `${keys.map((k) => `k.${k} AS ${k}`).join(", ")}, ${ints("success")}, ${ints("failed")} ` +
    `FROM ${cal} f JOIN ${cal} t JOIN (${picked}) p ON p.range_from = f.${col} AND p.range_to = t.${col} ` +
    // The key columns from the rollup row the key's id names: typed for PocketBase, and a filter
    // on them (nsapp = X) reaches the subquery by the join's equality.
    `JOIN ${spec.name} k ON k.id = p.first_id AND ${keys.map((k) => `k.${k} = p.${k}`).join(" AND ")} WHERE p.rn = 1`
  );
}
