/**
 * Report modules (lib/reports): a column declared once becomes the JSON field, its CSV columns
 * and its table column, in the documented orders.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toCsv } from "../../lib/api";
import { field, report, tableOnly } from "../../lib/reports/report";
import { RUNS } from "../../lib/reports/runs";
import { APPS } from "../../lib/reports/apps";

interface Row {
  name: string;
  n: number;
  pair: { a: number; b: number };
}

const R = report<Row, { show: boolean }>([
  field("name", z.string(), (r) => r.name, { table: { label: "Name", cell: (r) => ({ kind: "text", value: r.name }) } }),
  field("pair", z.strictObject({ a: z.number(), b: z.number() }), (r) => r.pair, {
    csv: { pair_a: (p) => p.a, pair_sum: { value: (p) => p.a + p.b, added: 1 }, pair_b: (p) => p.b },
  }),
  field("n", z.number(), (r) => r.n, { table: { label: "N", when: (c) => c.show, cell: (r) => ({ kind: "integer", value: r.n }) } }),
  tableOnly("double", { label: "Twice", cell: (r) => ({ kind: "integer", value: 2 * r.n }) }),
]);
const rows: Row[] = [{ name: "=x", n: 3, pair: { a: 1, b: 2 } }];

describe("a report", () => {
  it("answers JSON in field order, checked by its own schema", () => {
    const json = R.json(rows[0]!, { show: true });
    expect(Object.keys(json)).toEqual(["name", "pair", "n"]);
    expect(R.rowSchema.parse(json)).toEqual(json);
    expect(() => R.rowSchema.parse({ ...json, extra: 1 })).toThrow();
  });

  it("flattens CSV columns in field order, those added after v1 last, with a header when nothing matched", () => {
    const table = R.csv(rows, { show: true });
    expect(table.columns).toEqual(["name", "pair_a", "pair_b", "n", "pair_sum"]);
    expect(toCsv(table)).toBe("name,pair_a,pair_b,n,pair_sum\r\n'=x,1,2,3,3\r\n");
    expect(toCsv(R.csv([], { show: false }))).toBe("name,pair_a,pair_b,n,pair_sum\r\n");
  });

  it("shows table columns in field order, table-only ones included, conditional ones when they apply", () => {
    expect(R.table({ show: true }).map((c) => c.key)).toEqual(["name", "n", "double"]);
    expect(R.table({ show: false }).map((c) => [c.key, c.label])).toEqual([
      ["name", "Name"],
      ["double", "Twice"],
    ]);
    expect(R.table({ show: true })[2]!.cell(rows[0]!)).toEqual({ kind: "integer", value: 6 });
  });
});

it("the runs CSV keeps v1's column order, which differs from its JSON order", () => {
  expect(RUNS.csv([], null).columns).toEqual(["started", "method", "pve_version", "exit_code", "os_type", "type", "os_version", "outcome"]);
  expect(Object.keys(RUNS.rowSchema.shape)).toEqual(["started", "outcome", "type", "exit_code", "os_type", "os_version", "pve_version", "method"]);
});

it("the apps CSV ends with the columns added after v1.0, in the order of their releases", () => {
  expect(APPS.csv([], { state: {} as never, sparkFrom: "" }).columns.slice(-2)).toEqual(["rate_change", "decided"]);
});
