/**
 * The origin's own small shared cache of whole responses (like nginx's proxy_cache in front
 * of it): a response that says `public, s-maxage=N` is kept under its normalised URL until
 * its data is N seconds old (N seconds after its Last-Modified: when its figures were read)
 * and served to everyone asking meanwhile; identical requests arriving while it
 * renders wait for that one render (coalescing). A CDN or Varnish in front works the same way
 * across instances; this one makes a single instance survive a burst on its own.
 */
import { createHash } from "node:crypto";
import type { OutgoingHttpHeaders } from "node:http";
import { gzipSync } from "node:zlib";

export interface Entry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /** gzip of body, made on first use (only for compressible types above 1 KB). */
  gzip?: Buffer;
  etag: string;
  expiresAt: number;
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
  const m = /s-maxage=(\d+)/.exec(cc);
  return m ? Number(m[1]) : 0;
}

/** Seconds the response's data is old at `now` (from Last-Modified, whole seconds rounded up), 0 without one. */
export function dataAge(headers: OutgoingHttpHeaders, now: number): number {
  const at = Date.parse(String(headers["last-modified"] ?? ""));
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((now - at) / 1000));
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

export function gzipped(entry: Entry): Buffer | null {
  if (entry.body.length < 1024 || !COMPRESSIBLE.test(String(entry.headers["content-type"] ?? ""))) return null;
  entry.gzip ??= gzipSync(entry.body, { level: 6 });
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
    if (!e) return undefined;
    if (e.expiresAt <= this.clock()) {
      this.drop(key, e);
      return undefined;
    }
    this.entries.delete(key); // LRU: most recently used last
    this.entries.set(key, e);
    return e;
  }

  /** The render of `key` already in flight, if any (its result is shared). */
  inFlight(key: string): Promise<Entry> | undefined {
    return this.pending.get(key);
  }

  /** Runs `render` as the one render of `key`; stores the result when a shared cache may. */
  async render(key: string, render: () => Promise<Omit<Entry, "expiresAt" | "etag">>): Promise<Entry> {
    const running = (async () => {
      const r = await render();
      const ttl = r.status === 200 || r.status === 404 || r.status === 301 || r.status === 308 ? Math.max(0, sharedMaxAge(r.headers) - dataAge(r.headers, this.clock())) : 0;
      const entry: Entry = { ...r, etag: etagOf(r.body), expiresAt: this.clock() + ttl * 1000 };
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

  stats() {
    return { entries: this.entries.size, bytes: this.bytes, rendering: this.pending.size };
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
