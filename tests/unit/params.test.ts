import { describe, expect, it } from "vitest";
import { parseViewState, viewHref } from "../../lib/params";

const NOW = new Date("2026-11-22T10:00:00Z");
const APPS = { sortKeys: ["runs", "failed", "failure_rate", "failure_low", "nsapp"], defaultSort: "-failure_low" };

describe("parseViewState", () => {
  it("gives defaults for an empty query", () => {
    const { state, notes } = parseViewState({}, NOW, APPS);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ preset: "30d", range: { grain: "day", from: "2026-10-24", to: "2026-11-22", length: 30 }, type: null, minRuns: 0, sort: "-failure_low", page: 1, pageSize: 25 });
  });

  it("reads every parameter from URLSearchParams and from Next's searchParams objects", () => {
    const qs = "range=7d&type=vm&os=debian&q=docker&outcome=aborted&min=50&sort=-failed&page=3&size=50";
    const a = parseViewState(new URLSearchParams(qs), NOW, APPS);
    const b = parseViewState(Object.fromEntries(new URLSearchParams(qs)), NOW, APPS);
    expect(a).toEqual(b);
    expect(a.notes).toEqual([]);
    expect(a.state).toMatchObject({ preset: "7d", type: "vm", os: "debian", q: "docker", outcome: "aborted", minRuns: 50, sort: "-failed", page: 3, pageSize: 50 });
  });

  it("replaces each invalid value by its default with a note, never throwing", () => {
    const { state, notes } = parseViewState(
      { range: "2y", type: "docker", os: "deb ian", min: "-3", sort: "evil;drop", page: "0", size: "7", q: "x".repeat(100) },
      NOW,
      APPS,
    );
    expect(state).toMatchObject({ preset: "30d", type: null, os: null, q: null, minRuns: 0, sort: "-failure_low", page: 1, pageSize: 25 });
    expect(notes).toHaveLength(8);
    expect(notes.join(" ")).toContain('range="2y"');
  });

  it("reads the 24-hour preset as the current hour and the 23 before it", () => {
    const { state, notes } = parseViewState({ range: "24h" }, NOW);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ preset: "24h", range: { grain: "hour", from: "2026-11-21 11", to: "2026-11-22 10", length: 24 } });
    expect(viewHref("/apps", state)).toBe("/apps?range=24h");
  });

  it("accepts a custom range and rejects impossible ones", () => {
    expect(parseViewState({ from: "2026-01-01", to: "2026-01-31" }, NOW).state).toMatchObject({ preset: "custom", range: { grain: "day", from: "2026-01-01", to: "2026-01-31", length: 31 } });
    for (const bad of [{ from: "2026-02-30", to: "2026-03-01" }, { from: "2026-05-01", to: "2026-04-01" }, { from: "2026-11-01", to: "2027-01-01" }, { from: "1999-01-01" }, { from: "yesterday" }]) {
      const { state, notes } = parseViewState(bad, NOW);
      expect(state.preset).toBe("30d");
      expect(notes).toHaveLength(1);
    }
  });

  it("takes the first value of a repeated parameter", () => {
    expect(parseViewState({ type: ["vm", "lxc"] }, NOW).state.type).toBe("vm");
  });
});

describe("viewHref", () => {
  it("round-trips through the parser and omits defaults", () => {
    const { state } = parseViewState({ range: "90d", type: "lxc", min: "50", sort: "-failed" }, NOW, APPS);
    const href = viewHref("/apps", state, { page: 2 }, APPS);
    expect(href).toBe("/apps?range=90d&type=lxc&min=50&sort=-failed&page=2");
    const again = parseViewState(new URLSearchParams(href.split("?")[1]), NOW, APPS).state;
    expect(again).toEqual({ ...state, page: 2 });
    expect(viewHref("/apps", parseViewState({}, NOW, APPS).state, {}, APPS)).toBe("/apps");
  });
});
