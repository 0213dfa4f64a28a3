/** Badge texts and colours, their SVG, the shields endpoint JSON and the builder's snippets. */
import { describe, expect, it } from "vitest";
import { badgeFor, badgeSvg, problemBadge, shieldsJson } from "../../lib/embed/badge";
import { MIN_SAMPLE, WIDGETS } from "../../lib/embed/catalog";
import { badgeSnippets, iframeSnippet, widgetUrl, type WidgetChoice } from "../../lib/embed/snippets";
import { formatCompact } from "../../lib/format";
import { parseViewState } from "../../lib/params";
import { VIEWS } from "../../lib/views";

const NOW = new Date("2026-11-22T10:00:00Z");
const view = (q: Record<string, string> = {}) => parseViewState(q, NOW, VIEWS.badge).state;

describe("formatCompact", () => {
  it("is exact below 10,000, then k and M with at most one decimal", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [9_999, "9,999"],
      [10_000, "10.0k"],
      [17_912, "17.9k"],
      [99_949, "99.9k"],
      [99_950, "100k"],
      [999_499, "999k"],
      [999_500, "1.0M"],
      [1_234_567, "1.2M"],
    ];
    for (const [n, s] of cases) expect(formatCompact(n), String(n)).toBe(s);
  });
});

describe("badgeFor", () => {
  const figures = { runs: 18_100, success: 16_682, failed: 1_218 };
  it("shows the success rate with n and the range by default", () => {
    expect(badgeFor("jellyfin", { metric: "success-rate", view: view() }, figures)).toEqual({ label: "jellyfin", message: "93.2 % · n 17.9k · 30d", color: "yellow" });
  });
  it("shows installs (every run) and the failure rate on request", () => {
    expect(badgeFor("jellyfin", { metric: "installs", view: view({ range: "7d" }) }, figures)).toEqual({ label: "jellyfin installs", message: "18.1k · 7d", color: "blue" });
    expect(badgeFor("jellyfin", { metric: "failure-rate", view: view() }, figures).message).toBe("6.8 % · n 17.9k · 30d");
    expect(badgeFor("x", { metric: "success-rate", view: view({ from: "2026-11-01", to: "2026-11-10" }) }, figures).message).toMatch(/· 2026-11-01…2026-11-10$/);
  });
  it("shows the typical install time (successful runs' median) with n, or says there is too little", () => {
    const time = (n: number, p50: number | null) => badgeFor("frigate", { metric: "install-time", view: view() }, { ...figures, installTime: { n, p50, p90: p50 } });
    expect(time(312, 1815)).toEqual({ label: "frigate install time", message: "typically 30 min · n 312 · 30d", color: "blue" });
    expect(time(40, 245).message).toBe("typically 4 min · n 40 · 30d");
    expect(time(40, 61).message).toBe("typically 61 s · n 40 · 30d");
    expect(time(9, 245)).toEqual({ label: "frigate install time", message: "n < 10 · 30d", color: "lightgrey" });
    expect(time(0, null).message).toBe("no data · 30d");
    expect(badgeFor("x", { metric: "install-time", view: view() }, figures).message).toBe("no data · 30d");
  });
  it("says no data or n < minimum instead of a rate from too few finished runs", () => {
    expect(badgeFor("x", { metric: "success-rate", view: view() }, { runs: 4, success: 0, failed: 0 })).toMatchObject({ message: "no data · 30d", color: "lightgrey" });
    const few = { runs: 30, success: MIN_SAMPLE - 2, failed: 1 };
    expect(badgeFor("x", { metric: "failure-rate", view: view() }, few)).toMatchObject({ message: `n < ${MIN_SAMPLE} · 30d`, color: "lightgrey" });
    expect(badgeFor("x", { metric: "success-rate", view: view() }, { runs: 30, success: MIN_SAMPLE, failed: 0 }).message).toBe(`100.0 % · n ${MIN_SAMPLE} · 30d`);
  });
  it("colours by the success rate, whichever rate is shown", () => {
    const colour = (success: number) => badgeFor("x", { metric: "failure-rate", view: view() }, { runs: 1000, success, failed: 1000 - success }).color;
    expect([990, 960, 920, 850, 500].map(colour)).toEqual(["brightgreen", "green", "yellow", "orange", "red"]);
  });
});

describe("badge SVG and JSON", () => {
  it("draws the text with badgen, escaped, the same bytes for the same figures, darker on dark pages", () => {
    const b = problemBadge(`a"<b>&`, "unknown app");
    const light = badgeSvg(b, "light");
    expect(light).toBe(badgeSvg(b, "light"));
    expect(light).toContain("<title>a&quot;&lt;b&gt;&amp;: unknown app</title>");
    expect(light).not.toContain("<b>");
    expect(light).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(light).toContain('fill="#555"');
    expect(badgeSvg(b, "dark")).toContain('fill="#30363d"');
  });
  it("follows the shields endpoint schema", () => {
    expect(shieldsJson({ label: "jellyfin", message: "93.2 % · n 17.9k · 30d", color: "yellow" })).toEqual({
      schemaVersion: 1,
      label: "jellyfin",
      message: "93.2 % · n 17.9k · 30d",
      color: "yellow",
    });
    expect(shieldsJson(problemBadge("x", "unknown app"), true)).toMatchObject({ color: "lightgrey", isError: true });
  });
});

describe("snippets", () => {
  const base: WidgetChoice = { widget: "app", app: "jellyfin", range: "30d", type: null, theme: "auto", transparent: false, compact: false, title: true, link: true, accent: null };
  it("leaves defaults out of the widget URL and puts the app in the path of the app widget", () => {
    expect(widgetUrl("https://stats.example", base)).toBe("https://stats.example/embed/app/jellyfin");
    expect(widgetUrl("", { ...base, widget: "failure-rate", range: "7d", theme: "dark", transparent: true, compact: true, title: false, link: false, accent: "#ff6600" })).toBe(
      "/embed/failure-rate?range=7d&app=jellyfin&theme=dark&bg=transparent&compact=1&title=0&link=0&accent=ff6600",
    );
    expect(widgetUrl("", { ...base, widget: "failing-apps", app: null, type: "vm" })).toBe("/embed/failing-apps?type=vm");
  });
  it("gives the iframe its data attribute, default height and title, plus the host script", () => {
    const s = iframeSnippet("https://stats.example", { ...base, app: `x"><script>` });
    expect(s).toContain('<iframe data-pve-telemetry src="https://stats.example/embed/app/x%22%3E%3Cscript%3E" title="x&quot;&gt;&lt;script&gt; installs');
    expect(s).toContain(`height="${WIDGETS.app.height}"`);
    expect(s).toContain('<script src="https://stats.example/embed.js" async></script>');
  });
  it("links badges to the app's page in Markdown and HTML, and wraps the JSON for shields", () => {
    const b = badgeSnippets("https://stats.example", { app: "jellyfin", range: "7d", metric: "installs", theme: "dark" });
    expect(b.markdown).toBe("[![jellyfin: installs](https://stats.example/badge/jellyfin.svg?range=7d&metric=installs&theme=dark)](https://stats.example/apps/jellyfin?range=7d)");
    expect(b.html).toBe(
      '<a href="https://stats.example/apps/jellyfin?range=7d"><img src="https://stats.example/badge/jellyfin.svg?range=7d&amp;metric=installs&amp;theme=dark" alt="jellyfin: installs"></a>',
    );
    expect(b.shields).toBe(`https://img.shields.io/endpoint?url=${encodeURIComponent("https://stats.example/badge/jellyfin.json?range=7d&metric=installs")}`);
  });
});
