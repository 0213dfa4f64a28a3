/**
 * The ingest logic of POST /telemetry (pocketbase/pb_hooks/telemetry-ingest.cjs), without
 * PocketBase: decoding bodies as bash writes them, the status mapping and bounds, address
 * masking, and how an event changes a stored run.
 */
import { describe, expect, it } from "vitest";
import ingest from "../../pocketbase/pb_hooks/telemetry-ingest.cjs";

const RID = "0b6f0c2e-4d1e-4f55-9a52-3f1a2b3c4d5e";
const base = { random_id: RID, execution_id: RID, type: "lxc", nsapp: "jellyfin", status: "installing" };

function event(fields: Record<string, unknown>) {
  const checked = ingest.normalize({ ...base, ...fields });
  if (checked.error !== undefined) throw new Error(checked.error);
  return checked.event;
}
const refused = (fields: Record<string, unknown>) => ingest.normalize({ ...base, ...fields }).error;

describe("decode", () => {
  it("takes valid JSON and ignores fields it does not know", () => {
    const d = ingest.decode(JSON.stringify({ ...base, brand_new_field: { nested: [1] } }));
    expect(d.how).toBe("json");
    expect(ingest.normalize(d.fields!).event?.values).not.toHaveProperty("brand_new_field");
  });

  it("repairs invalid escapes, \\xNN, unit suffixes and empty values", () => {
    const body = `{"random_id":"${RID}","type":"lxc","nsapp":"jellyfin","status":"failed","exit_code":100,"disk_size": 8G,"error":"a\\_b \\x41\\n","core_count": }`;
    const d = ingest.decode(body);
    expect(d.how).toBe("repaired");
    expect(d.fields).toMatchObject({ disk_size: 8, error: "a\\_b A\n", core_count: null });
  });

  it("takes a string with raw newlines and tabs as never escaped: its backslashes are text", () => {
    const body = `{"random_id":"${RID}","type":"lxc","nsapp":"jellyfin","status":"failed","error":"line one\nC:\\repo\tx\\n"}`;
    const d = ingest.decode(body);
    expect(d.how).toBe("repaired");
    expect(d.fields!.error).toBe("line one\nC:\\repo\tx\\n");
  });

  it("rescues the fields of a heredoc whose error holds unescaped quotes, JSON included", () => {
    const body = [
      "{",
      `    "random_id": "${RID}",`,
      `    "execution_id": "${RID}",`,
      '    "type": "lxc",',
      '    "nsapp": "immich",',
      '    "status": "failed",',
      '    "exit_code": 22,',
      '    "error": "exit_code=22 | curl: HTTP error | at line 7: curl "https://x/y"',
      "---",
      'got {"status": "error", "nsapp": "evil"} back",',
      '    "error_category": "network",',
      '    "install_duration": 42',
      "}",
    ].join("\n");
    const d = ingest.decode(body);
    expect(d.how).toBe("rescued");
    expect(d.fields).toMatchObject({ nsapp: "immich", status: "failed", exit_code: 22, error_category: "network", install_duration: 42 });
    expect(d.fields!.error).toBe('exit_code=22 | curl: HTTP error | at line 7: curl "https://x/y"\n---\ngot {"status": "error", "nsapp": "evil"} back');
  });

  it("answers with a reason when nothing can be read", () => {
    expect(ingest.decode("").error).toMatch(/empty/);
    expect(ingest.decode("[1,2]").error).toMatch(/one JSON object/);
    expect(ingest.decode('"x"').error).toMatch(/one JSON object/);
    expect(ingest.decode("status=failed").error).toMatch(/not JSON/);
    expect(ingest.decode('{"nsapp": "x", "status": "failed"').error).toMatch(/not JSON/); // no id: nothing to rescue
  });
});

describe("normalize", () => {
  it("maps statuses: success/sucess/done one outcome, interrupts aborted, failed with 0 unknown, strangers unknown", () => {
    const final = (status: string, exit_code = 0) => event({ status, exit_code });
    for (const s of ["success", "sucess", "done", "SUCCESS"]) expect(final(s).status).toBe("success");
    for (const code of [129, 130, 143]) expect(final("failed", code)).toMatchObject({ status: "aborted", kind: "final" });
    expect(final("failed", 0).status).toBe("unknown");
    expect(final("failed", 100).status).toBe("failed");
    expect(final("aborted", 0).status).toBe("aborted");
    expect(final("unknown").status).toBe("unknown");
    expect(final("exploded").status).toBe("unknown");
    for (const s of ["installing", "validation", "configuring"]) expect(final(s)).toMatchObject({ kind: "progress", status: "installing", phase: s });
  });

  it("keys the run by execution_id, else random_id; maps turnkey and tool", () => {
    expect(event({ execution_id: undefined }).key).toBe(RID);
    expect(event({ execution_id: "retry-2" }).key).toBe("retry-2");
    expect(event({ random_id: undefined, execution_id: "only-exec" }).values.random_id).toBe("only-exec");
    expect(event({ type: "turnkey" }).values.type).toBe("lxc");
    expect(event({ type: "tool" }).values.type).toBe("pve");
  });

  it("refuses what the records API refuses, with a reason", () => {
    expect(refused({ random_id: undefined, execution_id: undefined })).toMatch(/random_id/);
    expect(refused({ random_id: "<script>" })).toMatch(/random_id/);
    expect(refused({ execution_id: "x".repeat(65) })).toMatch(/execution_id/);
    for (const nsapp of ["Docker", "my app", "-x", "x".repeat(65), "a/b", ""]) expect(refused({ nsapp }), nsapp).toMatch(/nsapp/);
    expect(refused({ type: "docker" })).toMatch(/type/);
    expect(refused({ status: "" })).toMatch(/status/);
    expect(refused({ core_count: 1.5 })).toMatch(/core_count/);
    expect(refused({ core_count: 8193 })).toMatch(/core_count/);
    expect(refused({ exit_code: 256 })).toMatch(/exit_code/);
    expect(refused({ ram_size: "lots" })).toMatch(/ram_size/);
    expect(refused({ install_duration: 86_401 })).toMatch(/install_duration/);
    expect(refused({ os_type: "x".repeat(33) })).toMatch(/os_type/);
  });

  it("keeps runs whose descriptive fields are odd: unknown enums, long models, bad slugs", () => {
    const e = event({
      cpu_vendor: "Cyrix",
      gpu_passthrough: "full",
      cpu_model: `A\u0007B ${"x".repeat(80)}`,
      repo_slug: "not a slug",
      repo_source: "gitlab",
      ram_speed: "fast",
      has_arm: "true",
    });
    expect(e.values).toMatchObject({ cpu_vendor: "unknown", gpu_passthrough: "unknown", repo_slug: "", repo_source: "", ram_speed: 0, has_arm: true });
    expect(String(e.values.cpu_model)).toMatch(/^A B x+$/);
    expect(String(e.values.cpu_model).length).toBe(64);
    expect(e.notes.length).toBeGreaterThanOrEqual(5);
    // A fork's slug names its source when the source is missing, as upstream does.
    expect(event({ repo_slug: "someone/ProxmoxVE" }).values.repo_source).toBe("external");
    expect(event({ repo_slug: "community-scripts/ProxmoxVED" }).values.repo_source).toBe("ProxmoxVED");
  });

  it("masks addresses in the error and keeps the head and tail of a trace that is too long", () => {
    const e = event({
      status: "failed",
      exit_code: 7,
      error: `exit_code=7 | at line 3: curl http://192.168.1.20:8080 [fe80::1c2b:3ff:fe4d:5e6f]\n${"y".repeat(20_000)}\nlast line 10.0.0.1`,
    });
    const error = String(e.values.error);
    expect(error).not.toMatch(/192\.168|fe80|10\.0\.0\.1/);
    expect(error.startsWith("exit_code=7 | at line 3: curl http://x.x.x.x:8080 [x:x::x]")).toBe(true);
    expect(error.endsWith("last line x.x.x.x")).toBe(true);
    expect(error.length).toBe(ingest.ERROR_MAX);
  });
});

describe("maskAddresses", () => {
  const cases: [string, string][] = [
    ["to 192.168.1.100:8080 failed", "to x.x.x.x:8080 failed"],
    ["Temporary failure resolving 'deb.debian.org' (10.0.0.1).", "Temporary failure resolving 'deb.debian.org' (x.x.x.x)."],
    ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "x:x::x"],
    ["listen [::ffff:192.0.2.128]:80", "listen [x:x::x]:80"],
    ["addr fe80::1ff:fe23:4567:890a%eth0", "addr x:x::x%eth0"],
    ["ether 52:54:00:12:34:56 brd", "ether xx:xx:xx:xx:xx:xx brd"],
    ["[IP: 192.x.x.20 3142]", "[IP: x.x.x.x 3142]"], // the scripts' own half mask
    // Not addresses: versions, times, C++ scopes, numbers.
    ["PVE 9.1.4, node 18.19.0, 1.2.3.4.5", "PVE 9.1.4, node 18.19.0, 1.2.3.4.5"],
    ["at 12:34:56 std::string", "at 12:34:56 std::string"],
    ["300.1.1.1 and 1234.5.6.7", "300.1.1.1 and 1234.5.6.7"],
  ];
  for (const [input, want] of cases) it(input, () => expect(ingest.maskAddresses(input)).toBe(want));
});

describe("merge", () => {
  const T0 = Date.parse("2026-12-01T10:00:00Z");

  it("creates a run from its first event, dated install_duration before it", () => {
    const created = ingest.merge(null, event({ status: "success", install_duration: 300 }), T0);
    expect(created).toMatchObject({ action: "create", status: "success", created: T0 - 300_000 });
    expect(created.values).toMatchObject({ status: "success", phase: "", exit_code: 0, ct_type: 1 });
    expect(ingest.merge(null, event({ status: "configuring" }), T0).values).toMatchObject({ status: "installing", phase: "configuring" });
  });

  it("moves a running run through its phases, ends it once, never reopens it", () => {
    const run: Record<string, unknown> = { ...ingest.merge(null, event({ status: "installing", core_count: 2 }), T0).values };
    const apply = (fields: Record<string, unknown>) => {
      const plan = ingest.merge(run, event(fields), T0);
      Object.assign(run, plan.values);
      return plan;
    };
    expect(apply({ status: "installing" }).action).toBe("none"); // a resend
    expect(apply({ status: "configuring" })).toMatchObject({ action: "update", values: { phase: "configuring" } });
    expect(apply({ status: "failed", exit_code: 100, error: "exit_code=100 | APT" })).toMatchObject({ action: "update", status: "failed" });
    expect(run).toMatchObject({ status: "failed", phase: "configuring", core_count: 2, exit_code: 100 });
    expect(apply({ status: "configuring" })).toMatchObject({ action: "none", notes: [expect.stringMatching(/already ended/)] });
    // The client's shorter second try of the same end: the longer trace stays.
    expect(apply({ status: "failed", exit_code: 100, error: "exit_code=100" }).action).toBe("none");
    expect(apply({ status: "failed", exit_code: 100, error: "exit_code=100 | APT | at line 4: apt-get\n---\nE: x" })).toMatchObject({ action: "update" });
    // A forced resend with new information (the APT repair worked): the later final wins.
    expect(apply({ status: "success", exit_code: 0, error: "" })).toMatchObject({ action: "update", status: "success", notes: [expect.stringMatching(/replaces.*failed/)] });
    expect(run).toMatchObject({ status: "success", exit_code: 0, error: "" });
  });

  it("never changes a run's keys, and fills what a shorter payload left out", () => {
    const ping = ingest.merge(null, event({ status: "configuring", type: "lxc" }), T0);
    const run = { ...ping.values };
    const final = ingest.merge(run, event({ status: "success", nsapp: "other", type: "vm", ct_type: 0, core_count: 4, os_type: "debian" }), T0);
    expect(final.values).not.toHaveProperty("nsapp");
    expect(final.values).not.toHaveProperty("type");
    expect(final.values).toMatchObject({ ct_type: 0, core_count: 4, os_type: "debian", status: "success" });
  });
});
