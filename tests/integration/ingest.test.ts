/**
 * POST /telemetry (pocketbase/pb_hooks/ingest.pb.js) against a real PocketBase: a run's life
 * as today's scripts report it, the status mapping, retries, lenient decoding, refusals with
 * their reason, privacy, the records API kept to its own protocol, and exact figures with runs
 * of both protocols.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetRange } from "../../lib/range";
import { generateRows } from "../../scripts/lib/generate";
import { eventsOf } from "../../scripts/lib/installer-events";
import { setRateLimit } from "../../scripts/lib/pocketbase-server";
import { expectAppFiguresEqualSql, postEvent, runOf } from "../support/ingest";
import { api, installerPost, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

/** What _tm_payload sends, for one execution. */
function payload(over: Record<string, unknown> = {}) {
  const id = randomUUID();
  return {
    random_id: id,
    execution_id: id,
    type: "lxc",
    nsapp: "jellyfin",
    status: "installing",
    ct_type: 1,
    disk_size: 8,
    core_count: 2,
    ram_size: 2048,
    os_type: "debian",
    os_version: "13",
    pve_version: "9.1.4",
    method: "default",
    exit_code: 0,
    error: "",
    error_category: "",
    install_duration: 0,
    cpu_vendor: "intel",
    cpu_model: "Intel N100",
    gpu_vendor: "intel",
    gpu_model: "Alder Lake-N [UHD Graphics]",
    gpu_passthrough: "igpu",
    ram_speed: "4800",
    arch: "amd64",
    platform: "pve",
    has_arm: false,
    repo_source: "ProxmoxVE",
    repo_slug: "community-scripts/ProxmoxVE",
    ...over,
  };
}

const send = (url: string, p: Record<string, unknown>) => postEvent(url, JSON.stringify(p, null, 4));
const ms = (pbTime: unknown) => Date.parse(String(pbTime).replace(" ", "T"));

describe("POST /telemetry", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    pb.useForDataLayer();
    // This file sends more events than one host may (rate-limits.test.ts checks the limit).
    await setRateLimit(pb.url, pb.superuserToken, "POST /telemetry", 100_000);
  });
  afterAll(async () => pb?.stop());

  it("follows a run's life as the scripts report it, counting it once", async () => {
    const p = payload();
    expect(await send(pb.url, p)).toMatchObject({ status: 201, body: { stored: "created", outcome: "installing" } });
    expect((await send(pb.url, p)).body).toMatchObject({ stored: "unchanged" }); // curl's retry of the same event
    expect(await send(pb.url, { ...p, status: "configuring" })).toMatchObject({ status: 200, body: { stored: "updated", outcome: "installing" } });
    const failed = { ...p, status: "failed", exit_code: 100, error: "exit_code=100 | APT: Package manager error", error_category: "dependency", install_duration: 240 };
    expect(await send(pb.url, failed)).toMatchObject({ status: 200, body: { stored: "updated", outcome: "failed" } });
    expect((await send(pb.url, { ...failed, error: "exit_code=100" })).body).toMatchObject({ stored: "unchanged" });
    expect((await send(pb.url, { ...p, status: "configuring" })).body).toMatchObject({ stored: "unchanged", outcome: "failed" });
    expect(runOf(pb.db, p.execution_id)).toMatchObject({
      status: "failed",
      phase: "configuring",
      exit_code: 100,
      install_duration: 240,
      error: failed.error,
      cpu_model: "Intel N100",
      ram_speed: 4800,
    });
    // The APT repair from the recovery menu worked: a forced resend with the new outcome wins.
    expect((await send(pb.url, { ...p, status: "done", install_duration: 400 })).body).toMatchObject({ stored: "updated", outcome: "success" });
    expect(runOf(pb.db, p.execution_id)).toMatchObject({ status: "success", exit_code: 0, error: "" });
    expect(pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data WHERE random_id = ?").get(p.random_id)).toEqual({ n: 1 });
  });

  it("stores a final status with no earlier event as a complete run, dated when the install started", async () => {
    const p = payload({ status: "success", install_duration: 600, type: "vm", nsapp: "haos-vm", ct_type: 2 });
    const before = Date.now();
    expect(await send(pb.url, p)).toMatchObject({ status: 201, body: { outcome: "success" } });
    const run = runOf(pb.db, p.execution_id)!;
    expect(ms(run.created)).toBeGreaterThanOrEqual(before - 600_000 - 1000);
    expect(ms(run.created)).toBeLessThanOrEqual(Date.now() - 600_000 + 1000);
    expect(run).toMatchObject({ status: "success", phase: "" });
  });

  it("keeps retries from the recovery menu apart: one run per execution under one session", async () => {
    const first = payload({ status: "failed", exit_code: 243, error: "exit_code=243 | Node.js: Out of memory" });
    const retry = { ...first, execution_id: randomUUID(), status: "success", exit_code: 0, error: "", ram_size: 4096 };
    expect((await send(pb.url, first)).status).toBe(201);
    expect((await send(pb.url, retry)).status).toBe(201);
    const runs = pb.db.prepare("SELECT status, ram_size FROM _dev_telemetry_data WHERE random_id = ? ORDER BY created").all(first.random_id);
    expect(runs).toEqual([
      { status: "failed", ram_size: 2048 },
      { status: "success", ram_size: 4096 },
    ]);
  });

  it("maps statuses: success/sucess/done, interrupts aborted, failed with 0 unknown, unknown statuses unknown", async () => {
    const cases: [string, number, string][] = [
      ["success", 0, "success"],
      ["sucess", 0, "success"],
      ["done", 0, "success"],
      ["failed", 1, "failed"],
      ["failed", 0, "unknown"],
      ["failed", 129, "aborted"],
      ["failed", 130, "aborted"],
      ["failed", 143, "aborted"],
      ["aborted", 130, "aborted"],
      ["unknown", 0, "unknown"],
      ["crashed", 2, "unknown"],
    ];
    for (const [status, exit_code, stored] of cases) {
      const p = payload({ status, exit_code });
      const res = await send(pb.url, p);
      expect.soft(res.body.outcome, `${status} ${exit_code}`).toBe(stored);
      expect.soft(runOf(pb.db, p.execution_id)?.status, `${status} ${exit_code}`).toBe(stored);
    }
  });

  it("rescues a heredoc whose error holds an unescaped quote, and answers 400 with the reason for what it refuses", async () => {
    const p = payload({ status: "failed", exit_code: 1 });
    const broken = JSON.stringify(p, null, 4).replace('"error": ""', '"error": "exit_code=1 | at line 9: sed -i "s/a/b/" /etc/x\n---\nsed: can\'t read /etc/x"');
    const rescued = await postEvent(pb.url, broken);
    expect(rescued).toMatchObject({ status: 201, body: { outcome: "failed" } });
    expect(String(rescued.body.notes)).toMatch(/not valid JSON.*rescued/);
    expect(runOf(pb.db, p.execution_id)).toMatchObject({ error: 'exit_code=1 | at line 9: sed -i "s/a/b/" /etc/x\n---\nsed: can\'t read /etc/x', cpu_model: "Intel N100" });

    const before = pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get();
    const refusals: [string, RegExp][] = [
      ["", /empty/],
      ["not json at all", /not JSON/],
      ["[]", /one JSON object/],
      [JSON.stringify(payload({ nsapp: "My App" })), /nsapp/],
      [JSON.stringify(payload({ nsapp: "<img src=x>" })), /nsapp/],
      [JSON.stringify(payload({ random_id: "a'b", execution_id: "" })), /random_id/],
      [JSON.stringify(payload({ type: "docker" })), /type/],
      [JSON.stringify(payload({ core_count: 9000 })), /core_count/],
      [JSON.stringify(payload({ exit_code: -1 })), /exit_code/],
      [JSON.stringify(payload({ status: "" })), /status/],
      [JSON.stringify(payload({ os_version: "x".repeat(65) })), /os_version/],
    ];
    for (const [body, reason] of refusals) {
      const res = await postEvent(pb.url, body);
      expect.soft(res.status, body.slice(0, 60)).toBe(400);
      expect.soft(String(res.body.message), body.slice(0, 60)).toMatch(reason);
    }
    expect(pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get()).toEqual(before);
  });

  it("refuses bodies over the limit with 413, declared or streamed", async () => {
    const big = JSON.stringify(payload({ status: "failed", exit_code: 1, error: "x".repeat(140_000) }));
    expect((await postEvent(pb.url, big)).status).toBe(413);
    const chunks = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const streamed = await fetch(`${pb.url}/telemetry`, { method: "POST", body: chunks, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    // Other methods are told what the URL takes.
    const get = await fetch(`${pb.url}/telemetry`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("never answers with ids or the error text, and masks addresses before storing", async () => {
    const p = payload({ status: "failed", exit_code: 7, error: "curl: (7) Failed to connect to 192.168.178.20 port 443 via 2001:db8:0:1::25" });
    const answers = [await send(pb.url, { ...p, status: "installing" }), await send(pb.url, p), await send(pb.url, { ...p, nsapp: "Bad App" })];
    for (const a of answers) {
      expect(a.text).not.toContain(p.random_id);
      expect(a.text).not.toContain("Failed to connect");
    }
    expect(runOf(pb.db, p.execution_id)!.error).toBe("curl: (7) Failed to connect to x.x.x.x port 443 via x:x::x");
    // The records API masks too.
    const post = await api(pb.url, RECORDS, { method: "POST", body: installerPost() });
    const patched = await api(pb.url, `${RECORDS}/${post.body.id}`, { method: "PATCH", body: { status: "failed", exit_code: 6, error: "could not resolve 10.1.2.3" } });
    expect(patched.status).toBe(200);
    expect(pb.db.prepare("SELECT error FROM _dev_telemetry_data WHERE id = ?").get(post.body.id)).toEqual({ error: "could not resolve x.x.x.x" });
  });

  it("decodes, bounds and masks in PocketBase's own runtime as the README says", async () => {
    // Heredoc damage: \x escapes, invalid escapes, a unit on a number, an empty value, a field it does not know.
    const a = payload({ status: "failed", exit_code: 100 });
    const damaged = `{"random_id":"${a.random_id}","execution_id":"${a.execution_id}","type":"lxc","nsapp":"jellyfin","status":"failed","exit_code":100,"disk_size": 8G,"error":"a\\_b \\x41\\nz","core_count": ,"brand_new":{"x":[1]}}`;
    expect(await postEvent(pb.url, damaged)).toMatchObject({ status: 201, body: { outcome: "failed" } });
    expect(runOf(pb.db, a.execution_id)).toMatchObject({ disk_size: 8, core_count: 0, error: "a\\_b A\nz" });
    // A string with raw newlines and tabs was never escaped: its backslashes are text.
    const b = payload({ status: "failed", exit_code: 1 });
    const raw = JSON.stringify(b).replace('"error":""', '"error":"line one\nC:\\repo\tx\\n"');
    expect((await postEvent(pb.url, raw)).status).toBe(201);
    expect(runOf(pb.db, b.execution_id)!.error).toBe("line one\nC:\\repo\tx\\n");
    // turnkey is stored as lxc, tool as pve; odd descriptive fields do not cost the run.
    const c = payload({ type: "turnkey", cpu_vendor: "Cyrix", cpu_model: `M ${"x".repeat(100)}`, repo_slug: "not a slug", repo_source: "" });
    const d = payload({ type: "tool", nsapp: "post-pve-install", status: "success" });
    expect((await send(pb.url, c)).status).toBe(201);
    expect((await send(pb.url, d)).status).toBe(201);
    expect(runOf(pb.db, c.execution_id)).toMatchObject({ type: "lxc", cpu_vendor: "unknown", cpu_model: `M ${"x".repeat(62)}`, repo_slug: "", repo_source: "" });
    expect(runOf(pb.db, d.execution_id)).toMatchObject({ type: "pve" });
    // Bounds: a duration over a day is refused with the field named.
    const late = await send(pb.url, payload({ status: "success", install_duration: 86_401 }));
    expect(late).toMatchObject({ status: 400, body: { message: expect.stringMatching(/install_duration/) } });
    // error keeps 16,000 characters: a longer one its head and tail (a marker between), addresses masked.
    const e = payload({ status: "failed", exit_code: 7, error: `exit_code=7 | curl http://192.168.1.20:8080\n${"y".repeat(20_000)}\nlast 10.0.0.1` });
    expect((await send(pb.url, e)).status).toBe(201);
    const error = String(runOf(pb.db, e.execution_id)!.error);
    expect([error.length, error.slice(0, 40), error.slice(-13)]).toEqual([16_000, "exit_code=7 | curl http://x.x.x.x:8080\ny", "\nlast x.x.x.x"]);
    expect(error).toContain("\n[… cut by the server …]\n");
    // Every kind of address the README names, as the scripts' errors carry them.
    const addresses: [string, string][] = [
      ["resolving 'deb.debian.org' (10.0.0.1).", "resolving 'deb.debian.org' (x.x.x.x)."],
      ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "x:x::x"],
      ["listen [::ffff:192.0.2.128]:80", "listen [x:x::x]:80"],
      ["addr fe80::1ff:fe23:4567:890a%eth0", "addr x:x::x%eth0"],
      ["ether 52:54:00:12:34:56 brd", "ether xx:xx:xx:xx:xx:xx brd"],
      ["[IP: 192.x.x.20 3142]", "[IP: x.x.x.x 3142]"],
      ["PVE 9.1.4, at 12:34:56 std::string", "PVE 9.1.4, at 12:34:56 std::string"],
    ];
    for (const [sent, stored] of addresses) {
      const p = payload({ status: "failed", exit_code: 1, error: sent });
      await send(pb.url, p);
      expect.soft(runOf(pb.db, p.execution_id)?.error, sent).toBe(stored);
    }
  });

  it("keeps the records API to the older protocol: it cannot set or change the new fields, nor learn a /telemetry run's id", async () => {
    expect((await api(pb.url, RECORDS, { method: "POST", body: installerPost({ execution_id: randomUUID() }) })).status).toBe(400);
    expect((await api(pb.url, RECORDS, { method: "POST", body: installerPost({ repo_source: "ProxmoxVE" }) })).status).toBe(400);
    const started = await api(pb.url, RECORDS, { method: "POST", body: installerPost() });
    expect((await api(pb.url, `${RECORDS}/${started.body.id}`, { method: "PATCH", body: { status: "failed", exit_code: 1, install_duration: 5 } })).status).toBe(404);
    expect((await api(pb.url, `${RECORDS}/${started.body.id}`, { method: "PATCH", body: { status: "failed", exit_code: 1, repo_slug: "a/b" } })).status).toBe(404);
    const p = payload();
    const answer = await send(pb.url, p);
    expect(Object.keys(answer.body).sort()).toEqual(["notes", "outcome", "status", "stored"]);
    expect(answer.text).not.toContain(String(runOf(pb.db, p.execution_id)!.id));
  });

  it("stores exactly what the demo's generated runs' events produce", async () => {
    const rows = [...generateRows({ seed: 8, days: 1, runsPerDay: 100, end: new Date() })];
    // Each execution's events in order; executions side by side, as many hosts send at once.
    const queues = rows.map((r, i) => eventsOf(r, { resend: i % 9 === 0 }));
    const workers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = w; i < queues.length; i += 6) for (const e of queues[i]!) expect((await postEvent(pb.url, e.body)).status).toBeLessThan(300);
    });
    await Promise.all(workers);
    const wrong = rows.filter((r) => {
      const got = runOf(pb.db, r.execution_id);
      const { id: _id, created: _c, updated: _u, ...want } = r;
      return !got || Object.entries(want).some(([k, v]) => got[k] !== (typeof v === "boolean" ? Number(v) : v));
    });
    expect(wrong.slice(0, 2).map((r) => ({ want: r, got: runOf(pb.db, r.execution_id) }))).toEqual([]);
  });

  it("keeps the rollups exact and the app figures equal to SQL with runs of both protocols", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await api(pb.url, RECORDS, { method: "POST", body: installerPost({ nsapp: "jellyfin" }) });
      await api(pb.url, `${RECORDS}/${res.body.id}`, { method: "PATCH", body: { status: i % 2 ? "sucess" : "failed", exit_code: i % 2 ? 0 : 100 } });
    }
    expectRollupsExact(pb.db);
    const range = presetRange("7d", new Date());
    for (const app of ["jellyfin", "haos-vm", "docker"]) await expectAppFiguresEqualSql(pb.db, app, range);
  });
});
