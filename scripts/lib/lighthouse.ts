/**
 * Lighthouse performance scores of dashboard pages, in the system Chromium (no browser
 * download: CHROME_PATH, default /usr/bin/chromium). Lighthouse 12.8.2 is the newest release
 * that runs on Node 20 (13.x needs Node ≥ 22.19). Each page is requested once first (so no run
 * meets the server's first render of it), then run several times in one headless Chromium;
 * the median score is reported with the metrics of that median run.
 * Anything that stops Lighthouse from running becomes the reported reason, never a crash.
 */
import { accessSync, constants } from "node:fs";

export type LighthousePreset = "mobile" | "desktop";

export const LIGHTHOUSE_TARGET = 90;

const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const METRICS = [
  ["FCP", "first-contentful-paint"],
  ["LCP", "largest-contentful-paint"],
  ["TBT", "total-blocking-time"],
  ["CLS", "cumulative-layout-shift"],
  ["Speed Index", "speed-index"],
  ["TTFB", "server-response-time"],
] as const;

export interface LighthouseRow {
  page: string;
  /** Scores 0–100 of the runs that completed. */
  scores: number[];
  median: number | null;
  /** Metric name → display value, from the run with the median score. */
  metrics: Record<string, string>;
  error: string | null;
}

export interface LighthouseReport {
  preset: LighthousePreset;
  runs: number;
  chromePath: string;
  lighthouseVersion: string | null;
  browser: string | null;
  /** Lighthouse's CPU benchmark of this machine, per completed run. */
  benchmarkIndex: number[];
  rows: LighthouseRow[];
  /** Why Lighthouse could not run at all. */
  error: string | null;
}

/** Lighthouse's own display value; the server response time as plain milliseconds. */
function display(id: string, audit: { displayValue?: string; numericValue?: number } | undefined): string {
  if (!audit) return "—";
  if (id === "server-response-time" && audit.numericValue !== undefined) return `${Math.round(audit.numericValue)} ms`;
  return audit.displayValue ?? "—";
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!;

export async function runLighthouse(
  baseUrl: string,
  pages: readonly string[],
  opts: { runs: number; preset: LighthousePreset; log?: (msg: string) => void },
): Promise<LighthouseReport> {
  const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
  const report: LighthouseReport = {
    preset: opts.preset,
    runs: opts.runs,
    chromePath,
    lighthouseVersion: null,
    browser: null,
    benchmarkIndex: [],
    rows: pages.map((page) => ({ page, scores: [], median: null, metrics: {}, error: null })),
    error: null,
  };
  let chrome: { port: number; kill(): void } | null = null;
  try {
    const { default: lighthouse, desktopConfig } = await import("lighthouse");
    const { launch } = await import("chrome-launcher");
    try {
      accessSync(chromePath, constants.X_OK); // chrome-launcher would crash the process on a missing binary
    } catch {
      throw new Error(`no executable Chromium at ${chromePath} (set CHROME_PATH)`);
    }
    chrome = await launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: "silent" });
    const version = (await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json()) as { Browser?: string };
    report.browser = version.Browser ?? null;
    for (const page of pages) {
      // The server's first render of each page is not one of Lighthouse's runs.
      const res = await fetch(baseUrl + page).catch((err: unknown) => {
        throw new Error(`${baseUrl + page} does not answer: ${message(err)}`);
      });
      await res.text();
    }
    for (const row of report.rows) {
      const runs: { score: number; metrics: Record<string, string> }[] = [];
      const errors: string[] = [];
      for (let i = 0; i < opts.runs; i++) {
        try {
          const result = await lighthouse(
            baseUrl + row.page,
            { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
            opts.preset === "desktop" ? desktopConfig : undefined,
          );
          const lhr = result?.lhr;
          if (!lhr) throw new Error("Lighthouse returned no result");
          if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
          const score = lhr.categories.performance?.score;
          if (score === null || score === undefined) throw new Error("no performance score");
          report.lighthouseVersion = lhr.lighthouseVersion;
          report.benchmarkIndex.push(lhr.environment.benchmarkIndex);
          const metrics = Object.fromEntries(METRICS.map(([name, id]) => [name, display(id, lhr.audits[id])]));
          runs.push({ score: Math.round(score * 100), metrics });
        } catch (err) {
          errors.push(message(err));
        }
      }
      row.scores = runs.map((r) => r.score);
      if (runs.length > 0) {
        const sorted = [...runs].sort((a, b) => a.score - b.score);
        const mid = sorted[Math.floor((sorted.length - 1) / 2)]!; // the lower middle for an even count
        row.median = mid.score;
        row.metrics = mid.metrics;
      }
      if (errors.length > 0) row.error = `${errors.length} of ${opts.runs} runs failed: ${errors[0]}`;
      opts.log?.(`  lighthouse ${row.page}: ${row.scores.join(", ") || "no score"}`);
    }
  } catch (err) {
    report.error = message(err);
  } finally {
    chrome?.kill();
  }
  return report;
}

export function lighthouseLines(r: LighthouseReport): string[] {
  const preset =
    r.preset === "desktop"
      ? "desktop preset (no CPU slowdown, simulated fast network, 1350×940)"
      : "mobile, Lighthouse's default (simulated slow 4G and 4× CPU slowdown, Moto G Power screen)";
  const bench = r.benchmarkIndex.length ? `, CPU benchmark index ${Math.round(Math.min(...r.benchmarkIndex))}–${Math.round(Math.max(...r.benchmarkIndex))}` : "";
  const lines = [
    `Lighthouse ${r.lighthouseVersion ?? "12.8.2"} performance, ${preset}; ${r.browser ?? "Chromium"} at ${r.chromePath} (headless), ` +
      `${r.runs} runs per page, median score (metrics from the median run)${bench}`,
    "",
    `| page | scores | median score | FCP | LCP | TBT | CLS | Speed Index | TTFB | target met (≥ ${LIGHTHOUSE_TARGET}) |`,
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of r.rows) {
    const reason = r.error ?? row.error;
    if (row.median === null) {
      lines.push(`| \`${row.page}\` | — | — | — | — | — | — | — | — | ✗ Lighthouse could not run: ${(reason ?? "unknown").replace(/\|/g, "\\|")} |`);
      continue;
    }
    const m = (k: string) => row.metrics[k] ?? "—";
    const met = row.median >= LIGHTHOUSE_TARGET ? "yes" : "no";
    const note = row.error ? ` (${row.error.replace(/\|/g, "\\|")})` : "";
    lines.push(
      `| \`${row.page}\` | ${row.scores.join(", ")} | ${row.median} | ${m("FCP")} | ${m("LCP")} | ${m("TBT")} | ${m("CLS")} | ${m("Speed Index")} | ${m("TTFB")} | ${met}${note} |`,
    );
  }
  return lines;
}
