/**
 * Page metadata, descriptions, robots.txt and the sitemap, pure: what a link preview and a
 * crawler read, from given figures.
 */
import { describe, expect, it } from "vitest";
import { activeFilters, describeApp, describeOverview, rangePhrase } from "../../lib/meta/describe";
import { isPermutation, pageMetadata } from "../../lib/meta/page";
import { robotsTxt, sitemapEntries, sitemapXml } from "../../lib/meta/sitemap";
import { allTimeRange, customRange, presetRange, withRepo } from "../../lib/range";
import { allowed, parseRobots } from "../support/robots";
import { children, parseXml } from "../support/xml";

const NOW = new Date("2026-11-29T12:00:00Z");
const thirty = { preset: "30d" as const, range: presetRange("30d", NOW) };

describe("descriptions", () => {
  it("say an app's installs, success rate and n, as the issue asks", () => {
    expect(describeApp("jellyfin", { runs: 17_337, success: 15_732, failed: 1_255 }, thirty)).toMatch(/^jellyfin: 17,337 installs in 30 days, 92\.6 % succeeded \(n 16,987\)\./);
    expect(describeApp("rare", { runs: 5, success: 4, failed: 1 }, thirty)).toContain("5 installs in 30 days, too few finished for a success rate (n 5)");
    expect(describeApp("gone", { runs: 0, success: 0, failed: 0 }, thirty)).toMatch(/^gone: no installs in 30 days\./);
    expect(describeOverview({ runs: 1, success: 1, failed: 0 }, 1, thirty)).toContain("1 install of 1 app in 30 days");
  });

  it("name the range as people say it", () => {
    expect(rangePhrase({ preset: "24h", range: presetRange("24h", NOW) })).toBe("in 24 hours");
    expect(rangePhrase({ preset: "all", range: allTimeRange(NOW, "2026-09-08") })).toBe("to date");
    expect(rangePhrase({ preset: "custom", range: customRange("2026-11-16", "2026-11-22") })).toBe("in 16–22 Nov 2026");
  });

  it("name a repository other than the official one, in the description and among the folded filters", () => {
    const dev = withRepo(presetRange("30d", NOW), "dev");
    expect(rangePhrase({ preset: "30d", range: dev })).toBe("in 30 days (development repository)");
    expect(activeFilters({ preset: "30d", range: dev, q: null, type: null, os: null, minRuns: 0 })).toEqual(["30 days", "Development"]);
    expect(activeFilters({ preset: "30d", range: presetRange("30d", NOW), q: null, type: null, os: null, minRuns: 0 })).toEqual(["30 days"]);
  });
});

describe("page metadata", () => {
  const meta = (index: boolean) =>
    pageMetadata("https://stats.example.org", {
      title: "Jellyfin",
      description: "jellyfin: 3 installs",
      canonical: "/apps/jellyfin?range=7d",
      image: "/og/apps/jellyfin.png?range=7d",
      imageAlt: "alt",
      feeds: [{ path: "/apps/jellyfin/feed.xml", title: "feed" }],
      index,
    });

  it("has absolute canonical, Open Graph and Twitter URLs, the image's size and the feed", () => {
    const m = meta(true);
    expect(m.alternates?.canonical).toBe("https://stats.example.org/apps/jellyfin?range=7d");
    expect(m.openGraph).toMatchObject({
      url: "https://stats.example.org/apps/jellyfin?range=7d",
      images: [{ url: "https://stats.example.org/og/apps/jellyfin.png?range=7d", width: 1200, height: 630 }],
    });
    expect(m.twitter).toMatchObject({ card: "summary_large_image" });
    expect(m.alternates?.types).toEqual({ "application/atom+xml": [{ url: "https://stats.example.org/apps/jellyfin/feed.xml", title: "feed" }] });
    expect(m.robots).toEqual({ index: true, follow: true });
    expect(meta(false).robots).toEqual({ index: false, follow: true });
  });

  it("takes any query string for a permutation", () => {
    expect(isPermutation({})).toBe(false);
    expect(isPermutation({ range: undefined })).toBe(false);
    expect(isPermutation({ page: "2" })).toBe(true);
    expect(isPermutation(new URLSearchParams("utm_source=x"))).toBe(true);
  });
});

describe("robots.txt and the sitemap", () => {
  const active = {
    apps: new Map([
      ["zabbix", "2026-11-28"],
      ["", "2026-11-29"],
      ["docker", "2026-11-29"],
      ["a&b", "2026-11-01"],
    ]),
    codes: new Map([
      [100, "2026-11-27"],
      [1000, "2026-11-29"],
      [1, "2026-11-20"],
    ]),
    lastDay: "2026-11-29",
  };

  it("lists the lists, each named app once in order, exit codes 0–255, with their last days, as valid XML", () => {
    const xml = sitemapXml("https://stats.example.org", sitemapEntries(active, NOW));
    const root = parseXml(xml);
    expect(root.ns).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
    const urls = children(root, "url").map((u) => [children(u, "loc")[0]!.text, children(u, "lastmod")[0]?.text]);
    expect(urls).toEqual([
      ["https://stats.example.org/", "2026-11-29"],
      ["https://stats.example.org/apps", "2026-11-29"],
      ["https://stats.example.org/errors", "2026-11-29"],
      ["https://stats.example.org/os", "2026-11-29"],
      ["https://stats.example.org/regressions", "2026-11-29"],
      ["https://stats.example.org/digest", "2026-11-22"],
      ["https://stats.example.org/methodology", undefined],
      ["https://stats.example.org/api", undefined],
      ["https://stats.example.org/embed", undefined],
      ["https://stats.example.org/apps/a%26b", "2026-11-01"],
      ["https://stats.example.org/apps/docker", "2026-11-29"],
      ["https://stats.example.org/apps/zabbix", "2026-11-28"],
      ["https://stats.example.org/errors/1", "2026-11-20"],
      ["https://stats.example.org/errors/100", "2026-11-27"],
    ]);
  });

  it("robots.txt opens canonical pages and preview images, closes query strings, data and images for other sites", () => {
    const robots = parseRobots(robotsTxt("https://stats.example.org"));
    expect(robots.sitemaps).toEqual(["https://stats.example.org/sitemap.xml"]);
    for (const path of ["/", "/apps", "/apps/docker", "/errors/100", "/digest", "/feed.xml", "/embed", "/og/apps/docker.png", "/og/site.png?range=7d", "/_next/static/chunks/a.js"])
      expect(allowed(robots, path), path).toBe(true);
    for (const path of [
      "/apps?sort=runs",
      "/apps/docker?range=7d",
      "/?range=24h",
      "/digest?week=2026-11-16",
      "/api/v1/apps",
      "/embed/summary",
      "/badge/docker.svg",
      "/chart/docker.svg",
    ])
      expect(allowed(robots, path), path).toBe(false);
  });
});
