/**
 * The configuration: every environment variable the dashboard and its HTTP server read is
 * named, parsed and defaulted here and nowhere else (README, "Environment", lists each; a unit
 * test holds the two together). Read at call time, never at build time, so one build serves any
 * PocketBase. Each function takes the environment as an argument so tests can pass their own.
 *
 * A value that cannot be parsed falls back to its default: a typo in a setting must not stop
 * the dashboard (the server logs the ignored embed origins; see server/main.ts).
 */
import { availableParallelism } from "node:os";
import { DEFAULT_UNFINISHED_AFTER_MS } from "./outcomes";

export type Env = Readonly<Record<string, string | undefined>>;

/** A number ≥ min, else the fallback (unset, empty or unparsable included). */
function num(raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= min ? v : fallback;
}

/** An integer in [min, max], else the fallback. */
function int(raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = num(raw, Number.NaN, min);
  return Number.isInteger(v) && v <= max ? v : fallback;
}

export interface ServerConfig {
  pocketbaseUrl: string;
  readerEmail: string | undefined;
  readerPassword: string | undefined;
  unfinishedAfterMs: number;
  /** DATA_CACHE_FRESH_SECONDS in ms, or null for the data cache's own policy (lib/data/cache.ts). */
  dataFreshMs: number | null;
  /** SOURCE_URL: the footer's link to the source code. */
  sourceUrl: string | undefined;
}

export function serverConfig(env: Env = process.env): ServerConfig {
  const minutes = num(env.UNFINISHED_AFTER_MINUTES, 0, 0);
  const fresh = num(env.DATA_CACHE_FRESH_SECONDS, -1, 0);
  return {
    pocketbaseUrl: env.POCKETBASE_URL || "http://127.0.0.1:8090",
    readerEmail: env.POCKETBASE_READER_EMAIL || undefined,
    readerPassword: env.POCKETBASE_READER_PASSWORD || undefined,
    unfinishedAfterMs: minutes > 0 ? minutes * 60_000 : DEFAULT_UNFINISHED_AFTER_MS,
    dataFreshMs: fresh >= 0 ? fresh * 1000 : null,
    sourceUrl: env.SOURCE_URL || undefined,
  };
}

/** How the dashboard talks to PocketBase (lib/data/gate.ts). */
export interface GateConfig {
  /** Abort a request after this long. */
  timeoutMs: number;
  /** Requests to PocketBase in flight at once (coalesced waiters do not count). */
  maxInFlight: number;
  /** Requests allowed to wait for a slot; more fail at once. */
  maxQueue: number;
  /** Consecutive failures that open the circuit. */
  failuresToOpen: number;
  /** First cool-down once open; doubles on each failed probe up to maxCoolDownMs. */
  coolDownMs: number;
  maxCoolDownMs: number;
}

export function gateConfig(env: Env = process.env): GateConfig {
  return {
    timeoutMs: num(env.POCKETBASE_TIMEOUT_MS, 4000, 100),
    maxInFlight: num(env.POCKETBASE_MAX_IN_FLIGHT, 8, 1),
    maxQueue: num(env.POCKETBASE_MAX_QUEUE, 64, 0),
    failuresToOpen: 3,
    coolDownMs: 1000,
    maxCoolDownMs: 15_000,
  };
}

/**
 * TRUST_PROXY: how many reverse proxies in front append to X-Forwarded-For and may be believed
 * about X-Forwarded-Proto ("true" is one; anything unparsable is none).
 */
export function trustedHops(raw: string | undefined): number {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return 0;
  if (raw === "true") return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 10 ? n : 0;
}

/** PUBLIC_URL's origin ("https://stats.example.org"), or null when unset or not an http(s) URL. */
export function configuredOrigin(raw: string | undefined): string | null {
  if (!raw?.trim()) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** Where this site's absolute links point (lib/http/origin.ts). */
export interface OriginConfig {
  /** PUBLIC_URL's origin, or null: links follow the request's Host. */
  publicOrigin: string | null;
  /** TRUST_PROXY. */
  hops: number;
}

export function originConfig(env: Env = process.env): OriginConfig {
  return { publicOrigin: configuredOrigin(env.PUBLIC_URL), hops: trustedHops(env.TRUST_PROXY) };
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * EMBED_ALLOWED_ORIGINS: "*" or unset → any origin; otherwise origins separated by spaces or
 * commas ("https://a.example https://b.example"). Invalid entries are reported, not used.
 */
export function parseEmbedOrigins(raw: string | undefined): { origins: string[]; invalid: string[] } {
  const items = (raw ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((o) => o.replace(/\/$/, ""));
  if (items.length === 0 || items.includes("*")) return { origins: ["*"], invalid: [] };
  const origins = items.filter((o) => ORIGIN.test(o)).map((o) => o.toLowerCase());
  return { origins, invalid: items.filter((o) => !ORIGIN.test(o)) };
}

export interface SecurityConfig {
  /** Origins allowed to frame widgets and badges, e.g. ["https://community-scripts.github.io"]; ["*"] for any. */
  embedOrigins: string[];
  /** HSTS max-age in seconds for HTTPS responses; 0 turns HSTS off. */
  hstsMaxAge: number;
}

export function securityConfig(env: Env = process.env): SecurityConfig & { invalidOrigins: string[] } {
  const { origins, invalid } = parseEmbedOrigins(env.EMBED_ALLOWED_ORIGINS);
  return { embedOrigins: origins, hstsMaxAge: Math.floor(num(env.HSTS_MAX_AGE, 31_536_000, 0)), invalidOrigins: invalid };
}

export interface RateLimitConfig {
  perMinute: number;
  burst: number;
  /** Uncached renders one client may have in flight at once (0: no bound). */
  concurrent: number;
}

export function rateLimitConfig(env: Env = process.env): RateLimitConfig {
  return {
    perMinute: num(env.RATE_LIMIT_PER_MINUTE, 120, 0),
    burst: num(env.RATE_LIMIT_BURST, 60, 1),
    concurrent: int(env.RATE_LIMIT_CONCURRENT, 4, 0),
  };
}

export interface AdmissionConfig {
  /** Renders in flight at once; 0: no bound (every admitted render starts at once). */
  limit: number;
  /** Renders waiting for a slot. */
  queue: number;
  /** Longest wait in the queue: renders are slow just now, so a slot may not come soon. */
  maxWaitMs: number;
}

/** A queued render gives up after this long (503 or the stale copy): a wait of seconds helps nobody. */
const MAX_QUEUE_WAIT_MS = 3000;

/**
 * RENDER_CONCURRENCY (default: two per render process, so one waits on PocketBase while the
 * other computes) and RENDER_QUEUE (default: twice the concurrency — a wait of a few renders'
 * time).
 */
export function admissionConfig(workers: number, env: Env = process.env): AdmissionConfig {
  const defaultLimit = 2 * Math.max(1, workers || availableParallelism());
  const limit = int(env.RENDER_CONCURRENCY, defaultLimit, 0);
  const queue = int(env.RENDER_QUEUE, 2 * (limit || defaultLimit), 0);
  return { limit, queue, maxWaitMs: MAX_QUEUE_WAIT_MS };
}

/** The environment variable that makes dist/server.mjs a render process listening on that socket (set by server/render-pool.ts, never by hand). */
export const WORKER_SOCKET_ENV = "DASHBOARD_RENDER_SOCKET";

/** The HTTP server (server/main.ts) and its render processes. */
export interface HttpServerConfig {
  port: number;
  host: string;
  /** RESPONSE_CACHE=0 turns the in-process response cache off. */
  responseCache: boolean;
  renderTimeoutMs: number;
  /** RENDER_WORKERS: render processes; 0 renders in the server's own process. */
  renderWorkers: number;
  /**
   * RENDER_NICE, default 5: when the machine is short of CPU, the answering process gets three
   * times a render's share (10 would be nine times, but renders would then also yield ninefold to
   * everything else on the host: on the shared test machine, renders took over 10 s). 0 where
   * renders must not yield at all.
   */
  renderNice: number;
  /** Set in a render process: the socket it serves renders on. */
  workerSocket: string | undefined;
}

export function httpServerConfig(env: Env = process.env): HttpServerConfig {
  return {
    port: int(env.PORT, 3000, 1, 65_535),
    host: env.HOST || "0.0.0.0",
    responseCache: env.RESPONSE_CACHE !== "0",
    renderTimeoutMs: num(env.RENDER_TIMEOUT_MS, 15_000, 1),
    renderWorkers: int(env.RENDER_WORKERS, Math.max(1, Math.min(4, availableParallelism() - 1)), 0, 64),
    renderNice: int(env.RENDER_NICE, 5, 0, 19),
    workerSocket: env[WORKER_SOCKET_ENV] || undefined,
  };
}
