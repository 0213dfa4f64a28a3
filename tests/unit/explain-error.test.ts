import { describe, expect, it } from "vitest";
import { DataCache } from "../../lib/data/cache";
import { classifySourceError, DataUnavailableError } from "../../lib/data/explain-error";

/**
 * Next.js loads the data layer once per bundle (pages, route handlers) while the data cache is
 * one per process: an error made by one bundle's classes meets another bundle's classifier.
 * Stand-ins with the same names but other classes play the other bundle.
 */
class OtherSourceError extends Error {
  constructor(readonly retryAfter: number) {
    super("The statistics source is not reachable.");
    this.name = "SourceError";
  }
}
class OtherClientResponseError extends Error {
  readonly isAbort = false;
  constructor(
    readonly status: number,
    readonly originalError: unknown,
  ) {
    super("Something went wrong.");
    this.name = `ClientResponseError ${status}`;
  }
}

describe("classifying source errors across bundles", () => {
  it("recognises the gate's and the SDK's errors by name, not by class", () => {
    expect(classifySourceError(new OtherSourceError(7))).toEqual({ message: "The statistics source is not reachable.", retryAfter: 7 });
    expect(classifySourceError(new OtherClientResponseError(0, new OtherSourceError(5)))).toEqual({ message: "The statistics source is not reachable.", retryAfter: 5 });
    expect(classifySourceError(new DataUnavailableError("down", 9))).toEqual({ message: "down", retryAfter: 9 });
    // A bug stays a bug.
    expect(classifySourceError(new TypeError("x is undefined"))).toBeNull();
  });

  it("lets the shared data cache answer 'unavailable' for another bundle's failure instead of throwing it", async () => {
    const cache = new DataCache(classifySourceError);
    const result = await cache.get("k", () => Promise.reject(new OtherClientResponseError(0, new OtherSourceError(5))));
    expect(result).toEqual({ ok: false, message: "The statistics source is not reachable.", retryAfter: 5 });
  });
});
