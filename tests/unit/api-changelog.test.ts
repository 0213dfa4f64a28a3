import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_CHANGELOG, changelogMarkdown } from "../../lib/api-changelog";

describe("API changelog", () => {
  it("docs/API-CHANGELOG.md is written from lib/api-changelog.ts (run npm run gen:api-changelog)", () => {
    expect(readFileSync(new URL("../../docs/API-CHANGELOG.md", import.meta.url), "utf8")).toBe(changelogMarkdown());
  });
  it("lists releases newest first, each with balanced `code` quotes", () => {
    const dates = API_CHANGELOG.map((r) => r.date);
    expect(dates).toEqual([...dates].sort().reverse());
    for (const c of API_CHANGELOG.flatMap((r) => r.changes)) expect(c.text.split("`").length % 2, c.title).toBe(1);
  });
});
