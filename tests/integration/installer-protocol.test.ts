/**
 * The installers' whole protocol, sent as misc/api.func sends it with curl (no SDK): POST the
 * run as installing, PATCH its outcome by record id — and, when the id was lost, the fallback
 * lookup `?filter=(random_id='<uuid>')&fields=id&perPage=1` (pb_hooks/telemetry.pb.js). The
 * lookup answers that one run's id to whoever knows its random_id; every other anonymous list
 * answers nothing.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPocketBase, type TestPocketBase, installerPost, RECORDS } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

/** A request with its path sent byte for byte, as curl does (fetch would %-encode the quotes). */
function curl(base: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The scripts read the id with `grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4`. */
const grepId = (text: string) => /"id":"([^"]*)"/.exec(text)?.[1] ?? "";

describe("the installer protocol", () => {
  let pb: TestPocketBase;
  const lookupPath = (uuid: string) => `${RECORDS}?filter=(random_id='${uuid}')&fields=id&perPage=1`;
  const postToApi = (uuid: string, nsapp = "jellyfin") => curl(pb.url, "POST", RECORDS, JSON.stringify(installerPost({ nsapp, random_id: uuid })));
  const patch = (id: string, body: object) => curl(pb.url, "PATCH", `${RECORDS}/${id}`, JSON.stringify(body));
  const rowsOf = (uuid: string) =>
    pb.db.prepare("SELECT id, status, exit_code, error FROM _dev_telemetry_data WHERE random_id = ?").all(uuid) as {
      id: string;
      status: string;
      exit_code: number;
      error: string;
    }[];

  beforeAll(async () => {
    pb = await startTestPocketBase();
  });
  afterAll(async () => pb?.stop());

  it("POST, PATCH with the id from the answer", async () => {
    const uuid = randomUUID();
    const posted = await postToApi(uuid);
    expect(posted.status).toBe(200);
    const id = grepId(posted.text);
    expect(id).toBe(rowsOf(uuid)[0]!.id);
    expect((await patch(id, { status: "sucess", error: "", exit_code: 0 })).status).toBe(200);
    expect(rowsOf(uuid)).toEqual([{ id, status: "sucess", exit_code: 0, error: "" }]);
  });

  it("POST whose answer is lost, look the run up by random_id, PATCH it", async () => {
    const uuid = randomUUID();
    await postToApi(uuid); // the script timed out: it never read the answer
    const found = await curl(pb.url, "GET", lookupPath(uuid));
    expect(found.status).toBe(200);
    const body = JSON.parse(found.text) as { items: object[]; totalItems: number };
    // That one run, its id and nothing else.
    expect(body.items).toEqual([{ id: rowsOf(uuid)[0]!.id }]);
    expect(body.totalItems).toBe(1);
    const id = grepId(found.text);
    expect((await patch(id, { status: "failed", error: "APT: Package manager error", exit_code: 100 })).status).toBe(200);
    expect(rowsOf(uuid)).toEqual([{ id, status: "failed", exit_code: 100, error: "APT: Package manager error" }]);
    // A client that %-encodes the same request (fetch, an SDK) gets the same answer.
    const encoded = await fetch(`${pb.url}${RECORDS}?filter=${encodeURIComponent(`(random_id='${uuid}')`)}&fields=id&perPage=1`);
    expect(((await encoded.json()) as { items: object[] }).items).toEqual([{ id }]);
  });

  it("looks up any random_id a create accepts, not only UUIDs (the seed documentation's test-<timestamp>)", async () => {
    const id = `test-${Date.now()}`;
    const posted = await postToApi(id);
    expect(posted.status).toBe(200);
    const found = await curl(pb.url, "GET", lookupPath(id));
    expect(JSON.parse(found.text)).toMatchObject({ items: [{ id: grepId(posted.text) }], totalItems: 1 });
    expect((await patch(grepId(found.text), { status: "sucess", error: "", exit_code: 0 })).status).toBe(200);
    expect(rowsOf(id)).toMatchObject([{ status: "sucess" }]);
  });

  it("does not answer the lookup for a run that today's protocol (POST /telemetry) keeps", async () => {
    const uuid = randomUUID();
    const res = await curl(pb.url, "POST", "/telemetry", JSON.stringify({ random_id: uuid, execution_id: uuid, type: "lxc", nsapp: "jellyfin", status: "installing" }));
    expect(res.status).toBe(201);
    expect(JSON.parse((await curl(pb.url, "GET", lookupPath(uuid))).text).items).toEqual([]);
  });

  it("finds nothing for a random_id nobody stored", async () => {
    const found = JSON.parse((await curl(pb.url, "GET", lookupPath(randomUUID()))).text) as { items: object[] };
    expect(found.items).toEqual([]);
  });

  it("keeps one run when the POST is sent twice, and finishes it once however often the PATCH is retried", async () => {
    const uuid = randomUUID();
    const first = await postToApi(uuid);
    const second = await postToApi(uuid);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400); // random_id is unique
    expect(grepId(second.text)).toBe(""); // the script has no id: it will look it up
    const id = grepId((await curl(pb.url, "GET", lookupPath(uuid))).text);
    expect(id).toBe(grepId(first.text));
    const outcome = { status: "failed", error: "Command not found", exit_code: 127 };
    expect((await patch(id, outcome)).status).toBe(200);
    for (let retry = 0; retry < 3; retry++) {
      expect((await patch(id, outcome)).status).toBe(404);
      expect((await patch(id, { status: "sucess", error: "", exit_code: 0 })).status).toBe(404);
    }
    expect(rowsOf(uuid)).toEqual([{ id, ...outcome }]);
    expectRollupsExact(pb.db);
  });

  it("answers no other anonymous list: broader filters, other fields, other shapes", async () => {
    const uuid = randomUUID();
    await postToApi(uuid, "docker");
    const q = (s: string) => encodeURIComponent(s);
    const probes = [
      "",
      "?perPage=500&sort=-created",
      `?filter=(random_id='${uuid}')`,
      `?filter=(random_id='${uuid}')&perPage=1`,
      `?filter=(random_id='${uuid}')&fields=id`,
      `?filter=(random_id='${uuid}')&fields=id&perPage=2`,
      `?filter=(random_id='${uuid}')&fields=*&perPage=1`,
      `?filter=(random_id='${uuid}')&fields=id,nsapp&perPage=1`,
      `?filter=(random_id='${uuid}')&fields=id&perPage=1&sort=-created`,
      `?filter=(random_id='${uuid}')&fields=id&perPage=1&expand=x`,
      `?filter=(random_id='${uuid}')&fields=id&perPage=1&skipTotal=1`,
      `?filter=(random_id='${uuid}')&fields=id&perPage=1&perPage=1`,
      `?filter=(random_id='${uuid}')&filter=(random_id!='')&fields=id&perPage=1`,
      `?filter=(random_id='${uuid.toUpperCase()}')&fields=id&perPage=1`,
      `?filter=${q(`(random_id="${uuid}")`)}&fields=id&perPage=1`,
      `?filter=${q(`random_id='${uuid}'`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id = '${uuid}')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id!='${uuid}')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id~'${uuid.slice(0, 8)}')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id~'%')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id='${uuid}'||random_id!='')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id='${uuid}')||(nsapp='docker')`)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id='${uuid}')&&(nsapp='docker')`)}&fields=id&perPage=1`,
      `?filter=${q("(nsapp='docker')")}&fields=id&perPage=1`,
      `?filter=${q("(id!='')")}&fields=id&perPage=1`,
      `?filter=${q("(random_id='x' || 1=1)")}&fields=id&perPage=1`,
      `?filter=${q(`(random_id='${uuid}') `)}&fields=id&perPage=1`,
      `?filter=${q(`(random_id='${uuid}%')`)}&fields=id&perPage=1`,
    ];
    for (const probe of probes) {
      const res = await curl(pb.url, "GET", `${RECORDS}${probe}`);
      const items = res.status === 200 ? (JSON.parse(res.text) as { items: unknown[] }).items : [];
      expect.soft(items, probe).toEqual([]);
      expect.soft(res.status, probe).toBeLessThan(500);
    }
    // A record view by id is closed too.
    const id = rowsOf(uuid)[0]!.id;
    expect((await curl(pb.url, "GET", `${RECORDS}/${id}`)).status).toBe(404);
  });
});
