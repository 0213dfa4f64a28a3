/**
 * Preview images render offline with the font next/og bundles: no request leaves the process
 * (satori fetches a fallback font for glyphs its fonts lack), and each is a valid PNG of
 * 1200 × 630 under 100 KB — also with a long name, a hundred bars and every exit-code message.
 */
import { ImageResponse } from "next/og";
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APPS } from "../../lib/reference/apps";
import { EXIT_CODES } from "../../lib/reference/exit-codes";
import { OG_SIZE, OgImage, ogText, type OgCard } from "../../lib/og/card";
import { appCard, codeCard, siteCard, successFigure } from "../../lib/og/cards";
import { customRange, presetRange } from "../../lib/range";
import { decodePng } from "../support/png";

const NOW = new Date("2026-11-29T12:00:00Z");
const state = { preset: "30d" as const, range: presetRange("30d", NOW) };
const points = (n: number) => Array.from({ length: n }, (_, i) => ({ success: 500 + ((i * 37) % 200), failed: 20 + ((i * 13) % 40), aborted: 5, other: i % 3 }));

let requests: string[] = [];
const realFetch = globalThis.fetch;
beforeEach(() => {
  requests = [];
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    // next/og loads its own WebAssembly from data: URLs; anything else would be the network.
    if (!url.startsWith("data:")) {
      requests.push(url);
      return Promise.reject(new Error("offline"));
    }
    return realFetch(input, init);
  };
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

async function render(card: OgCard): Promise<Buffer> {
  const res = new ImageResponse(createElement(OgImage, { card }), OG_SIZE);
  expect(res.headers.get("content-type")).toBe("image/png");
  return Buffer.from(await res.arrayBuffer());
}

describe("preview images", () => {
  it("an app's, the site's and an exit code's are PNGs of 1200 × 630 under 100 KB, drawn without the network", async () => {
    const cards = [
      appCard("jellyfin", "Jellyfin", ["lxc"], { runs: 17_337, success: 15_732, failed: 1_255 }, points(30), "day", state),
      siteCard({ runs: 612_345, success: 560_000, failed: 30_000 }, 612, points(120), "day", { preset: "custom", range: customRange("2026-08-01", "2026-11-28") }),
      codeCard(100, "APT: Package manager error (broken packages / dependency problems)", { failed: 1_234, aborted: 56, appCount: 78 }, [3, 0, 5, 9, 2], "hour", state),
      appCard(
        "a-very-long-app-name-with-many-words",
        "A Very Long Application Name That Goes On And On",
        ["lxc", "vm"],
        { runs: 3, success: 2, failed: 1 },
        points(1),
        "month",
        state,
      ),
    ];
    for (const card of cards) {
      const png = await render(card);
      expect(decodePng(png)).toMatchObject({ width: 1200, height: 630 });
      expect(png.length, card.title).toBeLessThanOrEqual(100_000);
    }
    expect(requests).toEqual([]);
  });

  it("every character of the exit codes' messages and the apps' names renders without a fallback font", async () => {
    const chars = [...new Set([...EXIT_CODES.map((c) => c.message), ...APPS.map((a) => a.name ?? a.nsapp)].join(""))].sort().join("");
    for (let i = 0; i < chars.length; i += 60) {
      const png = await render(codeCard(1, chars.slice(i, i + 60), { failed: 1, aborted: 0, appCount: 1 }, [1], "day", state));
      expect(decodePng(png).width).toBe(1200);
    }
    expect(requests).toEqual([]);
  });

  it("text outside the bundled font's characters is replaced, not fetched", () => {
    expect(ogText("jellyfin · 92.6 % – ok…")).toBe("jellyfin · 92.6 % – ok…");
    expect(ogText("日本語 app 🚀")).toBe("??? app ??");
  });

  it("a rate needs 20 finished runs, and says its n", () => {
    expect(successFigure({ runs: 30, success: 18, failed: 1 })).toEqual({ value: "–", label: "success rate · n 19 (< 20)" });
    expect(successFigure({ runs: 40, success: 37, failed: 3 })).toEqual({ value: "92.5 %", label: "succeeded · n 40" });
  });
});
