/**
 * The alert worker (docs/ALERTS.md): each round it reads the regressions and incidents of the
 * last days (the same scan as /regressions) and their likely causes, turns them into events,
 * claims one delivery per matching subscription and event, and sends what is due — retrying
 * with exponential backoff and giving up after ALERTS_MAX_ATTEMPTS. Several workers (one per
 * dashboard instance) may run against one PocketBase: every send is claimed there first
 * (lib/data/alerts.ts), so each event reaches each target once.
 */
import type { Suspect } from "../changes/likely-cause";
import type { AlertsConfig } from "../config";
import type { Incident } from "../insights/find-incidents";
import type { Regression } from "../insights/find-regressions";
import { type AlertEvent, alertEvents, eventApps, neighbourKeys, openedKey } from "./events";
import { postJson, type PostResult } from "./http";
import { renderAlert } from "./payloads";
import { resolveTarget, TargetRefused } from "./ssrf";
import type { AlertStore, Delivery, Subscription } from "../data";
import { pbTime } from "../time";

export interface Findings {
  regressions: readonly Regression[];
  /** Likely causes of regression i, best first. */
  causes: readonly (readonly Suspect[])[];
  incidents: readonly Incident[];
}

export interface WorkerOptions {
  store: AlertStore;
  config: AlertsConfig;
  /** Names this worker in the attempts it claims. */
  id: string;
  findings: (now: Date) => Promise<Findings>;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RoundReport {
  events: number;
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  /** Tries another worker had already claimed. */
  skipped: number;
}

const DAY_MS = 86_400_000;
/** How far back a subscription's deliveries are compared with the current events. */
const KEYS_DAYS = 14;
const DUE_PER_ROUND = 50;
const PARALLEL_SENDS = 4;
/** 4xx answers a retry cannot change (gone, forbidden, malformed); 408, 425 and 429 are retried. */
const PERMANENT = new Set([400, 401, 403, 404, 405, 410, 411, 413, 414, 415, 422]);

/** App names of a subscription; empty: every app. */
export function subscribedApps(s: Pick<Subscription, "apps">): Set<string> {
  return new Set(s.apps.split(/[\s,]+/).filter(Boolean));
}

export function matches(s: Pick<Subscription, "apps" | "events" | "min_excess">, e: AlertEvent): boolean {
  if (!s.events.includes(e.kind)) return false;
  if (e.excess_failures < (s.min_excess || 0)) return false;
  const apps = subscribedApps(s);
  return apps.size === 0 || eventApps(e).some((a) => apps.has(a));
}

/** Wait before try n + 1 after try n failed: base · 2^(n−1), or what a Retry-After asked if longer. */
export function backoffMs(config: Pick<AlertsConfig, "retryBaseMs">, attempt: number, retryAfterSeconds: number | null): number {
  return Math.max(config.retryBaseMs * 2 ** (attempt - 1), (retryAfterSeconds ?? 0) * 1000);
}

/** Claims the deliveries of this round's events; returns how many this worker claimed. */
async function enqueue(o: WorkerOptions, subs: readonly Subscription[], events: readonly AlertEvent[], now: Date): Promise<number> {
  let claimed = 0;
  for (const s of subs) {
    const mine = events.filter((e) => matches(s, e));
    if (mine.length === 0) continue;
    const known = await o.store.recentKeys(s.id, new Date(now.getTime() - KEYS_DAYS * DAY_MS));
    const seen = (key: string) => [key, ...neighbourKeys(key)].find((k) => known.has(k));
    for (const e of mine) {
      if (seen(e.key)) continue;
      // A recovery is news only where its regression was announced.
      if (e.kind === "regression_closed") {
        const opened = seen(openedKey(e));
        if (!opened || known.get(opened) !== "sent") continue;
      }
      if (await o.store.claimDelivery(s.id, e, now)) claimed++;
    }
  }
  return claimed;
}

/** Counts a try whose worker vanished as failed, so the next one can be claimed. */
async function recover(o: WorkerOptions, now: Date): Promise<void> {
  const lease = Math.max(120_000, 3 * o.config.timeoutMs);
  for (const a of await o.store.abandonedAttempts(new Date(now.getTime() - lease))) {
    const d = a.expand?.delivery;
    if (d && d.state === "pending" && d.attempts < a.number) {
      const failed = a.number >= o.config.maxAttempts;
      await o.store.updateDelivery(d.id, {
        attempts: a.number,
        state: failed ? "failed" : "pending",
        next_attempt: pbTime(now),
        last_status: 0,
        last_error: `try ${a.number} was claimed by a worker that stopped before recording its outcome`,
      });
    }
    await o.store.finishAttempt(a.id, { status: 0, error: "abandoned: no outcome recorded", ms: 0 }, now);
  }
}

async function post(o: WorkerOptions, s: Subscription, d: Delivery, attempt: number, now: Date): Promise<PostResult & { permanent: boolean }> {
  if (!s.active) return { status: 0, detail: "subscription turned off", retryAfter: null, ms: 0, permanent: true };
  if (s.format === "webhook" && (s.secret ?? "").length < 16)
    return { status: 0, detail: "the webhook subscription has no secret of at least 16 characters", retryAfter: null, ms: 0, permanent: true };
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    target = await resolveTarget(s.url, o.config.allowPrivateTargets);
  } catch (err) {
    if (err instanceof TargetRefused) return { status: 0, detail: `refused: ${err.message}`, retryAfter: null, ms: 0, permanent: true };
    throw err;
  }
  const { body, headers } = renderAlert(s.format, d.event, { id: d.id, attempt, sentAt: now }, s.secret ?? "");
  const res = await postJson(target, body, headers, o.config.timeoutMs);
  return { ...res, permanent: PERMANENT.has(res.status) || (res.status >= 300 && res.status < 400) };
}

/** One try of a due delivery, if this worker wins its claim. */
async function send(o: WorkerOptions, d: Delivery, report: RoundReport): Promise<void> {
  const s = d.expand?.subscription;
  if (!s) return;
  const n = d.attempts + 1;
  const attempt = await o.store.claimAttempt(d.id, n, o.id);
  if (!attempt) {
    report.skipped++;
    return;
  }
  const started = o.now?.() ?? new Date();
  const res = await post(o, s, d, n, started);
  const ok = res.status >= 200 && res.status < 300;
  const done = o.now?.() ?? new Date();
  const error = ok ? "" : res.status ? `HTTP ${res.status}: ${res.detail}` : res.detail;
  await o.store.finishAttempt(attempt.id, { status: res.status, error, ms: res.ms }, done);
  const common = { attempts: n, last_status: res.status, last_error: error };
  if (ok) {
    await o.store.updateDelivery(d.id, { ...common, state: "sent", sent: pbTime(done) });
    report.sent++;
  } else if (res.permanent || n >= o.config.maxAttempts) {
    await o.store.updateDelivery(d.id, { ...common, state: "failed" });
    report.failed++;
  } else {
    await o.store.updateDelivery(d.id, { ...common, state: "pending", next_attempt: pbTime(new Date(done.getTime() + backoffMs(o.config, n, res.retryAfter))) });
    report.retrying++;
  }
  o.log?.(`alerts: delivery ${d.id} (${d.event_key}) to subscription ${s.id} try ${n}: ${ok ? "sent" : error}`);
}

/** One round: events → claimed deliveries → due tries sent. */
export async function runRound(o: WorkerOptions): Promise<RoundReport> {
  const now = o.now?.() ?? new Date();
  const report: RoundReport = { events: 0, claimed: 0, sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const subs = await o.store.activeSubscriptions();
  if (subs.length) {
    const f = await o.findings(now);
    const events = alertEvents(f.regressions, f.causes, f.incidents, { now, origin: o.config.publicOrigin, maxAgeHours: o.config.maxAgeHours });
    report.events = events.length;
    report.claimed = await enqueue(o, subs, events, now);
  }
  await recover(o, now);
  const due = await o.store.dueDeliveries(now, DUE_PER_ROUND);
  // A few at a time, each taking the next when done: a slow or failing target does not hold up the others.
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const d = due[next++]!;
      await send(o, d, report).catch((err: unknown) => o.log?.(`alerts: delivery ${d.id}: ${(err as Error).message}`));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, due.length) }, lane));
  return report;
}
