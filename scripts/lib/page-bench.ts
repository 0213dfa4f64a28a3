/**
 * Server response times of the dashboard's pages, measured against `next start` (production
 * build) over HTTP on 127.0.0.1: from sending the request until the body (the whole streamed
 * HTML) is read. Requests are sequential; the connection is kept alive, as a browser's would be.
 *
 * Three kinds of samples per page:
 * - cold (fresh data cache): the first request for the page's view in a freshly started
 *   `next start`. A `use cache` entry is keyed by the cached function's arguments, not by the
 *   URL, and lives in the server's memory, so only a new process guarantees a miss. Each
 *   round starts a new server, first requests every route once with a *different view*
 *   (`range=7d`, another app / exit code: loads the route's code without filling the cache
 *   entries of the measured views; checked to render different text), then requests each
 *   page once, in an order rotated per round (so that, should two pages ever share a cached
 *   call, the later one's partial hit does not always fall on the same page).
 * - new URL (distinct URL each time): a never-requested URL in a running server that served
 *   the view before (the last round's), made unique by a `_b=<n>` parameter the app ignores
 *   (checked: no "ignored parameter" note, same text). It misses URL-keyed caches (full route
 *   cache, a CDN) but not `use cache` entries.
 * - warm: the same URL again (after one unmeasured request of it).
 * Without a Next.js data cache all three render from PocketBase on every request. PocketBase
 * and SQLite keep their own in-memory caches throughout (they are not restarted).
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

/** Nearest-rank percentile. */
export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
}

export interface PageResult {
  page: string;
  cold: number[];
  newUrl: number[];
  warm: number[];
  error: string | null;
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

export interface PageBenchOptions {
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
  return main.replace(CLOCK_BOUND, "$1").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
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
 * Cold rounds on fresh servers from `start`, then new-URL and warm samples on the last one.
 * Returns per-page samples; a page whose check fails keeps its error and is not sampled further.
 */
export async function measurePages(start: () => Promise<Server>, opts: PageBenchOptions): Promise<PageResult[]> {
  const results = PAGES.map((p): PageResult => ({ page: p.path, cold: [], newUrl: [], warm: [], error: null }));
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
      server = await start();
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

    // New-URL and warm samples in the last round's server, where every view was served once.
    const url = server!.url;
    let n = 0;
    for (let i = 0; i < PAGES.length; i++) {
      const r = results[i]!;
      if (r.error) continue;
      try {
        for (let s = 0; s < opts.cold; s++) {
          const busted = `${url}${r.page}${r.page.includes("?") ? "&" : "?"}_b=${n++}`;
          const res = await get(busted);
          verify(i, busted, res);
          r.newUrl.push(res.ms);
        }
        for (let s = 0; s <= opts.warm; s++) {
          const res = await get(url + r.page);
          verify(i, url + r.page, res);
          if (s > 0) r.warm.push(res.ms); // one unmeasured request right before, as a warm-up
        }
        opts.log?.(`  measured ${r.page}`);
      } catch (err) {
        r.error = messageOf(err);
      }
    }
  } finally {
    await server?.stop();
  }
  return results;
}

export function pageTableLines(results: PageResult[]): string[] {
  const lines = [
    `| page | cold p50 ms | cold p95 ms | new URL p50 ms | new URL p95 ms | warm p50 ms | warm p95 ms | target met (p95: cold ≤ ${COLD_TARGET_MS}, warm ≤ ${WARM_TARGET_MS}) |`,
    "|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  const f = (xs: number[], q: number) => (xs.length ? percentile(xs, q).toFixed(1) : "—");
  for (const r of results) {
    const cells = [r.cold, r.newUrl, r.warm].flatMap((xs) => [f(xs, 0.5), f(xs, 0.95)]).join(" | ");
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
