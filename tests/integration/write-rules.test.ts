/**
 * The telemetry write rules (pocketbase/pb_migrations/*_telemetry_write_rules.js and
 * pb_hooks/telemetry.pb.js) against a real PocketBase: what an anonymous installer may
 * create and PATCH, what the answers contain, and the closed doors (sign-up, batch).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, READER, startTestPocketBase, type TestPocketBase, installerPost, RECORDS } from "../support/pocketbase";

describe("telemetry write rules", () => {
  let pb: TestPocketBase;
  const create = (body: Record<string, unknown>) => api(pb.url, RECORDS, { method: "POST", body });
  const patch = (id: string, body: Record<string, unknown>) => api(pb.url, `${RECORDS}/${id}`, { method: "PATCH", body });
  const row = (id: string) => pb.db.prepare("SELECT * FROM _dev_telemetry_data WHERE id = ?").get(id) as Record<string, unknown> | undefined;
  const count = () => (pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n;
  async function started(): Promise<string> {
    const res = await create(installerPost());
    expect(res.status).toBe(200);
    return res.body.id as string;
  }

  beforeAll(async () => {
    pb = await startTestPocketBase();
  });
  afterAll(async () => pb?.stop());

  it("accepts a run as the scripts start it, and answers without random_id or error", async () => {
    const post = installerPost();
    const res = await create({ ...post, disableip6: "", error: "not yet" });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^[a-z0-9]{15}$/);
    expect(res.body.nsapp).toBe("docker");
    expect(res.body).not.toHaveProperty("random_id");
    expect(res.body).not.toHaveProperty("error");
    // Stored all the same, for the rollups and the superuser.
    expect(row(res.body.id as string)).toMatchObject({ random_id: post.random_id, status: "installing" });
  });

  it("accepts names outside the catalogue that look like script names", async () => {
    for (const nsapp of ["brand-new-app2", "netboot.xyz", "0ad", "a"]) expect((await create(installerPost({ nsapp }))).status).toBe(200);
  });

  it("refuses anything but a fresh installing run with sane values", async () => {
    const before = count();
    const refused: Record<string, unknown>[] = [
      ...["sucess", "success", "failed", "aborted", "unknown", "done", ""].map((status) => ({ status })),
      { id: "aaaaaaaaaaaaaaa" },
      ...["<b>x</b>", "Docker", "my app", "-docker", ".x", "x".repeat(65), "ünïcode", "docker;", "", "a/b"].map((nsapp) => ({ nsapp })),
      ...[-1, 8193, 1.5, 1e308].map((core_count) => ({ core_count })),
      ...[-1, 16_777_217, 1e308].map((ram_size) => ({ ram_size })),
      ...[-1, 1_048_577].map((disk_size) => ({ disk_size })),
      ...[-1, 3, 0.5].map((ct_type) => ({ ct_type })),
      ...[-1, 256, 1.5].map((exit_code) => ({ exit_code })),
      { type: "docker" },
      { os_type: "x".repeat(33) },
      { os_version: "x".repeat(65) },
      { pve_version: "x".repeat(33) },
      { method: "x".repeat(33) },
      { error: "x".repeat(16_001) }, // 16,000: the scripts' failure trace whole (pb_migrations/1796540000_telemetry_ingest.js)
      { random_id: "" },
      { random_id: "x".repeat(65) },
      { random_id: "<script>" },
    ];
    for (const overrides of refused) {
      const res = await create(installerPost(overrides));
      expect.soft(res.status, JSON.stringify(overrides).slice(0, 80)).toBe(400);
    }
    expect(count()).toBe(before);
  });

  it("keeps PocketBase's clock: a client cannot date a run", async () => {
    const res = await create(installerPost({ created: "2020-01-01 00:00:00.000Z", updated: "2020-01-01 00:00:00.000Z" }));
    expect(res.status).toBe(200);
    expect(String(row(res.body.id as string)!.created) > "2026-").toBe(true);
  });

  it("lets a PATCH finish an installing run with status, exit code and error, answering without the private fields", async () => {
    const id = await started();
    const res = await patch(id, { status: "failed", exit_code: 100, error: "APT: Package manager error" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: "failed", exit_code: 100 });
    expect(res.body).not.toHaveProperty("random_id");
    expect(res.body).not.toHaveProperty("error");
    expect(row(id)).toMatchObject({ status: "failed", exit_code: 100, error: "APT: Package manager error" });
    for (const status of ["sucess", "success", "aborted", "unknown"]) {
      const other = await started();
      expect((await patch(other, { status, exit_code: 0, error: "" })).status).toBe(200);
    }
  });

  it("refuses PATCHes that touch identity fields, stay or return to installing, or follow the final one", async () => {
    const id = await started();
    const before = row(id);
    const refused: Record<string, unknown>[] = [
      { exit_code: 1 },
      { error: "x" },
      { status: "installing" },
      { status: "failed", random_id: "11111111-1111-4111-8111-111111111111" },
      ...Object.entries({ nsapp: "jellyfin", type: "vm", ct_type: 0, disk_size: 8, core_count: 4, ram_size: 1, os_type: "alpine" }).map(([k, v]) => ({ status: "failed", [k]: v })),
      ...Object.entries({ os_version: "3.22", pve_version: "8.4.1", method: "advanced", id: "bbbbbbbbbbbbbbb" }).map(([k, v]) => ({ status: "failed", [k]: v })),
      { status: "failed", created: "2020-01-01 00:00:00.000Z" },
      { status: "failed", exit_code: 256 },
    ];
    for (const body of refused) expect.soft((await patch(id, body)).status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    expect(row(id)).toEqual(before);
    expect((await patch(id, { status: "failed", exit_code: 1 })).status).toBe(200);
    // Finished: nothing changes it any more, not even to another final status.
    expect((await patch(id, { status: "sucess", exit_code: 0 })).status).toBe(404);
    expect(row(id)).toMatchObject({ status: "failed", exit_code: 1 });
  });

  it("hides random_id and error from the reader account too, but not from a superuser", async () => {
    const auth = await api(pb.url, "/api/collections/telemetry_readers/auth-with-password", {
      method: "POST",
      body: { identity: READER.email, password: READER.password },
    });
    const reader = await api(pb.url, `${RECORDS}?perPage=5`, { token: auth.body.token as string });
    expect((reader.body.items as object[]).length).toBe(5);
    for (const item of reader.body.items as object[]) expect(Object.keys(item)).not.toContain("random_id");
    const admin = await api(pb.url, `${RECORDS}?perPage=5`, { token: pb.superuserToken });
    for (const item of admin.body.items as object[]) expect(Object.keys(item)).toEqual(expect.arrayContaining(["random_id", "error"]));
  });

  it("closes the default users collection's sign-up and leaves the batch API off", async () => {
    const signUp = await api(pb.url, "/api/collections/users/records", {
      method: "POST",
      body: { email: "x@example.com", password: "password-1234", passwordConfirm: "password-1234" },
    });
    expect(signUp.status).toBe(403);
    const batch = await api(pb.url, "/api/batch", { method: "POST", body: { requests: [{ method: "POST", url: RECORDS, body: installerPost() }] } });
    expect(batch.status).toBe(403);
  });
});
