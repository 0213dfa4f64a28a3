/**
 * Embeds in the benchmark: each widget's weight (HTML gzipped, JavaScript: inline bytes and
 * script files) and the badge's server response time, against a running production dashboard.
 *
 * Badge samples, sequential over HTTP on 127.0.0.1 (body fully read), every response checked
 * (HTTP 200, an SVG whose title shows a rate):
 * - warm: the same badge URL again (its data is in the dashboard's cache);
 * - new app: a badge of an app not asked for before in this server (a data-cache miss).
 */
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { widgetPath, WIDGET_NAMES } from "../../lib/embed/catalog";
import { percentile } from "./page-bench";

export interface WidgetWeight {
  path: string;
  htmlGzip: number;
  inlineScriptBytes: number;
  scriptFiles: number;
  scriptFileBytes: number;
}

export interface EmbedBenchResult {
  widgets: WidgetWeight[];
  embedJsGzip: number;
  badge: { warm: number[]; newApp: number[] };
}

async function get(url: string) {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

async function weigh(base: string, path: string): Promise<WidgetWeight> {
  const r = await get(base + path);
  if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
  if (r.body.includes('class="note"')) throw new Error(`${path}: the widget shows a note`);
  let inline = 0;
  const files: string[] = [];
  for (const m of r.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(m[1]!)?.[1];
    if (src) files.push(src);
    else inline += Buffer.byteLength(m[2]!);
  }
  let fileBytes = 0;
  for (const src of files) fileBytes += gzipSync(await (await fetch(new URL(src, base))).arrayBuffer()).length;
  return { path, htmlGzip: gzipSync(r.body).length, inlineScriptBytes: inline, scriptFiles: files.length, scriptFileBytes: fileBytes };
}

/**
 * `apps`: apps with runs; the first is the app widget's and the warm badge's, each of the next
 * `samples` is asked for once (new app).
 */
export async function measureEmbeds(base: string, apps: readonly string[], samples: number): Promise<EmbedBenchResult> {
  const widgets: WidgetWeight[] = [];
  for (const name of WIDGET_NAMES) widgets.push(await weigh(base, widgetPath(name, name === "app" ? apps[0]! : null)));
  const check = (url: string, r: { status: number; body: string }) => {
    if (r.status !== 200 || !/<title>[^<]*: (\d+\.\d %|n < \d+|no data) · /.test(r.body)) throw new Error(`${url}: HTTP ${r.status}, not a rate badge`);
  };
  const warm: number[] = [];
  const warmUrl = `${base}/badge/${apps[0]}.svg`;
  check(warmUrl, await get(warmUrl));
  for (let i = 0; i < samples; i++) {
    const r = await get(warmUrl);
    check(warmUrl, r);
    warm.push(r.ms);
  }
  const newApp: number[] = [];
  for (const app of apps.slice(1, samples + 1)) {
    const url = `${base}/badge/${app}.svg`;
    const r = await get(url);
    check(url, r);
    newApp.push(r.ms);
  }
  const embedJs = readFileSync(join(import.meta.dirname, "..", "..", "public", "embed.js"));
  return { widgets, embedJsGzip: gzipSync(embedJs, { level: 9 }).length, badge: { warm, newApp } };
}

export function embedTableLines(r: EmbedBenchResult): string[] {
  const kb = (n: number) => (n / 1024).toFixed(1);
  const ms = (xs: number[]) => (xs.length ? `${percentile(xs, 0.5).toFixed(1)} | ${percentile(xs, 0.95).toFixed(1)}` : "– | –");
  return [
    "Widgets (default options): HTML gzipped and JavaScript (the inline height reporter, script files: none expected; budget 60 KB)\n",
    "| widget | HTML gzip KB | inline JS bytes | script files | script files gzip KB |",
    "|---|---:|---:|---:|---:|",
    ...r.widgets.map((w) => `| ${w.path} | ${kb(w.htmlGzip)} | ${w.inlineScriptBytes} | ${w.scriptFiles} | ${kb(w.scriptFileBytes)} |`),
    "",
    `embed.js (host script): ${r.embedJsGzip} bytes gzipped (budget 2,048)`,
    "",
    `Badge /badge/<app>.svg: warm = the same URL (${r.badge.warm.length} requests), new app = an app not asked for before (${r.badge.newApp.length} apps)\n`,
    "| badge | p50 ms | p95 ms |",
    "|---|---:|---:|",
    `| warm | ${ms(r.badge.warm)} |`,
    `| new app | ${ms(r.badge.newApp)} |`,
  ];
}
