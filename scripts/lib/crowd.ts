/**
 * Many clients at once, as a crawler farm or a crowd arrives: each client has its own loopback
 * source address (Linux routes all of 127.0.0.0/8 to lo, so a socket can bind 127.0.0.2,
 * 127.0.0.3, …), a few keep-alive connections, and paces itself to the dashboard's per-client
 * rate limit, so no client ever gets a 429 — the per-client limit cannot help; only a bound on
 * the server's total work can. autocannon cannot bind a source address, hence this client.
 *
 * Every request is timed; one without an answer within `timeoutMs` is aborted and counted as a
 * time-out. Bodies are drained, not decoded (the load generator shares the machine).
 */
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { load, type LoadResult } from "./load";
import { formatCount } from "./progress";

export interface CrowdOptions {
  /** http://127.0.0.1:port — the server must listen on 127.0.0.1 (or all addresses). */
  target: string;
  clients: number;
  /** Connections (requests in flight) per client. */
  connections: number;
  /** Requests a client starts per minute at most: the server's per-client rate limit. */
  perMinute: number;
  durationS: number;
  path: () => string;
  timeoutMs: number;
}

export interface CrowdResult {
  requests: number;
  /** Answers by status code. */
  statuses: Record<number, number>;
  timeouts: number;
  /** Connection errors (refused, reset), by code. */
  errors: Record<string, number>;
  p50: number;
  p99: number;
  /** Answers (any status) per second. */
  rps: number;
}

/** The `i`-th client's source address: 127.0.0.2 upwards (127.0.0.1 is left to other clients). */
export function crowdAddress(i: number): string {
  const n = i + 2;
  return `127.0.${Math.floor(n / 250)}.${n % 250}`;
}

function once(agent: Agent, url: URL, path: string, timeoutMs: number): Promise<{ status: number } | "timeout" | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ agent, host: url.hostname, port: url.port, path, headers: { "accept-encoding": "gzip" } }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0 });
      });
      res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve("timeout");
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ error: err.code ?? err.message });
    });
    req.end();
  });
}

export async function runCrowd(o: CrowdOptions): Promise<CrowdResult> {
  const url = new URL(o.target);
  const end = performance.now() + o.durationS * 1000;
  const gap = 60_000 / o.perMinute;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let timeouts = 0;
  const errors: Record<string, number> = {};

  async function client(i: number) {
    const localAddress = crowdAddress(i);
    const agent = new Agent({ keepAlive: true, maxSockets: o.connections, localAddress });
    // Starts are spaced by `gap` per client (staggered between clients), so none exceeds its rate.
    let next = performance.now() + (gap * i) / o.clients;
    const connection = async () => {
      for (;;) {
        const start = Math.max(next, performance.now());
        next = start + gap;
        if (start >= end) return;
        await new Promise((r) => setTimeout(r, start - performance.now()));
        const t0 = performance.now();
        const r = await once(agent, url, o.path(), o.timeoutMs);
        if (r === "timeout") timeouts++;
        else if ("error" in r) errors[r.error] = (errors[r.error] ?? 0) + 1;
        else {
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          latencies.push(performance.now() - t0);
        }
      }
    };
    await Promise.all(Array.from({ length: o.connections }, connection));
    agent.destroy();
  }

  await Promise.all(Array.from({ length: o.clients }, (_, i) => client(i)));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!) : 0);
  const requests = latencies.length + timeouts + Object.values(errors).reduce((a, b) => a + b, 0);
  return { requests, statuses, timeouts, errors, p50: at(0.5), p99: at(0.99), rps: latencies.length / o.durationS };
}

export interface CrowdRow {
  name: string;
  crowd: CrowdResult;
  alone: LoadResult;
  during: LoadResult;
  /** The machine's 1-minute load average at the end (others' work included). */
  loadAverage: number;
}

/**
 * The many-clients scenario against one dashboard: the cached reader alone (its unloaded
 * throughput), then the reader and the crowd together for the same time.
 */
export async function crowdScenario(
  name: string,
  target: string,
  crowd: Omit<CrowdOptions, "target">,
  reader: { path: string; connections: number },
  log: (m: string) => void,
): Promise<CrowdRow> {
  const readerScenario = { name: `cached reader of ${reader.path}`, target, path: reader.path };
  const opts = { connections: reader.connections, duration: crowd.durationS, counter: null, log };
  // Warm up: the reader's page rendered and cached, the render processes past their first pages.
  for (let i = 0; i < 5; i++) await Promise.all([fetch(`${target}${reader.path}`), fetch(`${target}${crowd.path()}`)].map((p) => p.then((r) => r.arrayBuffer())));
  const alone = await load(readerScenario, opts);
  log(`crowd: ${crowd.clients} clients × ${crowd.connections} connections at ${crowd.perMinute}/min each, ${crowd.durationS} s, beside the reader…`);
  const [c, during] = await Promise.all([runCrowd({ ...crowd, target }), load(readerScenario, opts)]);
  return { name, crowd: c, alone, during, loadAverage: loadavg()[0] ?? 0 };
}

export function printCrowdTable(rows: CrowdRow[]): void {
  console.log(
    "| dashboard | crowd answers/s | 200 | 503 | 429 | other | time-outs | conn. errors | crowd p50 ms | crowd p99 ms | reader alone req/s (p99 ms) | reader during req/s | p50 ms | p99 ms | reader non-2xx / errors / time-outs | kept | load avg |",
  );
  console.log("|---|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const s = (code: number) => formatCount(r.crowd.statuses[code] ?? 0);
    const kept = r.alone.rps > 0 ? `${Math.round((100 * r.during.rps) / r.alone.rps)} %` : "–";
    console.log(
      `| ${r.name} | ${r.crowd.rps.toFixed(1)} | ${s(200)} | ${s(503)} | ${s(429)} | ${otherStatuses(r.crowd.statuses)} | ${r.crowd.timeouts} | ${errorList(r.crowd.errors)} | ${r.crowd.p50} | ${r.crowd.p99} | ` +
        `${formatCount(Math.round(r.alone.rps))} (${r.alone.p99}) | ${formatCount(Math.round(r.during.rps))} | ${r.during.p50} | ${r.during.p99} | ${formatCount(r.during.non2xx)} / ${r.during.errors} / ${r.during.timeouts} | ${kept} | ${r.loadAverage.toFixed(1)} |`,
    );
  }
}

/** Answers other than 200, 503 and 429, by status ("0" when none). */
function otherStatuses(statuses: Record<number, number>): string {
  const list = Object.entries(statuses).filter(([code]) => !["200", "503", "429"].includes(code));
  return list.length ? list.map(([code, n]) => `${formatCount(n)} × ${code}`).join(", ") : "0";
}

function errorList(errors: Record<string, number>): string {
  const list = Object.entries(errors);
  return list.length ? list.map(([code, n]) => `${n} ${code}`).join(", ") : "0";
}
