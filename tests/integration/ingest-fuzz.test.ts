/**
 * Property-based fuzzing of POST /telemetry against a real PocketBase (fast-check, fixed seed,
 * bounded cases): payloads with hostile values in every field, heredoc-style breakage spliced
 * into valid bodies, and arbitrary text. Never a 5xx; a 4xx always says why in JSON; no answer
 * carries the sent ids or error text; and afterwards every stored row passes the collection's
 * own field rules, each execution has one row, and the rollups equal SQL over the rows.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import ingest from "../../pocketbase/pb_hooks/telemetry-ingest.cjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldSchema } from "../../scripts/lib/import-records";
import { schemaProblem } from "../../scripts/lib/import-records";
import { setRateLimit } from "../../scripts/lib/pocketbase-server";
import type { TelemetryRow } from "../../scripts/lib/telemetry-row";
import { postEvent } from "../support/ingest";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const HOSTILE: unknown[] = [
  "",
  " ",
  "'",
  '"',
  "\\",
  "\u0000",
  "\n",
  "\u202e",
  "😀",
  "ünïcödé",
  "<script>alert(1)</script>",
  "@request.auth.id",
  "x".repeat(200),
  "x".repeat(20_000),
  "1e308",
  "-1",
  "32G",
  -1,
  0,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER,
  true,
  null,
  [],
  { nested: { deeper: [1, "two"] } },
];
/** Every field the payload knows. */
const FIELDS = ingest.KNOWN;
const STATUSES = ["installing", "validation", "configuring", "success", "sucess", "done", "failed", "aborted", "unknown", "weird"];

function validPayload(id: string, status: string, exitCode: number) {
  return { random_id: id, execution_id: id, type: "lxc", nsapp: "docker", status, ct_type: 1, core_count: 2, ram_size: 2048, exit_code: exitCode, error: "", install_duration: 30 };
}

/** A valid event, one field replaced by a hostile or random value. */
const mutated = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    exit: fc.integer({ min: 0, max: 255 }),
    field: fc.constantFrom(...FIELDS),
    value: fc.oneof(fc.constantFrom(...HOSTILE), fc.string(), fc.string({ unit: "grapheme", maxLength: 80 }), fc.integer(), fc.double()),
  })
  .map(({ status, exit, field, value }) => {
    const id = randomUUID();
    return { id, body: JSON.stringify({ ...validPayload(id, status, exit), [field]: value }) };
  });

/** A valid heredoc with bash-style damage spliced in: a stray quote, a raw control, a cut. */
const broken = fc
  .record({ status: fc.constantFrom(...STATUSES), at: fc.nat(), damage: fc.constantFrom('"', "\n", "\t", "\\", "\u0001", "", "}", ",", '": "'), cut: fc.boolean() })
  .map(({ status, at, damage, cut }) => {
    const id = randomUUID();
    const text = JSON.stringify({ ...validPayload(id, status, 1), error: "exit_code=1 | at line 3: x" }, null, 4);
    const pos = at % text.length;
    return { id, body: cut ? text.slice(0, pos) : text.slice(0, pos) + damage + text.slice(pos) };
  });

const arbitrary = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.json()).map((body) => ({ id: "", body }));

describe("POST /telemetry under fuzzing", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    await setRateLimit(pb.url, pb.superuserToken, "POST /telemetry", 100_000);
  });
  afterAll(async () => pb?.stop());

  it("never answers 5xx, always says why it refuses, and never echoes ids or error text", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, broken, arbitrary), async ({ id, body }) => {
        const res = await postEvent(pb.url, body);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect([200, 201, 400, 413], res.text).toContain(res.status);
        if (res.status >= 400) expect(typeof res.body.message, res.text).toBe("string");
        else expect(res.body.stored, res.text).toMatch(/^(created|updated|unchanged)$/);
        if (id) expect(res.text).not.toContain(id);
        expect(res.text).not.toContain("exit_code=1 | at line");
      }),
      { seed: 20261206, numRuns: 400 },
    );
    // The cases reach both sides: stored runs and refusals.
    expect(seen.get(201)).toBeGreaterThan(50);
    expect(seen.get(400)).toBeGreaterThan(50);
  });

  it("left only rows the collection's rules allow, one per execution, and exact rollups", () => {
    const fields = JSON.parse(pb.db.prepare("SELECT fields FROM _collections WHERE name = '_dev_telemetry_data'").pluck().get() as string) as FieldSchema[];
    const rows = pb.db.prepare("SELECT * FROM _dev_telemetry_data").all() as TelemetryRow[];
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.map((r) => schemaProblem(r, fields)).filter(Boolean)).toEqual([]);
    expect(pb.db.prepare("SELECT execution_id, COUNT(*) AS n FROM _dev_telemetry_data GROUP BY 1 HAVING n > 1").all()).toEqual([]);
    expectRollupsExact(pb.db);
  });
});
