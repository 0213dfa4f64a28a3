/**
 * Admission control for renders: at most `limit` renders in flight across the whole server and
 * at most `queue` more waiting for a slot, first come first served, none longer than
 * `maxWaitMs`. Past that a request is refused at once (the caller answers 503 + Retry-After, or
 * a stale copy), so a crowd of clients — each within its own rate limit — cannot pile up
 * renders that every other visitor then waits behind. Cache hits, stale copies and 304s never
 * come here.
 *
 * The per-client limit (rate-limit.ts) is checked first: one client cannot fill the queue.
 * Identical requests coalesce in the response cache before they get here and count once.
 */
import type { AdmissionConfig } from "../lib/config";

/** Ends a render's claim on its slot; calling it more than once is harmless. */
export type Release = () => void;

/** A queued render that got no slot within `maxWaitMs`. */
export class RenderBusy extends Error {}

export class Admission {
  private running = 0;
  /** Queued renders, each a function that hands it a slot. */
  private readonly waiting: ((release: Release) => void)[] = [];

  constructor(private readonly config: AdmissionConfig) {}

  /**
   * A slot now, or a place in the queue (the promise resolves once a slot is free); null when
   * the queue is full too. A queued render leaves the queue with `signal`'s reason when it
   * aborts, and with RenderBusy after `maxWaitMs`.
   */
  enter(signal?: AbortSignal): Promise<Release> | null {
    if (this.config.limit <= 0 || this.running < this.config.limit) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.config.queue) return null;
    return new Promise<Release>((resolve, reject) => {
      const leave = (err: unknown) => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      };
      const onAbort = () => leave(signal?.reason);
      const grant = (release: Release) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const timer = setTimeout(() => leave(new RenderBusy("no render slot came free in time")), this.config.maxWaitMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  stats(): { running: number; waiting: number; limit: number; queue: number } {
    return { running: this.running, waiting: this.waiting.length, ...this.config };
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line: `running` stays the same.
      if (next) next(this.releaser());
      else this.running--;
    };
  }
}
