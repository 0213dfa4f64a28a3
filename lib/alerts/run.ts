/**
 * Running the alert worker: its PocketBase client (logged in as its `alert_workers` account),
 * the findings it reads — the scan behind /regressions over the last 7 days, and the likely
 * causes — and the loop of rounds. `npm run alerts -- worker` runs it (scripts/alerts.ts).
 */
import "server-only";
import type PocketBase from "pocketbase";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AlertsConfig } from "../config";
import { publicClient } from "../pocketbase";
import { fetchLikelyCauses } from "../queries/changes";
import { fetchRegressionsAndIncidents } from "../queries/insights";
import { presetRange } from "../range";
import { login } from "./store";
import { type Findings, runRound, type RoundReport, type WorkerOptions } from "./worker";

/** The regressions and incidents of the last 7 days (open ones included) and each regression's likely causes. */
export async function currentFindings(now: Date): Promise<Findings> {
  const { regressions, incidents } = await fetchRegressionsAndIncidents(presetRange("7d", now), now);
  return { regressions, incidents, causes: await fetchLikelyCauses(regressions) };
}

/** A client logged in as the worker's account (POCKETBASE_URL, ALERTS_EMAIL, ALERTS_PASSWORD). */
export async function workerClient(config: AlertsConfig): Promise<PocketBase> {
  if (!config.email || !config.password) throw new Error("set ALERTS_EMAIL and ALERTS_PASSWORD: an account of the alert_workers collection (docs/ALERTS.md)");
  const pb = publicClient();
  await login(pb, config.email, config.password);
  return pb;
}

const WORKER_ID = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

export function workerOptions(pb: PocketBase, config: AlertsConfig, log: (line: string) => void): WorkerOptions {
  return { pb, config, id: WORKER_ID, findings: currentFindings, log };
}

/** Rounds every config.intervalMs until the signal aborts; a failed round is logged and the next one tried. */
export async function runWorker(config: AlertsConfig, signal: AbortSignal, log: (line: string) => void, onRound?: (r: RoundReport) => void): Promise<void> {
  let pb: PocketBase | null = null;
  while (!signal.aborted) {
    try {
      if (!pb?.authStore.isValid) pb = await workerClient(config);
      const report = await runRound(workerOptions(pb, config, log));
      onRound?.(report);
    } catch (err) {
      pb = null; // logs in again next round (an expired token, a restarted PocketBase)
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
