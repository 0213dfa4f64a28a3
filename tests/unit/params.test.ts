import { describe, expect, it } from "vitest";
import { MAX_LIST_ROWS, needsFirstDay, pageCount, parseViewState, viewHref } from "../../lib/params";
import { VIEWS } from "../../lib/views";
import { canonicalPage } from "../../server/front";

const NOW = new Date("2026-11-22T10:00:00Z");
const APPS = VIEWS.apps;

describe("parseViewState", () => {
  it("gives the view's defaults for an empty query", () => {
    const { state, notes } = parseViewState({}, NOW, APPS);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({
      preset: "30d",
      range: { grain: "day", from: "2026-10-24", to: "2026-11-22", length: 30, bucket: "day" },
      type: null,
      minRuns: 20,
      sort: "-failure_low",
      page: 1,
      pageSize: 25,
      aborts: false,
    });
  });

  it("reads every parameter of the view from URLSearchParams and from Next's searchParams objects", () => {
    const qs = "range=7d&type=vm&os=debian&q=docker&min=50&sort=-failed&page=3&size=50";
    const a = parseViewState(new URLSearchParams(qs), NOW, APPS);
    const b = parseViewState(Object.fromEntries(new URLSearchParams(qs)), NOW, APPS);
    expect(a).toEqual(b);
    expect(a.notes).toEqual([]);
    expect(a.state).toMatchObject({ preset: "7d", type: "vm", os: "debian", q: "docker", minRuns: 50, sort: "-failed", page: 3, pageSize: 50 });
  });

  it("replaces each invalid value by its default with a note, never throwing", () => {
    const { state, notes } = parseViewState({ range: "2y", type: "docker", os: "deb ian", min: "-3", sort: "evil;drop", page: "0", size: "7", q: "x".repeat(100) }, NOW, APPS);
    expect(state).toMatchObject({ preset: "30d", type: null, os: null, q: null, minRuns: 20, sort: "-failure_low", page: 1, pageSize: 25 });
    expect(notes).toHaveLength(8);
    expect(notes.join(" ")).toContain('range="2y"');
  });

  it("ignores parameters a page does not read, and names them on API endpoints", () => {
    expect(parseViewState({ type: "vm", outcome: "failed", utm_source: "x" }, NOW, VIEWS.overview)).toMatchObject({ notes: [], state: { type: null, outcome: null } });
    const api = parseViewState({ type: "pve", os: "debian", utm_source: "x" }, NOW, VIEWS.apiSummary);
    expect(api.state.type).toBe("pve");
    expect(api.notes).toEqual(["Ignored os: this endpoint does not use it.", "Ignored utm_source: not a parameter of this endpoint."]);
  });

  it("reads the 24-hour preset as the current hour and the 23 before it", () => {
    const { state, notes } = parseViewState({ range: "24h" }, NOW, APPS);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ preset: "24h", range: { grain: "hour", from: "2026-11-21 11", to: "2026-11-22 10", length: 24, bucket: "hour" } });
    expect(viewHref(APPS, "/apps", state)).toBe("/apps?range=24h");
  });

  it("sums long ranges into weeks and months", () => {
    expect(parseViewState({ range: "365d" }, NOW, APPS).state.range.bucket).toBe("week");
    // All time starts on the first day with data, and its points follow its length.
    expect(parseViewState({ range: "all" }, NOW, APPS, "2026-09-08").state.range).toMatchObject({ from: "2026-09-08", to: "2026-11-22", length: 76, bucket: "day" });
    expect(parseViewState({ range: "all" }, NOW, APPS, "2025-06-01").state.range).toMatchObject({ from: "2025-06-01", bucket: "week" });
    expect(parseViewState({ range: "all" }, NOW, APPS, null).state.range).toMatchObject({ from: "2026-11-22", to: "2026-11-22" });
    expect(parseViewState({ from: "2024-01-01", to: "2026-11-01" }, NOW, APPS).state.range.bucket).toBe("month");
  });

  it("accepts a custom range and rejects impossible ones", () => {
    expect(parseViewState({ from: "2026-01-01", to: "2026-01-31" }, NOW, APPS).state).toMatchObject({
      preset: "custom",
      range: { grain: "day", from: "2026-01-01", to: "2026-01-31", length: 31 },
    });
    for (const bad of [
      { from: "2026-02-30", to: "2026-03-01" },
      { from: "2026-05-01", to: "2026-04-01" },
      { from: "2026-11-01", to: "2027-01-01" },
      { from: "1999-01-01" },
      { from: "yesterday" },
    ]) {
      const { state, notes } = parseViewState(bad, NOW, APPS);
      expect(state.preset).toBe("30d");
      expect(notes).toHaveLength(1);
    }
  });

  it("takes the first value of a repeated parameter", () => {
    expect(parseViewState({ type: ["vm", "lxc"] }, NOW, APPS).state.type).toBe("vm");
  });
});

describe("needsFirstDay: which requests wait for the first day with data", () => {
  it("is all time and the digest's weeks only; every other parse is the same without it", () => {
    expect(needsFirstDay({ range: "all" }, APPS)).toBe(true);
    expect(needsFirstDay({}, VIEWS.digest)).toBe(true);
    expect(needsFirstDay({ range: "all" }, VIEWS.methodology)).toBe(false);
    for (const raw of [{}, { range: "7d" }, { range: "bogus" }, { range: "all", from: "2026-10-01", to: "2026-10-05" }, { from: "2026-10-01" }]) {
      if (needsFirstDay(raw, APPS)) continue;
      expect(parseViewState(raw, NOW, APPS, null).state.range, JSON.stringify(raw)).toEqual(parseViewState(raw, NOW, APPS, "2026-09-08").state.range);
    }
    expect(parseViewState({ range: "all" }, NOW, APPS, null).state.range).not.toEqual(parseViewState({ range: "all" }, NOW, APPS, "2026-09-08").state.range);
  });
});

describe("viewHref and canonical URLs", () => {
  it("round-trips through the parser and omits defaults", () => {
    const { state } = parseViewState({ range: "90d", type: "lxc", min: "50", sort: "-failed" }, NOW, APPS);
    const href = viewHref(APPS, "/apps", state, { page: 2 });
    expect(href).toBe("/apps?range=90d&type=lxc&min=50&sort=-failed&page=2");
    const again = parseViewState(new URLSearchParams(href.split("?")[1]), NOW, APPS).state;
    expect(again).toEqual({ ...state, page: 2 });
    expect(viewHref(APPS, "/apps", parseViewState({}, NOW, APPS).state)).toBe("/apps");
  });

  it("writes only the target view's parameters", () => {
    const { state } = parseViewState({ range: "7d", type: "vm", sort: "-runs" }, NOW, APPS);
    expect(viewHref(VIEWS.app, "/apps/docker", state)).toBe("/apps/docker?range=7d");
    expect(viewHref(VIEWS.os, "/os", state)).toBe("/os?range=7d&type=vm"); // -runs is the OS page's default sort
  });

  it("redirects other spellings of a page view to one URL, and leaves invalid values to the page's note", () => {
    const canon = (u: string) => canonicalPage(new URL(u, "http://x"), NOW);
    expect(canon("/apps?type=vm&range=7d")).toBe("/apps?range=7d&type=vm");
    expect(canon("/apps?range=30d&min=20&page=1")).toBe("/apps");
    expect(canon("/?utm_source=x")).toBe("/");
    expect(canon("/apps?range=7d&type=vm")).toBeNull();
    expect(canon("/apps?range=forever")).toBeNull();
    expect(canon("/embed?widget=x")).toBeNull();
  });
});

describe("pageCount: the one paging rule", () => {
  it("offers every row up to MAX_LIST_ROWS, and always one page", () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(pageCount(MAX_LIST_ROWS, 100)).toBe(MAX_LIST_ROWS / 100);
    // 6,042 docker runs at 50 a page are 121 pages of rows, of which the first 100 are served.
    expect(pageCount(6042, 50)).toBe(MAX_LIST_ROWS / 50);
    expect(pageCount(6042, 10)).toBe(MAX_LIST_ROWS / 10);
  });
});
