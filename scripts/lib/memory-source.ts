/**
 * The insight finders' data source (lib/insights/source.ts) over generated rows held in memory:
 * the rollups the finders read, aggregated the way the triggers aggregate (lib/rollups/spec.ts
 * dimensions, stored outcomes, hourly rollups keeping the last 72 hours before `now`). The
 * benchmark runs the finders over many generator seeds with it, without seeding a PocketBase
 * per seed; the integration tests check the real PocketBase path against SQL.
 */
import type { BucketOutcomes, InsightsSource, KeyedTotals, KeyFilter, SeriesRollup, SeriesRow, Span } from "../../lib/insights/source";
import { storedOutcome, type StoredOutcome } from "../../lib/outcomes";
import { type DailyRollup, HOURLY_RETENTION_HOURS, rollupSpec, rollupTable, type RollupSpec } from "../../lib/rollups/spec";
import { HARDWARE_DIMENSIONS, normaliseHardware } from "../../lib/hardware";
import { keyTest } from "../../lib/data/series-keys";
import { DEFAULT_REPO, type Repo, repoOf } from "../../lib/repo";
import type { TelemetryRow } from "./telemetry-row";

const READ: readonly DailyRollup[] = [
  "stats_daily",
  "stats_app",
  "stats_code",
  "stats_app_code",
  "stats_app_os",
  "stats_app_env",
  "stats_app_resources",
  "stats_app_failure",
  "stats_app_hardware",
];
const SEP = "\u0001";

type Counts = Record<StoredOutcome, number>;
const zero = (): Counts => ({ success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0 });

interface Table {
  spec: RollupSpec;
  /** bucket → key text → counts */
  buckets: Map<string, Map<string, Counts>>;
}

/** A key column's value as the rollup stores it (hardware fields normalised as lib/hardware.ts says, the repository selection as lib/repo.ts). */
function value(row: TelemetryRow, column: string, source: string): string {
  const v = row[source as keyof TelemetryRow];
  if (column === "repo") return repoOf(v);
  return (HARDWARE_DIMENSIONS as readonly string[]).includes(source) ? normaliseHardware(v) : String(v ?? "");
}

/** The keys a row is counted under: its own, and with a fan-out key (the repository selection) the fan-out value's too. */
function keysOf(spec: RollupSpec, row: TelemetryRow): string[] {
  const own = spec.dims.map((d) => value(row, d.column, d.source));
  const fanout = spec.dims.findIndex((d) => d.fanout);
  if (fanout < 0) return [own.join(SEP)];
  const all = [...own];
  all[fanout] = spec.dims[fanout]!.fanout!.replace(/^'|'$/g, "");
  return [own.join(SEP), all.join(SEP)];
}

/** Like the real source (lib/data/queries/insights-source.ts), it answers for one repository selection. */
export function memorySource(rows: Iterable<TelemetryRow>, now: Date, repo: Repo = DEFAULT_REPO): InsightsSource {
  const firstHour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - (HOURLY_RETENTION_HOURS - 1) * 3_600_000).toISOString().slice(0, 13).replace("T", " ");
  const tables = new Map<string, Table>();
  for (const daily of READ) {
    for (const grain of ["day", "hour"] as const) {
      const name = rollupTable(daily, grain);
      tables.set(name, { spec: rollupSpec(name), buckets: new Map() });
    }
  }
  for (const row of rows) {
    const outcome = storedOutcome(row.status);
    const day = row.created.slice(0, 10);
    const hour = row.created.slice(0, 13);
    for (const t of tables.values()) {
      const bucket = t.spec.grain === "day" ? day : hour;
      if (t.spec.grain === "hour" && bucket < firstHour) continue;
      let byKey = t.buckets.get(bucket);
      if (!byKey) t.buckets.set(bucket, (byKey = new Map()));
      for (const key of keysOf(t.spec, row)) {
        let c = byKey.get(key);
        if (!c) byKey.set(key, (c = zero()));
        c[outcome]++;
      }
    }
  }

  const table = (rollup: DailyRollup, span: Span) => tables.get(rollupTable(rollup, span.grain))!;
  // Each key text parsed once: the finders ask for one app's totals hundreds of times.
  const parsed = new Map<Table, Map<string, Readonly<Record<string, string | number>>>>();
  const keyOf = (t: Table, key: string): Readonly<Record<string, string | number>> => {
    let byText = parsed.get(t);
    if (!byText) parsed.set(t, (byText = new Map()));
    let k = byText.get(key);
    if (!k) {
      const values = key.split(SEP);
      k = Object.freeze(Object.fromEntries(t.spec.dims.map((d, i) => [d.column, d.kind === "number" ? Number(values[i]) : values[i]!])));
      byText.set(key, k);
    }
    return k;
  };
  // The one KeyFilter test (lib/data/series-keys.ts), within the source's repository selection.
  const matcher = (filter: KeyFilter | undefined) => {
    const test = keyTest(filter);
    return (key: Record<string, string | number>) => (!("repo" in key) || key.repo === repo) && (test === null || test(key));
  };
  function* inSpan(t: Table, span: Span) {
    for (const [bucket, byKey] of t.buckets) if (bucket >= span.from && bucket <= span.to) yield [bucket, byKey] as const;
  }

  return {
    async series<K extends string>(rollup: SeriesRollup, span: Span, minFailed: number, filter?: KeyFilter): Promise<SeriesRow<K>[]> {
      const t = table(rollup, span);
      const matches = matcher(filter);
      const out = new Map<string, SeriesRow<K> & { buckets: BucketOutcomes[] }>();
      for (const [bucket, byKey] of inSpan(t, span)) {
        for (const [key, c] of byKey) {
          const row = out.get(key) ?? { key: keyOf(t, key) as Record<K, string | number>, success: 0, failed: 0, buckets: [] as BucketOutcomes[] };
          row.success += c.success;
          row.failed += c.failed;
          row.buckets.push({ bucket, success: c.success, failed: c.failed });
          out.set(key, row);
        }
      }
      return [...out.values()].filter((r) => r.failed >= minFailed && matches(r.key)).map((r) => ({ ...r, buckets: r.buckets.sort((a, b) => (a.bucket < b.bucket ? -1 : 1)) }));
    },
    async totals(rollup: DailyRollup, span: Span, filter?: KeyFilter): Promise<KeyedTotals[]> {
      const t = table(rollup, span);
      const matches = matcher(filter);
      const sums = new Map<string, Counts>();
      const wanted = new Map<string, boolean>();
      for (const [, byKey] of inSpan(t, span)) {
        for (const [key, c] of byKey) {
          let w = wanted.get(key);
          if (w === undefined) wanted.set(key, (w = matches(keyOf(t, key))));
          if (!w) continue;
          const s = sums.get(key) ?? zero();
          for (const o of Object.keys(c) as StoredOutcome[]) s[o] += c[o];
          sums.set(key, s);
        }
      }
      return [...sums].map(([key, c]) => ({ ...keyOf(t, key), ...c }));
    },
    async bucketRows(rollup: DailyRollup, span: Span, filter: KeyFilter) {
      const t = table(rollup, span);
      const matches = matcher(filter);
      const out: (KeyedTotals & { bucket: string })[] = [];
      for (const [bucket, byKey] of inSpan(t, span)) {
        for (const [key, c] of byKey) {
          const row = { ...keyOf(t, key), ...c, bucket };
          if (matches(row)) out.push(row);
        }
      }
      return out;
    },
  };
}
