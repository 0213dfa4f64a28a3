/**
 * Demo traffic, so the local dashboard looks like production: runs arrive and end the way the
 * installer scripts report them.
 *
 * - fillGap: when the demo restarts on older data, the runs between the newest record and now
 *   are generated and inserted (through the rollup triggers for short gaps), so "last 24
 *   hours" is never empty just because the demo was stopped for a day.
 * - startLiveTraffic: from then on, each generated run is POSTed as `installing` at its start
 *   time through PocketBase's public REST API (as the scripts do, no credentials) and PATCHed
 *   to its outcome when its install ends; runs that never report stay `installing`. The rate is
 *   the demo's runs per day, with the generator's daily and weekly rhythm.
 */
import { DAY_MS } from "../../lib/time";
import { insertRows } from "./bulk-insert";
import { ONGOING_EVENTS } from "./demo-events";
import { generateRows } from "./generate";
import type { TelemetryRow } from "./telemetry-row";

const RECORDS = "/api/collections/_dev_telemetry_data/records";
/** Gaps longer than this are inserted with the triggers off and one rebuild (faster). */
const TRIGGER_GAP_MS = 2 * DAY_MS;

const ms = (pbTime: string) => Date.parse(pbTime.replace(" ", "T"));

/**
 * Generated runs that start in (after, until], in time order, with their final outcome. Whole
 * UTC days are generated (the generator spreads its total over the days it covers, so a
 * partial day would get a whole day's runs) and cut to the window.
 */
function* runsBetween(after: number, until: number, runsPerDay: number): Generator<TelemetryRow> {
  const firstDay = Math.floor(after / DAY_MS);
  const lastDay = Math.floor((until - 1) / DAY_MS);
  // A seed per window: a restart never regenerates the ids (random_id is unique) of earlier runs.
  const seed = Math.floor(after / 1000) % 2 ** 31;
  // Only events still going on at the seed's end continue (demo-events.ts): past regressions must not repeat.
  const end = new Date((lastDay + 1) * DAY_MS - 1);
  for (const row of generateRows({ seed, days: lastDay - firstDay + 1, runsPerDay, end, events: ONGOING_EVENTS })) {
    const t = ms(row.created);
    if (t > after && t <= until) yield row;
  }
}

/**
 * Inserts the runs between the newest record (`newest`, PocketBase time) and now; runs that
 * would end after now are still installing, as in the seeded data.
 */
export function fillGap(dbPath: string, newest: string, runsPerDay: number, now = Date.now()): number {
  const after = ms(newest);
  if (!(after < now - 60_000)) return 0;
  function* rows() {
    for (const row of runsBetween(after, now, runsPerDay)) {
      yield ms(row.updated) <= now ? row : { ...row, status: "installing" as const, exit_code: 0, error: "", updated: row.created };
    }
  }
  return insertRows(dbPath, rows(), { maintainRollups: now - after <= TRIGGER_GAP_MS }).rows;
}

async function send(url: string, method: "POST" | "PATCH", body: object): Promise<string | null> {
  try {
    const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) return null;
    return ((await res.json()) as { id?: string }).id ?? null;
  } catch {
    return null; // PocketBase stopping: the demo is shutting down
  }
}

/** Starts the traffic; returns a function that stops it (pending reports are dropped). */
export function startLiveTraffic(pbUrl: string, runsPerDay: number, log: (msg: string) => void): () => void {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (delay: number, fn: () => void) => {
    const t = setTimeout(
      () => {
        timers.delete(t);
        fn();
      },
      Math.max(0, delay),
    );
    timers.add(t);
  };
  const sleep = (delay: number) => new Promise<void>((resolve) => later(delay, resolve));

  async function loop() {
    let from = Date.now();
    let sent = 0;
    while (!stopped) {
      // One UTC day of runs at a time (the generator's rhythm is per day).
      const until = (Math.floor(from / DAY_MS) + 1) * DAY_MS;
      for (const row of runsBetween(from, until, runsPerDay)) {
        if (stopped) return;
        await sleep(ms(row.created) - Date.now());
        const { id: _id, status, error, exit_code, created, updated, ...start } = row;
        const id = await send(`${pbUrl}${RECORDS}`, "POST", { ...start, status: "installing" });
        if (id && status !== "installing") later(ms(updated) - ms(created), () => void send(`${pbUrl}${RECORDS}/${id}`, "PATCH", { status, exit_code, error }));
        if (++sent % 100 === 0) log(`live traffic: ${sent} runs reported so far`);
      }
      from = until;
    }
  }
  void loop();
  log(`live traffic: ~${runsPerDay.toLocaleString("en-US")} runs a day arrive through the REST API (DEMO_LIVE=0 turns it off)`);
  return () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
  };
}
