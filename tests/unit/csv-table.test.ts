/**
 * CSV tables (lib/api.ts): columns are declared, so an export has the same header row whether
 * or not anything matched; a column left out of the declaration, or one the rows do not have,
 * fails the type check (the @ts-expect-error lines fail `npm run typecheck` if it stops).
 */
import { describe, expect, it } from "vitest";
import { csvTable, toCsv } from "../../lib/api";

type Row = { nsapp: string; runs: number; rate: number | null };
type Incident = { exit_code: number; apps: number };

describe("csvTable", () => {
  it("writes the header row of an empty table", () => {
    expect(toCsv(csvTable([] as Row[], { nsapp: true, runs: true, rate: true }))).toBe("nsapp,runs,rate\r\n");
  });

  it("writes the columns in the declared order, empty cells for null, spreadsheet formulas neutralised", () => {
    const rows: Row[] = [
      { nsapp: "docker", runs: 3, rate: null },
      { nsapp: "=cmd", runs: 1, rate: 0.5 },
    ];
    expect(toCsv(csvTable(rows, { rate: true, nsapp: true, runs: true }))).toBe("rate,nsapp,runs\r\n,docker,3\r\n0.5,'=cmd,1\r\n");
  });

  it("lists every member's columns for a union of row shapes", () => {
    const rows: (Row | Incident)[] = [{ exit_code: 100, apps: 3 }];
    expect(toCsv(csvTable(rows, { nsapp: true, runs: true, rate: true, exit_code: true, apps: true }))).toBe("nsapp,runs,rate,exit_code,apps\r\n,,,100,3\r\n");
  });

  it("does not compile with a column missing or unknown", () => {
    const rows: Row[] = [];
    // @ts-expect-error `rate` is not declared
    csvTable(rows, { nsapp: true, runs: true });
    // @ts-expect-error the rows have no `share`
    csvTable(rows, { nsapp: true, runs: true, rate: true, share: true });
  });
});
