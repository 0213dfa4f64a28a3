/** Signed figures (a change against the previous period): the sign belongs to the figure shown. */
import { describe, expect, it } from "vitest";
import { formatChange, formatPoints } from "../../lib/format";

describe("signed changes", () => {
  it("a change that rounds to zero reads ±0.0, never −0.0 or +0.0", () => {
    expect(formatChange(-0.0004, true)).toBe("±0.0 %");
    expect(formatChange(0.0004, true)).toBe("±0.0 %");
    expect(formatPoints(-0.0000001)).toBe("±0.0 pp");
    expect(formatPoints(0)).toBe("±0.0 pp");
  });
  it("other changes keep their sign (a typographic minus)", () => {
    expect(formatChange(-0.0006, true)).toBe("−0.1 %");
    expect(formatChange(0.123, true)).toBe("+12.3 %");
    expect(formatPoints(-0.004)).toBe("−0.4 pp");
    expect(formatPoints(0.012)).toBe("+1.2 pp");
  });
  it("no previous period, no figure", () => {
    expect(formatChange(0.5, false)).toBe("new");
    expect(formatChange(null, true)).toBe("");
    expect(formatPoints(null)).toBe("–");
  });
});
