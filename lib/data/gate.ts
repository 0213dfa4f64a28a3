/**
 * The gate every PocketBase request passes through (lib/data/pocketbase.ts installs it as the SDK's
 * fetch). It keeps a slow or dead PocketBase from taking the dashboard down with it:
 *
 *  - coalescing: identical GETs in flight at the same time share one request and its answer;
 *  - a bound on requests in flight, with a short queue; beyond it a request fails at once
 *    (OverloadedError → the caller answers 503 + Retry-After) instead of piling up;
 *  - a timeout on every request: the fetch is aborted (PocketBase cancels the query when the
 *    connection closes) and the caller gets SourceTimeoutError;
 *  - a circuit breaker: after consecutive network failures or timeouts the gate fails fast for
 *    a cool-down, then lets one probe through; a success closes it again (automatic recovery).
 *
 * Pure Node (no Next.js imports) so tests can exercise it directly.
 */
import type { GateConfig } from "../config";

export type SourceProblem = "timeout" | "overloaded" | "down";

/** PocketBase could not be asked or did not answer in time. `retryAfter` is in seconds. */
export class SourceError extends Error {
  constructor(
    readonly problem: SourceProblem,
    readonly retryAfter: number,
    message: string,
  ) {
    super(message);
    this.name = "SourceError";
  }
}

export interface GateStats {
  /** Requests sent to PocketBase. */
  sent: number;
  /** Requests answered by sharing another one's response. */
  coalesced: number;
  /** Requests refused because the queue was full. */
  overloaded: number;
  /** Requests refused while the circuit was open. */
  shortCircuited: number;
  timedOut: number;
  inFlight: number;
  queued: number;
  circuit: "closed" | "open" | "half-open";
}

interface Shared {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

type Fetch = typeof fetch;

export class Gate {
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private readonly pending = new Map<string, Promise<Shared>>();
  private failures = 0;
  private openUntil = 0;
  private coolDown: number;
  private probing = false;
  private readonly counts = { sent: 0, coalesced: 0, overloaded: 0, shortCircuited: 0, timedOut: 0 };

  constructor(
    private readonly config: GateConfig,
    private readonly send: Fetch = fetch,
  ) {
    this.coolDown = config.coolDownMs;
  }

  stats(): GateStats {
    const now = Date.now();
    const circuit = this.openUntil === 0 ? "closed" : now < this.openUntil ? "open" : "half-open";
    return { ...this.counts, inFlight: this.inFlight, queued: this.queue.length, circuit };
  }

  /** A fetch with the gate's protections (same signature as the global fetch). */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? "GET").toUpperCase();
    const url = String(input instanceof Request ? input.url : input);
    if (method !== "GET") return toResponse(await this.admit(url, init));
    const key = `${url}\n${headerValue(init.headers, "authorization") ?? ""}`;
    let shared = this.pending.get(key);
    if (shared) this.counts.coalesced++;
    else {
      shared = this.admit(url, init).finally(() => this.pending.delete(key));
      this.pending.set(key, shared);
    }
    return toResponse(await shared);
  };

  private async admit(url: string, init: RequestInit): Promise<Shared> {
    this.checkCircuit(false);
    await this.acquire();
    try {
      this.checkCircuit(true);
      return await this.request(url, init);
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.config.maxInFlight) {
      this.inFlight++;
      return;
    }
    if (this.queue.length >= this.config.maxQueue) {
      this.counts.overloaded++;
      throw new SourceError("overloaded", 2, "Too many requests to the statistics source are waiting.");
    }
    await this.waitForSlot();
  }

  /** Hands the slot to the next waiter (still counted in flight), or frees it. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Waits for a slot, at most the request timeout (a queue that does not move is overload). */
  private waitForSlot(): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        this.counts.overloaded++;
        reject(new SourceError("overloaded", 2, "The statistics source is busy."));
      }, this.config.timeoutMs);
      this.queue.push(entry);
    });
  }

  /** Throws while the circuit is open; once the cool-down is over, one request (`claim`) probes. */
  private checkCircuit(claim: boolean): void {
    if (this.openUntil === 0) return;
    const now = Date.now();
    if (now < this.openUntil || this.probing) {
      this.counts.shortCircuited++;
      const wait = Math.max(1, Math.ceil((this.openUntil - now) / 1000));
      throw new SourceError("down", wait, "The statistics source is not answering; retrying shortly.");
    }
    if (claim) this.probing = true;
  }

  private async request(url: string, init: RequestInit): Promise<Shared> {
    this.counts.sent++;
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const res = await this.send(url, { ...init, signal });
      const shared: Shared = { status: res.status, statusText: res.statusText, headers: [...res.headers], body: await res.arrayBuffer() };
      // A 5xx is the source erroring (counts towards opening the circuit); 4xx is an answer.
      if (res.status >= 500) this.failed();
      else this.succeeded();
      return shared;
    } catch (err) {
      if (timeout.aborted) {
        this.counts.timedOut++;
        this.failed();
        throw new SourceError("timeout", 5, `The statistics source did not answer within ${this.config.timeoutMs / 1000} s.`);
      }
      if (init.signal?.aborted) throw err; // the caller gave up: not the source's fault
      this.failed();
      throw new SourceError("down", 5, "The statistics source is not reachable.");
    }
  }

  private succeeded(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.probing = false;
    this.coolDown = this.config.coolDownMs;
  }

  private failed(): void {
    this.failures++;
    const wasProbe = this.probing;
    this.probing = false;
    if (wasProbe) {
      this.coolDown = Math.min(this.coolDown * 2, this.config.maxCoolDownMs);
      this.openUntil = Date.now() + this.coolDown;
    } else if (this.failures >= this.config.failuresToOpen) {
      this.openUntil = Date.now() + this.coolDown;
    }
  }
}

function headerValue(headers: HeadersInit | undefined, name: string): string | null {
  if (!headers) return null;
  return new Headers(headers).get(name);
}

function toResponse(s: Shared): Response {
  // 204/304 may not carry a body.
  const body = s.status === 204 || s.status === 304 ? null : s.body.slice(0);
  return new Response(body, { status: s.status, statusText: s.statusText, headers: s.headers });
}
