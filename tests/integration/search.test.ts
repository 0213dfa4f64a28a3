/**
 * The apps search (`containsText`, lib/data/queries/rollup-range.ts) against a real PocketBase:
 * every value matches literally — LIKE wildcards, escapes, quotes, PocketBase's `@request.` /
 * `@collection.` rule fields, pb.filter placeholders, unicode, control characters — and none
 * makes PocketBase answer an error. The expected apps come from plain string matching.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAppList } from "../../lib/data/queries/apps";
import { VIEWS } from "../../lib/views";
import { containsText, rangeAll } from "../../lib/data/queries/rollup-range";
import { publicClient } from "../../lib/data/pocketbase";
import { parseViewState, type ViewState } from "../../lib/params";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

/** Names as rows older than the write rules may hold them, and ordinary ones (all LXC). */
const NAMES = ["docker", "dxr", "d%r", "d_r", "100%", "a\\b", "back\\", 'q"uote', "it's", "x@request", "{:type}", "ünïcødé-🚀", "UPPER-case"];
/**
 * VM names the page's follow-up queries cannot name: PocketBase refuses any filter text with
 * `@request.` or `@collection.` (also `nsapp = {:nsapp}`), and a control character does not
 * survive pb.filter's JSON quoting. Searched through the range views directly.
 */
const VM_NAMES = ["@request.auth.id", "y@collection.stats_app.nsapp", "tab\there"];

const QUERIES = [
  "%",
  "_",
  "\\",
  "%%",
  "d%r",
  "d_r",
  "\\%",
  "a\\b",
  "\\\\",
  "back\\",
  '"',
  "'",
  '\\"',
  "\"'",
  "@request.auth.id",
  "@request.",
  "@collection.stats_app.nsapp",
  "@collection.x.y",
  "{:type}",
  "{:q}",
  "ünï",
  "🚀",
  "ÜNÏ",
  "upper",
  "DOCKER",
  "d",
  "||",
  "&&",
  "~",
  ")",
  "tab\there",
  "\u0000",
  "\uD800",
  "x".repeat(64),
  "%".repeat(64),
];

/** Literal, ASCII-case-insensitive containment: what `~` means for text without wildcards. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const matches = (name: string, q: string) => asciiLower(name).includes(asciiLower(q));

describe("app search", () => {
  let pb: TestPocketBase;
  let base: ViewState;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    pb.useForDataLayer();
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, os_type, os_version, created, updated)
       VALUES (?, ?, ?, ?, 'failed', 'debian', '13', ?, ?)`,
    );
    const now = new Date().toISOString().replace("T", " ");
    for (const [i, name] of [...NAMES, ...VM_NAMES].entries()) {
      insert.run(`srch${String(i).padStart(11, "0")}`, `srch-${i}`, i < NAMES.length ? "lxc" : "vm", name, now, now);
    }
    base = parseViewState({ range: "7d", size: "100", min: "0" }, new Date(), VIEWS.apps).state;
  });
  afterAll(async () => pb?.stop());

  it("matches every value literally in the range views, daily and hourly, and never errors", async () => {
    const pb = publicClient();
    const all = [...NAMES, ...VM_NAMES];
    for (const range of [base.range, parseViewState({ range: "24h" }, new Date(), VIEWS.apps).state.range]) {
      for (const rollup of ["stats_app", "stats_app_os"] as const) {
        for (const q of QUERIES) {
          const rows = await rangeAll(pb, rollup, range, { filter: containsText("nsapp", q) });
          expect.soft(rows.map((r) => String(r.nsapp)).sort(), `${rollup} ${range.grain} ${JSON.stringify(q)}`).toEqual(all.filter((n) => matches(n, q)).sort());
        }
      }
    }
  });

  for (const withOs of [false, true]) {
    it(`finds apps as the apps page does${withOs ? ", with an OS filter (per-OS range view)" : ""}`, async () => {
      for (const q of QUERIES) {
        const list = await queryAppList({ ...base, q, type: "lxc", os: withOs ? "debian" : null });
        const want = NAMES.filter((n) => matches(n, q)).sort();
        expect.soft(list.rows.map((r) => String(r.nsapp)).sort(), JSON.stringify(q)).toEqual(want);
        expect.soft(list.total, JSON.stringify(q)).toBe(want.length);
      }
    });
  }

  it("takes search text through the URL parser the same way", async () => {
    for (const q of ["d%r", "@request.auth.id", "%", "{:type}"]) {
      const { state } = parseViewState({ range: "7d", type: "lxc", q, min: "0" }, new Date(), VIEWS.apps);
      const list = await queryAppList(state);
      expect(list.rows.map((r) => String(r.nsapp)).sort(), q).toEqual(NAMES.filter((n) => matches(n, q)).sort());
    }
  });
});
