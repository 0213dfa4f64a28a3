/**
 * One row of the load test: autocannon against a URL (or random / alternating paths, as one
 * client identified by X-Forwarded-For), with the PocketBase queries the counting proxy saw.
 */
import autocannon from "autocannon";
import type { FaultProxy } from "./fault-proxy";
import { formatCount } from "./progress";

export interface Scenario {
  name: string;
  target: string;
  path: string;
  /** A new path for every request (cache-busting floods). */
  randomPath?: () => string;
  /** Paths taken in turn. */
  alternate?: string[];
  /** The client's address (the dashboard runs with TRUST_PROXY=1). */
  client?: string;
}

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors and 5xx answers. */
  errors: number;
  timeouts: number;
  tooMany: number;
  /** Answers other than 2xx (429 and 5xx included). */
  non2xx: number;
  /** Mean bytes on the wire per answer (headers and gzipped body). */
  bytesPerAnswer: number;
  pbQueriesPerSecond: number | null;
}

export async function load(s: Scenario, opts: { connections: number; duration: number; counter: FaultProxy | null; log: (m: string) => void }): Promise<LoadResult> {
  opts.log(`load: ${s.name} (${opts.connections} connections, ${opts.duration} s)…`);
  const before = opts.counter?.forwarded ?? 0;
  const requests = s.randomPath
    ? [{ method: "GET" as const, setupRequest: (req: autocannon.Request) => ({ ...req, path: s.randomPath!() }) }]
    : (s.alternate ?? [s.path]).map((path) => ({ method: "GET" as const, path }));
  const r = await autocannon({
    url: `${s.target}${s.path}`,
    connections: opts.connections,
    duration: opts.duration,
    timeout: 10,
    // Every browser and CDN asks for a compressed answer; so does the load generator.
    headers: { "accept-encoding": "gzip", ...(s.client ? { "x-forwarded-for": s.client } : {}) },
    requests,
  });
  const status = (code: string) => (r.statusCodeStats as Record<string, { count: number } | undefined>)[code]?.count ?? 0;
  const fiveXX = Object.entries(r.statusCodeStats as Record<string, { count: number }>)
    .filter(([code]) => code.startsWith("5"))
    .reduce((n, [, v]) => n + v.count, 0);
  return {
    name: s.name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + fiveXX,
    timeouts: r.timeouts,
    tooMany: status("429"),
    non2xx: r.non2xx,
    bytesPerAnswer: r.requests.total > 0 ? r.throughput.total / r.requests.total : 0,
    pbQueriesPerSecond: opts.counter ? (opts.counter.forwarded - before) / opts.duration : null,
  };
}

export function printTable(rows: LoadResult[]): void {
  console.log("| scenario | req/s | p50 ms | p99 ms | requests | KB per answer | errors | timeouts | 429 | PocketBase queries/s |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const q = r.pbQueriesPerSecond === null ? "–" : r.pbQueriesPerSecond.toFixed(1);
    console.log(
      `| ${r.name} | ${formatCount(Math.round(r.rps))} | ${r.p50} | ${r.p99} | ${formatCount(r.requests)} | ${(r.bytesPerAnswer / 1024).toFixed(1)} | ${r.errors} | ${r.timeouts} | ${r.tooMany} | ${q} |`,
    );
  }
}
