/** The widget document and its charts: one static script allowed by its hash, escaping, themes, SVG geometry. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { binSeries, horizontalBars, rateBinSize, rateLine, sparkline, stackedBars } from "../../lib/embed/charts";
import { PALETTE, renderMessage, renderWidget, type Presentation } from "../../lib/embed/document";
import { html, htmlText } from "../../lib/embed/html";
import { HEIGHT_MESSAGE, MEASURE_MESSAGE, REPORTER_CSP_SOURCE, REPORTER_SCRIPT } from "../../lib/embed/reporter";

const P: Presentation = { theme: "auto", transparent: false, compact: false, title: true, accent: null, link: true };
const doc = (p: Partial<Presentation> = {}, notes: string[] = []) =>
  renderWidget({ title: "Install runs", rangeLabel: "last 30 days", body: html`<p>body</p>`, href: "/?range=7d", notes }, { ...P, ...p });

describe("widget document", () => {
  it("carries exactly one script, inline, whose hash is the exported CSP source, and no event handler attribute", () => {
    const out = doc();
    const scripts = [...out.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toBe("");
    const hash = `'sha256-${createHash("sha256").update(scripts[0]![2]!).digest("base64")}'`;
    expect(hash).toBe(REPORTER_CSP_SOURCE);
    expect(scripts[0]![2]).toBe(REPORTER_SCRIPT);
    expect(REPORTER_SCRIPT).toContain(`type:"${HEIGHT_MESSAGE}"`);
    expect(out).not.toMatch(/\son[a-z]+\s*=/i);
    expect(out.startsWith("<!doctype html>")).toBe(true);
  });

  it("escapes notes, which quote the visitor's query", () => {
    const out = doc({}, ['Ignored theme="</style><script>alert(1)</script>": expected light, dark, auto.']);
    expect(out.match(/<script>/g)).toHaveLength(1);
    expect(out).toContain('role="note">Ignored theme=&quot;&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
  });

  it("links to the dashboard in a new tab unless link=0, and keeps the title for screen readers when hidden", () => {
    expect(doc()).toContain('<a class="open" href="/?range=7d" target="_blank" rel="noopener">');
    expect(doc({ link: false })).not.toContain("<a ");
    expect(doc({ title: false })).toContain('<h1 class="sr-only">Install runs');
    expect(renderMessage("Unknown app", 'No app named "x".', P)).not.toContain("<a ");
  });

  it("applies theme, background, compact and a validated accent", () => {
    expect(doc()).toContain('<html lang="en" class="">');
    expect(doc({ theme: "dark", transparent: true, compact: true })).toContain('<html lang="en" class="theme-dark bg-transparent compact">');
    expect(doc({ accent: "#ff6600" })).toContain(":root{--chart:#ff6600}");
    // A value that skipped the parser still cannot reach the CSS.
    expect(doc({ accent: "red}body{display:none" })).not.toContain("display:none");
  });

  it("uses the site's palette (app/globals.css)", () => {
    const css = readFileSync(new URL("../../app/globals.css", import.meta.url), "utf8");
    for (const [name, [light, dark]] of Object.entries(PALETTE)) expect(css, name).toContain(`--${name}: light-dark(${light}, ${dark});`);
  });
});

describe("public/embed.js", () => {
  it("stays within 2 KB gzipped, needs no other script and checks the sender", () => {
    const js = readFileSync(new URL("../../public/embed.js", import.meta.url));
    const size = gzipSync(js, { level: 9 }).length;
    console.log(`embed.js: ${js.length} bytes, ${size} bytes gzipped`);
    expect(size).toBeLessThanOrEqual(2048);
    const text = js.toString();
    expect(text).not.toMatch(/\b(import|require)\b/);
    expect(text).toContain("event.source");
    expect(text).toContain("event.origin");
    expect(text).toContain(`"${HEIGHT_MESSAGE}"`);
    expect(text).toContain(`"${MEASURE_MESSAGE}"`);
  });
});

describe("charts", () => {
  const series = (values: number[][]) => values.map(([success, failed], i) => ({ bucket: `2026-11-${String(i + 1).padStart(2, "0")}`, success: success!, failed: failed! }));

  it("bins consecutive buckets by summing their counts; the last bin may be shorter", () => {
    const bins = binSeries(
      series([
        [1, 0],
        [2, 1],
        [3, 0],
        [4, 2],
        [5, 0],
      ]),
      ["success", "failed"] as const,
      2,
    );
    expect(bins.map((b) => [b.from, b.to, b.counts.success, b.counts.failed])).toEqual([
      ["2026-11-01", "2026-11-02", 3, 1],
      ["2026-11-03", "2026-11-04", 7, 2],
      ["2026-11-05", "2026-11-05", 5, 0],
    ]);
    expect(binSeries(series(Array.from({ length: 365 }, () => [1, 0])), ["success"] as const).length).toBeLessThanOrEqual(120);
  });

  it("widens rate bins until an average bin has the minimum sample, keeping at least 5 bins", () => {
    expect(rateBinSize(new Array(30).fill(100), 20)).toBe(1);
    expect(rateBinSize(new Array(30).fill(4), 20)).toBe(5);
    expect(rateBinSize(new Array(30).fill(1), 20)).toBe(6); // would need 20, capped at 30 / 5
    expect(rateBinSize(new Array(30).fill(0), 20)).toBe(1);
  });

  it("draws the interval band only where n reaches the minimum, and leaves gaps without finished runs", () => {
    const pts = (ns: number[]) => ns.map((n, i) => ({ from: `d${i}`, to: `d${i}`, k: Math.floor(n / 10), n }));
    const band = (h: string) => h.match(/fill-opacity="0.18"/g)?.length ?? 0;
    expect(band(htmlText(rateLine(pts([5, 5, 5]), "x", 20)))).toBe(0);
    const mixed = htmlText(rateLine(pts([50, 50, 5, 50, 50]), "x", 20));
    expect(band(mixed)).toBe(1);
    // Two separate band polygons (before and after the small bin) in one path.
    expect(mixed.match(/<path d="M[^"]*Z[^"]*Z"[^>]*fill-opacity/)).not.toBeNull();
    const gap = htmlText(rateLine(pts([50, 0, 50]), "x", 20));
    expect(gap.match(/stroke-width="4"/g)).toHaveLength(2); // two lone points, no line through the gap
    expect(htmlText(sparkline([1, null, 2, 3], "x")).match(/<path /g)).toHaveLength(2);
  });

  it("stacks bars to the bin's total, scaled to the highest total", () => {
    const bins = binSeries(
      series([
        [30, 10],
        [15, 5],
      ]),
      ["success", "failed"] as const,
      1,
    );
    const out = htmlText(
      stackedBars(
        bins,
        [
          { key: "success", label: "S", color: "var(--success)" },
          { key: "failed", label: "F", color: "var(--failed)" },
        ],
        "chart",
        100,
      ),
    );
    // Bin 0 is the tallest (40): success from 100 down to 25, failed from 25 to 0; bin 1 (20) reaches 50.
    expect(out).toContain('<path d="M0.1,100V25H0.9V100ZM1.1,100V62.5H1.9V100Z" fill="var(--success)"/>');
    expect(out).toContain('<path d="M0.1,25V0H0.9V25ZM1.1,62.5V50H1.9V62.5Z" fill="var(--failed)"/>');
    expect(out).toContain('aria-label="chart"');
  });

  it("clamps bar widths to the track", () => {
    const out = htmlText(
      horizontalBars(
        [
          { label: "a", value: "1", share: 1.7 },
          { label: "b", value: "2", share: -1 },
        ],
        "bars",
      ),
    );
    expect(out).toContain('<rect width="100" height="6" rx="1" fill="var(--chart)"/>');
    expect(out).toContain('<rect width="0" height="6" rx="1" fill="var(--chart)"/>');
  });
});
