/**
 * Ingest benchmark (`npm run bench`): how fast PocketBase stores runs as the install scripts
 * report them, on the benchmark's full database (every write goes through the rollup triggers).
 *
 *  - POST /telemetry (today's scripts): each generated run's events (installer-events.ts).
 *  - The records API (the older protocol): POST the run as installing, PATCH its outcome.
 *
 * Each path: one client sending one request at a time (a request's latency: what an install
 * waits for; the scripts give up after 5 s) and `concurrency` clients at once (throughput). Every
 * answer must be a 2xx. The rate limits are raised on this throwaway database: one client here
 * sends far more than any real host.
 *
 * Then PocketBase's own backup of the whole pb_data (README "Backups and durability"): how long
 * it takes, and how long events sent meanwhile wait (PocketBase holds its write lock while it
 * archives).
 */
import { generateRows } from "./generate";
import { eventsOf, recordsApiBodies } from "./installer-events";
import { percentile } from "./page-bench";
import { setRateLimit } from "./pocketbase-server";
import type { TelemetryRow } from "./telemetry-row";

const RECORDS = "/api/collections/_dev_telemetry_data/records";

type Request = { method: "POST" | "PATCH"; path: string; body: string };
/** One run's requests, in order; a PATCH names the id the POST answered. */
type Run = (send: (r: Request) => Promise<string>) => Promise<void>;

async function timedSend(url: string, r: Request, times: number[]): Promise<string> {
  const t = performance.now();
  const res = await fetch(`${url}${r.path}`, { method: r.method, headers: { "content-type": "application/json" }, body: r.body });
  const text = await res.text();
  times.push(performance.now() - t);
  if (!res.ok) throw new Error(`${r.method} ${r.path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

function telemetryRun(row: TelemetryRow): Run {
  return async (send) => {
    for (const e of eventsOf(row)) await send({ method: "POST", path: "/telemetry", body: e.body });
  };
}

function recordsApiRun(row: TelemetryRow): Run {
  const { start, outcome } = recordsApiBodies(row);
  return async (send) => {
    const id = (JSON.parse(await send({ method: "POST", path: RECORDS, body: JSON.stringify(start) })) as { id: string }).id;
    if (outcome) await send({ method: "PATCH", path: `${RECORDS}/${id}`, body: JSON.stringify(outcome) });
  };
}

/** Runs `runs` one after another, then `concurrency` at a time; latencies and throughput. */
async function measure(url: string, runs: Run[], concurrency: number) {
  const half = Math.floor(runs.length / 2);
  const sequential: number[] = [];
  for (const run of runs.slice(0, half)) await run((r) => timedSend(url, r, sequential));
  const parallel: number[] = [];
  const rest = runs.slice(half);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; i < rest.length; i += concurrency) await rest[i]!((r) => timedSend(url, r, parallel));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { sequential, parallel, perSecond: parallel.length / seconds };
}

/** Markdown lines: both paths' latency and throughput. */
export async function ingestBenchLines(url: string, superuserToken: string, opts: { runs: number; concurrency: number; log: (m: string) => void }): Promise<string[]> {
  for (const label of ["POST /telemetry", "_dev_telemetry_data:create", "_dev_telemetry_data:update"]) await setRateLimit(url, superuserToken, label, 1_000_000);
  const rows = (seed: number) => [...generateRows({ seed, days: 1, runsPerDay: opts.runs, end: new Date() })];
  opts.log(`ingest: ${opts.runs} runs through POST /telemetry, then ${opts.runs} through the records API…`);
  const telemetry = await measure(url, rows(9001).map(telemetryRun), opts.concurrency);
  const recordsApi = await measure(url, rows(9002).map(recordsApiRun), opts.concurrency);
  const f = (ms: number[], q: number) => percentile(ms, q).toFixed(1);
  const line = (name: string, m: Awaited<ReturnType<typeof measure>>) =>
    `| ${name} | ${m.sequential.length + m.parallel.length} | ${[0.5, 0.95, 0.99].map((q) => f(m.sequential, q)).join(" | ")} | ${[0.5, 0.95, 0.99].map((q) => f(m.parallel, q)).join(" | ")} | ${Math.round(m.perSecond)} |`;
  const n = opts.concurrency;
  return [
    `| path | requests | 1 client p50 ms | p95 | p99 | ${n} clients p50 ms | p95 | p99 | ${n} clients req/s |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    line("POST /telemetry (one event)", telemetry),
    line("records API (POST or PATCH)", recordsApi),
  ];
}

/** One line: the backup's duration and size, and the latency of events sent while it ran. */
export async function backupBenchLine(url: string, superuserToken: string): Promise<string> {
  const headers = { "content-type": "application/json", authorization: superuserToken };
  const runs = [...generateRows({ seed: 9003, days: 1, runsPerDay: 2000, end: new Date() })].map(telemetryRun);
  const during: number[] = [];
  let done = false;
  const sender = (async () => {
    for (const run of runs) {
      if (done) return;
      await run((r) => timedSend(url, r, during));
    }
  })();
  const started = performance.now();
  const res = await fetch(`${url}/api/backups`, { method: "POST", headers, body: JSON.stringify({ name: "bench.zip" }) });
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await sender;
  if (res.status !== 204) throw new Error(`backup answered ${res.status}: ${await res.text()}`);
  const list = (await (await fetch(`${url}/api/backups`, { headers })).json()) as { key: string; size: number }[];
  const mb = (list.find((b) => b.key === "bench.zip")?.size ?? 0) / 1024 / 1024;
  const meanwhile = during.length
    ? `${during.length} events sent meanwhile by one client: p50 ${percentile(during, 0.5).toFixed(0)} ms, max ${Math.max(...during).toFixed(0)} ms (all stored).`
    : "No event was answered while it ran.";
  return `PocketBase backup of the whole pb_data (${mb.toFixed(0)} MB zip): ${seconds.toFixed(1)} s. ${meanwhile}`;
}
