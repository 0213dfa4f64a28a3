/**
 * Per-client token buckets for requests that cost the origin work (a render or an API answer
 * not served from the response cache). A client may spend `burst` at once and regains
 * `perMinute` a minute; beyond that it gets 429 with the seconds until its next token.
 * Buckets of clients that went quiet are dropped, so the map stays bounded.
 */
import type { RateLimitConfig } from "../lib/config";
interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly clock: () => number = Date.now,
    private readonly maxClients = 50_000,
  ) {}

  get enabled(): boolean {
    return this.config.perMinute > 0;
  }

  /** Takes a token for `client`; null when allowed, else the seconds to wait. */
  take(client: string): number | null {
    if (!this.enabled) return null;
    const now = this.clock();
    const rate = this.config.perMinute / 60_000; // tokens per ms
    const b = this.buckets.get(client) ?? { tokens: this.config.burst, at: now };
    b.tokens = Math.min(this.config.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.delete(client); // re-insert: the map's order is least recently used first
    this.buckets.set(client, b);
    if (this.buckets.size > this.maxClients) this.prune(now, rate);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /**
   * Starts one uncached render for `client`: false when it already has `concurrent` in flight
   * (one client must not fill the queue to PocketBase that every other visitor waits in).
   * Every true must be matched by `leave`.
   */
  enter(client: string): boolean {
    if (!this.enabled || this.config.concurrent <= 0) return true;
    const n = this.running.get(client) ?? 0;
    if (n >= this.config.concurrent) return false;
    this.running.set(client, n + 1);
    return true;
  }

  leave(client: string): void {
    if (!this.enabled || this.config.concurrent <= 0) return;
    const n = (this.running.get(client) ?? 1) - 1;
    if (n <= 0) this.running.delete(client);
    else this.running.set(client, n);
  }

  private prune(now: number, rate: number): void {
    for (const [client, b] of this.buckets) {
      if (this.buckets.size <= this.maxClients / 2) break;
      // Oldest first; a bucket that has refilled is indistinguishable from a new one.
      if (b.tokens + (now - b.at) * rate >= this.config.burst || this.buckets.size > this.maxClients) this.buckets.delete(client);
    }
  }
}
