/**
 * Demo traffic, so the local dashboard looks like production: runs arrive and end the way the
 * installer scripts report them.
 *
 * - fillGap: when the demo restarts on older data, the runs between the newest record and now
 *   are generated and inserted (through the rollup triggers for short gaps), so "last 24
 *   hours" is never empty just because the demo was stopped for a day.
 * - startLiveTraffic: from then on, each generated run sends the events today's scripts send
 *   (installer-events.ts: installing, progress pings, the final status; retries as new
 *   executions) to PocketBase's POST /telemetry at their times, without credentials; a few
 *   starts are lost or sent twice, as in the wild; runs that never report stay installing. The
 *   rate is the demo's runs per day, with the generator's daily and weekly rhythm.
 */
import { DAY_MS } from "../../lib/time";
import { insertRows } from "./bulk-insert";
import { ONGOING_EVENTS } from "./demo-events";
import { generateRows } from "./generate";
import { eventsOf } from "./installer-events";
import { hashString32 } from "./prng";
import type { TelemetryRow } from "./telemetry-row";

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
      if (ms(row.updated) <= now) yield row;
      // A host tool or addon reports once, when it ends: one still running has no row yet.
      else if (row.type !== "pve" && row.type !== "addon") {
        yield { ...row, status: "installing" as const, exit_code: 0, error: "", error_category: "", install_duration: 0, updated: row.created };
      }
    }
  }
  return insertRows(dbPath, rows(), { maintainRollups: now - after <= TRIGGER_GAP_MS }).rows;
}

async function send(url: string, body: string): Promise<void> {
  try {
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  } catch {
    // PocketBase stopping: the demo is shutting down (the scripts never fail an install either)
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
        // About 3 % of starts get lost on the way, 2 % are sent twice (curl timed out after the store).
        const luck = hashString32(row.execution_id || row.random_id) % 100;
        for (const e of eventsOf(row, { lostStart: luck < 3, resend: luck >= 98 })) later(e.atMs - Date.now(), () => void send(`${pbUrl}/telemetry`, e.body));
        if (++sent % 100 === 0) log(`live traffic: ${sent} runs reported so far`);
      }
      from = until;
    }
  }
  void loop();
  log(`live traffic: ~${runsPerDay.toLocaleString("en-US")} runs a day report to POST /telemetry as today's scripts do (DEMO_LIVE=0 turns it off)`);
  return () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
  };
}
