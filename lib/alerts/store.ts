/**
 * The alert collections in PocketBase (migration 1796710000_alerts.js), as the worker uses them
 * with its `alert_workers` account. The claims are PocketBase's unique indexes, not flags in a
 * process: creating (subscription, event_key) in alert_deliveries is the claim on sending an
 * event to a subscription, creating (delivery, number) in alert_attempts the claim on one try —
 * whichever worker's create succeeds owns it, every other gets "not unique" and moves on.
 */
import type PocketBase from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { listAll } from "../pocketbase";
import { pbTime } from "../time";
import type { AlertEvent, AlertEventKind } from "./events";
import type { AlertFormat } from "./payloads";

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

export async function login(pb: PocketBase, email: string, password: string): Promise<void> {
  await pb.collection(WORKERS).authWithPassword(email, password);
}

export function activeSubscriptions(pb: PocketBase): Promise<Subscription[]> {
  return listAll<Subscription>(pb, SUBSCRIPTIONS, { filter: "active = true", sort: "created,id" });
}

/** The keys of a subscription's deliveries made since `since`, with their state. */
export async function recentKeys(pb: PocketBase, subscription: string, since: Date): Promise<Map<string, DeliveryState>> {
  const rows = await listAll<Pick<Delivery, "event_key" | "state">>(pb, DELIVERIES, {
    filter: pb.filter("subscription = {:s} && created >= {:since}", { s: subscription, since: pbTime(since) }),
    query: { fields: "event_key,state" },
  });
  return new Map(rows.map((r) => [r.event_key, r.state]));
}

/** The claim on sending `event` to `subscription`: the new delivery, or null when it exists. */
export function claimDelivery(pb: PocketBase, subscription: string, event: AlertEvent, now: Date): Promise<Delivery | null> {
  return claim<Delivery>(pb, DELIVERIES, { subscription, event_key: event.key, event, state: "pending", attempts: 0, next_attempt: pbTime(now) });
}

/** Pending deliveries whose next try is due, oldest first, with their subscription. */
export async function dueDeliveries(pb: PocketBase, now: Date, limit: number): Promise<Delivery[]> {
  const res = await pb.collection(DELIVERIES).getList<Delivery>(1, limit, {
    filter: pb.filter("state = 'pending' && next_attempt <= {:now}", { now: pbTime(now) }),
    sort: "next_attempt,id",
    expand: "subscription",
    skipTotal: true,
  });
  return res.items;
}

/** The claim on try `number` of a delivery: the attempt record, or null when another worker made it. */
export function claimAttempt(pb: PocketBase, delivery: string, number: number, worker: string): Promise<Attempt | null> {
  return claim<Attempt>(pb, ATTEMPTS, { delivery, number, worker });
}

export async function finishAttempt(pb: PocketBase, attempt: string, outcome: { status: number; error: string; ms: number }, now: Date): Promise<void> {
  await pb.collection(ATTEMPTS).update(attempt, { ...outcome, error: outcome.error.slice(0, 500), finished: pbTime(now) });
}

export async function updateDelivery(
  pb: PocketBase,
  id: string,
  fields: Partial<Pick<Delivery, "state" | "attempts" | "next_attempt" | "last_status" | "last_error" | "sent">>,
): Promise<void> {
  await pb.collection(DELIVERIES).update(id, { ...fields, ...(fields.last_error === undefined ? {} : { last_error: fields.last_error.slice(0, 500) }) });
}

/** Tries claimed before `before` and never finished: their worker died (or lost PocketBase) mid-send. */
export function abandonedAttempts(pb: PocketBase, before: Date): Promise<(Attempt & { expand?: { delivery?: Delivery } })[]> {
  return listAll(pb, ATTEMPTS, { filter: pb.filter("finished = '' && created < {:before}", { before: pbTime(before) }), query: { expand: "delivery" } });
}
