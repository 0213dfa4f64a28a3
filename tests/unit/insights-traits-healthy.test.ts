/**
 * False alarms of "what is unusual about this app's failures" (lib/insights/traits.ts) on a fixed
 * draw of the generator: apps with no seeded trait get no sentence, the apps with one get theirs.
 * The draw is fixed (a fixed end) so the test is deterministic; the integration test checks the
 * PocketBase path against these in-memory rollups on a new draw each run.
 */
import { describe, expect, it } from "vitest";
import { findAppInsights } from "../../lib/insights/find-rates";
import { presetRange } from "../../lib/range";
import { GPU_FAILURE_APP } from "../../scripts/lib/demo-model";
import { generateRows } from "../../scripts/lib/generate";
import { memorySource } from "../../scripts/lib/memory-source";

const now = new Date("2026-12-07T17:37:30Z");
const range = presetRange("30d", now);
// The integration test's volume: 30 days at 6,000 runs a day, the demo's events seeded.
const source = memorySource(generateRows({ seed: 2026, days: 30, runsPerDay: 6000, end: now }), now);

describe("unusual traits on generated runs", () => {
  it("names nothing about ten healthy apps", { timeout: 60_000 }, async () => {
    // Not ollama (its discrete-GPU failure is seeded), nginxproxymanager or alpine (environment-specific regressions).
    const healthy = ["homeassistant", "pihole", "debian", "ubuntu", "wireguard", "mqtt", "esphome", "technitiumdns", "n8n", "openwebui"];
    const sentences: string[] = [];
    for (const nsapp of healthy) for (const c of (await findAppInsights(source, nsapp, range)).unusual) sentences.push(`${nsapp}: ${c.sentence}`);
    expect(sentences).toEqual([]);
  });

  it("names the seeded traits", async () => {
    const keys = async (nsapp: string) => (await findAppInsights(source, nsapp, range)).unusual.map((c) => `${c.dimension}/${c.key}`);
    expect(await keys("nginxproxymanager")).toContain("pve/9.2");
    expect(await keys("alpine")).toContain("os_version/alpine 3.24");
    expect(await keys(GPU_FAILURE_APP.nsapp)).toContain(`gpu_passthrough/${GPU_FAILURE_APP.passthrough}`);
  });
});
