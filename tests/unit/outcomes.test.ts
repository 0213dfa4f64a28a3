import { describe, expect, it } from "vitest";
import { outcomeOf, storedOutcome, STATUS_OUTCOME } from "../../lib/outcomes";
import { successRate } from "../../lib/data/queries/counts";

describe("status → outcome", () => {
  it("counts every spelling of success as one outcome", () => {
    expect(["sucess", "success", "done"].map(storedOutcome)).toEqual(["success", "success", "success"]);
  });
  it("keeps aborted apart from failed, and anything unrecognised unknown", () => {
    expect(storedOutcome("aborted")).toBe("aborted");
    expect(storedOutcome("failed")).toBe("failed");
    expect(storedOutcome("weird")).toBe("unknown");
    expect(storedOutcome(null)).toBe("unknown");
    expect(storedOutcome("")).toBe("unknown");
  });
  it("splits installing into running and unfinished at the threshold", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(outcomeOf("installing", "2026-11-22 11:30:00.000Z", now)).toBe("running");
    expect(outcomeOf("installing", "2026-11-22 11:00:00.000Z", now)).toBe("running");
    expect(outcomeOf("installing", "2026-11-22 10:59:59.999Z", now)).toBe("unfinished");
    expect(outcomeOf("installing", "2026-11-22 11:50:00.000Z", now, 5 * 60_000)).toBe("unfinished");
    expect(outcomeOf("sucess", "2026-01-01 00:00:00.000Z", now)).toBe("success");
  });
  it("maps only to stored outcomes", () => {
    expect(new Set(Object.values(STATUS_OUTCOME))).toEqual(new Set(["success", "failed", "aborted", "unknown", "installing"]));
  });
});

describe("success rate", () => {
  it("is successes over runs with a verdict, null without any", () => {
    expect(successRate({ success: 98, failed: 2 })).toBe(0.98);
    expect(successRate({ success: 0, failed: 0 })).toBeNull();
    expect(successRate({ success: 0, failed: 3 })).toBe(0);
  });
});
