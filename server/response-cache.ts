/**
 * The origin's own small shared cache of whole responses (like nginx's proxy_cache in front
 * of it): a response that says `public, s-maxage=N` is kept under its normalised URL until
 * its data is N seconds old (N seconds after its Last-Modified: when its figures were read)
 * and served to everyone asking meanwhile; identical requests arriving while it
 * renders wait for that one render (coalescing). A CDN or Varnish in front works the same way
 * across instances; this one makes a single instance survive a burst on its own.
 *
 * An expired answer is kept as long as its own Cache-Control lets a shared cache use it: for
 * `stale-while-revalidate` seconds it is answered while one refresh renders in the background
 * — but only until its figures are MAX_DATA_AGE_MS old, the freshness bound the README
 * promises — and for `stale-if-error` seconds whenever no fresh one can be made: the render
 * failed or the server is too busy to start one (admission.ts). Its Age and Last-Modified say
 * how old it is. Until then only the LRU bound drops it.
 */
import { createHash } from "node:crypto";
import type { OutgoingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";
import { LIVE } from "../lib/data/cache";

export interface Entry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** gzip of body (only for compressible types above 1 KB): made off the event loop for a render, else on first use. */
  gzip?: Buffer;
  etag: string;
  expiresAt: number;
  /** When it was rendered (ms); the Age of a copy served from here. */
  storedAt?: number;
  /** Until when (ms) it may be answered stale while a refresh renders. */
  revalidateUntil?: number;
  /** Until when (ms) it may be answered stale when no fresh answer can be made. */
  errorUntil?: number;
}

/** An expired entry that may still be answered, and whether a refresh should start. */
export interface Stale {
  entry: Entry;
  /** Within `stale-while-revalidate`: answer it and refresh it in the background. */
  revalidate: boolean;
}

/** Query parameters sorted (repeats keep their order), so `?b=1&a=2` and `?a=2&b=1` share an entry. */
export function cacheKey(pathname: string, search: URLSearchParams): string {
  const pairs = [...search].filter(([k]) => k !== "_rsc");
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const qs = new URLSearchParams(pairs).toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

export function etagOf(body: Buffer): string {
  return `W/"${createHash("sha1").update(body).digest("base64url")}"`;
}

/** Seconds a shared cache may keep the response (s-maxage), or 0 when it must not store it. */
export function sharedMaxAge(headers: OutgoingHttpHeaders): number {
  const cc = String(headers["cache-control"] ?? "").toLowerCase();
  if (!cc.includes("public") || /no-store|private|no-cache/.test(cc)) return 0;
  return directive(cc, "s-maxage");
}

function directive(cc: string, name: string): number {
  const m = new RegExp(`(?:^|[,\\s])${name}=(\\d+)`).exec(cc);
  return m ? Number(m[1]) : 0;
}

/** Seconds the response's data is old at `now` (from Last-Modified, whole seconds rounded up), 0 without one. */
export function dataAge(headers: OutgoingHttpHeaders, now: number): number {
  const at = Date.parse(String(headers["last-modified"] ?? ""));
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((now - at) / 1000));
}

/**
 * The oldest figures answered while a refresh renders (README, "How old a figure can be"): the
 * data cache's bound for live figures. Only an answer made when no fresh one can be (stale-if-error)
 * is older.
 */
export const MAX_DATA_AGE_MS = LIVE.staleMs;

/** Until when (ms) an answer may be served while its refresh renders: until its data is MAX_DATA_AGE_MS old (no Last-Modified: no limit). */
function freshUntil(headers: OutgoingHttpHeaders, now: number): number {
  const at = Date.parse(String(headers["last-modified"] ?? ""));
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : Math.max(now, at + MAX_DATA_AGE_MS);
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

const GZIP = { level: 6 };
const gzipAsync = promisify(gzip);

function compressible(entry: Omit<Entry, "etag" | "expiresAt">): boolean {
  return entry.body.length >= 1024 && COMPRESSIBLE.test(String(entry.headers["content-type"] ?? ""));
}

export function gzipped(entry: Entry): Buffer | null {
  if (!compressible(entry)) return null;
  entry.gzip ??= gzipSync(entry.body, GZIP);
  return entry.gzip;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly maxEntryBytes = 2 * 1024 * 1024,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A fresh entry, or undefined. */
  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e || e.expiresAt <= this.clock()) return undefined;
    this.touch(key, e);
    return e;
  }

  /** An expired entry that its Cache-Control still lets us answer (see above), or undefined. */
  stale(key: string): Stale | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.clock();
    if (e.expiresAt > now) return undefined;
    if ((e.errorUntil ?? 0) <= now && (e.revalidateUntil ?? 0) <= now) {
      this.drop(key, e);
      return undefined;
    }
    this.touch(key, e);
    return { entry: e, revalidate: (e.revalidateUntil ?? 0) > now };
  }

  /** The render of `key` already in flight, if any (its result is shared). */
  inFlight(key: string): Promise<Entry> | undefined {
    return this.pending.get(key);
  }

  /** Runs `render` as the one render of `key`; stores the result when a shared cache may. */
  async render(key: string, render: () => Promise<Omit<Entry, "expiresAt" | "etag">>): Promise<Entry> {
    const running = (async () => {
      const r = await render();
      // Compressed on libuv's threads: a 250 KB page takes milliseconds that cache hits would wait.
      const zipped = compressible(r) ? await gzipAsync(r.body, GZIP) : undefined;
      const now = this.clock();
      const ttl = r.status === 200 || r.status === 404 || r.status === 301 || r.status === 308 ? Math.max(0, sharedMaxAge(r.headers) - dataAge(r.headers, now)) : 0;
      const expiresAt = now + ttl * 1000;
      const cc = String(r.headers["cache-control"] ?? "").toLowerCase();
      const entry: Entry = {
        ...r,
        gzip: zipped,
        etag: etagOf(r.body),
        expiresAt,
        storedAt: now,
        revalidateUntil: Math.min(expiresAt + directive(cc, "stale-while-revalidate") * 1000, freshUntil(r.headers, now)),
        errorUntil: expiresAt + directive(cc, "stale-if-error") * 1000,
      };
      if (ttl > 0 && r.body.length <= this.maxEntryBytes) this.store(key, entry);
      return entry;
    })();
    this.pending.set(key, running);
    try {
      return await running;
    } finally {
      this.pending.delete(key);
    }
  }

  /** Whole seconds since the entry was rendered: its Age header. */
  age(entry: Entry): number {
    return entry.storedAt === undefined ? 0 : Math.max(0, Math.floor((this.clock() - entry.storedAt) / 1000));
  }

  stats() {
    return { entries: this.entries.size, bytes: this.bytes, rendering: this.pending.size };
  }

  private touch(key: string, e: Entry): void {
    this.entries.delete(key); // LRU: most recently used last
    this.entries.set(key, e);
  }

  private store(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e);
    }
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }
}
