/**
 * Access rules and filter safety against a real PocketBase: the public can create and finish
 * runs but not enumerate raw records; rollups are public and read-only; hostile values passed
 * to the data layer match literally and never widen a filter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAppDetail } from "../../lib/data/queries/app-detail";
import { queryAppInsights } from "../../lib/data/queries/insights";
import { presetRange } from "../../lib/range";
import { api, READER, startTestPocketBase, type TestPocketBase, RECORDS } from "../support/pocketbase";

const HOSTILE = ['x" || nsapp != "', "a' || 1=1 || '", "(docker) && (type = 'vm')", '"); DROP TABLE stats_app; --', "ünïcødé 🚀 {:nsapp}", "back\\slash\\"];

describe("access rules and filter safety", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    pb.useForDataLayer();
    // Catalogue names arrive as the scripts send them; hostile names only by SQL (the write
    // rules refuse them, but rows older than the rules may hold anything).
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, type, ct_type, nsapp, status, exit_code, created, updated)
       VALUES (?, ?, 'lxc', 1, ?, ?, ?, ?, ?)`,
    );
    for (const [i, nsapp] of ["docker", "docker", "jellyfin", ...HOSTILE].entries()) {
      const [status, exit_code] = i % 2 ? ["failed", 100] : ["sucess", 0];
      if (i >= 3) {
        const now = new Date().toISOString().replace("T", " ");
        insert.run(`sec${String(i).padStart(12, "0")}`, `sec-${i}`, nsapp, status, exit_code, now, now);
        continue;
      }
      const res = await api(pb.url, RECORDS, {
        method: "POST",
        body: { random_id: `sec-${i}`, type: "lxc", ct_type: 1, nsapp, status: "installing" },
      });
      expect(res.status).toBe(200);
      await api(pb.url, `${RECORDS}/${res.body.id as string}`, { method: "PATCH", body: { status, exit_code } });
    }
  });
  afterAll(async () => pb?.stop());

  it("lets anyone create a run and read back its id, but not list or view raw records", async () => {
    const created = await api(pb.url, RECORDS, { method: "POST", body: { random_id: "pub-1", type: "vm", ct_type: 2, nsapp: "haos-vm", status: "installing" } });
    expect(created.status).toBe(200);
    expect(typeof created.body.id).toBe("string");
    // A non-matching list rule answers 200 with nothing in it: the rows stay invisible.
    for (const query of ["", `?filter=${encodeURIComponent("random_id='pub-1'")}`, "?perPage=500&sort=-created"]) {
      const list = await api(pb.url, `${RECORDS}${query}`);
      expect(list.body.items ?? []).toEqual([]);
      expect(list.body.totalItems ?? 0).toBe(0);
    }
    expect((await api(pb.url, `${RECORDS}/${created.body.id as string}`)).status).toBe(404);
  });

  it("lets the reader account list raw records, and nobody anonymous delete them", async () => {
    const auth = await api(pb.url, "/api/collections/telemetry_readers/auth-with-password", {
      method: "POST",
      body: { identity: READER.email, password: READER.password },
    });
    const token = auth.body.token as string;
    const list = await api(pb.url, `${RECORDS}?perPage=1`, { token });
    expect(list.status).toBe(200);
    expect(list.body.totalItems).toBeGreaterThan(5);
    const id = (list.body.items as { id: string }[])[0]!.id;
    expect((await api(pb.url, `${RECORDS}/${id}`, { method: "DELETE" })).status).toBe(403);
    expect((await api(pb.url, `${RECORDS}/${id}`, { method: "DELETE", token })).status).toBe(403);
  });

  it("serves rollups publicly and refuses writes to them", async () => {
    const list = await api(pb.url, "/api/collections/stats_app/records?perPage=200");
    expect(list.status).toBe(200);
    expect(list.body.totalItems).toBeGreaterThan(0);
    const row = (list.body.items as { id: string }[])[0]!;
    expect((await api(pb.url, "/api/collections/stats_app/records", { method: "POST", body: { bucket: "2026-01-01", nsapp: "x" } })).status).toBe(403);
    expect((await api(pb.url, `/api/collections/stats_app/records/${row.id}`, { method: "PATCH", body: { success: 999 } })).status).toBe(403);
    expect((await api(pb.url, `/api/collections/stats_app/records/${row.id}`, { method: "DELETE" })).status).toBe(403);
  });

  for (const view of ["stats_app_range", "stats_app_series"]) {
    it(`answers ${view} only for an explicit from/to, taken literally`, async () => {
      const base = `/api/collections/${view}/records`;
      const today = new Date().toISOString().slice(0, 10);
      const ok = await api(pb.url, `${base}?from=2020-01-01&to=${today}&sort=-runs`);
      expect(ok.status).toBe(200);
      expect((ok.body.items as { nsapp: string }[]).map((r) => r.nsapp)).toContain("docker");
      for (const q of [
        "",
        "?from=2020-01-01",
        `?to=${today}`,
        `?from=${encodeURIComponent("' OR 1=1 --")}&to=${today}`,
        `?from=2020-01-01&to=${encodeURIComponent('x" || range_to != "')}`,
      ]) {
        const res = await api(pb.url, `${base}${q}`);
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([]);
      }
      expect((await api(pb.url, `/api/collections/stats_calendar/records`)).status).toBe(403);
    });
  }

  it("matches hostile app names literally and never widens the filter", async () => {
    const range = presetRange("7d", new Date());
    // The app page's six rollup queries all carry the name in their filters.
    for (const [i, nsapp] of HOSTILE.entries()) {
      const d = await queryAppDetail(nsapp, range, true);
      expect(d.totals.runs).toBe(1);
      // index in the seeding loop is i + 3: odd → failed
      expect(d.totals.failed).toBe((i + 3) % 2);
      expect(d.series.reduce((n, b) => n + b.success + b.failed + b.aborted + b.unknown + b.installing, 0)).toBe(1);
      expect(d.os.reduce((n, o) => n + o.runs, 0)).toBe(1);
      expect(d.pve.reduce((n, o) => n + o.runs, 0)).toBe(1);
    }
    for (const probe of ['" || 1=1 || "', "' || '1'='1", "docker' || nsapp != '", "%", "*"]) {
      const d = await queryAppDetail(probe, range, true);
      expect([d.totals.runs, d.codes.length, d.os.length, d.pve.length]).toEqual([0, 0, 0, 0]);
    }
    expect((await queryAppDetail("docker", range, true)).totals.runs).toBe(2);
    // The insights' reads carry the name in their filters too.
    for (const [i, nsapp] of HOSTILE.entries()) expect((await queryAppInsights(nsapp, range)).totals.failed, nsapp).toBe((i + 3) % 2);
    for (const probe of ['" || 1=1 || "', "docker' || nsapp != '", "%"]) expect((await queryAppInsights(probe, range)).totals.decided).toBe(0);
  });
});
