/**
 * Running the alert worker: its store (PocketBase, logged in as its `alert_workers` account),
 * the findings it reads — the scan behind /regressions over the last 7 days and the likely
 * causes, through the data cache — and the loop of rounds. `npm run alerts -- worker` runs it
 * (scripts/alerts.ts).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AlertsConfig } from "../config";
import { type AlertStore, fetchInsights, fetchLikelyCauses, openAlertStore } from "../data";
import { presetRange } from "../range";
import { type Findings, runRound, type RoundReport, type WorkerOptions } from "./worker";

/** The regressions and incidents of the last 7 days (open ones included) and each regression's likely causes. */
export async function currentFindings(now: Date): Promise<Findings> {
  const range = presetRange("7d", now);
  const [{ regressions, incidents }, causes] = await Promise.all([fetchInsights(range), fetchLikelyCauses(range)]);
  return { regressions, incidents, causes: regressions.map((r) => causes[`${r.nsapp} ${r.start}`] ?? []) };
}

/** The worker's store, logged in (POCKETBASE_URL, ALERTS_EMAIL, ALERTS_PASSWORD). */
export function workerStore(config: AlertsConfig): Promise<AlertStore> {
  if (!config.email || !config.password) throw new Error("set ALERTS_EMAIL and ALERTS_PASSWORD: an account of the alert_workers collection (docs/ALERTS.md)");
  return openAlertStore(config.email, config.password);
}

const WORKER_ID = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

export function workerOptions(store: AlertStore, config: AlertsConfig, log: (line: string) => void): WorkerOptions {
  return { store, config, id: WORKER_ID, findings: currentFindings, log };
}

/** Rounds every config.intervalMs until the signal aborts; a failed round is logged and the next one tried. */
export async function runWorker(config: AlertsConfig, signal: AbortSignal, log: (line: string) => void, onRound?: (r: RoundReport) => void): Promise<void> {
  let store: AlertStore | null = null;
  while (!signal.aborted) {
    try {
      if (!store?.valid()) store = await workerStore(config);
      onRound?.(await runRound(workerOptions(store, config, log)));
    } catch (err) {
      store = null; // logs in again next round (an expired token, a restarted PocketBase)
      log(`alerts: round failed: ${(err as Error).message}`);
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, config.intervalMs);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }
}
