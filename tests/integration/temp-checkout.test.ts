/**
 * `npm run demo` from a checkout under the temp dir (a clone in /tmp): PocketBase takes a
 * binary under the temp dir for `go run` and turns dev mode on, logging every SQL statement
 * (2 MB for our migrations, which overflowed a buffered child process). The demo's PocketBase
 * steps — migrate, superuser, serve with our hooks, reader account — run here from a copy of
 * the checkout's `pocketbase/` dir and binary under os.tmpdir().
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  findPocketBaseBinary,
  freePort,
  migrate,
  pocketBaseDirsIn,
  servePocketBase,
  upsertReader,
  upsertSuperuser,
  type RunningPocketBase,
} from "../../scripts/lib/pocketbase-server";
import { RECORDS } from "../support/pocketbase";

describe("a checkout under the temp dir", () => {
  const checkout = mkdtempSync(join(tmpdir(), "pb-checkout-"));
  const binary = join(checkout, "node_modules", ".bin", "pocketbase");
  const dataDir = join(checkout, ".data", "pocketbase");
  const savedBin = process.env.POCKETBASE_BIN;
  let pb: RunningPocketBase | null = null;
  afterAll(async () => {
    await pb?.stop();
    if (savedBin === undefined) delete process.env.POCKETBASE_BIN;
    else process.env.POCKETBASE_BIN = savedBin;
    rmSync(checkout, { recursive: true, force: true });
  });

  it("runs the demo's PocketBase steps with dev mode off", async () => {
    cpSync(join(import.meta.dirname, "..", "..", "pocketbase"), join(checkout, "pocketbase"), { recursive: true });
    mkdirSync(join(checkout, "node_modules", ".bin"), { recursive: true });
    copyFileSync(findPocketBaseBinary(), binary);
    process.env.POCKETBASE_BIN = binary;
    const dirs = pocketBaseDirsIn(join(checkout, "pocketbase"));
    mkdirSync(dataDir, { recursive: true });

    const output = migrate(dataDir, dirs);
    expect(output).toMatch(/Applied \d+_telemetry_write_rules\.js/);
    expect(output).not.toMatch(/^\[\d+\.\d+ms\]/m); // dev mode's SQL log lines
    const su = { email: "admin@demo.local", password: randomUUID() };
    upsertSuperuser(dataDir, su.email, su.password, dirs);
    pb = await servePocketBase(dataDir, await freePort(), { quiet: true, dirs });
    await upsertReader(pb.url, su, { email: "dashboard@demo.local", password: randomUUID() });

    // The copy's migrations and hooks are the ones running: a run starts, is looked up, ends.
    const uuid = randomUUID();
    const post = await fetch(`${pb.url}${RECORDS}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ random_id: uuid, type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" }),
    });
    expect(post.status).toBe(200);
    const lookup = await fetch(`${pb.url}${RECORDS}?filter=${encodeURIComponent(`(random_id='${uuid}')`)}&fields=id&perPage=1`);
    const { items } = (await lookup.json()) as { items: { id: string }[] };
    expect(items).toEqual([{ id: ((await post.json()) as { id: string }).id }]);
  });
});
