/**
 * The README chart as an image consumer and GitHub's proxy see it: well-formed SVG with a
 * title and description, no script, no event handler, no external reference; per bucket its
 * exact counts; the same figures give the same bytes; user text is escaped.
 */
import { describe, expect, it } from "vitest";
import { chartMessage, chartSvg, type ChartPoint } from "../../lib/embed/chart-svg";
import { parseChartOptions } from "../../lib/embed/options";
import { elements, selfContainedSvg } from "../support/svg";
import { children, parseXml } from "../support/xml";

const NOW = new Date("2026-11-29T12:00:00Z");
const options = (qs = "") => parseChartOptions(new URLSearchParams(qs), NOW).options;
const days = (n: number, f: (i: number) => Partial<ChartPoint> = () => ({})): ChartPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    bucket: `2026-11-${String(i + 1).padStart(2, "0")}`,
    success: 40 + i,
    failed: i % 4,
    aborted: i % 3 === 0 ? 1 : 0,
    unknown: 0,
    installing: i === n - 1 ? 2 : 0,
    ...f(i),
  }));

describe("/chart/<nsapp>.svg", () => {
  it("outcomes: a self-contained SVG whose title, description and bars carry the exact figures", () => {
    const points = days(30);
    const svg = chartSvg({ nsapp: "jellyfin", points, options: options() });
    const root = selfContainedSvg(svg);
    expect(root.attrs.role).toBe("img");
    const title = children(root, "title")[0]!.text;
    const desc = children(root, "desc")[0]!.text;
    expect(title).toBe("jellyfin: runs per day by outcome, last 30 days");
    const success = points.reduce((n, p) => n + p.success, 0);
    const failed = points.reduce((n, p) => n + p.failed, 0);
    const runs = points.reduce((n, p) => n + p.success + p.failed + p.aborted + p.unknown + p.installing, 0);
    expect(desc).toContain(`${runs.toLocaleString("en-US")} runs`);
    expect(desc).toContain(`${((success / (success + failed)) * 100).toFixed(1)} % succeeded (n ${(success + failed).toLocaleString("en-US")})`);
    const bars = elements(root).filter((e) => e.name === "g" && e.attrs["data-from"]);
    expect(bars).toHaveLength(30);
    expect(bars.map((b) => [b.attrs["data-from"], Number(b.attrs["data-success"]), Number(b.attrs["data-failed"])])).toEqual(points.map((p) => [p.bucket, p.success, p.failed]));
    expect(chartSvg({ nsapp: "jellyfin", points, options: options() })).toBe(svg);
  });

  it("failure rate: the line, the band where n ≥ 20, and each bin's failed of finished", () => {
    const points = days(30);
    const svg = chartSvg({ nsapp: "jellyfin", points, options: options("metric=failure-rate&theme=dark") });
    const root = selfContainedSvg(svg);
    expect(children(root, "title")[0]!.text).toBe("jellyfin: failure rate per day, last 30 days");
    const bins = elements(root).filter((e) => e.name === "g" && e.attrs["data-from"]);
    expect(bins.reduce((n, b) => n + Number(b.attrs["data-failed"]), 0)).toBe(points.reduce((n, p) => n + p.failed, 0));
    expect(bins.reduce((n, b) => n + Number(b.attrs["data-finished"]), 0)).toBe(points.reduce((n, p) => n + p.success + p.failed, 0));
    expect(svg).toContain('fill="#171b21"'); // the dark panel
    expect(elements(root).filter((e) => e.name === "path").length).toBeGreaterThanOrEqual(2);
  });

  it("few runs: bins are grouped for a rate, and a rate below 20 finished runs is not given", () => {
    const points = days(10, () => ({ success: 1, failed: 0, aborted: 0, installing: 0 }));
    const svg = chartSvg({ nsapp: "rare", points, options: options("metric=failure-rate") });
    selfContainedSvg(svg);
    expect(svg).toContain("too few for a failure rate");
    expect(parseXml(svg).children.find((c) => c.name === "title")!.text).toMatch(/per \d+ days/);
  });

  it("the check refuses what a proxy or an <img> would not take", () => {
    for (const bad of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.org/x.svg#p)"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
      "<svg><rect/></svg>",
    ])
      expect(() => selfContainedSvg(bad), bad).toThrow();
  });

  it("an empty range draws an empty chart, and messages escape what they quote", () => {
    selfContainedSvg(chartSvg({ nsapp: "jellyfin", points: days(30, () => ({ success: 0, failed: 0, aborted: 0, installing: 0 })), options: options() }));
    const svg = chartMessage("Bad chart option", 'Ignored metric="<script>alert(1)</script>"', "light");
    selfContainedSvg(svg);
    expect(svg).not.toContain("<script>");
  });
});
