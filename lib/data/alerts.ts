/**
 * The alert collections in PocketBase (migration 1796710000_alerts.js), as the alert worker
 * (lib/alerts/worker.ts) uses them with its `alert_workers` account. The claims are
 * PocketBase's unique indexes, not flags in a process: creating (subscription, event_key) in
 * alert_deliveries is the claim on sending an event to a subscription, creating (delivery,
 * number) in alert_attempts the claim on one try — whichever worker's create succeeds owns it,
 * every other gets "not unique" and moves on. Uncached, writes included: the worker's, not a page's.
 */
import { ClientResponseError, type default as PocketBase } from "pocketbase";
import type { AlertEvent, AlertEventKind } from "../alerts/events";
import type { AlertFormat } from "../alerts/payloads";
import { pbTime } from "../time";
import { accountClient, listAll } from "./pocketbase";

export const WORKERS = "alert_workers";
export const SUBSCRIPTIONS = "alert_subscriptions";
export const DELIVERIES = "alert_deliveries";
export const ATTEMPTS = "alert_attempts";
export interface Subscription {
  id: string;
  name: string;
  format: AlertFormat;
  url: string;
  secret: string;
  /** App names, space- or comma-separated; empty: every app. */
  apps: string;
  events: AlertEventKind[];
  min_excess: number;
  active: boolean;
  created: string;
}

export type DeliveryState = "pending" | "sent" | "failed";

export interface Delivery {
  id: string;
  subscription: string;
  event_key: string;
  event: AlertEvent;
  state: DeliveryState;
  attempts: number;
  next_attempt: string;
  last_status: number;
  last_error: string;
  sent: string;
  expand?: { subscription?: Subscription };
}

export interface Attempt {
  id: string;
  delivery: string;
  number: number;
  finished: string;
  created: string;
}

/** True for PocketBase's answer to a create that a unique index refused. */
function notUnique(err: unknown): boolean {
  if (!(err instanceof ClientResponseError) || err.status !== 400) return false;
  return JSON.stringify(err.response?.data ?? {}).includes("validation_not_unique");
}

/** Creates the record, or returns null when a unique index says another worker already has. */
async function claim<T>(pb: PocketBase, collection: string, body: Record<string, unknown>): Promise<T | null> {
  try {
    return await pb.collection(collection).create<T>(body);
  } catch (err) {
    if (notUnique(err)) return null;
    throw err;
  }
}

function activeSubscriptions(pb: PocketBase): Promise<Subscription[]> {
  return listAll<Subscription>(pb, SUBSCRIPTIONS, { filter: "active = true", sort: "created,id" });
}

/** The keys of a subscription's deliveries made since `since`, with their state. */
async function recentKeys(pb: PocketBase, subscription: string, since: Date): Promise<Map<string, DeliveryState>> {
  const rows = await listAll<Pick<Delivery, "event_key" | "state">>(pb, DELIVERIES, {
    filter: pb.filter("subscription = {:s} && created >= {:since}", { s: subscription, since: pbTime(since) }),
    query: { fields: "event_key,state" },
  });
  return new Map(rows.map((r) => [r.event_key, r.state]));
}

/** The claim on sending `event` to `subscription`: the new delivery, or null when it exists. */
function claimDelivery(pb: PocketBase, subscription: string, event: AlertEvent, now: Date): Promise<Delivery | null> {
  return claim<Delivery>(pb, DELIVERIES, { subscription, event_key: event.key, event, state: "pending", attempts: 0, next_attempt: pbTime(now) });
}

/** Pending deliveries whose next try is due, oldest first, with their subscription. */
async function dueDeliveries(pb: PocketBase, now: Date, limit: number): Promise<Delivery[]> {
  const res = await pb.collection(DELIVERIES).getList<Delivery>(1, limit, {
    filter: pb.filter("state = 'pending' && next_attempt <= {:now}", { now: pbTime(now) }),
    sort: "next_attempt,id",
    expand: "subscription",
    skipTotal: true,
  });
  return res.items;
}

/** The claim on try `number` of a delivery: the attempt record, or null when another worker made it. */
function claimAttempt(pb: PocketBase, delivery: string, number: number, worker: string): Promise<Attempt | null> {
  return claim<Attempt>(pb, ATTEMPTS, { delivery, number, worker });
}

async function finishAttempt(pb: PocketBase, attempt: string, outcome: { status: number; error: string; ms: number }, now: Date): Promise<void> {
  await pb.collection(ATTEMPTS).update(attempt, { ...outcome, error: outcome.error.slice(0, 500), finished: pbTime(now) });
}

async function updateDelivery(
  pb: PocketBase,
  id: string,
  fields: Partial<Pick<Delivery, "state" | "attempts" | "next_attempt" | "last_status" | "last_error" | "sent">>,
): Promise<void> {
  await pb.collection(DELIVERIES).update(id, { ...fields, ...(fields.last_error === undefined ? {} : { last_error: fields.last_error.slice(0, 500) }) });
}

/** Tries claimed before `before` and never finished: their worker died (or lost PocketBase) mid-send. */
function abandonedAttempts(pb: PocketBase, before: Date): Promise<(Attempt & { expand?: { delivery?: Delivery } })[]> {
  return listAll(pb, ATTEMPTS, { filter: pb.filter("finished = '' && created < {:before}", { before: pbTime(before) }), query: { expand: "delivery" } });
}

type Bound<F> = F extends (pb: PocketBase, ...args: infer A) => infer R ? (...args: A) => R : never;

/** What the worker does in PocketBase, bound to its logged-in client. */
export interface AlertStore {
  /** False once the login's token has expired: open a new store. */
  valid(): boolean;
  activeSubscriptions: Bound<typeof activeSubscriptions>;
  recentKeys: Bound<typeof recentKeys>;
  claimDelivery: Bound<typeof claimDelivery>;
  dueDeliveries: Bound<typeof dueDeliveries>;
  claimAttempt: Bound<typeof claimAttempt>;
  finishAttempt: Bound<typeof finishAttempt>;
  updateDelivery: Bound<typeof updateDelivery>;
  abandonedAttempts: Bound<typeof abandonedAttempts>;
}

/** Logs in as an `alert_workers` account (POCKETBASE_URL); PocketBase's error when it refuses. */
export async function openAlertStore(email: string, password: string): Promise<AlertStore> {
  const pb = await accountClient(WORKERS, email, password);
  return {
    valid: () => pb.authStore.isValid,
    activeSubscriptions: () => activeSubscriptions(pb),
    recentKeys: (...a) => recentKeys(pb, ...a),
    claimDelivery: (...a) => claimDelivery(pb, ...a),
    dueDeliveries: (...a) => dueDeliveries(pb, ...a),
    claimAttempt: (...a) => claimAttempt(pb, ...a),
    finishAttempt: (...a) => finishAttempt(pb, ...a),
    updateDelivery: (...a) => updateDelivery(pb, ...a),
    abandonedAttempts: (...a) => abandonedAttempts(pb, ...a),
  };
}
