/**
 * An incident created live, the way installers report: a mirror goes down and runs of several
 * apps fail with the same exit code within the hour, each POSTed as installing and PATCHed to
 * failed through the REST API. The triggers update the hourly rollups in the same transaction
 * as each PATCH, so the detector (reading those rollups) finds the incident as soon as the
 * runs are stored; pages and the API show it once their data cache refreshes (30 s) — within
 * minutes, as the issue asks, with no batch job in between.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryIncidents } from "../../lib/data/queries/insights";
import { presetRange } from "../../lib/range";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { api, startTestPocketBase, type TestPocketBase, installerPost, RECORDS } from "../support/pocketbase";

/** curl: Failed to connect (network unreachable / host down). */
const CODE = 7;
const APPS = ["docker", "jellyfin", "homeassistant", "pihole", "vaultwarden", "nginxproxymanager"];
const FAILURES_PER_APP = 12;

describe("an incident reported live through the installer protocol", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    // Two weeks of ordinary traffic up to now: the baseline the spike is measured against.
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 77, days: 14, runsPerDay: 6000, end: new Date() }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  it("is found by the detector right after the runs are stored, with every app it hit", async () => {
    const before = await queryIncidents(presetRange("24h", new Date()));
    expect(before.filter((i) => i.exit_code === CODE && i.end === null)).toEqual([]);

    const started = new Date();
    for (const nsapp of APPS) {
      for (let i = 0; i < FAILURES_PER_APP; i++) {
        const created = await api(pb.url, RECORDS, {
          method: "POST",
          body: installerPost({ nsapp }),
        });
        expect(created.status).toBe(200);
        const patched = await api(pb.url, `${RECORDS}/${String(created.body.id)}`, {
          method: "PATCH",
          body: { status: "failed", exit_code: CODE, error: "curl: (7) Failed to connect to deb.debian.org port 443" },
        });
        expect(patched.status).toBe(200);
      }
    }

    const incidents = await queryIncidents(presetRange("24h", new Date()));
    const live = incidents.find((i) => i.exit_code === CODE || i.other_exit_codes.includes(CODE));
    expect(live, JSON.stringify(incidents.map((i) => [i.exit_code, i.start, i.end]))).toBeDefined();
    const hour = (d: Date) => d.toISOString().slice(0, 13).replace("T", " ");
    // It started in the hour the runs arrived (or the one before, if the hour turned meanwhile) and is still open.
    expect([hour(started), hour(new Date(started.getTime() - 3_600_000))]).toContain(live!.start);
    expect(live!.end).toBeNull();
    const hit = new Map(live!.apps.map((a) => [a.nsapp, a]));
    for (const nsapp of APPS) expect(hit.has(nsapp), `${nsapp} among the incident's apps`).toBe(true);
    expect(live!.failed).toBeGreaterThanOrEqual(APPS.length * FAILURES_PER_APP);
  });
});
