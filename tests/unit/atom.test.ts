/** The Atom feeds' documents (lib/feeds): well-formed XML, the elements RFC 4287 requires, every value escaped, stable ids. */
import { describe, expect, it } from "vitest";
import { atomXml, escapeXml, type AtomFeed } from "../../lib/feeds/atom";
import { appWeekEntries, digestEntry, incidentEntry, regressionEntry, type FeedContext } from "../../lib/feeds/entries";
import { configuredOrigin } from "../../lib/config";
import { publicOrigin } from "../../lib/http/origin";
import { weekDigest } from "../../lib/insights/digest";
import type { Incident } from "../../lib/insights/find-incidents";
import type { Regression } from "../../lib/insights/find-regressions";
import { child, children, parseXml, type XmlElement } from "../support/xml";

const ATOM = "http://www.w3.org/2005/Atom";
const CTX: FeedContext = { origin: "https://stats.example.org", now: new Date("2026-11-25T10:00:00Z"), repo: "official" };
const HOSTILE = `evil"'<x>&amp;]]></title><script>alert(1)</script>\u0001\ud800`;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function regression(nsapp: string, start: string, end: string | null): Regression {
  return {
    nsapp,
    start,
    end,
    last: end ?? "2026-11-25 09",
    failed: 40,
    decided: 120,
    rate: 1 / 3,
    baseline_rate: 0.01,
    baseline_failed: 10,
    baseline_decided: 1000,
    peak_rate: 0.5,
    peak_bucket: start,
    expected_failures: 1.2,
    excess_failures: 38.8,
    q_value: 1e-9,
    described: true,
    exit_codes: [{ exit_code: 100, category: "dependency", failed: 30, expected: 0.5, excess: 29.5 }],
    environment: [],
    causes: [{ dimension: "pve", key: "9.2", sentence: "Fails 9× more often on PVE 9.2: 31 % vs 3.4 %", failed: 30, rate: 0.31, other_rate: 0.034, ratio: 9, p_adjusted: 1e-6 }],
    failing_command: null,
    incident: null,
  };
}

const INCIDENT: Incident = {
  exit_code: 22,
  category: "network",
  label: "HTTP error",
  start: "2026-11-24 14",
  end: "2026-11-24 18",
  last: "2026-11-24 18",
  failed: 60,
  expected_failures: 2,
  excess_failures: 58,
  rate: 0.05,
  baseline_rate: 0.001,
  q_value: 1e-9,
  other_exit_codes: [],
  apps: [{ nsapp: HOSTILE, failed: 10, expected_failures: 0.2, excess_failures: 9.8, p_value: 1e-6 }],
};

const WEEK = { monday: "2026-11-16", sunday: "2026-11-22" };
const DIGEST = weekDigest(WEEK.sunday, [{ nsapp: HOSTILE, previous: { runs: 200, failed: 2, decided: 200 }, current: { runs: 200, failed: 60, decided: 200 } }], [], [INCIDENT]);

function feed(entries: AtomFeed["entries"]): AtomFeed {
  return {
    id: "tag:stats.example.org,2026:feed",
    title: `Feed of ${HOSTILE}`,
    subtitle: "s",
    self: "https://stats.example.org/feed.xml",
    alternate: "https://stats.example.org/digest",
    author: { name: "A", uri: "https://stats.example.org" },
    emptyUpdated: "2026-11-23T00:00:00Z",
    entries,
  };
}

const text = (el: XmlElement, name: string) => child(el, name).text;

describe("escapeXml", () => {
  it("escapes markup and replaces characters XML cannot carry", () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e&apos;f");
    expect(escapeXml("x\u0000y\u001fz\ufffe")).toBe("x\ufffdy\ufffdz\ufffd");
    expect(escapeXml("lone \ud800 and \udc00, pair \ud83d\ude00")).toBe("lone \ufffd and \ufffd, pair \ud83d\ude00");
    expect(escapeXml("tab\tnewline\ncr\r")).toBe("tab\tnewline\ncr\r");
  });
});

describe("atomXml", () => {
  const entries = [regressionEntry(CTX, regression(HOSTILE, "2026-11-10", "2026-11-14")), incidentEntry(CTX, INCIDENT), digestEntry(CTX, { week: WEEK, digest: DIGEST })];
  const xml = atomXml(feed(entries));
  const doc = parseXml(xml);

  it("is well-formed Atom with the feed's required elements", () => {
    expect(doc).toMatchObject({ name: "feed", ns: ATOM });
    expect(text(doc, "id")).toBe("tag:stats.example.org,2026:feed");
    expect(text(doc, "updated")).toMatch(RFC3339);
    expect(children(doc, "link").map((l) => [l.attrs.rel, l.attrs.href])).toEqual([
      ["self", "https://stats.example.org/feed.xml"],
      ["alternate", "https://stats.example.org/digest"],
    ]);
    expect(text(child(doc, "author"), "name")).toBe("A");
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  });

  it("gives every entry an id, title, updated, link and summary; the feed's updated is the newest entry's", () => {
    const got = children(doc, "entry");
    expect(got).toHaveLength(3);
    for (const e of got) {
      expect(text(e, "id")).toMatch(/^tag:stats\.example\.org,2026:/);
      expect(text(e, "title").length).toBeGreaterThan(0);
      expect(text(e, "updated")).toMatch(RFC3339);
      expect(child(e, "link").attrs.href).toMatch(/^https:\/\/stats\.example\.org\//);
      expect(text(e, "summary").length).toBeGreaterThan(0);
    }
    expect(text(doc, "updated")).toBe(
      got
        .map((e) => text(e, "updated"))
        .sort()
        .at(-1),
    );
    expect(atomXml(feed([]))).toContain("<updated>2026-11-23T00:00:00Z</updated>");
  });

  it("carries hostile app names as text: nothing they contain becomes markup", () => {
    const title = text(doc, "title");
    expect(title).toBe(`Feed of evil"'<x>&amp;]]></title><script>alert(1)</script>\ufffd\ufffd`);
    const [reg, inc, dig] = children(doc, "entry") as [XmlElement, XmlElement, XmlElement];
    expect(text(reg, "title")).toContain(`evil"'<x>&amp;`);
    expect(child(reg, "link").attrs.href).toBe(
      `https://stats.example.org/apps/${encodeURIComponent(`evil"'<x>&amp;]]></title><script>alert(1)</script>\u0001\ufffd`)}?from=2026-11-03&to=2026-11-21`,
    );
    expect(text(inc, "summary")).toContain("<script>alert(1)</script>");
    // The digest's HTML content: the name escaped inside it, so a reader shows it as text.
    const html = text(dig, "content");
    expect(child(dig, "content").attrs.type).toBe("html");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("entries", () => {
  it("a regression keeps its id when its start moves from an hour to its day", () => {
    expect(regressionEntry(CTX, regression("jellyfin", "2026-11-24 14", null)).id).toBe(regressionEntry(CTX, regression("jellyfin", "2026-11-24", "2026-11-25")).id);
    expect(regressionEntry(CTX, regression("jellyfin", "2026-11-24 14", null)).id).toBe("tag:stats.example.org,2026:regression/jellyfin/2026-11-24");
  });

  it("an open regression is updated at its last bucket's end, never later than now; links show a week around it", () => {
    const open = regressionEntry(CTX, regression("immich", "2026-11-22", null));
    expect(open.updated).toBe("2026-11-25T10:00:00Z");
    expect(open.title).toContain("still open");
    expect(open.link).toBe("https://stats.example.org/apps/immich?from=2026-11-15&to=2026-11-25");
    expect(open.summary).toContain("Exit codes that rose: 100");
    expect(open.summary).toContain("Fails 9× more often on PVE 9.2");
  });

  it("an incident links to its exit code over its days; a digest to its week", () => {
    expect(incidentEntry(CTX, INCIDENT)).toMatchObject({
      id: "tag:stats.example.org,2026:incident/22/2026-11-24",
      updated: "2026-11-24T19:00:00Z",
      link: "https://stats.example.org/errors/22?from=2026-11-24&to=2026-11-24",
    });
    expect(digestEntry(CTX, { week: WEEK, digest: DIGEST })).toMatchObject({
      id: "tag:stats.example.org,2026:digest/2026-11-16",
      title: "Weekly digest, 16–22 Nov 2026 (week 47)",
      updated: "2026-11-23T00:00:00Z",
      link: "https://stats.example.org/digest?week=2026-11-16",
    });
  });

  it("an app's weeks: only those it was newly failing or recovered", () => {
    const got = appWeekEntries(CTX, HOSTILE, [
      { week: WEEK, digest: DIGEST },
      { week: { monday: "2026-11-09", sunday: "2026-11-15" }, digest: weekDigest("2026-11-15", [], [], []) },
    ]);
    expect(got).toHaveLength(1);
    expect(got[0]!.title).toContain("newly failing in the week of 16–22 Nov 2026");
    expect(got[0]!.link).toContain("?from=2026-11-16&to=2026-11-22");
  });
});

describe("the public origin", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost:3000/feed.xml", { headers });

  it("is PUBLIC_URL when set, whatever the request says", () => {
    expect(publicOrigin(request({ host: "evil.example" }), { PUBLIC_URL: "https://stats.example.org/" })).toBe("https://stats.example.org");
    expect(configuredOrigin("ftp://x")).toBeNull();
    expect(configuredOrigin("not a url")).toBeNull();
  });

  it("else the Host header, https only when a trusted proxy says so", () => {
    expect(publicOrigin(request({ host: "Stats.Example.org:8080" }), {})).toBe("http://stats.example.org:8080");
    expect(publicOrigin(request({ host: "stats.example.org", "x-forwarded-proto": "https" }), {})).toBe("http://stats.example.org");
    expect(publicOrigin(request({ host: "stats.example.org", "x-forwarded-proto": "https" }), { TRUST_PROXY: "1" })).toBe("https://stats.example.org");
    expect(publicOrigin(request({ host: "[::1]:3000" }), {})).toBe("http://[::1]:3000");
  });

  it("ignores a Host header that is not a host name", () => {
    expect(publicOrigin(request({ host: "evil.example/<script>" }), {})).toBe("http://localhost:3000");
    expect(publicOrigin(request({ host: "a b" }), {})).toBe("http://localhost:3000");
  });
});
