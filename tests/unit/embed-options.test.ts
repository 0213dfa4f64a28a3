/** Widget and badge options: parsed by the one URL parser, invalid values → defaults and a note. */
import { describe, expect, it } from "vitest";
import { parseBadgeOptions, parseChartOptions, parseEmbedOptions, parseHexColor, parsePreviewOptions } from "../../lib/embed/options";

const NOW = new Date("2026-11-22T10:00:00Z");
const embed = (qs: string) => parseEmbedOptions(new URLSearchParams(qs), NOW);

describe("parseEmbedOptions", () => {
  it("gives the defaults for an empty query", () => {
    const { options, notes } = embed("");
    expect(notes).toEqual([]);
    expect(options).toMatchObject({ theme: "auto", transparent: false, compact: false, title: true, accent: null, link: true, app: null });
    expect(options.view).toMatchObject({ preset: "30d", type: null, range: { from: "2026-10-24", to: "2026-11-22" } });
  });

  it("reads every option, range and type through parseViewState", () => {
    const { options, notes } = embed("range=7d&type=vm&theme=dark&bg=transparent&compact&title=0&accent=FF6600&link=0&app=jellyfin");
    expect(notes).toEqual([]);
    expect(options).toMatchObject({ theme: "dark", transparent: true, compact: true, title: false, accent: "#ff6600", link: false, app: "jellyfin" });
    expect(options.view).toMatchObject({ preset: "7d", type: "vm" });
    expect(embed("from=2026-11-01&to=2026-11-10").options.view).toMatchObject({ preset: "custom", range: { from: "2026-11-01", to: "2026-11-10" } });
  });

  it("accepts flags as present, 1/0, true/false", () => {
    expect(embed("compact=1&title=true&link=no").options).toMatchObject({ compact: true, title: true, link: false });
    expect(embed("compact=0").options.compact).toBe(false);
  });

  it("replaces every invalid value by its default with one note each, never throwing", () => {
    const { options, notes } = embed("range=2y&type=docker&theme=purple&bg=red&compact=maybe&title=none&accent=red;}body{x:y&link=2&app=%3Cscript%3E&colour=1");
    expect(options).toMatchObject({ theme: "auto", transparent: false, compact: false, title: true, accent: null, link: true, app: null });
    expect(options.view).toMatchObject({ preset: "30d", type: null });
    expect(notes).toHaveLength(10);
    expect(notes.join("\n")).toContain('Ignored accent="red;}body{x:y"');
    expect(notes.join("\n")).toContain('Ignored unknown option "colour"');
  });

  it("names options of the page views that widgets do not take", () => {
    expect(embed("sort=-runs&page=2").notes).toEqual(['Ignored unknown option "sort".', 'Ignored unknown option "page".']);
  });
});

describe("parseHexColor (its result is written into CSS)", () => {
  it("accepts 3 or 6 hex digits with or without #, normalised to #rrggbb", () => {
    expect(parseHexColor("f60")).toBe("#ff6600");
    expect(parseHexColor("#1A2b3C")).toBe("#1a2b3c");
  });
  it("rejects everything else", () => {
    for (const bad of ["", "#", "ff66", "#ff66000", "red", "f60;", "#ff6600 ", "url(x)", "ff6600}", "#gggggg", "var(--x)"]) expect(parseHexColor(bad), bad).toBeNull();
  });
});

describe("parseBadgeOptions", () => {
  const badge = (qs: string) => parseBadgeOptions(new URLSearchParams(qs), NOW);
  it("defaults to the success rate over 30 days on a light page", () => {
    expect(badge("")).toMatchObject({ notes: [], options: { metric: "success-rate", theme: "light", view: { preset: "30d" } } });
    expect(badge("metric=installs&theme=dark&range=24h")).toMatchObject({ notes: [], options: { metric: "installs", theme: "dark", view: { preset: "24h" } } });
  });
  it("notes a bad metric, theme (auto cannot apply to an image), range or unknown option", () => {
    const { options, notes } = badge("metric=instals&theme=auto&range=1y&type=vm");
    expect(options).toMatchObject({ metric: "success-rate", theme: "light" });
    expect(notes).toHaveLength(4);
  });
});

describe("parseChartOptions and parsePreviewOptions", () => {
  it("the chart: outcomes over 30 days, light, unless asked; a bad value is a note", () => {
    const chart = (qs: string) => parseChartOptions(new URLSearchParams(qs), NOW);
    expect(chart("")).toMatchObject({ notes: [], options: { metric: "outcomes", theme: "light", view: { preset: "30d" } } });
    expect(chart("metric=failure-rate&theme=dark&from=2026-11-01&to=2026-11-07")).toMatchObject({
      notes: [],
      options: { metric: "failure-rate", theme: "dark", view: { preset: "custom", range: { from: "2026-11-01", to: "2026-11-07" } } },
    });
    expect(chart("metric=installs&app=x").notes).toEqual(['Ignored unknown option "app".', 'Ignored metric="installs": expected outcomes, failure-rate.']);
  });
  it("a preview image takes the range only", () => {
    expect(parsePreviewOptions(new URLSearchParams("range=7d"), NOW)).toMatchObject({ notes: [], state: { preset: "7d" } });
    expect(parsePreviewOptions(new URLSearchParams("theme=dark"), NOW).notes).toEqual(['Ignored unknown option "theme".']);
  });
});
