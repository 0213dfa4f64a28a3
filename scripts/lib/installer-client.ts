/**
 * Installers reporting through PocketBase's records API while an operator upgrades it: each
 * run is POSTed as `installing` and PATCHed to its outcome, with the retries of today's
 * scripts (misc/api.func `_tm_send`: up to 3 tries for the start and 2 for the outcome, 1 s
 * apart). Each try waits up to 10 s for an answer: the scripts that wrote to PocketBase's
 * records API set no timeout at all; today's allow 5 s, 10 s for the final status, towards
 * their ingest service. A run is lost when every try of its POST failed; an outcome is lost
 * when every try of its PATCH failed. Used by the upgrade test
 * (tests/integration/upgrade-online.test.ts) and `npm run bench:upgrade`.
 */
import { generateRows } from "./generate";
import { RECORDS_API_START_FIELDS } from "./installer-events";

const RECORDS = "/api/collections/_dev_telemetry_data/records";
const START_TRIES = 3;
const OUTCOME_TRIES = 2;
const RETRY_PAUSE_MS = 1000;
const TIMEOUT_MS = 10_000;

export interface ClientReport {
  runs: number;
  /** Runs whose start no try could store: lost. */
  lostRuns: number;
  /** Outcomes no try could store (the run stays `installing`). */
  lostOutcomes: number;
  /** Tries that failed but were saved by a later try. */
  retried: number;
  /** Every try that failed (refused, reset, timed out or answered with an error). */
  failedTries: number;
  /** ids of the stored runs and the outcome each was PATCHed to (for checking against the database). */
  stored: Map<string, string>;
  /** The slowest answered try (ms): how long a write waited, e.g. for a migration's transaction. */
  slowestMs: number;
  /** When tries failed (ms since the epoch): the window in which PocketBase did not take writes. */
  firstFailure: number | null;
  lastFailure: number | null;
}

export interface InstallerClient {
  /** Stops starting new runs, waits for the ones in flight, reports. */
  stop(): Promise<ClientReport>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `concurrency` installers that together start about `runsPerSecond` runs a second
 * (PocketBase's telemetry migration allows 300 creates and 300 updates a minute per client).
 */
export function startInstallers(pbUrl: string, opts: { concurrency?: number; runsPerSecond?: number; seed?: number } = {}): InstallerClient {
  const concurrency = opts.concurrency ?? 2;
  const pause = (concurrency * 1000) / (opts.runsPerSecond ?? 3);
  const report: ClientReport = { runs: 0, lostRuns: 0, lostOutcomes: 0, retried: 0, failedTries: 0, stored: new Map(), slowestMs: 0, firstFailure: null, lastFailure: null };
  const rows = generateRows({ seed: opts.seed ?? 7, days: 30, runsPerDay: 20_000, end: new Date() });
  let stopped = false;

  const failed = () => {
    const now = Date.now();
    report.failedTries++;
    report.firstFailure ??= now;
    report.lastFailure = now;
  };

  /** One request with the scripts' retries; the response's record id, or null when every try failed. */
  async function send(method: "POST" | "PATCH", path: string, body: object, tries: number): Promise<string | null> {
    for (let attempt = 1; attempt <= tries; attempt++) {
      const sent = Date.now();
      try {
        const res = await fetch(`${pbUrl}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await res.text();
        report.slowestMs = Math.max(report.slowestMs, Date.now() - sent);
        if (res.ok) {
          if (attempt > 1) report.retried += attempt - 1;
          return (JSON.parse(text) as { id: string }).id;
        }
      } catch {
        // refused, reset or timed out: like curl, try again
      }
      failed();
      if (attempt < tries) await sleep(RETRY_PAUSE_MS);
    }
    return null;
  }

  async function installer() {
    while (!stopped) {
      const started = Date.now();
      const row = rows.next().value;
      if (!row) break;
      const { status, error, exit_code } = row;
      // What the older scripts POST: the run's fields, none of today's protocol (the records
      // API refuses those), and one random_id per run (a retry of today's protocol shares its
      // session's, so its execution id stands in, as scripts/lib/installer-events.ts does).
      const start = Object.fromEntries(RECORDS_API_START_FIELDS.map((k) => [k, row[k]]));
      report.runs++;
      const id = await send("POST", RECORDS, { ...start, random_id: row.execution_id || row.random_id, status: "installing" }, START_TRIES);
      if (!id) report.lostRuns++;
      else if (status === "installing")
        report.stored.set(id, status); // a run that never reports its end
      else {
        const done = await send("PATCH", `${RECORDS}/${id}`, { status, exit_code, error }, OUTCOME_TRIES);
        if (!done) report.lostOutcomes++;
        report.stored.set(id, done ? status : "installing");
      }
      await sleep(Math.max(0, pause - (Date.now() - started)));
    }
  }

  const running = Array.from({ length: concurrency }, () => installer());
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
      return report;
    },
  };
}
