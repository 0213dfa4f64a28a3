import { describe, expect, it } from "vitest";
import { formatDaySpan } from "../../lib/format";
import { parseViewState, viewHref } from "../../lib/params";
import { VIEWS } from "../../lib/views";
import { completeWeeks, FIRST_WEEK, isComplete, isoWeek, lastCompleteWeek, neighbours, shiftWeek, weekContaining, weekRange } from "../../lib/week";
import { canonicalPage } from "../../server/front";

describe("calendar weeks (Monday–Sunday, UTC)", () => {
  it("finds the week containing any day, across months and years", () => {
    expect(weekContaining("2026-11-22")).toEqual({ monday: "2026-11-16", sunday: "2026-11-22" }); // a Sunday
    expect(weekContaining("2026-11-16")).toEqual({ monday: "2026-11-16", sunday: "2026-11-22" }); // a Monday
    expect(weekContaining("2026-12-01")).toEqual({ monday: "2026-11-30", sunday: "2026-12-06" });
    expect(weekContaining("2027-01-01")).toEqual({ monday: "2026-12-28", sunday: "2027-01-03" });
    expect(weekContaining("2028-03-01")).toEqual({ monday: "2028-02-28", sunday: "2028-03-05" }); // leap year
  });

  it("has seven whole days whatever the clocks do (UTC has no daylight saving)", () => {
    for (const monday of ["2026-03-23", "2026-03-30", "2026-10-26"]) {
      expect(weekRange(monday)).toMatchObject({ grain: "day", from: monday, length: 7, bucket: "day" });
    }
    expect(shiftWeek("2026-03-23", 1).monday).toBe("2026-03-30");
  });

  it("the last complete week is the one before the current week: a partial week is never it", () => {
    expect(lastCompleteWeek(new Date("2026-11-23T00:00:00Z"))).toEqual({ monday: "2026-11-16", sunday: "2026-11-22" }); // Monday, just after midnight
    expect(lastCompleteWeek(new Date("2026-11-22T23:59:59.999Z"))).toEqual({ monday: "2026-11-09", sunday: "2026-11-15" }); // Sunday night: this week is not over
    expect(lastCompleteWeek(new Date("2027-01-02T12:00:00Z"))).toEqual({ monday: "2026-12-21", sunday: "2026-12-27" });
    expect(isComplete("2026-11-16", new Date("2026-11-22T23:00:00Z"))).toBe(false);
    expect(isComplete("2026-11-16", new Date("2026-11-23T00:00:00Z"))).toBe(true);
  });

  it("lists the last complete weeks newest first, and the neighbours of a week", () => {
    const now = new Date("2026-11-25T10:00:00Z");
    expect(completeWeeks(now, 3).map((w) => w.monday)).toEqual(["2026-11-16", "2026-11-09", "2026-11-02"]);
    expect(neighbours("2026-11-16", now, FIRST_WEEK)).toEqual({ previous: { monday: "2026-11-09", sunday: "2026-11-15" }, next: null });
    expect(neighbours("2026-11-09", now, FIRST_WEEK).next?.monday).toBe("2026-11-16");
    expect(neighbours(FIRST_WEEK, now, FIRST_WEEK).previous).toBeNull();
    // Before the first week with data there is nothing to move to.
    expect(neighbours("2026-09-14", now, "2026-09-07").previous?.monday).toBe("2026-09-07");
    expect(neighbours("2026-09-07", now, "2026-09-07").previous).toBeNull();
  });

  it("numbers weeks as ISO 8601 does around New Year", () => {
    expect(isoWeek("2026-12-28")).toEqual({ year: 2026, week: 53 }); // 2026 starts on a Thursday: 53 weeks
    expect(isoWeek("2027-01-04")).toEqual({ year: 2027, week: 1 });
    expect(isoWeek("2024-12-30")).toEqual({ year: 2025, week: 1 }); // its Thursday is in 2025
    expect(isoWeek("2026-01-05")).toEqual({ year: 2026, week: 2 });
    expect(isoWeek("2026-11-16")).toEqual({ year: 2026, week: 47 });
  });

  it("writes a week as people do", () => {
    expect(formatDaySpan("2026-11-16", "2026-11-22")).toBe("16–22 Nov 2026");
    expect(formatDaySpan("2026-11-30", "2026-12-06")).toBe("30 Nov – 6 Dec 2026");
    expect(formatDaySpan("2026-12-28", "2027-01-03")).toBe("28 Dec 2026 – 3 Jan 2027");
  });
});

describe("the week parameter", () => {
  const NOW = new Date("2026-11-25T10:00:00Z"); // a Wednesday
  const DIGEST = VIEWS.digest;

  it("defaults to the last complete week, with the week as the range", () => {
    const { state, notes } = parseViewState({}, NOW, DIGEST);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ week: null, preset: "custom", range: { from: "2026-11-16", to: "2026-11-22", length: 7 } });
    expect(viewHref(DIGEST, "/digest", state)).toBe("/digest");
    expect(viewHref(DIGEST, "/digest", state, { week: "2026-11-09" })).toBe("/digest?week=2026-11-09");
  });

  it("keeps an explicit week, even the default one, so a link to a week stays that week", () => {
    const { state, notes } = parseViewState({ week: "2026-11-16" }, NOW, DIGEST);
    expect(notes).toEqual([]);
    expect(state.week).toBe("2026-11-16");
    expect(viewHref(DIGEST, "/digest", state)).toBe("/digest?week=2026-11-16");
    expect(canonicalPage(new URL("http://x/digest?week=2026-11-16"), NOW)).toBeNull();
    expect(canonicalPage(new URL("http://x/digest"), NOW)).toBeNull();
    expect(canonicalPage(new URL("http://x/digest?week=2026-11-16&range=7d"), NOW)).toBe("/digest?week=2026-11-16");
  });

  it("reads another day as the week containing it, with a note", () => {
    const { state, notes } = parseViewState({ week: "2026-11-04" }, NOW, DIGEST);
    expect(state).toMatchObject({ week: "2026-11-02", range: { from: "2026-11-02", to: "2026-11-08" } });
    expect(notes).toEqual(["2026-11-04 is a Wednesday: showing the week containing it, from Monday 2026-11-02."]);
  });

  it("replaces an invalid, unfinished or too early week by the default, with a note", () => {
    for (const week of ["2026-13-01", "last", "2026-11-23", "2027-01-04", "2019-06-03"]) {
      const { state, notes } = parseViewState({ week }, NOW, DIGEST);
      expect(state.week, week).toBeNull();
      expect(state.range.from, week).toBe("2026-11-16");
      expect(notes, week).toHaveLength(1);
    }
    expect(parseViewState({ week: "2026-11-23" }, NOW, DIGEST).notes[0]).toContain("not over yet");
  });

  it("names the first week with data, not the calendar's, when a week before it is asked for", () => {
    const { state, notes } = parseViewState({ week: "2019-12-30" }, NOW, DIGEST, "2026-09-08");
    expect(state.week).toBeNull();
    expect(notes).toEqual(["Ignored week=2019-12-30: the first week with data is the one from 2026-09-07; showing the last complete week."]);
    expect(parseViewState({ week: "2026-08-31" }, NOW, DIGEST, "2026-09-08").notes[0]).toContain("from 2026-09-07");
    expect(parseViewState({ week: "2026-09-07" }, NOW, DIGEST, "2026-09-08").state.week).toBe("2026-09-07");
  });

  it("is not read by other views, and named as unused by other endpoints", () => {
    expect(parseViewState({ week: "2026-11-16" }, NOW, VIEWS.apps).state).toMatchObject({ week: null, preset: "30d" });
    expect(parseViewState({ week: "2026-11-16" }, NOW, VIEWS.apiApps).notes).toEqual(["Ignored week: this endpoint does not use it."]);
    expect(parseViewState({ range: "7d" }, NOW, VIEWS.apiDigest).notes).toEqual(["Ignored range: this endpoint does not use it."]);
  });
});
