/**
 * The alert pieces that need no server: the SSRF guard's address ranges and resolution, the
 * payloads at the services' limits with hostile text, event keys, matching and backoff.
 */
import { describe, expect, it } from "vitest";
import type { LookupAddress } from "node:dns";
import { alertEvents, eventKey, neighbourKeys, type RegressionAlert } from "../../lib/alerts/events";
import { discordPayload, renderAlert, signature, slackPayload } from "../../lib/alerts/payloads";
import { isPublicAddress, resolveTarget, TargetRefused } from "../../lib/alerts/ssrf";
import { backoffMs, matches } from "../../lib/alerts/worker";
import type { Regression } from "../../lib/insights/find-regressions";
import { DiscordWebhook, SlackWebhook } from "../support/alert-receiver";

describe("SSRF guard", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2001:db8::1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["1.1.1.1", "162.159.135.232", "52.86.22.1", "172.32.0.1", "2606:4700::6810:84e5", "::ffff:1.1.1.1"])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  const resolver = (answers: Record<string, string[]>) =>
    (async (host: string) => {
      const list = answers[host];
      if (!list) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return list.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
    }) as unknown as typeof import("node:dns/promises").lookup;

  it("refuses a name with any private address (a rebinding answer among public ones included), and names only the host", async () => {
    const dns = resolver({ "hooks.example.org": ["93.184.216.34", "10.0.0.7"], "discord.com": ["162.159.135.232"] });
    const refused = resolveTarget("https://hooks.example.org/services/T000/B000/secret-token", false, dns);
    await expect(refused).rejects.toBeInstanceOf(TargetRefused);
    await expect(refused).rejects.toThrow(/hooks\.example\.org resolves to 10\.0\.0\.7/);
    await expect(refused).rejects.not.toThrow(/secret-token/);
    await expect(resolveTarget("https://discord.com/api/webhooks/1/abc", false, dns)).resolves.toMatchObject({ address: "162.159.135.232", family: 4 });
    // The allow setting lets private targets through (tests, a LAN chat server).
    await expect(resolveTarget("https://hooks.example.org/x", true, dns)).resolves.toMatchObject({ address: "93.184.216.34" });
  });

  it.each([
    ["http://2130706433/x", /127\.0\.0\.1/], // a decimal IPv4 literal is 127.0.0.1 to the URL parser
    ["http://0x7f.1/x", /127\.0\.0\.1/],
    ["http://[::ffff:169.254.169.254]/latest", /169\.254\.169\.254|a9fe/],
    ["file:///etc/passwd", /scheme file:/],
    ["gopher://example.org/", /scheme gopher:/],
    ["https://user:pw@example.org/", /credentials/],
    ["https://no-such-host.invalid/", /does not resolve/],
    ["not a url", /not a URL/],
  ])("refuses %s", async (url, message) => {
    await expect(resolveTarget(url, false, resolver({}))).rejects.toThrow(message);
  });
});

function regression(over: Partial<Regression> = {}): Regression {
  return {
    nsapp: "docker",
    start: "2026-12-05 14",
    end: null,
    last: "2026-12-06 09",
    failed: 120,
    decided: 800,
    rate: 0.15,
    baseline_rate: 0.02,
    baseline_failed: 80,
    baseline_decided: 4000,
    peak_rate: 0.3,
    peak_bucket: "2026-12-05 20",
    expected_failures: 16,
    excess_failures: 104,
    q_value: 1e-9,
    described: true,
    exit_codes: [{ exit_code: 100, category: "dependency", failed: 90, expected: 4, excess: 86 }],
    environment: [{ dimension: "os", value: "Debian 13", failed: 90, decided: 500, rate: 0.18 }],
    causes: [],
    incident: null,
    failing_command: null,
    ...over,
  };
}

const HOSTILE = "@everyone <@123> **bold** [x](https://evil.example) <https://evil.example|click> & `code` # head | ~~s~~ ";
const now = new Date("2026-12-06T10:00:00Z");
const opts = { now, origin: "https://stats.example.org", maxAgeHours: 48 };
const suspect = {
  change: {
    repository: "community-scripts/ProxmoxVE",
    sha: "a".repeat(40),
    committed: "2026-12-05 13:00:00.000Z",
    pushed: "2026-12-05 13:00:00.000Z",
    message: HOSTILE.repeat(20),
    url: `https://github.com/community-scripts/ProxmoxVE/commit/${"a".repeat(40)}`,
    paths: ["install/docker-install.sh"],
    apps: ["docker"],
    shared: [],
  },
  score: 1,
  kind: "app" as const,
  paths: Array.from({ length: 300 }, (_, i) => `install/docker-${i}-install.sh`),
  hoursBefore: 1,
};

describe("payloads", () => {
  const [opened] = alertEvents([regression({ nsapp: `docker${"x".repeat(60)}` })], [[suspect]], [], opts) as RegressionAlert[];

  it("fit Discord's documented limits and ping nobody, whatever the commit message says", () => {
    const body = DiscordWebhook.parse(discordPayload(opened!));
    expect(body.allowed_mentions.parse).toEqual([]);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/[^\\]\*\*bold|[^\\]\[x\]\(https:\/\/evil/);
    expect(body.embeds[0]!.url).toMatch(/^https:\/\/stats\.example\.org\/apps\//);
  });

  it("fit Slack's Block Kit limits, with &, < and > escaped so no link or mention is injected", () => {
    const body = SlackWebhook.parse(slackPayload(opened!));
    const text = JSON.stringify(body);
    expect(text).not.toContain("<https://evil.example");
    expect(text).not.toContain("<@123>");
    expect(text).toContain("&lt;@123&gt;");
  });

  it("signs the generic webhook's exact body with HMAC-SHA256", () => {
    const { body, headers } = renderAlert("webhook", opened!, { id: "abc", attempt: 2, sentAt: now }, "0123456789abcdef");
    expect(headers["x-alert-signature-256"]).toBe(signature("0123456789abcdef", body));
    // Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signature("key", "The quick brown fox jumps over the lazy dog")).toBe("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    expect(JSON.parse(body)).toMatchObject({ id: "abc", event: "regression_opened", attempt: 2, sent_at: now.toISOString() });
  });
});

describe("events", () => {
  it("keys an event by what it is about and its start day, so a start moving within a day or across midnight is the same regression", () => {
    expect(eventKey("regression_opened", "docker", "2026-12-05 14")).toBe(eventKey("regression_opened", "docker", "2026-12-05"));
    expect(neighbourKeys("regression_opened docker 2026-12-01")).toEqual(["regression_opened docker 2026-11-30", "regression_opened docker 2026-12-02"]);
  });

  it("sends open regressions and those ended within the age limit, never older news or a regression an incident tells", () => {
    const events = alertEvents(
      [
        regression(),
        regression({ nsapp: "old", start: "2026-11-20", end: "2026-11-25", last: "2026-11-25" }),
        regression({ nsapp: "recent", start: "2026-12-04", end: "2026-12-05", last: "2026-12-05" }),
        regression({ nsapp: "plex", incident: { exit_code: 22, category: null, start: "2026-12-05 14" } }),
      ],
      [],
      [],
      opts,
    );
    expect(events.map((e) => e.key)).toEqual(["regression_opened docker 2026-12-05", "regression_opened recent 2026-12-04", "regression_closed recent 2026-12-04"]);
  });

  it("matches a subscription by event, app and minimum excess", () => {
    const [e] = alertEvents([regression()], [], [], opts);
    const sub = { apps: "", events: ["regression_opened" as const], min_excess: 0 };
    expect(matches(sub, e!)).toBe(true);
    expect(matches({ ...sub, apps: "jellyfin, docker" }, e!)).toBe(true);
    expect(matches({ ...sub, apps: "dock jellyfin" }, e!)).toBe(false);
    expect(matches({ ...sub, min_excess: 105 }, e!)).toBe(false);
    expect(matches({ ...sub, events: ["incident" as const] }, e!)).toBe(false);
  });

  it("waits base · 2^(n−1) between tries, longer when the target asked (Retry-After)", () => {
    const config = { retryBaseMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(config, n, null))).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(backoffMs(config, 1, 300)).toBe(300_000);
  });
});
