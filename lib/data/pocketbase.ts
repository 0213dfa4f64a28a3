/**
 * The one place that talks to PocketBase. Server-only: the reader credential never reaches
 * the browser. A new client per call (clients hold per-request state and are not
 * serializable); only the reader's token string is cached for the process. Every request goes
 * through the process's gate (lib/data/gate.ts): timeout, coalescing, concurrency bound,
 * circuit breaker.
 */
import "server-only";
import PocketBase, { ClientResponseError } from "pocketbase";
import { gateConfig, serverConfig } from "../config";
import { Gate } from "./gate";

export const READERS_COLLECTION = "telemetry_readers";

let gate: Gate | null = null;

/** The process's gate to PocketBase (created on first use, from the environment). */
export function sourceGate(): Gate {
  gate ??= new Gate(gateConfig());
  return gate;
}

function newClient(): PocketBase {
  const pb = new PocketBase(serverConfig().pocketbaseUrl);
  // Parallel getList calls on one collection would otherwise cancel each other.
  pb.autoCancellation(false);
  const { fetch } = sourceGate();
  pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch } });
  return pb;
}

/** Client for public collections (the rollups). */
export function publicClient(): PocketBase {
  return newClient();
}

let readerToken: { token: string; key: string; renewAt: number } | null = null;
const TOKEN_REUSE_MS = 10 * 60 * 1000;
let readerLogin: { key: string; promise: Promise<string> } | null = null;

export class ReaderConfigError extends Error {
  override name = "ReaderConfigError";
}

/** Client authenticated as the dashboard reader, which may list raw telemetry records. */
export async function readerClient(): Promise<PocketBase> {
  const { pocketbaseUrl, readerEmail, readerPassword } = serverConfig();
  if (!readerEmail || !readerPassword) {
    throw new ReaderConfigError("POCKETBASE_READER_EMAIL and POCKETBASE_READER_PASSWORD are not set: the dashboard cannot read raw telemetry records.");
  }
  const pb = newClient();
  const key = `${pocketbaseUrl}\n${readerEmail}`;
  if (readerToken && readerToken.key === key && Date.now() < readerToken.renewAt) {
    pb.authStore.save(readerToken.token, null);
    return pb;
  }
  // One login at a time per process: a cold start answering many requests at once would
  // otherwise log in once per request and spend PocketBase's auth allowance (20 a minute).
  if (!readerLogin || readerLogin.key !== key) {
    const login = pb
      .collection(READERS_COLLECTION)
      .authWithPassword(readerEmail, readerPassword)
      .then((auth) => {
        readerToken = { token: auth.token, key, renewAt: Date.now() + TOKEN_REUSE_MS };
        return auth.token;
      })
      .catch((err: unknown) => {
        if (err instanceof ClientResponseError && err.status === 400) {
          throw new ReaderConfigError(`PocketBase rejected the reader account ${readerEmail} (wrong email or password).`);
        }
        throw err;
      })
      .finally(() => {
        if (readerLogin?.promise === login) readerLogin = null;
      });
    readerLogin = { key, promise: login };
  }
  pb.authStore.save(await readerLogin.promise, null);
  return pb;
}

/** Every record matching the options, paging 1000 at a time (PocketBase's maximum page size). */
export async function listAll<T>(pb: PocketBase, collection: string, options: { filter?: string; sort?: string; query?: Record<string, string> }): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const res = await pb.collection(collection).getList<T>(page, 1000, { ...options, skipTotal: true });
    out.push(...res.items);
    if (res.items.length < 1000) return out;
  }
}

/** Number of records matching `filter` (one COUNT query, no rows transferred). */
export async function countRecords(pb: PocketBase, collection: string, filter: string): Promise<number> {
  const res = await pb.collection(collection).getList(1, 1, { filter, fields: "id" });
  return res.totalItems;
}
