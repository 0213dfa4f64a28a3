/**
 * Server response times of the dashboard's pages, measured against the production server
 * (`npm run build`, `node dist/server.mjs`) over HTTP on 127.0.0.1: from sending the request
 * until the body (the whole streamed HTML) is read. Requests are sequential; the connection is
 * kept alive, as a browser's would be. The per-client rate limit is off (one client asking
 * hundreds of times a minute is what it exists to stop).
 *
 * Three kinds of samples per page:
 * - cold (nothing cached): the first request for the page's view in a freshly started server.
 *   The data cache (lib/data/cache.ts, keyed by the load's arguments) and the response cache
 *   (server/response-cache.ts, keyed by URL) live in the server's memory, so only a new process
 *   guarantees a miss. Each round starts a new server, first requests every route once with a
 *   *different view* (`range=7d`, another app / exit code: loads the route's code without
 *   filling the cache entries of the measured views; checked to render different text), then
 *   requests each page once, in an order rotated per round (so that, should two pages ever
 *   share a data load, the later one's partial hit does not always fall on the same page).
 * - render (data cached, page rendered): a server started with RESPONSE_CACHE=0, the page
 *   requested once unmeasured, then again: every request renders the page with React from the
 *   data cache — what a URL the response cache has not seen costs when its data is cached.
 * - warm: the same URL again in a normal server (after one unmeasured request of it): a
 *   response-cache hit, which is what nearly every request of a public page is.
 * PocketBase and SQLite keep their own in-memory caches throughout (they are not restarted).
 *
 * Answers are checked on every response: HTTP 200, no error box, no ignored-parameter note,
 * the same text in <main> as the page's first response (after resolving React's streamed
 * segments; figures that move with the clock — running/unfinished — blanked), and optional
 * expected figures from the data layer.
 */
import { resolveStreamedHtml } from "./streamed-html";

export const PAGES: readonly { path: string; warmup: string | null }[] = [
  { path: "/", warmup: "/?range=7d" },
  { path: "/?range=24h", warmup: "/?range=7d" },
  { path: "/apps", warmup: "/apps?range=7d" },
  { path: "/apps?type=lxc&min=50", warmup: "/apps?range=7d" },
  { path: "/apps?range=24h", warmup: "/apps?range=7d" },
  { path: "/apps/docker", warmup: "/apps/pihole?range=7d" },
  { path: "/apps/jellyfin?range=90d", warmup: "/apps/pihole?range=7d" },
  { path: "/errors", warmup: "/errors?range=7d" },
  { path: "/errors/100", warmup: "/errors/1?range=7d" },
  { path: "/os", warmup: "/os?range=7d" },
  { path: "/methodology", warmup: null }, // no data to cache
];

export const COLD_TARGET_MS = 300;
export const WARM_TARGET_MS = 50;
/** A quiet minute and a little more: the data cache's shared answers are then too old to serve (lib/data/cache.ts LIVE). */
export const QUIET_MS = 65_000;
/** Issue 18: an app page not cached yet, in a running server, at 1 M records. */
export const NEW_APP_TARGET_MS = 150;

/** Nearest-rank percentile. */
export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
}

export interface PageResult {
  page: string;
  cold: number[];
  render: number[];
  warm: number[];
  error: string | null;
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

export interface PageBenchOptions {
  /** Starts a server; `{ responseCache: false }` for the render samples. */
  /** Fresh-server rounds (cold samples) and distinct-URL samples per page. */
  cold: number;
  warm: number;
  /** page → data-testid → the text the page must show. */
  expect?: Record<string, Record<string, string>>;
  log?: (msg: string) => void;
}

async function get(url: string) {
  const t = performance.now();
  const res = await fetch(url, { redirect: "manual" });
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

const CLOCK_BOUND = /(data-testid="(?:[\w-]*(?:running|unfinished|installing)[\w-]*|as-of)"[^>]*>)[^<]*/g;

/** The visible text of <main>, with the figures that change as time passes blanked. */
function mainText(body: string): string | null {
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(body)?.[1];
  if (main === undefined) return null;
  return main
    .replace(CLOCK_BOUND, "$1")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function figure(body: string, testId: string): string | null {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(body)?.[1] ?? null;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `"…${a.slice(Math.max(0, i - 40), i + 40)}…" vs "…${b.slice(Math.max(0, i - 40), i + 40)}…"`;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The response's <main> text (after resolving the stream); throws unless it is a correct rendering of the page. */
function check(url: string, r: { status: number; body: string }, reference?: string, expect: Record<string, string> = {}): string {
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  let html: string;
  try {
    html = resolveStreamedHtml(r.body);
  } catch (err) {
    throw new Error(`${url}: ${messageOf(err)}`);
  }
  if (html.includes("error-box")) throw new Error(`${url}: the page shows an error box`);
  if (html.includes('data-testid="param-notes"')) throw new Error(`${url}: the page reports ignored parameters`);
  const text = mainText(html);
  if (text === null) throw new Error(`${url}: no <main> in the response`);
  if (reference !== undefined && text !== reference) throw new Error(`${url}: differs from the page's first response: ${firstDifference(text, reference)}`);
  for (const [id, want] of Object.entries(expect)) {
    const got = figure(html, id);
    if (got !== want) throw new Error(`${url}: ${id} shows "${got}", the data layer says "${want}"`);
  }
  return text;
}

/**
 * Cold rounds on fresh servers from `start`, render samples on a server without the response
 * cache, then warm samples on a normal one.
 * Returns per-page samples; a page whose check fails keeps its error and is not sampled further.
 */
export async function measurePages(start: (o: { responseCache: boolean }) => Promise<Server>, opts: PageBenchOptions): Promise<PageResult[]> {
  const results = PAGES.map((p): PageResult => ({ page: p.path, cold: [], render: [], warm: [], error: null }));
  const references = new Map<string, string>();
  const warmups = [...new Set(PAGES.map((p) => p.warmup).filter((w): w is string => w !== null))];
  const verify = (i: number, url: string, r: { status: number; body: string }) => {
    const text = check(url, r, references.get(PAGES[i]!.path), opts.expect?.[PAGES[i]!.path]);
    if (!references.has(PAGES[i]!.path)) references.set(PAGES[i]!.path, text);
  };

  let server: Server | null = null;
  try {
    for (let round = 0; round < opts.cold; round++) {
      await server?.stop();
      server = await start({ responseCache: true });
      const warmTexts = new Map<string, string>();
      for (const w of warmups) {
        try {
          warmTexts.set(w, check(server.url + w, await get(server.url + w)));
        } catch (err) {
          results.forEach((r, i) => {
            if (PAGES[i]!.warmup === w) r.error ??= `warm-up ${messageOf(err)}`;
          });
        }
      }
      for (let k = 0; k < PAGES.length; k++) {
        const i = (round + k) % PAGES.length;
        const r = results[i]!;
        if (r.error) continue;
        const url = server.url + r.page;
        try {
          const res = await get(url);
          verify(i, url, res);
          const w = PAGES[i]!.warmup;
          if (w && warmTexts.get(w) === references.get(r.page)) throw new Error(`warm-up ${w} renders the same view as ${r.page}`);
          r.cold.push(res.ms);
        } catch (err) {
          r.error = messageOf(err);
        }
      }
      opts.log?.(`  cold round ${round + 1}/${opts.cold} done`);
    }

    for (const responseCache of [false, true]) {
      await server?.stop();
      server = await start({ responseCache });
      const url = server.url;
      for (let i = 0; i < PAGES.length; i++) {
        const r = results[i]!;
        if (r.error) continue;
        const samples = responseCache ? r.warm : r.render;
        try {
          for (let s = 0; s <= (responseCache ? opts.warm : opts.cold); s++) {
            const res = await get(url + r.page);
            verify(i, url + r.page, res);
            if (s > 0) samples.push(res.ms); // one unmeasured request first: fills the caches
          }
          opts.log?.(`  ${responseCache ? "warm" : "render"}: measured ${r.page}`);
        } catch (err) {
          r.error = messageOf(err);
        }
      }
    }
  } finally {
    await server?.stop();
  }
  return results;
}

export interface NewAppResult {
  view: string;
  samples: number[];
  error: string | null;
}

/**
 * Issue 18's "cold app page": app pages nobody asked for yet, in a server that has run a while —
 * what a visitor following a link to another app meets. A normal server (response cache on) is
 * warmed with `/` and the `warm` apps' pages at each view, left `settleMs` to finish the store loads a start
 * begins in the background (lib/data/store), then each app of `apps` is asked for once per view
 * (`query`: "" for the default 30 days, "?range=90d"), no app twice. Then `quiet` more apps,
 * each after QUIET_MS without a request: the data cache's shared answers are then over a minute old
 * and the first page waits for new ones (README, "Caching and freshness"). Checked like the rest.
 */
export async function measureNewAppPages(
  start: () => Promise<Server>,
  opts: { warm: readonly string[]; apps: readonly string[]; queries: readonly string[]; quiet: readonly string[]; settleMs: number; log?: (msg: string) => void },
): Promise<NewAppResult[]> {
  const server = await start();
  try {
    // Warmed at every view measured: a server that has run a while has made each range's first
    // site-wide scan (the regressions an app page marks), ~0.3–0.5 s at 1 M for 90 days.
    for (const path of ["/", ...opts.queries.flatMap((q) => opts.warm.map((a) => `/apps/${encodeURIComponent(a)}${q}`))]) check(server.url + path, await get(server.url + path));
    await new Promise((r) => setTimeout(r, opts.settleMs));
    const per = Math.floor(opts.apps.length / opts.queries.length);
    const rows = opts.queries.map((query, qi) => ({ view: `/apps/<app>${query}`, query, apps: opts.apps.slice(qi * per, (qi + 1) * per), pauseMs: 0 }));
    if (opts.quiet.length) rows.push({ view: "/apps/<app> after a quiet minute", query: "", apps: [...opts.quiet], pauseMs: QUIET_MS });
    const results: NewAppResult[] = [];
    for (const row of rows) {
      const r: NewAppResult = { view: row.view, samples: [], error: null };
      for (const app of row.apps) {
        if (row.pauseMs) await new Promise((res) => setTimeout(res, row.pauseMs));
        const url = `${server.url}/apps/${encodeURIComponent(app)}${row.query}`;
        try {
          const res = await get(url);
          check(url, res);
          r.samples.push(res.ms);
        } catch (err) {
          r.error = messageOf(err);
          break;
        }
      }
      const slowest = r.samples
        .map((ms, i) => [ms, row.apps[i]] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3);
      opts.log?.(`  new app pages: measured ${r.view} (slowest: ${slowest.map(([ms, app]) => `${app} ${ms.toFixed(0)} ms`).join(", ")})`);
      results.push(r);
    }
    return results;
  } finally {
    await server.stop();
  }
}

export function newAppTableLines(results: NewAppResult[]): string[] {
  const lines = [`| new app page (running server) | n | p50 ms | p95 ms | max ms | target met (p95 ≤ ${NEW_APP_TARGET_MS}) |`, "|---|---:|---:|---:|---:|---|"];
  for (const r of results) {
    const f = (q: number) => (r.samples.length ? percentile(r.samples, q).toFixed(1) : "—");
    const met = r.error ? `✗ check failed: ${r.error.replace(/\|/g, "\\|")}` : percentile(r.samples, 0.95) <= NEW_APP_TARGET_MS ? "yes" : "no";
    lines.push(`| \`${r.view}\` | ${r.samples.length} | ${f(0.5)} | ${f(0.95)} | ${r.samples.length ? Math.max(...r.samples).toFixed(1) : "—"} | ${met} |`);
  }
  return lines;
}

export function pageTableLines(results: PageResult[]): string[] {
  const lines = [
    `| page | cold p50 ms | cold p95 ms | render p50 ms | render p95 ms | warm p50 ms | warm p95 ms | target met (p95: cold ≤ ${COLD_TARGET_MS}, warm ≤ ${WARM_TARGET_MS}) |`,
    "|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  const f = (xs: number[], q: number) => (xs.length ? percentile(xs, q).toFixed(1) : "—");
  for (const r of results) {
    const cells = [r.cold, r.render, r.warm].flatMap((xs) => [f(xs, 0.5), f(xs, 0.95)]).join(" | ");
    let met: string;
    if (r.error) met = `✗ check failed: ${r.error.replace(/\|/g, "\\|")}`;
    else {
      const missed = [percentile(r.cold, 0.95) > COLD_TARGET_MS ? "cold" : "", percentile(r.warm, 0.95) > WARM_TARGET_MS ? "warm" : ""];
      met = missed.some(Boolean) ? `no (${missed.filter(Boolean).join(", ")})` : "yes";
    }
    lines.push(`| \`${r.page}\` | ${cells} | ${met} |`);
  }
  return lines;
}
